// engine/transaction.h and engine/watch_table.h: operations run through a
// Transaction see each other's staged writes, write nothing until the one
// Commit (dropping the Transaction writes nothing), refuse keys that were not
// locked; WATCH versions change on writes, deletions, flushes and swaps of
// existing keys only; the exclusive gate lets keyless operations run.
#include "engine/transaction.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/key_locks.h"
#include "engine/keyspace_ops.h"
#include "engine/string_ops.h"
#include "engine/watch_table.h"
#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

class TransactionTest : public EngineFixture {
 protected:
  TransactionTest() { options_.databases = 2; }
  void Set(std::string_view key, std::string_view value, int db = 0) {
    OpContext op = Op(db);
    ASSERT_TRUE(SetString(*engine_, op, key, value, SetOptions{}).ok());
  }
  std::optional<std::string> Get(std::string_view key, int db = 0) {
    OpContext op = Op(db);
    auto v = GetString(*engine_, op, key);
    if (!v.ok()) return std::nullopt;
    return *v;
  }
  // Whether a watch taken before `change` still holds after it.
  bool WatchSurvives(std::string_view key, const std::function<void()>& change) {
    OpContext op = Op();
    auto w = WatchKey(*engine_, op, key);
    EXPECT_TRUE(w.ok());
    change();
    OpContext exec = Op();
    Transaction txn(*engine_, exec);
    Transaction::Key k{0, key};
    EXPECT_TRUE(txn.Lock(std::span<const Transaction::Key>(&k, 1)).ok());
    auto hold = txn.WatchesHold(std::span<const WatchedKey>(&*w, 1));
    Unwatch(*engine_, *w);
    EXPECT_TRUE(hold.ok());
    return *hold;
  }
};

TEST_F(TransactionTest, OperationsShareOneBatchCommittedOnce) {
  Set("a", "1");
  OpContext exec = Op();
  {
    Transaction txn(*engine_, exec);
    Transaction::Key keys[] = {{0, "a"}, {0, "b"}};
    ASSERT_TRUE(txn.Lock(keys).ok());
    OpContext op = Op();
    txn.Attach(op);
    ASSERT_TRUE(IncrBy(*engine_, op, "a", 41).ok());
    ASSERT_TRUE(SetString(*engine_, op, "b", "x", SetOptions{}).ok());
    auto a = GetString(*engine_, op, "a");  // sees the staged write
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(*a, "42");
    auto appended = Append(*engine_, op, "b", "y", 1 << 20);
    ASSERT_TRUE(appended.ok());
    EXPECT_EQ(*appended, 2u);
    EXPECT_EQ(op.write_seq, 0u);  // nothing written yet
    auto seq = txn.Commit();
    ASSERT_TRUE(seq.ok());
    EXPECT_GT(*seq, 0u);
  }
  EXPECT_EQ(Get("a"), "42");
  EXPECT_EQ(Get("b"), "xy");
  EXPECT_EQ(engine_->KeyCount(0), 2);
}

TEST_F(TransactionTest, DroppedTransactionWritesNothing) {
  Set("a", "1");
  {
    OpContext exec = Op();
    Transaction txn(*engine_, exec);
    Transaction::Key k{0, "a"};
    ASSERT_TRUE(txn.Lock(std::span<const Transaction::Key>(&k, 1)).ok());
    OpContext op = Op();
    txn.Attach(op);
    ASSERT_TRUE(IncrBy(*engine_, op, "a", 1).ok());
  }
  EXPECT_EQ(Get("a"), "1");
}

TEST_F(TransactionTest, KeysOutsideTheLockSetAreRefused) {
  OpContext exec = Op();
  Transaction txn(*engine_, exec);
  Transaction::Key k{0, "locked"};
  ASSERT_TRUE(txn.Lock(std::span<const Transaction::Key>(&k, 1)).ok());
  OpContext op = Op();
  txn.Attach(op);
  // Find a key whose stripe differs from the locked one.
  std::string other = "other";
  uint32_t phys = engine_->impl().db_map[0];
  for (int i = 0; KeyLocks::StripeOf(phys, other) == KeyLocks::StripeOf(phys, "locked"); ++i) {
    other = "other" + std::to_string(i);
  }
  auto s = SetString(*engine_, op, other, "v", SetOptions{});
  EXPECT_FALSE(s.ok());
}

TEST_F(TransactionTest, WatchVersionsFollowWrites) {
  Set("w", "1");
  EXPECT_TRUE(WatchSurvives("w", [] {}));
  EXPECT_TRUE(WatchSurvives("w", [&] { (void)Get("w"); }));
  EXPECT_TRUE(WatchSurvives("w", [&] { Set("unrelated", "1"); }));
  EXPECT_FALSE(WatchSurvives("w", [&] { Set("w", "2"); }));
  EXPECT_FALSE(WatchSurvives("w", [&] {
    OpContext op = Op();
    std::string_view k = "w";
    ASSERT_TRUE(DeleteKeys(*engine_, op, std::span<const std::string_view>(&k, 1)).ok());
  }));
  EXPECT_FALSE(WatchSurvives("w", [&] { Set("w", "again"); }));
  // The same key in another database is another key.
  EXPECT_TRUE(WatchSurvives("w", [&] { Set("w", "db1", 1); }));
}

TEST_F(TransactionTest, FlushAndSwapTouchOnlyExistingWatchedKeys) {
  EXPECT_TRUE(WatchSurvives("absent", [&] {
    OpContext op = Op();
    ASSERT_TRUE(FlushDatabase(*engine_, op).ok());
  }));
  Set("present", "1");
  EXPECT_FALSE(WatchSurvives("present", [&] {
    OpContext op = Op();
    ASSERT_TRUE(FlushAllDatabases(*engine_, op).ok());
  }));
  Set("in1", "1", 1);
  EXPECT_FALSE(WatchSurvives("in1", [&] {
    OpContext op = Op();
    ASSERT_TRUE(SwapDatabases(*engine_, op, 0, 1).ok());
  }));
  EXPECT_TRUE(WatchSurvives("nowhere", [&] {
    OpContext op = Op();
    ASSERT_TRUE(SwapDatabases(*engine_, op, 0, 1).ok());
  }));
}

TEST_F(TransactionTest, ExclusiveGateLetsKeylessOperationsRun) {
  Set("k", "1");
  OpContext op = Op();
  ExclusiveGate gate(*engine_);
  ASSERT_TRUE(gate.Acquire(op).ok());
  EXPECT_TRUE(op.gate_exclusive);
  ASSERT_TRUE(SetString(*engine_, op, "k2", "v", SetOptions{}).ok());
  ASSERT_TRUE(FlushDatabase(*engine_, op).ok());  // would deadlock if it took the gate
  ASSERT_TRUE(SwapDatabases(*engine_, op, 0, 1).ok());
  auto v = GetString(*engine_, op, "k");
  EXPECT_FALSE(v.ok());
}

TEST(WatchTableTest, EntriesLiveWhileWatched) {
  WatchTable t;
  EXPECT_TRUE(t.empty());
  uint64_t v1 = t.Add(0, "k");
  uint64_t v2 = t.Add(0, "k");
  EXPECT_EQ(v1, v2);
  t.Touch(0, "k");
  EXPECT_NE(t.Version(0, "k"), v1);
  t.Remove(0, "k");
  EXPECT_FALSE(t.empty());
  t.Remove(0, "k");
  EXPECT_TRUE(t.empty());
  uint64_t v3 = t.Add(0, "k");
  EXPECT_NE(v3, v1);  // versions never repeat
}

}  // namespace
}  // namespace strata::engine
