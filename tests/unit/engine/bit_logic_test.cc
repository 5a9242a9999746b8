// The pure bit logic of the string commands (engine/bit_logic.h): ranges as
// Redis converts them, popcount and bit search over pieces against a naive
// reference, and BITFIELD's overflow rules with Redis's documented values.
#include "engine/bit_logic.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace strata::engine::bits {
namespace {

int BitAt(const std::string& s, uint64_t i) {
  return (static_cast<unsigned char>(s[i >> 3]) >> (7 - (i & 7))) & 1;
}

TEST(GetRangeSpan, RedisConversions) {
  // "Hello World" (11 bytes), values from GETRANGE's documentation.
  auto s = GetRangeSpan(0, 3, 11);
  EXPECT_EQ(s.offset, 0u);
  EXPECT_EQ(s.length, 4u);
  s = GetRangeSpan(-3, -1, 11);
  EXPECT_EQ(s.offset, 8u);
  EXPECT_EQ(s.length, 3u);
  s = GetRangeSpan(0, -1, 11);
  EXPECT_EQ(s.length, 11u);
  s = GetRangeSpan(10, 100, 11);
  EXPECT_EQ(s.offset, 10u);
  EXPECT_EQ(s.length, 1u);
  EXPECT_EQ(GetRangeSpan(-1, -5, 11).length, 0u);  // both negative, start > end
  EXPECT_EQ(GetRangeSpan(5, 3, 11).length, 0u);
  EXPECT_EQ(GetRangeSpan(0, 0, 0).length, 0u);
  EXPECT_EQ(GetRangeSpan(-100, -50, 11).length, 1u);  // both clamp to 0
}

TEST(BitSpans, ByteAndBitUnits) {
  auto s = BitcountSpan(1, 1, false, 4);
  EXPECT_EQ(s.first, 8u);
  EXPECT_EQ(s.last, 15u);
  s = BitcountSpan(5, 30, true, 4);
  EXPECT_EQ(s.first, 5u);
  EXPECT_EQ(s.last, 30u);
  s = BitcountSpan(0, 1000, true, 4);
  EXPECT_EQ(s.last, 31u);
  EXPECT_TRUE(BitcountSpan(-1, -2, false, 4).empty());
  EXPECT_TRUE(BitcountSpan(3, 1, false, 4).empty());
  // BITPOS has no "both negative" shortcut: they clamp to 0..0.
  s = BitposSpan(-100, -200, false, 4);
  EXPECT_FALSE(s.empty());
  EXPECT_EQ(s.first, 0u);
  EXPECT_EQ(s.last, 7u);
  s = BitposSpan(2, std::nullopt, true, 4);
  EXPECT_EQ(s.first, 2u);
  EXPECT_EQ(s.last, 31u);
  EXPECT_TRUE(BitposSpan(0, std::nullopt, false, 0).empty());
  EXPECT_TRUE(WholeSpan(0).empty());
  EXPECT_EQ(WholeSpan(3).last, 23u);
}

TEST(CountAndFind, MatchNaiveReferenceOverPieces) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 300; ++round) {
    size_t len = 1 + rng() % 40;
    std::string s(len, '\0');
    for (auto& c : s) c = static_cast<char>(rng() % 4 == 0 ? 0xff : (rng() % 3 == 0 ? 0 : rng()));
    BitSpan span{rng() % (len * 8), 0};
    span.last = span.first + rng() % (len * 8 - span.first);
    uint64_t want = 0;
    std::optional<uint64_t> first1, first0;
    for (uint64_t i = span.first; i <= span.last; ++i) {
      want += BitAt(s, i);
      if (BitAt(s, i) && !first1) first1 = i;
      if (!BitAt(s, i) && !first0) first0 = i;
    }
    // Split the string into two pieces at a random byte, as chunk reads do.
    size_t cut = rng() % (len + 1);
    std::string_view a(s.data(), cut), b(s.data() + cut, len - cut);
    EXPECT_EQ(CountBits(0, a, span) + CountBits(cut, b, span), want);
    auto find = [&](int bit) {
      auto r = FindBit(0, a, span, bit);
      return r ? r : FindBit(cut, b, span, bit);
    };
    EXPECT_EQ(find(1), first1);
    EXPECT_EQ(find(0), first0);
  }
  EXPECT_EQ(Popcount(std::string(1000, '\xff')), 8000u);
  EXPECT_EQ(CountBits(0, "", WholeSpan(1)), 0u);
}

