// KeyAccess's sub-key calls and the hot tier's collection bodies: staged
// writes are visible to later reads of the same access, scans merge staged
// writes over the body or RocksDB in both directions, bodies are loaded,
// kept coherent and dropped by size, and a randomised workload over a tiny
// tier (collections moving between RAM and disk) matches a model.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <random>

#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/hot_tier.h"
#include "engine/key_access.h"
#include "engine/keyspace_ops.h"
#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

using codec::MetaValue;
using codec::ValueType;
using Fields = std::map<std::string, std::string>;
constexpr SubFamily kF = SubFamily::kHashFields;

class SubkeysTest : public EngineFixture {
 protected:
  SubkeysTest() { options_.databases = 1; }

  // A minimal hash on the sub-key API: sets (value) or deletes (nullopt)
  // fields, keeping the element count, deleting the key when it empties.
  void Write(const std::string& key, const std::map<std::string, std::optional<std::string>>& ops) {
    OpContext op = Op();
    KeyAccess a(*engine_, op, KeyAccess::Intent::kWrite);
    ASSERT_TRUE(a.Lock(key).ok());
    auto found = a.Find(key);
    MetaValue meta;
    if (found.ok()) {
      meta = **found;
    } else {
      ASSERT_TRUE(found.status().IsNotFound());
      meta.type = ValueType::kHash;
      auto id = a.NewObjectId();
      ASSERT_TRUE(id.ok());
      meta.object_id = *id;
      a.PutNew(key, meta);
    }
    for (const auto& [field, value] : ops) {
      std::string old;
      Status s = a.GetSub(key, kF, field, &old);
      ASSERT_TRUE(s.ok() || s.IsNotFound()) << s.ToString();
      if (value) {
        a.PutSub(key, kF, field, *value);
        if (s.IsNotFound()) ++meta.count;
      } else if (s.ok()) {
        a.DeleteSub(key, kF, field);
        --meta.count;
      }
    }
    if (meta.count == 0) {
      a.Delete(key);
    } else {
      a.Put(key, meta);
    }
    ASSERT_TRUE(a.Commit().ok());
  }
  // Every field, by a forward scan, a backward scan and point reads.
  Fields Read(const std::string& key) {
    OpContext op = Op();
    KeyAccess a(*engine_, op, KeyAccess::Intent::kRead);
    EXPECT_TRUE(a.Lock(key).ok());
    auto found = a.Find(key);
    if (!found.ok()) return {};
    Fields fwd, back;
    EXPECT_TRUE(a.ScanSub(key, kF, "", false, [&](auto k, auto v) {
                   fwd.emplace(k, v);
                   return true;
                 }).ok());
    std::vector<std::string> order;
    EXPECT_TRUE(a.ScanSub(key, kF, "", true, [&](auto k, auto v) {
                   back.emplace(k, v);
                   order.emplace_back(k);
                   return true;
                 }).ok());
    EXPECT_EQ(fwd, back);
    EXPECT_TRUE(std::is_sorted(order.rbegin(), order.rend()));
    EXPECT_EQ((*found)->count, fwd.size());
    for (const auto& [k, v] : fwd) {
      std::string got;
      EXPECT_TRUE(a.GetSub(key, kF, k, &got).ok());
      EXPECT_EQ(got, v);
    }
    return fwd;
  }
  bool HasBody(const std::string& key) {
    EngineImpl& e = engine_->impl();
    auto obj = e.tier->Lookup(codec::EncodeMetaKey(e.db_map[0], key), NowMs());
    return obj != nullptr && obj->body != nullptr;
  }
};

