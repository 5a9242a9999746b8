// Engine operations on a real RocksDB in a temporary directory: strings,
// keyspace counts, expiry, restart, the directory lock, the layout check,
// object ids and the GC compaction filter.
#include "engine/engine.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "engine/engine_impl.h"
#include "engine/gc_filter.h"
#include "engine/key_access.h"
#include "engine/keyspace_ops.h"
#include "engine/string_ops.h"
#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

class EngineTest : public EngineFixture {
 protected:
  void Set(std::string_view k, std::string_view v, uint64_t expire_at = 0) {
    OpContext op = Op();
    SetOptions so;
    so.expire_at_ms = expire_at;
    auto r = SetString(*engine_, op, k, v, so);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  std::optional<std::string> Get(std::string_view k, int db = 0) {
    OpContext op = Op(db);
    auto r = GetString(*engine_, op, k);
    if (r.status().IsNotFound()) return std::nullopt;
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::optional<std::string>(*r) : std::nullopt;
  }
};

TEST_F(EngineTest, SetGetDelete) {
  EXPECT_EQ(Get("k"), std::nullopt);
  Set("k", "v1");
  EXPECT_EQ(Get("k"), "v1");
  EXPECT_EQ(engine_->KeyCount(0), 1);
  Set("k", "v2");
  EXPECT_EQ(engine_->KeyCount(0), 1);
  OpContext op = Op();
  std::string_view keys[] = {"k", "k", "missing"};
  auto n = DeleteKeys(*engine_, op, keys);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(Get("k"), std::nullopt);
  EXPECT_EQ(engine_->KeyCount(0), 0);
  EXPECT_GT(op.write_seq, 0u);
}

TEST_F(EngineTest, DatabasesAreSeparate) {
  Set("k", "zero");
  EXPECT_EQ(Get("k", 1), std::nullopt);
  OpContext op = Op(1);
  ASSERT_TRUE(SetString(*engine_, op, "k", "one", {}).ok());
  EXPECT_EQ(Get("k", 0), "zero");
  EXPECT_EQ(Get("k", 1), "one");
  OpContext flush = Op(1);
  ASSERT_TRUE(FlushDatabase(*engine_, flush).ok());
  EXPECT_EQ(Get("k", 1), std::nullopt);
  EXPECT_EQ(Get("k", 0), "zero");
  EXPECT_EQ(engine_->KeyCount(1), 0);
  EXPECT_EQ(engine_->KeyCount(0), 1);
}

TEST_F(EngineTest, SetConditionsAndGetOld) {
  OpContext op = Op();
  SetOptions nx;
  nx.condition = SetOptions::Condition::kIfAbsent;
  auto r = SetString(*engine_, op, "k", "a", nx);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->written);
  r = SetString(*engine_, op, "k", "b", nx);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->written);
  SetOptions xx;
  xx.condition = SetOptions::Condition::kIfPresent;
  xx.get_old = true;
  r = SetString(*engine_, op, "k", "c", xx);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->written);
  EXPECT_EQ(r->old_value, "a");
  r = SetString(*engine_, op, "missing", "c", xx);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->written);
  EXPECT_EQ(Get("missing"), std::nullopt);
}

TEST_F(EngineTest, IncrByRulesAndOverflow) {
  OpContext op = Op();
  auto v = IncrBy(*engine_, op, "n", 5);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 5);
  v = IncrBy(*engine_, op, "n", -7);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, -2);
  Set("big", "9223372036854775807");
  EXPECT_EQ(IncrBy(*engine_, op, "big", 1).status().code(), StatusCode::kOverflow);
  Set("neg", "-9223372036854775808");
  EXPECT_EQ(IncrBy(*engine_, op, "neg", -1).status().code(), StatusCode::kOverflow);
  for (const char* bad : {"abc", " 1", "1 ", "01", "+1", "", "1.5", "99999999999999999999"}) {
    Set("bad", bad);
    EXPECT_EQ(IncrBy(*engine_, op, "bad", 1).status().code(), StatusCode::kNotInteger) << bad;
  }
}

TEST_F(EngineTest, IncrKeepsTtl) {
  uint64_t at = NowMs() + 100000;
  Set("n", "1", at);
  OpContext op = Op();
  ASSERT_TRUE(IncrBy(*engine_, op, "n", 1).ok());
  EXPECT_EQ(engine_->ExpiresCount(0), 1);
  KeyAccess access(*engine_, op, KeyAccess::Intent::kRead);
  ASSERT_TRUE(access.Lock("n").ok());
  auto meta = access.Find("n");
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ((*meta)->expire_ms, at);
  EXPECT_EQ((*meta)->value, "2");
}

TEST_F(EngineTest, ExpiredKeysAreInvisibleAndWritersRemoveThem) {
  Set("gone", "v", NowMs() - 1);
  Set("live", "v", NowMs() + 100000);
  EXPECT_EQ(Get("gone"), std::nullopt);
  EXPECT_EQ(Get("live"), "v");
  EXPECT_EQ(engine_->KeyCount(0), 2);  // counted until deleted, as in Redis
  EXPECT_EQ(engine_->ExpiresCount(0), 2);
  OpContext op = Op();
  std::string_view k[] = {"gone"};
  auto n = DeleteKeys(*engine_, op, k);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);  // not live, but the write access removed it
  EXPECT_EQ(engine_->KeyCount(0), 1);
  EXPECT_EQ(engine_->ExpiresCount(0), 1);
}

