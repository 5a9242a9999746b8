// Bit operations of the engine: the storage side of SETBIT, GETBIT,
// BITCOUNT, BITPOS, BITOP and BITFIELD / BITFIELD_RO. Each call is one
// command over KeyAccess; the bit arithmetic is engine/bit_logic.h, the
// string bytes engine/chunked_string.h, so on a chunked string a command
// reads and writes only the chunks its bits live in.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/bit_logic.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

// SETBIT: the bit's previous value; grows the string (zero-filled) as needed.
// `changed` (if set) tells whether the string was created, grown or changed.
StatusOr<int> SetBit(Engine& engine, OpContext& ctx, std::string_view key, uint64_t offset,
                     int value, bool* changed = nullptr);
// GETBIT: 0 past the end or for a missing key; kWrongType.
StatusOr<int> GetBit(Engine& engine, OpContext& ctx, std::string_view key, uint64_t offset);

// The optional start/end arguments of BITCOUNT and BITPOS.
struct BitRange {
  int64_t start = 0;
  std::optional<int64_t> end;  // BITCOUNT always has one
  bool unit_is_bit = false;
};

// BITCOUNT: kNotFound for a missing key (the reply is 0 before any argument
// check), kWrongType.
StatusOr<int64_t> BitCount(Engine& engine, OpContext& ctx, std::string_view key,
                           const std::optional<BitRange>& range);
// BITPOS: kNotFound for a missing key (the caller replies by `bit`), kWrongType.
StatusOr<int64_t> BitPos(Engine& engine, OpContext& ctx, std::string_view key, int bit,
                         const std::optional<BitRange>& range);

enum class BitOpKind : unsigned char { kAnd, kOr, kXor, kNot };
// BITOP: stores the result in `dest` (deleting it when every source is empty
// or missing) and returns its length; kWrongType if a source is not a string.
StatusOr<int64_t> BitOp(Engine& engine, OpContext& ctx, BitOpKind op, std::string_view dest,
                        std::span<const std::string_view> sources);

struct BitfieldOp {
  enum class Kind : unsigned char { kGet, kSet, kIncrBy };
  Kind kind = Kind::kGet;
  bits::FieldType type;
  uint64_t offset = 0;  // in bits
  int64_t value = 0;    // SET value or INCRBY increment
  bits::Overflow overflow = bits::Overflow::kWrap;
};
// BITFIELD: one reply per op (nullopt: FAIL overflow). With any SET/INCRBY,
// the string is first grown to cover the highest bit written, as Redis does.
StatusOr<std::vector<std::optional<int64_t>>> Bitfield(Engine& engine, OpContext& ctx,
                                                       std::string_view key,
                                                       std::span<const BitfieldOp> ops);

}  // namespace strata::engine