TEST(FieldType, ParsesLikeRedis) {
  auto t = ParseFieldType("i64");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->is_signed);
  EXPECT_EQ(t->bits, 64);
  EXPECT_TRUE(ParseFieldType("u63"));
  EXPECT_FALSE(ParseFieldType("u64"));
  EXPECT_FALSE(ParseFieldType("i65"));
  EXPECT_FALSE(ParseFieldType("i0"));
  EXPECT_FALSE(ParseFieldType("I8"));  // case-sensitive, as Redis
  EXPECT_FALSE(ParseFieldType("u"));
  EXPECT_FALSE(ParseFieldType("u08"));
  EXPECT_FALSE(ParseFieldType(""));
}

TEST(Field, ReadWriteAcrossBytes) {
  unsigned char buf[9] = {};
  WriteField(buf, 5, 64, 0x8123456789abcdefULL);
  EXPECT_EQ(ReadField(buf, 5, 64), 0x8123456789abcdefULL);
  EXPECT_EQ(buf[0], 0x04);  // the first 3 bits of the field in the last bits of byte 0
  WriteField(buf, 3, 4, 0xf);
  EXPECT_EQ(ReadField(buf, 3, 4), 0xfu);
  EXPECT_EQ(FieldValue({true, 4}, 0xf), -1);
  EXPECT_EQ(FieldValue({false, 4}, 0xf), 15);
  EXPECT_EQ(FieldValue({true, 64}, ~0ULL), -1);
}

TEST(Field, OverflowModes) {
  FieldType u2{false, 2}, i8{true, 8}, i64{true, 64}, u63{false, 63};
  // BITFIELD's documentation: u2 INCRBY 1 from 3 -> WRAP 0, SAT 3, FAIL nil.
  EXPECT_EQ(FieldIncrBy(u2, 3, 1, Overflow::kWrap).reply, 0);
  EXPECT_EQ(FieldIncrBy(u2, 3, 1, Overflow::kSat).reply, 3);
  EXPECT_FALSE(FieldIncrBy(u2, 3, 1, Overflow::kFail).reply);
  EXPECT_EQ(FieldIncrBy(u2, 0, -1, Overflow::kSat).reply, 0);
  EXPECT_EQ(FieldIncrBy(u2, 0, -1, Overflow::kWrap).reply, 3);
  // i8: 100 + 100 wraps to -56; saturates at 127; -128 - 1 -> 127 / -128.
  auto w = FieldIncrBy(i8, 100, 100, Overflow::kWrap);
  EXPECT_EQ(w.reply, -56);
  EXPECT_EQ(w.store, 200u);
  EXPECT_EQ(FieldIncrBy(i8, 100, 100, Overflow::kSat).reply, 127);
  EXPECT_EQ(FieldIncrBy(i8, 0x80, -1, Overflow::kWrap).reply, 127);
  EXPECT_EQ(FieldIncrBy(i8, 0x80, -1, Overflow::kSat).reply, -128);
  // SET returns the old value and stores the (wrapped / saturated) new one.
  w = FieldSet(i8, 5, 300, Overflow::kWrap);
  EXPECT_EQ(w.reply, 5);
  EXPECT_EQ(w.store, 300u & 0xff);
  w = FieldSet(i8, 5, 300, Overflow::kSat);
  EXPECT_EQ(w.store, 127u);
  EXPECT_FALSE(FieldSet(i8, 5, 300, Overflow::kFail).reply);
  w = FieldSet(u2, 1, -1, Overflow::kSat);  // -1 read as 2^64-1: above the max
  EXPECT_EQ(w.store, 3u);
  // 64-bit signed limits.
  EXPECT_EQ(FieldIncrBy(i64, INT64_MAX, 1, Overflow::kWrap).reply, INT64_MIN);
  EXPECT_EQ(FieldIncrBy(i64, INT64_MAX, 1, Overflow::kSat).reply, INT64_MAX);
  EXPECT_EQ(FieldIncrBy(i64, static_cast<uint64_t>(INT64_MIN), -1, Overflow::kSat).reply,
            INT64_MIN);
  EXPECT_EQ(FieldIncrBy(u63, (1ULL << 63) - 1, 1, Overflow::kWrap).reply, 0);
}

}  // namespace
}  // namespace strata::engine::bits
