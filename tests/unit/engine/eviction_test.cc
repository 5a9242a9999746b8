// Redis's LFU counter math (engine/lfu.h), the eviction candidate choice
// (engine/eviction_policy.h), the tier's access bookkeeping and NoTouchScope,
// and the evictor against a real engine: it deletes keys, through logged
// deletes, only under a deleting policy and only those the policy allows.
#include "engine/eviction.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <limits>
#include <random>

#include "engine/access_ops.h"
#include "engine/engine.h"
#include "engine/eviction_policy.h"
#include "engine/hot_tier.h"
#include "engine/keyspace_ops.h"
#include "engine/lfu.h"
#include "engine/string_ops.h"
#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

constexpr uint64_t kMinute = 60000;

TEST(LfuTest, IncrementIsCertainUpToTheInitialValueThenLogarithmic) {
  // Below and at LFU_INIT_VAL the probability is 1: any r < 1 increments.
  EXPECT_EQ(LfuLogIncr(0, 10, 0.999), 1);
  EXPECT_EQ(LfuLogIncr(kLfuInitValue, 10, 0.999), kLfuInitValue + 1);
  // At 6 (base 1) with factor 10: p = 1/11.
  EXPECT_EQ(LfuLogIncr(6, 10, 1.0 / 11 - 1e-9), 7);
  EXPECT_EQ(LfuLogIncr(6, 10, 1.0 / 11 + 1e-9), 6);
  // Factor 0: always increments; 255 saturates.
  EXPECT_EQ(LfuLogIncr(200, 0, 0.999), 201);
  EXPECT_EQ(LfuLogIncr(255, 0, 0.0), 255);
}

TEST(LfuTest, MillionHitsReachAbout255WithFactor10) {
  // Redis's documented table (redis.conf): factor 10, 1M hits -> 255.
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> u(0, 1);
  uint8_t c = kLfuInitValue;
  for (int i = 0; i < 100; ++i) c = LfuLogIncr(c, 10, u(rng));
  EXPECT_GE(c, 10);  // table: 100 hits -> 10
  EXPECT_LE(c, 22);
  for (int i = 0; i < 1000000; ++i) c = LfuLogIncr(c, 10, u(rng));
  EXPECT_GE(c, 240);
}

TEST(LfuTest, DecaysOnePerDecayTimeInWallClockMinutes) {
  LfuParams p{10, 1};
  EXPECT_EQ(LfuDecayed(10, 0, 59999, p), 10);     // same minute
  EXPECT_EQ(LfuDecayed(10, 59999, 60000, p), 9);  // the minute changed
  EXPECT_EQ(LfuDecayed(10, 0, 3 * kMinute, p), 7);
  EXPECT_EQ(LfuDecayed(10, 0, 100 * kMinute, p), 0);
  p.decay_time = 2;
  EXPECT_EQ(LfuDecayed(10, 0, 5 * kMinute, p), 8);
  p.decay_time = 0;  // no decay
  EXPECT_EQ(LfuDecayed(10, 0, 100 * kMinute, p), 10);
  // An access decays, then increments.
  EXPECT_EQ(LfuOnAccess(10, 0, 3 * kMinute, LfuParams{10, 1}, 0.0), 8);
}

TEST(EvictionPolicyTest, NamesRoundTripInRedisOrder) {
  EXPECT_EQ(ParseEvictionPolicy("ALLKEYS-LRU"), EvictionPolicy::kAllKeysLru);
  EXPECT_EQ(ParseEvictionPolicy("noeviction"), EvictionPolicy::kNoEviction);
  EXPECT_FALSE(ParseEvictionPolicy("lru").has_value());
  for (auto name : kEvictionPolicyNames) {
    EXPECT_EQ(EvictionPolicyName(*ParseEvictionPolicy(name)), name);
  }
  EXPECT_TRUE(IsVolatile(EvictionPolicy::kVolatileTtl));
  EXPECT_FALSE(IsVolatile(EvictionPolicy::kAllKeysLru));
  EXPECT_TRUE(IsLfu(EvictionPolicy::kAllKeysLfu));
  EXPECT_TRUE(IsRandom(EvictionPolicy::kVolatileRandom));
}

