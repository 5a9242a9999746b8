// Engine-level RENAME, MOVE, COPY and SWAPDB on collections written by hand
// (metadata with an object id, its objects record and raw sub-keys): the id
// and its objects record follow the key, the GC filter keeps live sub-keys
// and drops dead ones, COPY duplicates sub-keys under a fresh id; the expiry
// index and per-database counts stay right. Also SCAN pages and OBJECT
// ENCODING's decisions.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <unistd.h>

#include <climits>
#include <filesystem>
#include <map>
#include <set>

#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/gc_filter.h"
#include "engine/key_access.h"
#include "engine/key_move_ops.h"
#include "engine/keyspace_ops.h"
#include "engine/ready_keys.h"
#include "engine/scan_ops.h"
#include "engine/string_ops.h"
#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

using codec::MetaValue;

class KeyspaceEngineTest : public EngineFixture {
 protected:
  // A set with `n` members in "set_members" and, to exercise every family,
  // `n` fields in "hash_fields" under the same id.
  uint64_t MakeCollection(std::string_view key, int n, uint64_t expire_ms = 0, int db = 0) {
    OpContext op = Op(db);
    KeyAccess access(*engine_, op, KeyAccess::Intent::kWrite);
    EXPECT_TRUE(access.Lock(key).ok());
    auto found = access.Find(key);
    EXPECT_TRUE(found.ok() || found.status().IsNotFound());
    auto id = access.NewObjectId();
    EXPECT_TRUE(id.ok());
    MetaValue meta;
    meta.type = codec::ValueType::kSet;
    meta.object_id = *id;
    meta.count = static_cast<uint64_t>(n);
    meta.expire_ms = expire_ms;
    for (int i = 0; i < n; ++i) {
      std::string member = "m" + std::to_string(i);
      EXPECT_TRUE(access.batch()
                      .Put(impl().cf(Cf::kSetMembers), codec::EncodeObjectId(*id) + member, "")
                      .ok());
      EXPECT_TRUE(access.batch()
                      .Put(impl().cf(Cf::kHashFields), codec::EncodeObjectId(*id) + member,
                           "v" + std::to_string(i))
                      .ok());
    }
    access.Put(key, meta);
    EXPECT_TRUE(access.Commit().ok());
    return *id;
  }
  std::optional<MetaValue> Meta(std::string_view key, int db = 0) {
    OpContext op = Op(db);
    KeyAccess access(*engine_, op, KeyAccess::Intent::kRead);
    EXPECT_TRUE(access.Lock(key).ok());
    auto found = access.Find(key);
    if (!found.ok()) return std::nullopt;
    return **found;
  }
  // The sub-keys of an object in a family: suffix -> value.
  std::map<std::string, std::string> Subkeys(uint64_t id, Cf cf) {
    std::map<std::string, std::string> out;
    std::unique_ptr<rocksdb::Iterator> it(
        impl().db->NewIterator(rocksdb::ReadOptions(), impl().cf(cf)));
    std::string prefix = codec::EncodeObjectId(id);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      out[it->key().ToString().substr(8)] = it->value().ToString();
    }
    return out;
  }
  std::optional<std::string> ObjectsRecord(uint64_t id) {
    std::string owner;
    auto s = impl().db->Get(rocksdb::ReadOptions(), impl().cf(Cf::kObjects),
                            codec::EncodeObjectId(id), &owner);
    if (s.IsNotFound()) return std::nullopt;
    EXPECT_TRUE(s.ok());
    return owner;
  }
  std::set<std::string> ExpiryIndex() {
    std::set<std::string> out;
    std::unique_ptr<rocksdb::Iterator> it(
        impl().db->NewIterator(rocksdb::ReadOptions(), impl().cf(Cf::kExpiry)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) out.insert(it->key().ToString());
    return out;
  }
  std::string MetaKeyIn(int logical_db, std::string_view key) {
    return codec::EncodeMetaKey(impl().db_map[logical_db], key);
  }
  void CompactAll() {
    ASSERT_TRUE(impl().db->Flush(rocksdb::FlushOptions(), impl().cfs).ok());
    rocksdb::CompactRangeOptions cro;
    cro.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    for (auto* cf : impl().cfs)
      ASSERT_TRUE(impl().db->CompactRange(cro, cf, nullptr, nullptr).ok());
  }
  void SetString(std::string_view k, std::string_view v, uint64_t expire_ms = 0, int db = 0) {
    OpContext op = Op(db);
    SetOptions so;
    so.expire_at_ms = expire_ms;
    ASSERT_TRUE(engine::SetString(*engine_, op, k, v, so).ok());
  }
};

