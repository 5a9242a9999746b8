// Pure bit and range logic of the string commands; see bit_logic.h.
#include "engine/bit_logic.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "common/numbers.h"

namespace strata::engine::bits {

namespace {

// Redis's index conversion shared by GETRANGE and BITCOUNT/BITPOS: negative
// indexes count from the end, then both are clamped into [0, total - 1].
// Returns false when nothing remains (start > end).
bool Clamp(int64_t* start, int64_t* end, int64_t total) {
  if (*start < 0) *start = total + *start;
  if (*end < 0) *end = total + *end;
  if (*start < 0) *start = 0;
  if (*end < 0) *end = 0;
  if (*end >= total) *end = total - 1;
  return *start <= *end;
}

BitSpan ToBits(int64_t start, int64_t end, bool unit_is_bit) {
  BitSpan s;
  if (unit_is_bit) {
    s.first = static_cast<uint64_t>(start);
    s.last = static_cast<uint64_t>(end);
  } else {
    s.first = static_cast<uint64_t>(start) * 8;
    s.last = static_cast<uint64_t>(end) * 8 + 7;
  }
  return s;
}

// Mask of the bits of byte `b` that lie in `span` (bit 7 of the mask is the
// byte's first bit).
unsigned char ByteMask(uint64_t b, BitSpan span) {
  uint64_t lo = b * 8, hi = b * 8 + 7;
  unsigned mask = 0xff;
  if (span.first > lo) mask &= 0xffu >> (span.first - lo);
  if (span.last < hi) mask &= (0xffu << (hi - span.last)) & 0xffu;
  return static_cast<unsigned char>(mask);
}

}  // namespace

ByteSpan GetRangeSpan(int64_t start, int64_t end, uint64_t strlen) {
  if (start < 0 && end < 0 && start > end) return {};
  if (strlen == 0) return {};
  if (!Clamp(&start, &end, static_cast<int64_t>(strlen))) return {};
  return {static_cast<uint64_t>(start), static_cast<uint64_t>(end - start + 1)};
}

BitSpan BitcountSpan(int64_t start, int64_t end, bool unit_is_bit, uint64_t strlen) {
  if (start < 0 && end < 0 && start > end) return {};
  int64_t total = static_cast<int64_t>(strlen) * (unit_is_bit ? 8 : 1);
  if (!Clamp(&start, &end, total)) return {};
  return ToBits(start, end, unit_is_bit);
}

BitSpan BitposSpan(int64_t start, std::optional<int64_t> end, bool unit_is_bit, uint64_t strlen) {
  int64_t total = static_cast<int64_t>(strlen) * (unit_is_bit ? 8 : 1);
  int64_t e = end ? *end : total - 1;
  if (!Clamp(&start, &e, total)) return {};
  return ToBits(start, e, unit_is_bit);
}

BitSpan WholeSpan(uint64_t strlen) {
  if (strlen == 0) return {};
  return {0, strlen * 8 - 1};
}

uint64_t Popcount(std::string_view bytes) {
  uint64_t n = 0;
  const char* p = bytes.data();
  size_t left = bytes.size();
  for (; left >= 8; p += 8, left -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    n += static_cast<uint64_t>(std::popcount(w));
  }
  for (; left > 0; ++p, --left)
    n += static_cast<uint64_t>(std::popcount(static_cast<unsigned char>(*p)));
  return n;
}

uint64_t CountBits(uint64_t pos, std::string_view bytes, BitSpan span) {
  if (span.empty() || bytes.empty()) return 0;
  uint64_t lo = std::max(pos, span.first_byte());
  uint64_t hi = std::min(pos + bytes.size() - 1, span.last_byte());
  if (lo > hi) return 0;
  auto byte_at = [&](uint64_t b) { return static_cast<unsigned char>(bytes[b - pos]); };
  uint64_t n = 0;
  // Edge bytes are masked; the bytes between are counted whole.
  n +=
      static_cast<uint64_t>(std::popcount(static_cast<unsigned>(byte_at(lo) & ByteMask(lo, span))));
  if (hi == lo) return n;
  n +=
      static_cast<uint64_t>(std::popcount(static_cast<unsigned>(byte_at(hi) & ByteMask(hi, span))));
  if (hi > lo + 1) n += Popcount(bytes.substr(lo + 1 - pos, hi - lo - 1));
  return n;
}

std::optional<uint64_t> FindBit(uint64_t pos, std::string_view bytes, BitSpan span, int bit) {
  if (span.empty() || bytes.empty()) return std::nullopt;
  uint64_t lo = std::max(pos, span.first_byte());
  uint64_t hi = std::min(pos + bytes.size() - 1, span.last_byte());
  const unsigned char skip = bit ? 0x00 : 0xff;  // a byte with no bit we look for
  for (uint64_t b = lo; b <= hi; ++b) {
    unsigned char v = static_cast<unsigned char>(bytes[b - pos]);
    unsigned char mask = ByteMask(b, span);
    if (mask == 0xff && v == skip) continue;
    unsigned char hits = static_cast<unsigned char>((bit ? v : ~v) & mask);
    if (hits == 0) continue;
    return b * 8 + static_cast<uint64_t>(std::countl_zero(hits));
  }
  return std::nullopt;
}

std::optional<FieldType> ParseFieldType(std::string_view s) {
  if (s.empty() || (s[0] != 'i' && s[0] != 'u')) return std::nullopt;
  FieldType t;
  t.is_signed = s[0] == 'i';
  int64_t bits;
  if (!ParseInt64(s.substr(1), &bits) || bits < 1 || bits > (t.is_signed ? 64 : 63)) {
    return std::nullopt;
  }
  t.bits = static_cast<int>(bits);
  return t;
}

uint64_t ReadField(const unsigned char* buf, unsigned shift, int bits) {
  uint64_t v = 0;
  for (int i = 0; i < bits; ++i) {
    unsigned bit = shift + static_cast<unsigned>(i);
    unsigned byte = buf[bit >> 3];
    v = (v << 1) | ((byte >> (7 - (bit & 7))) & 1u);
  }
  return v;
}

void WriteField(unsigned char* buf, unsigned shift, int bits, uint64_t raw) {
  for (int i = 0; i < bits; ++i) {
    unsigned bit = shift + static_cast<unsigned>(i);
    unsigned char m = static_cast<unsigned char>(1u << (7 - (bit & 7)));
    if ((raw >> (bits - 1 - i)) & 1u) {
      buf[bit >> 3] |= m;
    } else {
      buf[bit >> 3] &= static_cast<unsigned char>(~m);
    }
  }
}

int64_t FieldValue(FieldType t, uint64_t raw) {
  if (!t.is_signed || t.bits == 64) return static_cast<int64_t>(raw);
  uint64_t sign = uint64_t{1} << (t.bits - 1);
  if (raw & sign) raw |= ~uint64_t{0} << t.bits;
  return static_cast<int64_t>(raw);
}

namespace {

uint64_t FieldMask(int bits) {
  return bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
}

// checkUnsignedBitfieldOverflow: true on overflow, *limit the value to store
// for WRAP and SAT.
bool UnsignedOverflow(uint64_t value, int64_t incr, int bits, Overflow ow, uint64_t* limit) {
  uint64_t max = FieldMask(bits);
  int64_t maxincr = static_cast<int64_t>(max - value);
  int64_t minincr = static_cast<int64_t>(0 - value);
  bool up = value > max || (incr > 0 && incr > maxincr);
  bool down = !up && incr < 0 && incr < minincr;
  if (!up && !down) return false;
  if (ow == Overflow::kWrap) {
    *limit = (value + static_cast<uint64_t>(incr)) & max;
  } else if (ow == Overflow::kSat) {
    *limit = up ? max : 0;
  }
  return true;
}

// checkSignedBitfieldOverflow, with the same contract.
bool SignedOverflow(int64_t value, int64_t incr, int bits, Overflow ow, int64_t* limit) {
  int64_t max = bits == 64 ? INT64_MAX : (int64_t{1} << (bits - 1)) - 1;
  int64_t min = -max - 1;
  // As Redis: maxincr/minincr may wrap, but are used only once `value` is in range.
  int64_t maxincr = static_cast<int64_t>(static_cast<uint64_t>(max) - static_cast<uint64_t>(value));
  int64_t minincr = static_cast<int64_t>(static_cast<uint64_t>(min) - static_cast<uint64_t>(value));
  bool up =
      value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr);
  bool down = !up && (value < min || (bits != 64 && incr < minincr) ||
                      (value < 0 && incr < 0 && incr < minincr));
  if (!up && !down) return false;
  if (ow == Overflow::kWrap) {
    uint64_t c = static_cast<uint64_t>(value) + static_cast<uint64_t>(incr);
    if (bits < 64) {
      uint64_t mask = ~uint64_t{0} << bits;
      uint64_t msb = uint64_t{1} << (bits - 1);
      c = (c & msb) ? (c | mask) : (c & ~mask);
    }
    *limit = static_cast<int64_t>(c);
  } else if (ow == Overflow::kSat) {
    *limit = up ? max : min;
  }
  return true;
}

FieldWrite Finish(FieldType t, bool overflow, Overflow ow, int64_t reply, uint64_t store) {
  FieldWrite w;
  if (overflow && ow == Overflow::kFail) return w;
  w.reply = reply;
  w.store = store & FieldMask(t.bits);
  return w;
}

}  // namespace