TEST(EvictionPolicyTest, ScoresPreferIdleColdSoonExpiringAndNonResidentKeys) {
  const uint64_t now = 100 * kMinute;
  LfuParams lfu;
  EvictionSample recent{"a", true, now - 1000, 5, 0};
  EvictionSample old{"b", true, now - 50000, 5, 0};
  EvictionSample cold{"c", false, 0, 0, 0};
  auto lru = EvictionPolicy::kAllKeysLru;
  EXPECT_LT(EvictionScore(lru, recent, now, lfu), EvictionScore(lru, old, now, lfu));
  EXPECT_EQ(EvictionScore(lru, cold, now, lfu), std::numeric_limits<uint64_t>::max());

  auto lfu_policy = EvictionPolicy::kAllKeysLfu;
  EvictionSample hot{"d", true, now, 40, 0};
  EvictionSample warm{"e", true, now, 8, 0};
  EXPECT_EQ(EvictionScore(lfu_policy, hot, now, lfu), 255u - 40);
  EXPECT_LT(EvictionScore(lfu_policy, hot, now, lfu), EvictionScore(lfu_policy, warm, now, lfu));
  EXPECT_EQ(EvictionScore(lfu_policy, cold, now, lfu), 255u);
  // The counter is decayed to now before scoring: 40 idle for 30 minutes is 10.
  EvictionSample faded{"f", true, now - 30 * kMinute, 40, 0};
  EXPECT_EQ(EvictionScore(lfu_policy, faded, now, lfu), 255u - 10);

  auto ttl = EvictionPolicy::kVolatileTtl;
  EvictionSample soon{"g", true, now, 5, now + 10};
  EvictionSample later{"h", true, now, 5, now + 10000};
  EXPECT_GT(EvictionScore(ttl, soon, now, lfu), EvictionScore(ttl, later, now, lfu));
}

TEST(EvictionPolicyTest, PoolKeepsTheBestSixteenAndPopsTheBestFirst) {
  EvictionPool pool;
  for (uint64_t i = 0; i < 40; ++i) pool.Offer("k" + std::to_string(i), i);
  EXPECT_EQ(pool.size(), kEvictionPoolSize);
  pool.Offer("low", 1);  // worse than everything kept: dropped
  EXPECT_EQ(pool.size(), kEvictionPoolSize);
  pool.Offer("k39", 0);  // a key already pooled gets its new score (now the worst)
  EXPECT_EQ(pool.size(), kEvictionPoolSize);
  EXPECT_EQ(pool.PopBest(), "k38");
  EXPECT_EQ(pool.PopBest(), "k37");
  for (size_t i = 2; i < kEvictionPoolSize - 1; ++i) pool.PopBest();
  EXPECT_EQ(pool.PopBest(), "k39");
  pool.Clear();
  EXPECT_FALSE(pool.PopBest().has_value());
}

std::shared_ptr<const HotObject> Obj(std::string_view v) {
  auto o = std::make_shared<HotObject>();
  o->meta.value.assign(v);
  return o;
}

TEST(HotTierAccessTest, NewKeysStartAtInitValueAndHitsFollowRedisUpdateLfu) {
  HotTier tier(1 << 20);
  tier.SetLfuParams(LfuParams{0, 1});  // factor 0: every hit increments
  tier.Insert("a", Obj("1"), 1000);
  HotAccessInfo info;
  ASSERT_TRUE(tier.Peek("a", &info));
  EXPECT_EQ(info.lfu_counter, kLfuInitValue);
  for (int i = 0; i < 3; ++i) tier.Lookup("a", 2000);
  ASSERT_TRUE(tier.Peek("a", &info));
  EXPECT_EQ(info.lfu_counter, kLfuInitValue + 3);
  EXPECT_EQ(info.last_access_ms, 2000u);
  // A replacement (Commit after the command's Find) is not a second access.
  tier.Insert("a", Obj("2"), 3000);
  ASSERT_TRUE(tier.Peek("a", &info));
  EXPECT_EQ(info.lfu_counter, kLfuInitValue + 3);
  // Two minutes idle: decayed by two before the increment.
  tier.Lookup("a", 3000 + 2 * kMinute);
  ASSERT_TRUE(tier.Peek("a", &info));
  EXPECT_EQ(info.lfu_counter, kLfuInitValue + 3 - 2 + 1);
}