TEST_F(KeyspaceEngineTest, RenameKeepsObjectIdAndRepointsObjectsRecord) {
  uint64_t at = NowMs() + 100000;
  uint64_t id = MakeCollection("src", 50, at);
  OpContext op = Op();
  auto renamed = RenameKey(*engine_, op, "src", "dst", false);
  ASSERT_TRUE(renamed.ok() && *renamed);
  EXPECT_FALSE(Meta("src"));
  auto meta = Meta("dst");
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->object_id, id);
  EXPECT_EQ(meta->expire_ms, at);
  EXPECT_EQ(ObjectsRecord(id), MetaKeyIn(0, "dst"));
  EXPECT_FALSE(ObjectIsDead(impl(), id));
  EXPECT_EQ(engine_->KeyCount(0), 1);
  EXPECT_EQ(engine_->ExpiresCount(0), 1);
  EXPECT_EQ(ExpiryIndex(), std::set<std::string>{codec::EncodeExpiryKey(at, MetaKeyIn(0, "dst"))});
  CompactAll();
  EXPECT_EQ(Subkeys(id, Cf::kSetMembers).size(), 50u);
  EXPECT_EQ(Subkeys(id, Cf::kHashFields).size(), 50u);
}

TEST_F(KeyspaceEngineTest, RenameOntoCollectionKillsTheOverwrittenObject) {
  uint64_t kept = MakeCollection("src", 10);
  uint64_t overwritten = MakeCollection("dst", 10, NowMs() + 100000);
  OpContext op = Op();
  ASSERT_TRUE(RenameKey(*engine_, op, "src", "dst", false).ok());
  EXPECT_TRUE(ObjectIsDead(impl(), overwritten));
  EXPECT_FALSE(ObjectIsDead(impl(), kept));
  EXPECT_EQ(engine_->KeyCount(0), 1);
  EXPECT_EQ(engine_->ExpiresCount(0), 0);
  EXPECT_TRUE(ExpiryIndex().empty());
  CompactAll();
  EXPECT_TRUE(Subkeys(overwritten, Cf::kSetMembers).empty());
  EXPECT_EQ(Subkeys(kept, Cf::kSetMembers).size(), 10u);
}

TEST_F(KeyspaceEngineTest, RenameNxAndMissingSource) {
  SetString("a", "1");
  SetString("b", "2");
  OpContext op = Op();
  auto r = RenameKey(*engine_, op, "a", "b", true);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  EXPECT_TRUE(RenameKey(*engine_, op, "missing", "b", false).status().IsNotFound());
  r = RenameKey(*engine_, op, "a", "a", false);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(*r);
  EXPECT_EQ(engine_->KeyCount(0), 2);
}

TEST_F(KeyspaceEngineTest, MoveCarriesObjectTtlAndCountsAcrossDatabases) {
  uint64_t at = NowMs() + 100000;
  uint64_t id = MakeCollection("k", 20, at);
  OpContext op = Op(0);
  auto moved = MoveKey(*engine_, op, "k", 2);
  ASSERT_TRUE(moved.ok() && *moved);
  EXPECT_FALSE(Meta("k", 0));
  auto meta = Meta("k", 2);
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->object_id, id);
  EXPECT_EQ(ObjectsRecord(id), MetaKeyIn(2, "k"));
  EXPECT_EQ(engine_->KeyCount(0), 0);
  EXPECT_EQ(engine_->KeyCount(2), 1);
  EXPECT_EQ(engine_->ExpiresCount(0), 0);
  EXPECT_EQ(engine_->ExpiresCount(2), 1);
  EXPECT_EQ(ExpiryIndex(), std::set<std::string>{codec::EncodeExpiryKey(at, MetaKeyIn(2, "k"))});
  CompactAll();
  EXPECT_EQ(Subkeys(id, Cf::kSetMembers).size(), 20u);
  // A second move back finds nothing to refuse; moving onto an existing key does.
  SetString("k", "zero", 0, 0);
  moved = MoveKey(*engine_, op, "k", 2);
  ASSERT_TRUE(moved.ok());
  EXPECT_FALSE(*moved);
  Reopen();
  EXPECT_EQ(engine_->KeyCount(0), 1);
  EXPECT_EQ(engine_->KeyCount(2), 1);
  EXPECT_EQ(engine_->ExpiresCount(2), 1);
}