TEST_F(EngineTest, RestartKeepsDataAndCounts) {
  Set("a", "1");
  Set("b", "2", NowMs() + 100000);
  Reopen();
  EXPECT_EQ(Get("a"), "1");
  EXPECT_EQ(Get("b"), "2");
  EXPECT_EQ(engine_->KeyCount(0), 2);
  EXPECT_EQ(engine_->ExpiresCount(0), 1);
}

TEST_F(EngineTest, SecondOpenOfSameDirectoryIsRefused) {
  EngineOptions o;
  o.dir = dir_;
  auto second = Engine::Open(o);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kBusy);
  EXPECT_NE(second.status().message().find("locked"), std::string::npos);
}

TEST_F(EngineTest, UnknownLayoutVersionIsRefusedUntouched) {
  {
    auto& e = engine_->impl();
    rocksdb::WriteOptions wo;
    ASSERT_TRUE(e.db->Put(wo, e.cf(Cf::kDefault), "layout-version", "99").ok());
  }
  engine_.reset();
  EngineOptions o;
  o.dir = dir_;
  auto e = Engine::Open(o);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kNotSupported);
  EXPECT_NE(e.status().message().find("99"), std::string::npos);
  // Still refused the second time: nothing was rewritten.
  e = Engine::Open(o);
  EXPECT_EQ(e.status().code(), StatusCode::kNotSupported);
}

TEST_F(EngineTest, ObjectIdsNeverRepeatAcrossRestarts) {
  std::set<uint64_t> seen;
  for (int round = 0; round < 3; ++round) {
    {
      OpContext op = Op();
      KeyAccess access(*engine_, op, KeyAccess::Intent::kWrite);
      ASSERT_TRUE(access.Lock("x").ok());
      for (int i = 0; i < 10; ++i) {
        auto id = access.NewObjectId();
        ASSERT_TRUE(id.ok());
        EXPECT_TRUE(seen.insert(*id).second) << *id;
      }
    }  // locks released before the engine closes
    Reopen();
  }
}

// A collection written by hand through KeyAccess: metadata + objects record +
// sub-keys. After it is deleted, a full compaction drops its sub-keys, while
// a live collection's sub-keys stay.
TEST_F(EngineTest, GcFilterDropsSubkeysOfDeadObjectsOnly) {
  auto& e = engine_->impl();
  auto make = [&](std::string_view key) {
    OpContext op = Op();
    KeyAccess access(*engine_, op, KeyAccess::Intent::kWrite);
    EXPECT_TRUE(access.Lock(key).ok());
    EXPECT_TRUE(access.Find(key).status().IsNotFound());
    auto id = access.NewObjectId();
    EXPECT_TRUE(id.ok());
    codec::MetaValue meta;
    meta.type = codec::ValueType::kSet;
    meta.object_id = *id;
    meta.count = 100;
    for (int i = 0; i < 100; ++i) {
      EXPECT_TRUE(
          access.batch()
              .Put(e.cf(Cf::kSetMembers), codec::EncodeObjectId(*id) + std::to_string(i), "")
              .ok());
    }
    access.Put(key, meta);
    EXPECT_TRUE(access.Commit().ok());
    return *id;
  };
  uint64_t dead = make("dead");
  uint64_t live = make("live");
  OpContext op = Op();
  std::string_view k[] = {"dead"};
  ASSERT_TRUE(DeleteKeys(*engine_, op, k).ok());
  EXPECT_TRUE(ObjectIsDead(e, dead));
  EXPECT_FALSE(ObjectIsDead(e, live));

  ASSERT_TRUE(e.db->Flush(rocksdb::FlushOptions(), e.cfs).ok());
  rocksdb::CompactRangeOptions cro;
  cro.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (auto* cf : e.cfs) ASSERT_TRUE(e.db->CompactRange(cro, cf, nullptr, nullptr).ok());
  auto count = [&](uint64_t id) {
    std::unique_ptr<rocksdb::Iterator> it(
        e.db->NewIterator(rocksdb::ReadOptions(), e.cf(Cf::kSetMembers)));
    std::string prefix = codec::EncodeObjectId(id);
    int n = 0;
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) ++n;
    return n;
  };
  EXPECT_EQ(count(dead), 0);
  EXPECT_EQ(count(live), 100);
}

TEST_F(EngineTest, InlineReadOfColdKeyWouldBlock) {
  Set("cold", "v");
  auto& e = engine_->impl();
  ASSERT_TRUE(e.db->Flush(rocksdb::FlushOptions(), e.cfs).ok());
  Reopen();  // empty block cache, empty memtable
  OpContext op = Op();
  op.may_block = false;
  auto r = GetString(*engine_, op, "cold");
  EXPECT_TRUE(r.status().IsWouldBlock()) << r.status().ToString();
  op.may_block = true;
  r = GetString(*engine_, op, "cold");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "v");
}

TEST_F(EngineTest, InlineLockConflictWouldBlock) {
  OpContext holder = Op();
  KeyAccess held(*engine_, holder, KeyAccess::Intent::kWrite);
  ASSERT_TRUE(held.Lock("k").ok());
  OpContext op = Op();
  op.may_block = false;
  auto r = GetString(*engine_, op, "k");
  EXPECT_TRUE(r.status().IsWouldBlock());
}

}  // namespace
}  // namespace strata::engine
