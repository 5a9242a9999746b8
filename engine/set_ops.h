// Set operations of the engine: the storage side of SADD, SREM, SISMEMBER,
// SMISMEMBER, SMEMBERS, SCARD, SPOP, SRANDMEMBER, SMOVE, SINTER(CARD/STORE),
// SUNION(STORE), SDIFF(STORE) and SSCAN. A set is a collection
// (codec/layout.h): metadata with the member count, members in
// "set_members" (member -> "") under its object id, read and written only
// through KeyAccess. SISMEMBER is one GetSub; SCARD reads only metadata.
//
// ENCODING. meta.big_encoding is set exactly when Redis 7.0.15 would hold
// the set as a hashtable rather than an intset: once a member that is not a
// canonical 64-bit integer (string2ll) is added, or the set grows past
// kSetMaxIntsetEntries; it never goes back. A set built by a *STORE command
// starts again from an intset, as Redis builds it.
//
// ORDER. Members are stored in byte order. Where Redis's reply order is
// determined — an intset iterates in numeric order — the results follow it:
// an intset-encoded set and any result of at most kSetMaxIntsetEntries
// integers are returned sorted numerically (CanonicalOrder); otherwise the
// order is byte order (Redis's is unspecified there).
//
// No RESP here: results and Statuses (kWrongType, kWouldBlock, ...).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

// Redis 7.0.15's default of set-max-intset-entries.
inline constexpr uint64_t kSetMaxIntsetEntries = 512;

using Members = std::vector<std::string>;

// SADD: the number of members added.
StatusOr<int64_t> SetAdd(Engine& engine, OpContext& ctx, std::string_view key,
                         std::span<const std::string_view> members);
// SREM: the number removed; the key goes with its last member.
StatusOr<int64_t> SetRemove(Engine& engine, OpContext& ctx, std::string_view key,
                            std::span<const std::string_view> members);
// SISMEMBER / SMISMEMBER: one flag per member (all false for a missing key).
StatusOr<std::vector<bool>> SetContains(Engine& engine, OpContext& ctx, std::string_view key,
                                        std::span<const std::string_view> members);
// SMEMBERS: every member (empty for a missing key).
StatusOr<Members> SetMembers(Engine& engine, OpContext& ctx, std::string_view key);
// SCARD.
StatusOr<uint64_t> SetCard(Engine& engine, OpContext& ctx, std::string_view key);
// SPOP: nullopt for a missing key; else min(count, size) distinct members,
// removed (the key with them when none remain).
StatusOr<std::optional<Members>> SetPop(Engine& engine, OpContext& ctx, std::string_view key,
                                        uint64_t count);
// SRANDMEMBER: nullopt for a missing key; `distinct`: min(count, size)
// different members (the whole set, in order, when count >= size);
// otherwise exactly `count` picks with repetition.
StatusOr<std::optional<Members>> SetRandomMembers(Engine& engine, OpContext& ctx,
                                                  std::string_view key, uint64_t count,
                                                  bool distinct);
// SMOVE: whether the member moved (true also when source == destination and
// it is a member, as Redis answers). `added` (if set) tells whether the
// destination gained the member (it may have had it already).
StatusOr<bool> SetMove(Engine& engine, OpContext& ctx, std::string_view source,
                       std::string_view destination, std::string_view member,
                       bool* added = nullptr);

enum class SetOp : unsigned char { kInter, kUnion, kDiff };
// SINTER / SUNION / SDIFF: the result (missing keys are empty sets; any key
// of another type is kWrongType).
StatusOr<Members> SetCompute(Engine& engine, OpContext& ctx, SetOp op,
                             std::span<const std::string_view> keys);
// The *STORE forms: replaces `destination` (whatever it held, dropping its
// TTL) with the result, or deletes it when the result is empty; the size.
StatusOr<uint64_t> SetStore(Engine& engine, OpContext& ctx, SetOp op, std::string_view destination,
                            std::span<const std::string_view> keys);
// SINTERCARD: the intersection's size, counting stops at `limit` (0: no limit).
StatusOr<uint64_t> SetInterCard(Engine& engine, OpContext& ctx,
                                std::span<const std::string_view> keys, uint64_t limit);

// SSCAN: a page from member `start` ("" = the first); an intset is returned
// whole, in numeric order.
struct SetScanPage {
  Members members;
  std::string next;  // resume at this member, unless done
  bool done = true;
};
StatusOr<SetScanPage> SetScan(Engine& engine, OpContext& ctx, std::string_view key,
                              std::string_view start, uint64_t count);

// Pure helpers (unit-tested).
// Whether Redis would keep `member` in an intset (string2ll accepts it).
bool IsIntsetMember(std::string_view member);
// Sorts numerically when there are at most kSetMaxIntsetEntries members, all
// integers (the order of an intset); leaves `members` as is otherwise.
void CanonicalOrder(Members* members);

}  // namespace strata::engine
