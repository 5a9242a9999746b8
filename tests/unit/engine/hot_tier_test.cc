// The hot tier: the S3-FIFO policy on its own (capacity bound, scan
// resistance, oversized objects, prefix drops), and its coherence with
// RocksDB through the engine, with a tier so small that objects move between
// RAM and disk all the time: randomised mixed workloads checked against a
// model, concurrent writers, and a restart.
#include "engine/hot_tier.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "common/numbers.h"
#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/expire_ops.h"
#include "engine/keyspace_ops.h"
#include "engine/string_ops.h"
#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

std::shared_ptr<const HotObject> StringObject(std::string_view value) {
  auto obj = std::make_shared<HotObject>();
  obj->meta.value.assign(value);
  return obj;
}

std::string Key(int i) {
  return "key:" + std::to_string(i);
}

TEST(HotTierPolicyTest, InsertLookupErase) {
  HotTier tier(1 << 20);
  EXPECT_EQ(tier.Lookup("a", 1), nullptr);
  tier.Insert("a", StringObject("1"), 1);
  auto got = tier.Lookup("a", 2);
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(got->meta.value, "1");
  tier.Insert("a", StringObject("2"), 3);
  EXPECT_EQ(tier.Lookup("a", 4)->meta.value, "2");
  HotAccessInfo info;
  ASSERT_TRUE(tier.Peek("a", &info));
  EXPECT_EQ(info.last_access_ms, 4u);
  tier.Erase("a");
  EXPECT_EQ(tier.Lookup("a", 5), nullptr);
  HotTierStats st = tier.Stats();
  EXPECT_EQ(st.objects, 0u);
  EXPECT_EQ(st.used_bytes, 0u);
  EXPECT_EQ(st.hits, 2u);
  EXPECT_EQ(st.misses, 2u);
  EXPECT_EQ(st.admissions, 1u);
}

// The shards' open-addressing index under churn: inserts and erases in
// random order (erasure shifts probe runs back) must keep exactly the model's
// keys findable.
TEST(HotTierPolicyTest, IndexMatchesModelUnderChurn) {
  HotTier tier(1ull << 30);
  std::mt19937 rng(7);
  std::map<std::string, std::string> model;
  for (int step = 0; step < 40000; ++step) {
    std::string key = Key(static_cast<int>(rng() % 5000));
    if (rng() % 3 == 0) {
      tier.Erase(key);
      model.erase(key);
    } else {
      std::string value = std::to_string(step);
      tier.Insert(key, StringObject(value), 1);
      model[key] = value;
    }
  }
  EXPECT_EQ(tier.Stats().objects, model.size());
  for (int i = 0; i < 5000; ++i) {
    auto got = tier.Lookup(Key(i), 2);
    auto it = model.find(Key(i));
    if (it == model.end()) {
      EXPECT_EQ(got, nullptr) << Key(i);
    } else {
      ASSERT_NE(got, nullptr) << Key(i);
      EXPECT_EQ(got->meta.value, it->second);
    }
  }
  tier.DropPrefix("key:1");
  for (int i = 0; i < 5000; ++i) {
    if (Key(i).starts_with("key:1")) EXPECT_EQ(tier.Lookup(Key(i), 3), nullptr);
  }
}

TEST(HotTierPolicyTest, StaysWithinCapacity) {
  const uint64_t capacity = 256 << 10;
  HotTier tier(capacity);
  for (int i = 0; i < 20000; ++i) tier.Insert(Key(i), StringObject(std::string(100, 'x')), i);
  HotTierStats st = tier.Stats();
  EXPECT_LE(st.used_bytes, capacity);
  EXPECT_GT(st.used_bytes, capacity / 2);
  EXPECT_GT(st.demotions, 0u);
  EXPECT_EQ(st.objects, st.small_objects + st.main_objects);
}

