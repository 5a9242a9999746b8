// Round trips and orderings of the version-1 layout (codec/layout.h).
#include "codec/layout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace strata::codec {
namespace {

TEST(KeySlot, MatchesRedisCluster) {
  // Values from CLUSTER KEYSLOT on Redis.
  EXPECT_EQ(KeySlot("foo"), 12182);
  EXPECT_EQ(KeySlot("bar"), 5061);
  EXPECT_EQ(KeySlot("123456789"), 12739);  // CRC16/XMODEM check value 0x31C3 & 16383
  EXPECT_EQ(KeySlot(""), 0);
}

TEST(KeySlot, HashTags) {
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("user1000"));
  EXPECT_EQ(KeySlot("{user1000}.followers"), KeySlot("{user1000}.following"));
  // An empty tag "{}" hashes the whole key; only the first '{' counts.
  EXPECT_EQ(KeySlot("foo{}{bar}"), KeySlot(std::string("foo{}{bar}")));
  EXPECT_NE(KeySlot("foo{}{bar}"), KeySlot("bar"));
  EXPECT_EQ(KeySlot("foo{{bar}}zap"), KeySlot("{bar"));
  EXPECT_EQ(KeySlot("foo{bar}{zap}"), KeySlot("bar"));
}

TEST(MetaValue, StringRoundTrip) {
  MetaValue v;
  v.type = ValueType::kString;
  v.value = std::string("a\0b\xff", 4);
  auto d = DecodeMetaValue(EncodeMetaValue(v));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->type, ValueType::kString);
  EXPECT_EQ(d->value, v.value);
  EXPECT_EQ(d->expire_ms, 0u);
}

TEST(MetaValue, ChunkedStringRoundTrip) {
  MetaValue v;
  v.type = ValueType::kString;
  v.chunked = true;
  v.object_id = 77;
  v.count = 1ULL << 29;
  v.expire_ms = 123;
  EXPECT_TRUE(v.has_object());
  EXPECT_EQ(v.string_length(), 1ULL << 29);
  std::string bytes = EncodeMetaValue(v);
  EXPECT_EQ(static_cast<unsigned char>(bytes[2]), kFlagHasExpiry | kFlagChunked);
  auto d = DecodeMetaValue(bytes);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->chunked);
  EXPECT_EQ(d->object_id, 77u);
  EXPECT_EQ(d->string_length(), 1ULL << 29);
  EXPECT_EQ(d->expire_ms, 123u);
  EXPECT_TRUE(d->value.empty());
  // Truncated body, and kChunked on a collection, are corruption.
  EXPECT_FALSE(DecodeMetaValue(bytes.substr(0, bytes.size() - 1)).ok());
  MetaValue plain;
  EXPECT_FALSE(plain.has_object());
  MetaValue set;
  set.type = ValueType::kSet;
  std::string sb = EncodeMetaValue(set);
  sb[2] = static_cast<char>(kFlagChunked);
  EXPECT_FALSE(DecodeMetaValue(sb).ok());
}

TEST(ChunkKey, OrdersByIdThenIndex) {
  EXPECT_LT(EncodeChunkKey(1, 255), EncodeChunkKey(1, 256));
  EXPECT_LT(EncodeChunkKey(1, UINT64_MAX), EncodeChunkKey(2, 0));
  uint64_t id;
  ASSERT_TRUE(DecodeObjectIdPrefix(EncodeChunkKey(9, 3), &id));
  EXPECT_EQ(id, 9u);
}

TEST(MetaValue, ExpiryAndCollectionRoundTrip) {
  MetaValue v;
  v.type = ValueType::kList;
  v.expire_ms = 0x0123456789abcdefULL;
  v.object_id = 42;
  v.count = 1ULL << 40;
  v.list_head = 7;
  v.list_tail = 9;
  auto d = DecodeMetaValue(EncodeMetaValue(v));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->type, ValueType::kList);
  EXPECT_EQ(d->expire_ms, v.expire_ms);
  EXPECT_EQ(d->object_id, 42u);
  EXPECT_EQ(d->count, 1ULL << 40);
  EXPECT_EQ(d->list_head, 7u);
  EXPECT_EQ(d->list_tail, 9u);
  ValueType t;
  uint64_t exp;
  ASSERT_TRUE(PeekMetaHeader(EncodeMetaValue(v), &t, &exp).ok());
  EXPECT_EQ(t, ValueType::kList);
  EXPECT_EQ(exp, v.expire_ms);
}