TEST_F(KeyspaceEngineTest, CopyDuplicatesSubkeysUnderAFreshId) {
  uint64_t at = NowMs() + 100000;
  uint64_t src = MakeCollection("src", 30, at);
  OpContext op = Op(0);
  auto copied = CopyKey(*engine_, op, "src", "copy", 3, false);
  ASSERT_TRUE(copied.ok() && *copied);
  auto meta = Meta("copy", 3);
  ASSERT_TRUE(meta);
  uint64_t copy = meta->object_id;
  EXPECT_NE(copy, src);
  EXPECT_EQ(meta->expire_ms, at);
  EXPECT_EQ(meta->count, 30u);
  EXPECT_EQ(ObjectsRecord(copy), MetaKeyIn(3, "copy"));
  EXPECT_EQ(ObjectsRecord(src), MetaKeyIn(0, "src"));
  EXPECT_EQ(Subkeys(copy, Cf::kSetMembers), Subkeys(src, Cf::kSetMembers));
  EXPECT_EQ(Subkeys(copy, Cf::kHashFields), Subkeys(src, Cf::kHashFields));
  EXPECT_EQ(Subkeys(copy, Cf::kHashFields).at("m7"), "v7");
  EXPECT_EQ(engine_->KeyCount(3), 1);
  EXPECT_EQ(engine_->ExpiresCount(3), 1);
  EXPECT_EQ(ExpiryIndex().size(), 2u);
  // The copy outlives its source.
  std::string_view del[] = {"src"};
  ASSERT_TRUE(DeleteKeys(*engine_, op, del).ok());
  CompactAll();
  EXPECT_TRUE(Subkeys(src, Cf::kSetMembers).empty());
  EXPECT_TRUE(Subkeys(src, Cf::kHashFields).empty());
  EXPECT_EQ(Subkeys(copy, Cf::kSetMembers).size(), 30u);
  EXPECT_EQ(Subkeys(copy, Cf::kHashFields).size(), 30u);
}

TEST_F(KeyspaceEngineTest, CopyReplaceOverACollection) {
  uint64_t src = MakeCollection("src", 5);
  uint64_t old = MakeCollection("dst", 5);
  OpContext op = Op(0);
  auto copied = CopyKey(*engine_, op, "src", "dst", 0, false);
  ASSERT_TRUE(copied.ok());
  EXPECT_FALSE(*copied);
  copied = CopyKey(*engine_, op, "src", "dst", 0, true);
  ASSERT_TRUE(copied.ok() && *copied);
  EXPECT_TRUE(ObjectIsDead(impl(), old));
  EXPECT_FALSE(ObjectIsDead(impl(), src));
  EXPECT_FALSE(ObjectIsDead(impl(), Meta("dst")->object_id));
  EXPECT_EQ(engine_->KeyCount(0), 2);
}

TEST_F(KeyspaceEngineTest, CopyOfAStringIsIndependent) {
  SetString("s", "value", NowMs() + 100000);
  OpContext op = Op(0);
  ASSERT_TRUE(CopyKey(*engine_, op, "s", "t", 0, false).ok());
  SetString("s", "changed");
  EXPECT_EQ(Meta("t")->value, "value");
  EXPECT_EQ(engine_->ExpiresCount(0), 1);  // "s" lost its TTL, "t" has one
}

TEST_F(KeyspaceEngineTest, SwapDatabasesIsPersistentAndKeepsObjects) {
  uint64_t id = MakeCollection("c", 10, NowMs() + 100000, 1);
  SetString("s", "zero", 0, 0);
  OpContext op = Op(0);
  ASSERT_TRUE(SwapDatabases(*engine_, op, 0, 1).ok());
  ASSERT_TRUE(Meta("c", 0));
  EXPECT_EQ(Meta("c", 0)->object_id, id);
  EXPECT_EQ(Meta("s", 1)->value, "zero");
  EXPECT_EQ(ObjectsRecord(id), MetaKeyIn(0, "c"));  // unchanged bytes: physical ids
  EXPECT_EQ(engine_->KeyCount(0), 1);
  EXPECT_EQ(engine_->ExpiresCount(0), 1);
  EXPECT_EQ(engine_->ExpiresCount(1), 0);
  Reopen();
  EXPECT_EQ(Meta("c", 0)->object_id, id);
  EXPECT_EQ(Meta("s", 1)->value, "zero");
  EXPECT_EQ(engine_->KeyCount(0), 1);
  EXPECT_EQ(engine_->KeyCount(1), 1);
  EXPECT_EQ(engine_->ExpiresCount(0), 1);
  CompactAll();
  EXPECT_EQ(Subkeys(id, Cf::kSetMembers).size(), 10u);
  // A later FLUSHDB of the swapped database reaches its keys.
  OpContext flush = Op(0);
  ASSERT_TRUE(FlushDatabase(*engine_, flush).ok());
  EXPECT_FALSE(Meta("c", 0));
  EXPECT_EQ(Meta("s", 1)->value, "zero");
}