// The property an LRU lacks: a hot set used again and again survives a scan
// over many more cold keys, each read once.
TEST(HotTierPolicyTest, ScanDoesNotEvictTheHotSet) {
  const uint64_t capacity = 512 << 10;
  HotTier tier(capacity);
  const std::string value(200, 'v');
  const int hot = 500;  // roughly a third of the capacity
  uint64_t now = 0;
  auto read = [&](const std::string& k) {
    if (tier.Lookup(k, ++now) == nullptr) {
      tier.Insert(k, StringObject(value), now);
      return false;
    }
    return true;
  };
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < hot; ++i) read(Key(i));
  }
  for (int i = 0; i < 50000; ++i) read("cold:" + std::to_string(i));
  int hits = 0;
  for (int i = 0; i < hot; ++i) hits += read(Key(i));
  EXPECT_GE(hits, hot * 95 / 100) << "the scan flushed the hot set";
}

TEST(HotTierPolicyTest, OversizedObjectsAreNotAdmitted) {
  HotTier tier(64 << 10);  // 2 KiB per shard
  tier.Insert("small", StringObject("x"), 1);
  tier.Insert("big", StringObject(std::string(64 << 10, 'x')), 1);
  EXPECT_NE(tier.Lookup("small", 2), nullptr);
  EXPECT_EQ(tier.Lookup("big", 2), nullptr);
  EXPECT_EQ(tier.Stats().rejections, 1u);
  // A cached key whose new version is too big leaves RAM rather than go stale.
  tier.Insert("small", StringObject(std::string(64 << 10, 'y')), 3);
  EXPECT_EQ(tier.Lookup("small", 4), nullptr);
}

TEST(HotTierPolicyTest, DropPrefixAndCapacityChange) {
  HotTier tier(1 << 20);
  for (int i = 0; i < 100; ++i) {
    tier.Insert("a" + Key(i), StringObject("1"), 1);
    tier.Insert("b" + Key(i), StringObject("1"), 1);
  }
  tier.DropPrefix("a");
  EXPECT_EQ(tier.Lookup("a" + Key(5), 2), nullptr);
  EXPECT_NE(tier.Lookup("b" + Key(5), 2), nullptr);
  EXPECT_EQ(tier.Stats().objects, 100u);
  tier.SetCapacity(0);
  EXPECT_EQ(tier.Stats().objects, 0u);
  EXPECT_EQ(tier.Stats().used_bytes, 0u);
}

class HotTierEngineTest : public EngineFixture {
 protected:
  HotTierEngineTest() {
    options_.databases = 2;
    options_.hot_tier_bytes = 128 << 10;  // about 300 small objects for 1000 keys: constant churn
  }
  // The value as RocksDB holds it, bypassing the tier.
  std::optional<std::string> DiskValue(const std::string& key) {
    EngineImpl& e = engine_->impl();
    std::string raw;
    auto s = e.db->Get(rocksdb::ReadOptions(), e.cf(Cf::kKeys),
                       codec::EncodeMetaKey(e.db_map[0], key), &raw);
    if (s.IsNotFound()) return std::nullopt;
    EXPECT_TRUE(s.ok());
    auto meta = codec::DecodeMetaValue(raw);
    EXPECT_TRUE(meta.ok());
    return meta->value;
  }
  std::optional<std::string> Get(const std::string& key) {
    OpContext op = Op();
    auto r = GetString(*engine_, op, key);
    if (r.status().IsNotFound()) return std::nullopt;
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return *r;
  }
};