TEST(MetaValue, RejectsUnknownFormatTypeAndFlags) {
  MetaValue v;
  std::string good = EncodeMetaValue(v);
  std::string bad_format = good;
  bad_format[0] = 2;
  EXPECT_EQ(DecodeMetaValue(bad_format).status().code(), StatusCode::kNotSupported);
  std::string bad_type = good;
  bad_type[1] = 9;
  EXPECT_EQ(DecodeMetaValue(bad_type).status().code(), StatusCode::kCorruption);
  std::string bad_flags = good;
  bad_flags[2] = static_cast<char>(0x80);
  EXPECT_EQ(DecodeMetaValue(bad_flags).status().code(), StatusCode::kNotSupported);
  EXPECT_FALSE(DecodeMetaValue("").ok());
  MetaValue c;
  c.type = ValueType::kHash;
  std::string truncated = EncodeMetaValue(c);
  truncated.pop_back();
  EXPECT_EQ(DecodeMetaValue(truncated).status().code(), StatusCode::kCorruption);
}

TEST(MetaKey, DatabaseIsAContiguousRange) {
  std::vector<std::string> keys;
  for (uint32_t db : {0u, 1u, 2u, 255u, 256u, 70000u}) {
    for (const char* k : {"", "a", "zzz", "\xff\xff"}) keys.push_back(EncodeMetaKey(db, k));
  }
  for (uint32_t db : {0u, 1u, 2u, 255u, 256u, 70000u}) {
    std::string begin = DbRangeBegin(db), end = DbRangeEnd(db);
    for (const auto& k : keys) {
      auto d = DecodeMetaKey(k);
      ASSERT_TRUE(d.ok());
      bool inside = k >= begin && k < end;
      EXPECT_EQ(inside, d->physical_db == db);
    }
  }
}

TEST(MetaKey, DecodeGivesSlotAndKey) {
  auto d = DecodeMetaKey(EncodeMetaKey(3, "foo"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->physical_db, 3u);
  EXPECT_EQ(d->slot, KeySlot("foo"));
  EXPECT_EQ(d->key, "foo");
  EXPECT_FALSE(DecodeMetaKey("abc").ok());
}

TEST(BigEndian, OrderIsNumericOrder) {
  std::vector<uint64_t> values = {0, 1, 255, 256, 65535, 1ULL << 32, (1ULL << 63) + 5, ~0ULL};
  std::vector<std::string> encoded;
  for (auto v : values) encoded.push_back(EncodeExpiryKey(v, "k"));
  EXPECT_TRUE(std::is_sorted(encoded.begin(), encoded.end()));
  for (auto v : values) {
    uint64_t id;
    ASSERT_TRUE(DecodeObjectIdPrefix(EncodeObjectId(v) + "member", &id));
    EXPECT_EQ(id, v);
  }
}

TEST(MetaValue, BigEncodingByteRoundTrips) {
  for (ValueType t : {ValueType::kHash, ValueType::kSet, ValueType::kZset}) {
    for (bool big : {false, true}) {
      MetaValue v;
      v.type = t;
      v.object_id = 5;
      v.count = 9;
      v.big_encoding = big;
      auto d = DecodeMetaValue(EncodeMetaValue(v));
      ASSERT_TRUE(d.ok());
      EXPECT_EQ(d->big_encoding, big);
      EXPECT_EQ(d->count, 9u);
    }
  }
  MetaValue v;
  v.type = ValueType::kHash;
  std::string bytes = EncodeMetaValue(v);
  bytes.back() = 2;  // only 0 and 1 are defined
  EXPECT_FALSE(DecodeMetaValue(bytes).ok());
}

}  // namespace
}  // namespace strata::codec