TEST_F(KeyspaceEngineTest, SwapDatabasesSignalsTheKeysWaitedOnInBoth) {
  ReadyKeys& ready = engine_->ready_keys();
  ready.AddInterest(0, "a");
  ready.AddInterest(1, "b");
  ready.AddInterest(2, "c");  // not swapped
  OpContext op = Op(0);
  ASSERT_TRUE(SwapDatabases(*engine_, op, 1, 0).ok());
  std::vector<ReadyKeys::Key> taken = ready.Take();
  std::set<std::pair<int, std::string>> keys;
  for (const auto& k : taken) keys.emplace(k.db, k.key);
  EXPECT_EQ(taken.size(), 2u);
  EXPECT_EQ(keys, (std::set<std::pair<int, std::string>>{{0, "a"}, {1, "b"}}));
  ASSERT_TRUE(SwapDatabases(*engine_, op, 3, 3).ok());  // a no-op signals nothing
  // The fixture has databases 0..3: with the waiter on 2 gone, nobody waits
  // on 2 or 3.
  ready.RemoveInterest(2, "c");
  ASSERT_TRUE(SwapDatabases(*engine_, op, 2, 3).ok());
  EXPECT_FALSE(ready.pending());
}

TEST_F(KeyspaceEngineTest, ScanPagesCoverStableKeysDespiteWritesBetweenPages) {
  std::set<std::string> stable;
  for (int i = 0; i < 300; ++i) {
    stable.insert("stable:" + std::to_string(i));
    SetString("stable:" + std::to_string(i), "v");
  }
  SetString("dead", "v", NowMs() - 1);
  std::set<std::string> seen;
  std::string position;
  int pages = 0, churn = 0;
  while (true) {
    OpContext op = Op();
    auto page = ScanKeys(*engine_, op, position, 16, KeyFilter{});
    ASSERT_TRUE(page.ok());
    for (auto& k : page->keys) seen.insert(k);
    ++pages;
    if (page->done) break;
    ASSERT_GT(page->next, position);  // positions only grow
    position = page->next;
    // Writes between pages: new keys, deletions of other new keys.
    for (int i = 0; i < 5; ++i) SetString("churn:" + std::to_string(churn++), "v");
    OpContext del = Op();
    std::string victim = "churn:" + std::to_string(churn / 2);
    std::string_view k[] = {victim};
    ASSERT_TRUE(DeleteKeys(*engine_, del, k).ok());
  }
  for (const auto& k : stable) EXPECT_TRUE(seen.count(k)) << k;
  EXPECT_FALSE(seen.count("dead"));
  EXPECT_LT(pages, 60);
}

TEST_F(KeyspaceEngineTest, ScanResumesAtASlotStart) {
  SetString("a", "1");
  OpContext op = Op();
  std::string_view key = "a";
  uint16_t slot = codec::KeySlot(key);
  auto page = ScanKeys(*engine_, op, SlotStartPosition(slot), 100, KeyFilter{});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->keys, std::vector<std::string>{"a"});
  page = ScanKeys(*engine_, op, SlotStartPosition(static_cast<uint16_t>(slot + 1)), 100, {});
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->keys.empty());
  EXPECT_TRUE(page->done);
  EXPECT_EQ(PositionSlot(SlotStartPosition(12345)), 12345);
}

TEST(DescribeValue, RedisStringEncodings) {
  using codec::StringRepr;
  struct Case {
    std::string value;
    StringRepr repr;
    std::string_view encoding;
    int64_t refcount;
  } cases[] = {
      {"1", StringRepr::kTryInt, "int", INT_MAX},
      {"9999", StringRepr::kTryInt, "int", INT_MAX},
      {"10000", StringRepr::kTryInt, "int", 1},
      {"-5", StringRepr::kTryInt, "int", 1},
      {"12345678901234567890", StringRepr::kTryInt, "embstr", 1},
      {"007", StringRepr::kTryInt, "embstr", 1},
      {std::string(44, 'x'), StringRepr::kTryInt, "embstr", 1},
      {std::string(45, 'x'), StringRepr::kTryInt, "raw", 1},
      {"1", StringRepr::kRaw, "raw", 1},        // APPEND / SETRANGE results
      {"15", StringRepr::kNoInt, "embstr", 1},  // INCRBYFLOAT results
      {std::string(45, '1'), StringRepr::kNoInt, "raw", 1},
  };
  for (const auto& c : cases) {
    MetaValue v;
    v.value = c.value;
    v.repr = c.repr;
    auto info = DescribeValue(v);
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->encoding, c.encoding) << c.value;
    EXPECT_EQ(info->refcount, c.refcount) << c.value;
    // The representation survives the codec.
    auto decoded = codec::DecodeMetaValue(codec::EncodeMetaValue(v));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->repr, c.repr);
  }
  MetaValue list;
  list.type = codec::ValueType::kList;
  EXPECT_EQ(DescribeValue(list)->encoding, "quicklist");
}

}  // namespace
}  // namespace strata::engine