TEST(HotTierAccessTest, NoTouchScopeNeitherCountsNorAdmits) {
  HotTier tier(1 << 20);
  tier.Insert("a", Obj("1"), 1000);
  HotTierStats before = tier.Stats();
  {
    HotTier::NoTouchScope no_touch;
    EXPECT_NE(tier.Lookup("a", 5000), nullptr);
    EXPECT_EQ(tier.Lookup("missing", 5000), nullptr);
    tier.Insert("b", Obj("2"), 5000);  // a read's admission: skipped
    tier.Insert("a", Obj("3"), 5000);  // a replacement still happens
  }
  HotAccessInfo info;
  ASSERT_TRUE(tier.Peek("a", &info));
  EXPECT_EQ(info.last_access_ms, 1000u);
  EXPECT_EQ(tier.Lookup("a", 6000)->meta.value, "3");
  EXPECT_FALSE(tier.Peek("b", &info));
  HotTierStats after = tier.Stats();
  EXPECT_EQ(after.misses, before.misses);
  EXPECT_EQ(after.hits, before.hits + 1);  // the Lookup after the scope
}

// Keys that come back while their hash is in the ghost go to main; the
// ghost's FIFO must stay consistent when such entries later age out
// (this used to dereference a missing map entry and crash).
TEST(HotTierAccessTest, ReadmissionsThroughTheGhostStayConsistent) {
  HotTier tier(1 << 20);
  std::mt19937 rng(1);
  for (int i = 0; i < 300000; ++i) {
    std::string k = "key:" + std::to_string(rng() % 5000);
    if (tier.Lookup(k, i) == nullptr) tier.Insert(k, Obj(std::string(1000, 'x')), i);
  }
  HotTierStats st = tier.Stats();
  EXPECT_LE(st.used_bytes, st.capacity_bytes);
  EXPECT_GT(st.main_objects, 0u);
  EXPECT_EQ(st.objects, st.small_objects + st.main_objects);
}

class EvictorTest : public EngineFixture {
 protected:
  EvictorTest() { options_.databases = 2; }
  void SetUp() override {
    EngineFixture::SetUp();
    evictor_ = std::make_unique<Evictor>(*engine_, [this](int db, std::string_view key) {
      evicted_.emplace_back(db, std::string(key));
    });
  }
  void TearDown() override {
    evictor_.reset();
    EngineFixture::TearDown();
  }
  void Set(const std::string& key, uint64_t expire_at_ms = 0, int db = 0) {
    OpContext op = Op(db);
    SetOptions so;
    so.expire_at_ms = expire_at_ms;
    ASSERT_TRUE(SetString(*engine_, op, key, std::string(100, 'v'), so).ok());
  }
  bool Exists(const std::string& key, int db = 0) {
    OpContext op = Op(db);
    std::string_view k = key;
    auto n = CountExisting(*engine_, op, std::span<const std::string_view>(&k, 1));
    EXPECT_TRUE(n.ok());
    return *n == 1;
  }
  uint64_t KeyBytes(const std::string& key) {
    OpContext op = Op();
    auto u = InspectKey(*engine_, op, key);
    EXPECT_TRUE(u.ok());
    return u->memory;
  }
  // Ticks until the evictor stops deleting.
  void Settle() {
    for (int i = 0; i < 100; ++i) {
      auto n = evictor_->RunTick();
      ASSERT_TRUE(n.ok()) << n.status().ToString();
      if (*n == 0) return;
    }
  }

  std::unique_ptr<Evictor> evictor_;
  std::vector<std::pair<int, std::string>> evicted_;
};

