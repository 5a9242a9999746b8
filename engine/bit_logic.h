// Pure logic of the string range and bit commands, as Redis 7.0 computes it:
// GETRANGE's index conversion, BITCOUNT/BITPOS ranges (BYTE and BIT units),
// popcount and first-bit search over a piece of a string, and BITFIELD's
// field access with its WRAP/SAT/FAIL overflow rules.
//
// No I/O: the engine streams a string piece by piece (engine/chunked_string.h)
// and calls these on each piece, so a range over a chunked string reads only
// its chunks. Functions on pieces take the piece's byte offset in the string
// (`pos`) and work in absolute bit positions (bit 0 is the most significant
// bit of byte 0, as Redis numbers them).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace strata::engine::bits {

// Bytes [offset, offset + length) of a string; length 0 means nothing.
struct ByteSpan {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// GETRANGE/SUBSTR: start and end (inclusive, negative from the end) of a
// string of `strlen` bytes, converted as getrangeCommand does.
ByteSpan GetRangeSpan(int64_t start, int64_t end, uint64_t strlen);

// An inclusive range of absolute bit positions; empty when first > last.
struct BitSpan {
  uint64_t first = 1;
  uint64_t last = 0;
  bool empty() const { return first > last; }
  uint64_t first_byte() const { return first >> 3; }
  uint64_t last_byte() const { return last >> 3; }
};

// BITCOUNT key start end [BYTE|BIT] over a string of `strlen` bytes.
BitSpan BitcountSpan(int64_t start, int64_t end, bool unit_is_bit, uint64_t strlen);
// BITPOS key bit start [end [BYTE|BIT]]; `end` absent means "to the end".
BitSpan BitposSpan(int64_t start, std::optional<int64_t> end, bool unit_is_bit, uint64_t strlen);
// The whole string, in bits (empty for an empty string).
BitSpan WholeSpan(uint64_t strlen);

// Set bits of `span` that fall in the piece `bytes` starting at byte `pos`.
uint64_t CountBits(uint64_t pos, std::string_view bytes, BitSpan span);
// Set bits of a whole buffer.
uint64_t Popcount(std::string_view bytes);
// First position in `span` holding `bit` (0 or 1) within the piece, if any.
std::optional<uint64_t> FindBit(uint64_t pos, std::string_view bytes, BitSpan span, int bit);

// BITFIELD field types: i1..i64 and u1..u63.
struct FieldType {
  bool is_signed = false;
  int bits = 0;
};
// Parses "i8", "u16", ... as getBitfieldTypeFromArgument (case-sensitive).
std::optional<FieldType> ParseFieldType(std::string_view s);

enum class Overflow : unsigned char { kWrap, kSat, kFail };

// The `bits`-bit field at bit `shift` (0..7) of `buf` (at least 9 bytes when
// shift + bits > 64), read as an unsigned value, and written back.
uint64_t ReadField(const unsigned char* buf, unsigned shift, int bits);
void WriteField(unsigned char* buf, unsigned shift, int bits, uint64_t raw);
// The field's value as the client sees it (sign-extended for signed types).
int64_t FieldValue(FieldType t, uint64_t raw);

// What a SET or INCRBY does to a field: the reply (absent: FAIL overflow,
// nothing written) and the raw bits to store.
struct FieldWrite {
  std::optional<int64_t> reply;
  uint64_t store = 0;
};
FieldWrite FieldSet(FieldType t, uint64_t old_raw, int64_t value, Overflow ow);
FieldWrite FieldIncrBy(FieldType t, uint64_t old_raw, int64_t incr, Overflow ow);

}  // namespace strata::engine::bits
