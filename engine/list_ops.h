// List operations of the engine: the storage side of LPUSH, RPUSH, LPUSHX,
// RPUSHX, LPOP, RPOP, LLEN, LINDEX, LRANGE, LSET, LTRIM, LINSERT, LREM,
// LPOS, LMOVE, RPOPLPUSH and LMPOP. Each call is one command: it locks its
// keys, reads and writes through KeyAccess, and commits one batch. No RESP
// here: results are values and Statuses (kNotFound, kWrongType, kOutOfRange,
// kWouldBlock, ...).
//
// LAYOUT (codec/layout.h): element i of a list lives in "list_elements" under
// u64(head + i), big-endian, so byte order is index order and a ScanSub from
// u64(head + start) walks the list from `start`. The metadata holds [head,
// tail) and the count (tail - head). A new list starts at 2^63, the middle
// of the u64 range, so both ends have 2^63 indexes to grow into.
//
// INVARIANT: indexes are dense — every index in [head, tail) holds an
// element, and none outside it does. Hence:
//   - push and pop at either end, LINDEX, LSET and LLEN are O(1) point
//     operations (one GetSub/PutSub/DeleteSub, plus the metadata);
//   - LRANGE is one ScanSub from head + start, stopping after the range;
//   - LTRIM deletes the trimmed ends and moves head/tail;
//   - LINSERT and LREM (and any deletion in the middle) RENUMBER: they shift
//     the SHORTER side — the elements between the position and the nearer
//     end — by the number of elements inserted or removed, and move that end
//     (head or tail). An insert or removal near either end is cheap; one in
//     the middle rewrites up to half the list, which Redis's quicklist also
//     does in memory (and LINSERT/LREM must scan for their pivot anyway).
//
// BLOCKING (BLPOP and friends, a later issue): pushes report the key's new
// length and keep no hidden state, so the caller that pushed can signal the
// key as ready; pops report kNotFound for an absent (empty) list.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

enum class ListEnd : unsigned char { kLeft, kRight };

// LPUSH/RPUSH (LPUSHX/RPUSHX with only_if_exists): pushes the elements one
// at a time at `end` and returns the new length; 0 when only_if_exists and
// the key is absent (nothing written). kWrongType if not a list.
StatusOr<uint64_t> ListPush(Engine& engine, OpContext& ctx, std::string_view key, ListEnd end,
                            std::span<const std::string_view> elements, bool only_if_exists);

// LPOP/RPOP: up to `count` elements from `end`, in pop order; kNotFound when
// the key is absent. Deletes the key when it empties.
StatusOr<std::vector<std::string>> ListPop(Engine& engine, OpContext& ctx, std::string_view key,
                                           ListEnd end, uint64_t count);

// LLEN: the length (0 when absent). Reads only metadata.
StatusOr<uint64_t> ListLength(Engine& engine, OpContext& ctx, std::string_view key);

// LINDEX: the element at `index` (negative from the end); kNotFound when the
// key is absent or the index is out of range.
StatusOr<std::string> ListIndex(Engine& engine, OpContext& ctx, std::string_view key,
                                int64_t index);

// LSET: kNotFound when the key is absent, kOutOfRange for a bad index.
Status ListSet(Engine& engine, OpContext& ctx, std::string_view key, int64_t index,
               std::string_view element);

// LRANGE: elements start..stop inclusive (negative from the end, clamped as
// Redis does); empty when the key is absent.
StatusOr<std::vector<std::string>> ListRange(Engine& engine, OpContext& ctx, std::string_view key,
                                             int64_t start, int64_t stop);

// LTRIM: keeps start..stop (Redis's clamping); deletes the key if nothing is
// left. Returns whether the key existed (an absent key is fine).
StatusOr<bool> ListTrim(Engine& engine, OpContext& ctx, std::string_view key, int64_t start,
                        int64_t stop);

// LINSERT: the new length, -1 when the pivot is not found, 0 when the key is
// absent.
StatusOr<int64_t> ListInsert(Engine& engine, OpContext& ctx, std::string_view key, bool after,
                             std::string_view pivot, std::string_view element);

// LREM: removes up to |count| elements equal to `element` (from the head for
// count > 0, the tail for count < 0, all for 0); returns how many.
StatusOr<uint64_t> ListRemove(Engine& engine, OpContext& ctx, std::string_view key, int64_t count,
                              std::string_view element);

// LPOS. `rank`: 1 = first match, -1 = first from the tail, never 0 (INT64_MIN
// acts as -1, as Redis 7.0's negation of it does). `count`: 0 = all matches. `maxlen`: 0 = scan the
// whole list. Returns the positions (from the head) of the matches, at most `count`.
struct ListPosOptions {
  int64_t rank = 1;
  int64_t count = 1;
  int64_t maxlen = 0;
};
StatusOr<std::vector<uint64_t>> ListPositions(Engine& engine, OpContext& ctx, std::string_view key,
                                              std::string_view element,
                                              const ListPosOptions& options);

// LMOVE / RPOPLPUSH: pops from `from` of `source` and pushes at `to` of
// `destination` (which may be the same key); returns the element. kNotFound
// when the source is absent; kWrongType if either key holds another type
// (the destination is checked only when there is something to move).
StatusOr<std::string> ListMove(Engine& engine, OpContext& ctx, std::string_view source,
                               std::string_view destination, ListEnd from, ListEnd to);

// LMPOP: pops up to `count` elements from the first non-empty list among
// `keys`; returns (key index, elements). kNotFound when every key is absent;
// kWrongType when a key before the first list holds another type.
StatusOr<std::pair<size_t, std::vector<std::string>>> ListMultiPop(
    Engine& engine, OpContext& ctx, std::span<const std::string_view> keys, ListEnd end,
    uint64_t count);

}  // namespace strata::engine