// Random SET / GET / DEL / INCRBY / MSET over a key space ten times the
// tier, checked against a model after every read, and the tier against disk
// at the end and after a restart.
TEST_F(HotTierEngineTest, RandomWorkloadMatchesModel) {
  std::mt19937 rng(42);
  std::map<std::string, std::string> model;
  const int keys = 1000;
  for (int step = 0; step < 20000; ++step) {
    std::string k = Key(static_cast<int>(rng() % keys));
    OpContext op = Op();
    switch (rng() % 6) {
      case 0:
      case 1: {
        std::string v = std::to_string(rng() % 1000) + std::string(rng() % 64, 'p');
        ASSERT_TRUE(SetString(*engine_, op, k, v, SetOptions()).ok());
        model[k] = v;
        break;
      }
      case 2: {
        std::string_view key = k;
        ASSERT_TRUE(DeleteKeys(*engine_, op, std::span(&key, 1)).ok());
        model.erase(k);
        break;
      }
      case 3: {
        auto r = IncrBy(*engine_, op, k, 3);
        auto it = model.find(k);
        int64_t n = 0;
        bool numeric = it == model.end() || ParseInt64(it->second, &n);
        ASSERT_EQ(r.ok(), numeric) << k;
        if (numeric) model[k] = std::to_string(n + 3);
        break;
      }
      case 4: {
        std::string k2 = Key(static_cast<int>(rng() % keys));
        std::pair<std::string_view, std::string_view> pairs[] = {{k, "m1"}, {k2, "m2"}};
        ASSERT_TRUE(MultiSet(*engine_, op, pairs).ok());
        model[k] = "m1";
        model[k2] = "m2";
        break;
      }
      default: {
        auto it = model.find(k);
        ASSERT_EQ(Get(k), it == model.end() ? std::nullopt : std::optional(it->second)) << k;
      }
    }
  }
  HotTierStats st = engine_->Stats().hot;
  EXPECT_GT(st.demotions, 1000u) << "the tier was meant to churn";
  EXPECT_GT(st.hits, 0u);
  for (int i = 0; i < keys; ++i) {
    auto it = model.find(Key(i));
    auto want = it == model.end() ? std::nullopt : std::optional(it->second);
    ASSERT_EQ(Get(Key(i)), want);
    ASSERT_EQ(DiskValue(Key(i)), want);
  }
  EXPECT_EQ(engine_->KeyCount(0), static_cast<int64_t>(model.size()));
  Reopen();
  for (int i = 0; i < keys; ++i) {
    auto it = model.find(Key(i));
    ASSERT_EQ(Get(Key(i)), it == model.end() ? std::nullopt : std::optional(it->second));
  }
}

// Writers on other threads, each INCRBY read-modify-write through the tier:
// no increment is lost while objects are demoted and re-read underneath.
TEST_F(HotTierEngineTest, ConcurrentIncrementsAreNotLost) {
  const int threads = 4, per_thread = 3000, keys = 200;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        OpContext op = Op();
        auto r = IncrBy(*engine_, op, Key((i * 7 + t) % keys), 1);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
      }
    });
  }
  for (auto& w : workers) w.join();
  int64_t total = 0;
  for (int i = 0; i < keys; ++i) {
    auto v = Get(Key(i));
    ASSERT_TRUE(v.has_value());
    ASSERT_EQ(v, DiskValue(Key(i)));
    total += std::stoll(*v);
  }
  EXPECT_EQ(total, threads * per_thread);
}

// A key that expires is never served from RAM after its time, and FLUSHDB
// leaves nothing cached behind.
TEST_F(HotTierEngineTest, ExpiryAndFlushAreSeenThroughTheTier) {
  uint64_t now = NowMs();
  OpContext op = OpAt(now);
  SetOptions so;
  so.expire_at_ms = now + 50;
  ASSERT_TRUE(SetString(*engine_, op, "ttl", "v", so).ok());
  OpContext before = OpAt(now + 10);
  EXPECT_TRUE(GetString(*engine_, before, "ttl").ok());
  OpContext after = OpAt(now + 60);
  EXPECT_TRUE(GetString(*engine_, after, "ttl").status().IsNotFound());

  ASSERT_TRUE(SetString(*engine_, op, "f", "v", SetOptions()).ok());
  EXPECT_EQ(Get("f"), "v");
  OpContext flush = Op();
  ASSERT_TRUE(FlushDatabase(*engine_, flush).ok());
  EXPECT_EQ(Get("f"), std::nullopt);
  EXPECT_EQ(engine_->Stats().hot.objects, 0u);
}

}  // namespace
}  // namespace strata::engine
