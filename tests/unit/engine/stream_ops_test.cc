// Stream operations: ID assignment, the metadata Redis reports (first,
// last, max-deleted IDs, entries-added) kept in step by XADD/XDEL/XTRIM,
// the node model of approximate trimming, ranges in both directions, XREAD's
// "no data" outcome, and a stream surviving a restart.
#include "engine/stream_ops.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

class StreamOpsTest : public EngineFixture {
 protected:
  StreamAddResult Add(std::string_view key, StreamId id, StreamTrim trim = {}) {
    OpContext op = Op();
    StreamAddArgs args;
    args.id_given = true;
    args.id = id;
    args.trim = trim;
    std::vector<std::string_view> fv = {"f", "v"};
    auto r = StreamAdd(*engine_, op, key, args, fv);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : StreamAddResult{};
  }
  void Fill(std::string_view key, uint64_t n) {
    for (uint64_t i = 1; i <= n; ++i) Add(key, {i, 0});
  }
  codec::StreamMeta Meta(std::string_view key) {
    OpContext op = Op();
    auto info = StreamGetInfo(*engine_, op, key);
    EXPECT_TRUE(info.ok());
    return info.ok() ? info->meta.stream : codec::StreamMeta{};
  }
  uint64_t Len(std::string_view key) {
    OpContext op = Op();
    return *StreamLength(*engine_, op, key);
  }
  uint64_t TrimKey(std::string_view key, StreamTrim trim) {
    OpContext op = Op();
    return *StreamTrimKey(*engine_, op, key, trim);
  }
  std::vector<uint64_t> RangeMs(std::string_view key, StreamId a, StreamId b, uint64_t count,
                                bool reverse) {
    OpContext op = Op();
    auto r = StreamRange(*engine_, op, key, a, b, count, reverse);
    std::vector<uint64_t> out;
    if (r.ok() && r->has_value()) {
      for (const auto& e : **r) out.push_back(e.id.ms);
    }
    return out;
  }
};

TEST_F(StreamOpsTest, IdsMustGrowAndAutoSequencesFollowTheLastId) {
  EXPECT_EQ(Add("s", {5, 3}).outcome, StreamAddOutcome::kAdded);
  EXPECT_EQ(Add("s", {5, 3}).outcome, StreamAddOutcome::kIdTooSmall);
  OpContext op = Op();
  StreamAddArgs args;
  args.id_given = true;
  args.seq_given = false;
  args.id = {5, 0};
  std::vector<std::string_view> fv = {"f", "v"};
  auto r = StreamAdd(*engine_, op, "s", args, fv);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->id, (StreamId{5, 4}));
  args.id_given = false;  // "*": the clock is far above 5 ms
  r = StreamAdd(*engine_, op, "s", args, fv);
  ASSERT_TRUE(r.ok());
  EXPECT_GT(r->id.ms, 5u);
  args.nomkstream = true;
  r = StreamAdd(*engine_, op, "absent", args, fv);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outcome, StreamAddOutcome::kNoStream);
  EXPECT_EQ(Len("absent"), 0u);
}

TEST_F(StreamOpsTest, DeletesKeepFirstAndMaxDeletedIdsAndTheEmptyKey) {
  Fill("s", 4);
  OpContext op = Op();
  std::vector<StreamId> doomed = {{1, 0}, {3, 0}, {9, 0}};
  EXPECT_EQ(*StreamDelete(*engine_, op, "s", doomed), 2u);
  codec::StreamMeta m = Meta("s");
  EXPECT_EQ(m.first_ms, 2u);
  EXPECT_EQ(m.max_deleted_ms, 3u);
  EXPECT_EQ(m.entries_added, 4u);
  doomed = {{2, 0}, {4, 0}};
  EXPECT_EQ(*StreamDelete(*engine_, op, "s", doomed), 2u);
  m = Meta("s");
  EXPECT_EQ(Len("s"), 0u);
  EXPECT_EQ(m.first_ms, 0u);
  EXPECT_EQ(m.last_ms, 4u);  // the key stays, with its last ID
  EXPECT_EQ(Add("s", {4, 0}).outcome, StreamAddOutcome::kIdTooSmall);
}

TEST_F(StreamOpsTest, ApproximateTrimsWholeModelledNodesAndHonoursLimit) {
  Fill("s", 350);
  StreamTrim trim;
  trim.strategy = StreamTrim::Strategy::kMaxLen;
  trim.approx = true;
  trim.maxlen = 120;
  trim.limit = 100;
  EXPECT_EQ(TrimKey("s", trim), 100u);  // LIMIT stops after one node
  trim.limit = 0;
  EXPECT_EQ(TrimKey("s", trim), 100u);  // one more leaves 150 >= 120; a third would not
  EXPECT_EQ(Len("s"), 150u);
  EXPECT_EQ(Meta("s").first_ms, 201u);
  StreamTrim minid;
  minid.strategy = StreamTrim::Strategy::kMinId;
  minid.approx = true;
  minid.minid = {300, 1};
  EXPECT_EQ(TrimKey("s", minid), 100u);  // node 201..300 ends below 300-1
  EXPECT_EQ(TrimKey("s", minid), 0u);
  StreamTrim exact;
  exact.strategy = StreamTrim::Strategy::kMinId;
  exact.minid = {340, 0};
  EXPECT_EQ(TrimKey("s", exact), 39u);
  EXPECT_EQ(Meta("s").first_ms, 340u);
}

TEST_F(StreamOpsTest, RangesSeekInBothDirections) {
  Fill("s", 50);
  EXPECT_EQ(RangeMs("s", {10, 0}, {13, 0}, 0, false), (std::vector<uint64_t>{10, 11, 12, 13}));
  EXPECT_EQ(RangeMs("s", {10, 0}, {13, 0}, 2, true), (std::vector<uint64_t>{13, 12}));
  EXPECT_EQ(RangeMs("s", {48, 0}, StreamId::Max(), 5, false), (std::vector<uint64_t>{48, 49, 50}));
  EXPECT_TRUE(RangeMs("s", {13, 0}, {10, 0}, 0, false).empty());
}

TEST_F(StreamOpsTest, ReadReportsNoDataAndResolvesTheLastId) {
  Fill("s", 3);
  OpContext op = Op();
  std::vector<StreamReadFrom> from(2);
  from[0].key = "s";
  from[1].key = "none";
  from[0].last = from[1].last = true;
  auto r = StreamRead(*engine_, op, from, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->streams.empty());
  EXPECT_EQ(r->resolved[0], (StreamId{3, 0}));
  EXPECT_EQ(r->resolved[1], StreamId{});
  from.resize(1);
  from[0].last = false;
  from[0].after = {1, 0};
  r = StreamRead(*engine_, op, from, 1);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->streams.size(), 1u);
  EXPECT_EQ(r->streams[0].second.at(0).id, (StreamId{2, 0}));
}

TEST_F(StreamOpsTest, SurvivesARestart) {
  Fill("s", 20);
  OpContext op = Op();
  std::vector<StreamId> doomed = {{7, 0}};
  ASSERT_TRUE(StreamDelete(*engine_, op, "s", doomed).ok());
  Reopen();
  EXPECT_EQ(Len("s"), 19u);
  codec::StreamMeta m = Meta("s");
  EXPECT_EQ(m.last_ms, 20u);
  EXPECT_EQ(m.max_deleted_ms, 7u);
  EXPECT_EQ(m.entries_added, 20u);
  EXPECT_EQ(RangeMs("s", {6, 0}, {8, 0}, 0, false), (std::vector<uint64_t>{6, 8}));
}

}  // namespace
}  // namespace strata::engine