TEST_F(SubkeysTest, StagedWritesAreVisibleAndMergedInScans) {
  Write("h", {{"b", "1"}, {"d", "2"}, {"f", "3"}});
  OpContext op = Op();
  KeyAccess a(*engine_, op, KeyAccess::Intent::kWrite);
  ASSERT_TRUE(a.Lock("h").ok());
  ASSERT_TRUE(a.Find("h").ok());
  a.PutSub("h", kF, "a", "0");
  a.PutSub("h", kF, "d", "two");
  a.DeleteSub("h", kF, "f");
  std::string v;
  EXPECT_TRUE(a.GetSub("h", kF, "a", &v).ok());
  EXPECT_EQ(v, "0");
  EXPECT_TRUE(a.GetSub("h", kF, "f", &v).IsNotFound());
  std::vector<std::string> seen;
  auto collect = [&](std::string_view k, std::string_view val) {
    seen.push_back(std::string(k) + "=" + std::string(val));
    return true;
  };
  ASSERT_TRUE(a.ScanSub("h", kF, "", false, collect).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"a=0", "b=1", "d=two"}));
  seen.clear();
  ASSERT_TRUE(a.ScanSub("h", kF, "c", true, collect).ok());  // from "c" down
  EXPECT_EQ(seen, (std::vector<std::string>{"b=1", "a=0"}));
  seen.clear();
  ASSERT_TRUE(a.ScanSub("h", kF, "b", false, [&](auto k, auto val) {
                 collect(k, val);
                 return seen.size() < 2;  // stops early
               }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"b=1", "d=two"}));
}

TEST_F(SubkeysTest, NewCollectionsAreHeldWholeAndStayCoherent) {
  Write("h", {{"x", "1"}, {"y", "2"}});
  EXPECT_TRUE(HasBody("h"));
  Write("h", {{"x", std::nullopt}, {"z", "3"}});
  EXPECT_EQ(Read("h"), (Fields{{"y", "2"}, {"z", "3"}}));
  Write("h", {{"y", std::nullopt}, {"z", std::nullopt}});
  EXPECT_EQ(Read("h"), Fields{});
  EXPECT_FALSE(HasBody("h"));
}

TEST_F(SubkeysTest, BodiesAreLoadedOnReuseAndDroppedWhenLarge) {
  std::map<std::string, std::optional<std::string>> many;
  for (int i = 0; i < 100; ++i) many["f" + std::to_string(i)] = "v";
  Write("h", many);
  Reopen();  // restart: nothing in RAM
  Fields want = Read("h");
  EXPECT_EQ(want.size(), 100u);
  EXPECT_FALSE(HasBody("h")) << "a first read of 100 fields should not load them all";
  EXPECT_EQ(Read("h"), want);
  EXPECT_TRUE(HasBody("h")) << "the second use loads the body";

  std::map<std::string, std::optional<std::string>> more;
  for (int i = 0; i < 5000; ++i) more["g" + std::to_string(i)] = "w";
  Write("h", more);
  EXPECT_FALSE(HasBody("h")) << "a body past the size limit is dropped";
  EXPECT_EQ(Read("h").size(), 5100u);
}