TEST_F(EvictorTest, NoEvictionNeverDeletes) {
  for (int i = 0; i < 200; ++i) Set("k" + std::to_string(i));
  EvictionSettings s;
  s.dataset_limit = 1;  // far over
  evictor_->Configure(s);
  Settle();
  EXPECT_EQ(engine_->KeyCount(0), 200);
  EXPECT_EQ(evictor_->evicted_keys(), 0u);
}

TEST_F(EvictorTest, AllKeysLruDeletesDownToTheLimitAndKeepsRecentlyReadKeys) {
  for (int i = 0; i < 400; ++i) Set("k" + std::to_string(i));
  uint64_t per_key = KeyBytes("k0");
  // Read 20 keys after a pause: they are the most recently used.
  usleep(20000);
  for (int i = 0; i < 20; ++i) {
    OpContext op = Op();
    ASSERT_TRUE(GetString(*engine_, op, "k" + std::to_string(i)).ok());
  }
  EvictionSettings s;
  s.policy = EvictionPolicy::kAllKeysLru;
  s.samples = 10;
  s.dataset_limit = per_key * 100;
  evictor_->Configure(s);
  Settle();
  int64_t left = engine_->KeyCount(0);
  EXPECT_LE(left, 110);
  EXPECT_GE(left, 80);
  EXPECT_EQ(evictor_->evicted_keys(), static_cast<uint64_t>(400 - left));
  EXPECT_EQ(evicted_.size(), static_cast<size_t>(400 - left));
  int kept = 0;
  for (int i = 0; i < 20; ++i) kept += Exists("k" + std::to_string(i));
  EXPECT_GE(kept, 18);  // sampling is approximate, as in Redis
}

TEST_F(EvictorTest, VolatilePoliciesDeleteOnlyKeysWithATtl) {
  uint64_t later = NowMs() + 3600 * 1000;
  for (int i = 0; i < 100; ++i) Set("plain" + std::to_string(i));
  for (int i = 0; i < 100; ++i) Set("ttl" + std::to_string(i), later + i);
  for (auto policy : {EvictionPolicy::kVolatileLru, EvictionPolicy::kVolatileTtl,
                      EvictionPolicy::kVolatileRandom, EvictionPolicy::kVolatileLfu}) {
    EvictionSettings s;
    s.policy = policy;
    s.dataset_limit = 1;  // delete all it may
    evictor_->Configure(s);
    Settle();
  }
  EXPECT_EQ(engine_->KeyCount(0), 100);
  EXPECT_EQ(engine_->ExpiresCount(0), 0);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(Exists("plain" + std::to_string(i)));
}

TEST_F(EvictorTest, VolatileTtlDeletesTheSoonestExpiringFirst) {
  uint64_t later = NowMs() + 3600 * 1000;
  for (int i = 0; i < 100; ++i) Set("ttl" + std::to_string(i), later + i * 1000);
  uint64_t per_key = KeyBytes("ttl0");
  EvictionSettings s;
  s.policy = EvictionPolicy::kVolatileTtl;
  s.dataset_limit = per_key * 50;
  evictor_->Configure(s);
  Settle();
  EXPECT_FALSE(Exists("ttl0"));
  EXPECT_TRUE(Exists("ttl99"));
}

TEST_F(EvictorTest, AllKeysRandomAndLfuWorkAcrossDatabases) {
  for (int i = 0; i < 100; ++i) Set("a" + std::to_string(i), 0, 0);
  for (int i = 0; i < 100; ++i) Set("b" + std::to_string(i), 0, 1);
  uint64_t per_key = KeyBytes("a0");
  for (auto policy : {EvictionPolicy::kAllKeysRandom, EvictionPolicy::kAllKeysLfu}) {
    EvictionSettings s;
    s.policy = policy;
    s.dataset_limit = per_key * (policy == EvictionPolicy::kAllKeysRandom ? 150 : 60);
    evictor_->Configure(s);
    Settle();
  }
  int64_t left = engine_->KeyCount(0) + engine_->KeyCount(1);
  EXPECT_LE(left, 70);
  EXPECT_GT(engine_->KeyCount(0), 0);
  EXPECT_GT(engine_->KeyCount(1), 0);
}

}  // namespace
}  // namespace strata::engine
