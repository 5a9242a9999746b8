// Stream IDs (Redis's parsing rules, order, increments), entry keys sorting
// as IDs, entry values round-tripping, and the stream metadata body.
#include "codec/stream_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/layout.h"

namespace strata::codec {
namespace {

ParsedStreamId Parse(std::string_view text, StreamIdParse how = {}) {
  ParsedStreamId p;
  EXPECT_TRUE(ParseStreamId(text, how, &p)) << text;
  return p;
}

bool Rejects(std::string_view text, StreamIdParse how = {}) {
  ParsedStreamId p;
  return !ParseStreamId(text, how, &p);
}

TEST(StreamCodecTest, ParsesIdsAsRedis) {
  EXPECT_EQ(Parse("5").id, (StreamId{5, 0}));
  EXPECT_EQ(Parse("5", {.missing_seq = UINT64_MAX}).id, (StreamId{5, UINT64_MAX}));
  EXPECT_EQ(Parse("5-7").id, (StreamId{5, 7}));
  EXPECT_EQ(Parse("-").id, StreamId{});
  EXPECT_EQ(Parse("+").id, StreamId::Max());
  EXPECT_EQ(Parse("18446744073709551615-18446744073709551615").id, StreamId::Max());
  EXPECT_TRUE(Rejects("-", {.strict = true}));
  EXPECT_TRUE(Rejects("+", {.strict = true}));
  EXPECT_TRUE(Rejects("18446744073709551616"));
  EXPECT_TRUE(Rejects("-1"));
  EXPECT_TRUE(Rejects("1-2-3"));
  EXPECT_TRUE(Rejects("abc"));
  EXPECT_TRUE(Rejects(""));
  EXPECT_TRUE(Rejects("1-"));
  EXPECT_TRUE(Rejects("1-*"));
  EXPECT_TRUE(Rejects(std::string(128, '1')));
  ParsedStreamId auto_seq = Parse("7-*", {.allow_auto_seq = true});
  EXPECT_EQ(auto_seq.id.ms, 7u);
  EXPECT_FALSE(auto_seq.seq_given);
  EXPECT_TRUE(Parse("7-1", {.allow_auto_seq = true}).seq_given);
}

TEST(StreamCodecTest, IncrementsAndDecrementsAcrossMs) {
  StreamId id{1, UINT64_MAX};
  ASSERT_TRUE(IncrStreamId(&id));
  EXPECT_EQ(id, (StreamId{2, 0}));
  ASSERT_TRUE(DecrStreamId(&id));
  EXPECT_EQ(id, (StreamId{1, UINT64_MAX}));
  StreamId max = StreamId::Max();
  EXPECT_FALSE(IncrStreamId(&max));
  StreamId zero;
  EXPECT_FALSE(DecrStreamId(&zero));
  EXPECT_EQ(FormatStreamId({12, 3}), "12-3");
}

TEST(StreamCodecTest, EntryKeysSortAsIds) {
  std::vector<StreamId> ids = {{0, 1}, {0, 256}, {1, 0}, {255, 7}, {256, 0}, StreamId::Max()};
  for (size_t i = 0; i + 1 < ids.size(); ++i) {
    EXPECT_LT(EncodeStreamEntryKey(ids[i]), EncodeStreamEntryKey(ids[i + 1]));
  }
  StreamId back;
  ASSERT_TRUE(DecodeStreamEntryKey(EncodeStreamEntryKey({9, 10}), &back));
  EXPECT_EQ(back, (StreamId{9, 10}));
  EXPECT_FALSE(DecodeStreamEntryKey("short", &back));
}

TEST(StreamCodecTest, EntryValuesRoundTrip) {
  std::vector<std::string> flat = {"f", "v", "", std::string(300, 'x'), std::string("a\0b", 3),
                                   "z"};
  std::string enc = EncodeStreamEntry(flat);
  StreamFields fields;
  ASSERT_TRUE(DecodeStreamEntry(enc, &fields));
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[1].second, std::string(300, 'x'));
  EXPECT_EQ(fields[2].first, std::string("a\0b", 3));
  EXPECT_EQ(EncodeStreamEntry(std::vector<std::string>{"f", "v"}).size(), 5u);
  EXPECT_FALSE(DecodeStreamEntry(enc.substr(0, enc.size() - 1), &fields));
  EXPECT_FALSE(DecodeStreamEntry(enc + "x", &fields));
}

TEST(StreamCodecTest, MetadataBodyRoundTrips) {
  MetaValue v;
  v.type = ValueType::kStream;
  v.object_id = 42;
  v.count = 3;
  v.expire_ms = 1234;
  v.stream = {.last_ms = 1,
              .last_seq = 2,
              .first_ms = 3,
              .first_seq = 4,
              .max_deleted_ms = 5,
              .max_deleted_seq = 6,
              .entries_added = 7,
              .groups = 8};
  auto back = DecodeMetaValue(EncodeMetaValue(v));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->count, 3u);
  EXPECT_EQ(back->expire_ms, 1234u);
  EXPECT_EQ(back->stream.last_seq, 2u);
  EXPECT_EQ(back->stream.first_ms, 3u);
  EXPECT_EQ(back->stream.max_deleted_seq, 6u);
  EXPECT_EQ(back->stream.entries_added, 7u);
  EXPECT_EQ(back->stream.groups, 8u);
  std::string enc = EncodeMetaValue(v);
  EXPECT_FALSE(DecodeMetaValue(enc.substr(0, enc.size() - 8)).ok());
}

}  // namespace
}  // namespace strata::codec