// A sorted set past the whole-body limits keeps its score order alone in RAM
// (the members are read from RocksDB), coherent through writes; after a
// restart, a scan of its scores loads them once its metadata is in RAM.
TEST_F(SubkeysTest, BigZsetsKeepTheirScoreOrderAlone) {
  constexpr SubFamily kM = SubFamily::kZsetMembers, kS = SubFamily::kZsetScores;
  std::map<std::string, std::string> members, scores;  // the model
  auto write = [&](int from, int to, int version) {
    OpContext op = Op();
    KeyAccess a(*engine_, op, KeyAccess::Intent::kWrite);
    ASSERT_TRUE(a.Lock("z").ok());
    auto found = a.Find("z");
    MetaValue meta;
    if (found.ok()) {
      meta = **found;
    } else {
      meta.type = ValueType::kZset;
      meta.object_id = *a.NewObjectId();
      a.PutNew("z", meta);
    }
    for (int i = from; i < to; ++i) {
      std::string m = "m" + std::to_string(i), score = std::to_string(version) + ":" + m;
      std::string old;
      if (a.GetSub("z", kM, m, &old).ok()) {
        a.DeleteSub("z", kS, old);
        scores.erase(old);
      } else {
        ++meta.count;
      }
      a.PutSub("z", kM, m, score);
      a.PutSub("z", kS, score, "");
      members[m] = score;
      scores[score] = "";
    }
    a.Put("z", meta);
    ASSERT_TRUE(a.Commit().ok());
  };
  auto read = [&](SubFamily f) {
    OpContext op = Op();
    KeyAccess a(*engine_, op, KeyAccess::Intent::kRead);
    EXPECT_TRUE(a.Lock("z").ok());
    EXPECT_TRUE(a.Find("z").ok());
    std::map<std::string, std::string> out;
    EXPECT_TRUE(a.ScanSub("z", f, "", false, [&](auto k, auto v) {
                   out.emplace(k, v);
                   return true;
                 }).ok());
    return out;
  };
  auto body = [&]() -> std::shared_ptr<ObjectBody> {
    EngineImpl& e = engine_->impl();
    auto obj = e.tier->Lookup(codec::EncodeMetaKey(e.db_map[0], "z"), NowMs());
    return obj != nullptr ? obj->body : nullptr;
  };
  write(0, 1000, 0);
  ASSERT_NE(body(), nullptr);
  EXPECT_TRUE(body()->whole());
  write(1000, 3000, 0);  // 6000 sub-keys: past the whole-body limit
  ASSERT_NE(body(), nullptr);
  EXPECT_FALSE(body()->holds(kM));
  EXPECT_TRUE(body()->holds(kS));
  EXPECT_EQ(body()->elements(), 3000u);
  write(500, 1500, 1);  // moves: old score keys deleted, new ones added
  EXPECT_EQ(read(kS), scores);
  EXPECT_EQ(read(kM), members);
  Reopen();
  EXPECT_EQ(read(kM), members);  // admits the metadata alone
  EXPECT_EQ(body(), nullptr);
  EXPECT_EQ(read(kS), scores);  // the second use loads the score order
  ASSERT_NE(body(), nullptr);
  EXPECT_FALSE(body()->holds(kM));
  write(0, 10, 2);
  EXPECT_EQ(read(kS), scores);
  EXPECT_EQ(read(kM), members);
}

// Random writes, deletes and whole-key deletes over many small collections,
// with a tier so small they keep leaving RAM; checked against a model, then
// again after a restart.
TEST_F(SubkeysTest, RandomWorkloadOverATinyTierMatchesAModel) {
  ReopenWithTier(512 << 10);
  std::mt19937 rng(11);
  std::map<std::string, Fields> model;
  const int kKeys = 200;
  for (int step = 0; step < 8000; ++step) {
    std::string key = "h" + std::to_string(rng() % kKeys);
    if (rng() % 25 == 0) {
      OpContext op = Op();
      std::string_view k = key;
      ASSERT_TRUE(DeleteKeys(*engine_, op, std::span(&k, 1)).ok());
      model.erase(key);
      continue;
    }
    if (rng() % 3 == 0) {
      ASSERT_EQ(Read(key), model[key]) << key << " at step " << step;
      if (model[key].empty()) model.erase(key);
      continue;
    }
    std::map<std::string, std::optional<std::string>> ops;
    int n = 1 + static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) {
      std::string field = "f" + std::to_string(rng() % 40);
      if (rng() % 3 == 0) {
        ops[field] = std::nullopt;
      } else {
        ops[field] = std::to_string(rng());
      }
    }
    Write(key, ops);
    Fields& m = model[key];
    for (const auto& [f, v] : ops) {
      if (v) {
        m[f] = *v;
      } else {
        m.erase(f);
      }
    }
    if (m.empty()) model.erase(key);
  }
  HotTierStats st = engine_->Stats().hot;
  EXPECT_GT(st.demotions, 0u) << "the tier was meant to churn";
  EXPECT_GT(st.hits, 0u);
  for (int i = 0; i < kKeys; ++i) {
    std::string key = "h" + std::to_string(i);
    auto it = model.find(key);
    ASSERT_EQ(Read(key), it == model.end() ? Fields{} : it->second) << key;
  }
  ReopenWithTier(512 << 10);
  for (int i = 0; i < kKeys; ++i) {
    std::string key = "h" + std::to_string(i);
    auto it = model.find(key);
    ASSERT_EQ(Read(key), it == model.end() ? Fields{} : it->second) << key;
  }
}

}  // namespace
}  // namespace strata::engine
