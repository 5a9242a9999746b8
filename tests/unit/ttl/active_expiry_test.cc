// The active expiry cycle and the engine's expiry operations on a real
// RocksDB: due keys are deleted without being read, counts follow, stale
// index entries are dropped, and EXPIRE's conditions hold.
#include "ttl/active_expiry.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "engine/engine.h"
#include "engine/expire_ops.h"
#include "engine/keyspace_ops.h"
#include "engine/string_ops.h"
#include "tests/unit/engine/engine_fixture.h"

namespace strata::ttl {
namespace {

using engine::OpContext;

class ActiveExpiryTest : public engine::EngineFixture {
 protected:
  ActiveExpiryTest() { options_.databases = 2; }
  void SetWithExpiry(const std::string& key, uint64_t at_ms, int db = 0) {
    OpContext op = Op(db);
    engine::SetOptions so;
    so.expire_at_ms = at_ms;
    ASSERT_TRUE(engine::SetString(*engine_, op, key, "v", so).ok());
  }
};

TEST_F(ActiveExpiryTest, DeletesDueKeysWithoutReadsAndReportsThem) {
  uint64_t soon = engine::NowMs() + 30;
  for (int i = 0; i < 1000; ++i) SetWithExpiry("k" + std::to_string(i), soon, i % 2);
  SetWithExpiry("later", engine::NowMs() + 100000);
  EXPECT_EQ(engine_->KeyCount(0) + engine_->KeyCount(1), 1001);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::set<std::pair<int, std::string>> seen;
  ActiveExpiry cycle(*engine_,
                     [&](int db, std::string_view key) { seen.emplace(db, std::string(key)); });
  while (engine_->KeyCount(0) + engine_->KeyCount(1) > 1) cycle.RunCycle();
  EXPECT_EQ(cycle.stats().expired_keys.load(), 1000u);
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_TRUE(seen.count({1, "k1"}));
  EXPECT_EQ(engine_->ExpiresCount(0) + engine_->ExpiresCount(1), 1);
  OpContext op = Op();
  auto ttl = engine::GetExpire(*engine_, op, "later");
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(*ttl, 0);
}

TEST_F(ActiveExpiryTest, BackgroundThreadExpiresOnTime) {
  for (int i = 0; i < 200; ++i) SetWithExpiry("k" + std::to_string(i), engine::NowMs() + 20);
  ActiveExpiry cycle(*engine_, nullptr);
  cycle.Start();
  for (int i = 0; i < 100 && engine_->KeyCount(0) > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  cycle.Stop();
  EXPECT_EQ(engine_->KeyCount(0), 0);
}

TEST_F(ActiveExpiryTest, StaleIndexEntriesAreDroppedAfterFlush) {
  for (int i = 0; i < 10; ++i) SetWithExpiry("k" + std::to_string(i), engine::NowMs() + 20);
  OpContext op = Op();
  ASSERT_TRUE(engine::FlushDatabase(*engine_, op).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  ActiveExpiry cycle(*engine_, nullptr);
  cycle.RunCycle();
  EXPECT_EQ(cycle.stats().expired_keys.load(), 0u);
  EXPECT_EQ(cycle.stats().stale_entries.load(), 10u);
  cycle.RunCycle();  // nothing left to look at
  EXPECT_EQ(cycle.stats().stale_entries.load(), 10u);
}

TEST_F(ActiveExpiryTest, ExpireConditions) {
  OpContext op = Op();
  ASSERT_TRUE(engine::SetString(*engine_, op, "k", "v", {}).ok());
  int64_t now = static_cast<int64_t>(op.now_ms);
  auto set = [&](int64_t at, engine::ExpireCondition c) {
    auto r = engine::SetExpire(*engine_, op, "k", at, c);
    EXPECT_TRUE(r.ok());
    return r.ok() && *r;
  };
  EXPECT_FALSE(set(now + 1000, {.gt = true}));  // no TTL is infinite: GT fails
  EXPECT_FALSE(set(now + 1000, {.xx = true}));
  EXPECT_TRUE(set(now + 1000, {.lt = true}));  // ... and LT succeeds
  EXPECT_FALSE(set(now + 2000, {.nx = true}));
  EXPECT_TRUE(set(now + 2000, {.xx = true, .gt = true}));
  EXPECT_FALSE(set(now + 1500, {.gt = true}));
  EXPECT_TRUE(set(now + 1500, {.lt = true}));
  EXPECT_EQ(*engine::GetExpire(*engine_, op, "k"), now + 1500);
  auto persisted = engine::Persist(*engine_, op, "k");
  ASSERT_TRUE(persisted.ok());
  EXPECT_TRUE(*persisted);
  EXPECT_EQ(*engine::GetExpire(*engine_, op, "k"), -1);
  EXPECT_EQ(engine_->ExpiresCount(0), 0);
  EXPECT_TRUE(set(now - 5, {}));  // a time in the past deletes the key
  EXPECT_EQ(*engine::GetExpire(*engine_, op, "k"), -2);
  EXPECT_EQ(engine_->KeyCount(0), 0);
  EXPECT_FALSE(set(now + 1000, {}));  // missing key
}

}  // namespace
}  // namespace strata::ttl
