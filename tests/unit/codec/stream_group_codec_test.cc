// Consumer-group sub-keys (sorting after every entry, per-kind prefixes,
// round trips) and Redis 7.0.15's lag / entries-read estimates.
#include "codec/stream_group_codec.h"

#include <gtest/gtest.h>

#include <string>

namespace strata::codec {
namespace {

TEST(StreamGroupCodec, GroupKeysSortAfterEveryEntry) {
  std::string top = EncodeStreamEntryKey(StreamId::Max());
  for (const std::string& k : {StreamGroupKey(""), StreamConsumerKey("g", "c"),
                               StreamPelKey("g", {1, 2}), StreamConsumerPelKey("g", "c", {0, 0})}) {
    EXPECT_GT(k, top);
    EXPECT_TRUE(IsStreamGroupSubkey(k));
  }
  EXPECT_FALSE(IsStreamGroupSubkey(top));
}

TEST(StreamGroupCodec, PrefixesSeparateGroupsAndKinds) {
  std::string_view rest;
  EXPECT_TRUE(StreamGroupNameOf(StreamGroupKey("alpha"), &rest));
  EXPECT_EQ(rest, "alpha");
  EXPECT_FALSE(StreamGroupNameOf(StreamConsumerKey("alpha", "x"), &rest));
  // "g" and "gg": the length prefix keeps one group's records out of the other's.
  EXPECT_FALSE(StreamSuffixOf(StreamConsumerKey("gg", "c"), StreamConsumersStart("g"), &rest));
  EXPECT_TRUE(StreamSuffixOf(StreamConsumerKey("g", "gc"), StreamConsumersStart("g"), &rest));
  EXPECT_EQ(rest, "gc");
  StreamId id;
  EXPECT_TRUE(StreamIdSuffixOf(StreamPelKey("g", {7, 9}), StreamPelStart("g"), &id));
  EXPECT_EQ(id, (StreamId{7, 9}));
  EXPECT_LT(StreamPelKey("g", {1, UINT64_MAX}), StreamPelKey("g", {2, 0}));
  EXPECT_TRUE(StreamIdSuffixOf(StreamConsumerPelKey("g", "c", {3, 4}),
                               StreamConsumerPelStart("g", "c"), &id));
  EXPECT_EQ(id, (StreamId{3, 4}));
}

TEST(StreamGroupCodec, RecordsRoundTrip) {
  StreamGroup g{.last_id = {5, 6}, .entries_read = -1, .pending = 100000, .consumers = 3};
  StreamGroup g2;
  ASSERT_TRUE(DecodeStreamGroup(EncodeStreamGroup(g), &g2));
  EXPECT_EQ(g2.last_id, g.last_id);
  EXPECT_EQ(g2.entries_read, -1);
  EXPECT_EQ(g2.pending, 100000u);
  EXPECT_EQ(g2.consumers, 3u);
  StreamConsumer c{.seen_ms = 123, .pending = 4}, c2;
  ASSERT_TRUE(DecodeStreamConsumer(EncodeStreamConsumer(c), &c2));
  EXPECT_EQ(c2.seen_ms, 123u);
  EXPECT_EQ(c2.pending, 4u);
  StreamPending p{.delivery_ms = 9, .delivery_count = 2, .consumer = "bob"}, p2;
  ASSERT_TRUE(DecodeStreamPending(EncodeStreamPending(p), &p2));
  EXPECT_EQ(p2.delivery_ms, 9u);
  EXPECT_EQ(p2.delivery_count, 2u);
  EXPECT_EQ(p2.consumer, "bob");
  EXPECT_FALSE(DecodeStreamGroup("short", &g2));
}

StreamMeta Meta(StreamId first, StreamId last, uint64_t added, StreamId max_deleted = {}) {
  StreamMeta m;
  m.first_ms = first.ms;
  m.first_seq = first.seq;
  m.last_ms = last.ms;
  m.last_seq = last.seq;
  m.entries_added = added;
  m.max_deleted_ms = max_deleted.ms;
  m.max_deleted_seq = max_deleted.seq;
  return m;
}

// The cases redis-server 7.0.15 shows for a stream 1-0, 2-0, 3-0.
TEST(StreamGroupCodec, LagAsRedisComputesIt) {
  StreamMeta m = Meta({1, 0}, {3, 0}, 3);
  auto lag = [&](StreamId id, int64_t read, uint64_t length = 3) {
    return StreamGroupLag(m, length, StreamGroup{.last_id = id, .entries_read = read});
  };
  EXPECT_EQ(lag({3, 0}, -1), 0);
  EXPECT_EQ(lag({1, 0}, -1), 2);             // the first entry: exact counter
  EXPECT_EQ(lag({0, 0}, -1), 3);             // before the first: estimated
  EXPECT_EQ(lag({2, 0}, 1), 2);              // a valid counter is used as is
  EXPECT_EQ(lag({9, 0}, -1), std::nullopt);  // a future ID
  EXPECT_EQ(lag({2, 0}, -1), std::nullopt);  // in the middle: unknown
  m = Meta({1, 0}, {3, 0}, 3, {2, 0});       // after XDEL 2-0
  EXPECT_EQ(lag({2, 0}, 1, 2), std::nullopt);
  EXPECT_EQ(lag({1, 0}, -1, 2), std::nullopt);
  EXPECT_EQ(lag({3, 0}, -1, 2), 0);
  m = Meta({}, {0, 0}, 0);  // never used
  EXPECT_EQ(lag({5, 0}, -1, 0), 0);
  m = Meta({}, {3, 0}, 3);  // emptied
  EXPECT_EQ(StreamEstimateEntriesRead(m, 0, {2, 0}), 3);
  EXPECT_FALSE(StreamHasTombstonesFrom(m, 0, {0, 0}));
}

}  // namespace
}  // namespace strata::codec