FieldWrite FieldSet(FieldType t, uint64_t old_raw, int64_t value, Overflow ow) {
  int64_t old = FieldValue(t, old_raw);
  if (t.is_signed) {
    int64_t next = value;
    bool of = SignedOverflow(value, 0, t.bits, ow, &next);
    return Finish(t, of, ow, old, static_cast<uint64_t>(next));
  }
  uint64_t next = static_cast<uint64_t>(value);
  bool of = UnsignedOverflow(next, 0, t.bits, ow, &next);
  return Finish(t, of, ow, old, next);
}

FieldWrite FieldIncrBy(FieldType t, uint64_t old_raw, int64_t incr, Overflow ow) {
  if (t.is_signed) {
    int64_t old = FieldValue(t, old_raw);
    int64_t next = static_cast<int64_t>(static_cast<uint64_t>(old) + static_cast<uint64_t>(incr));
    bool of = SignedOverflow(old, incr, t.bits, ow, &next);
    return Finish(t, of, ow, next, static_cast<uint64_t>(next));
  }
  uint64_t next = old_raw + static_cast<uint64_t>(incr);
  bool of = UnsignedOverflow(old_raw, incr, t.bits, ow, &next);
  return Finish(t, of, ow, static_cast<int64_t>(next), next);
}

}  // namespace strata::engine::bits
