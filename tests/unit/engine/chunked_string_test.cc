// Chunked strings on a real RocksDB (codec/layout.h decision 5,
// engine/chunked_string.h): what is stored where, that edits touch only the
// chunks they change, that reads assemble the right bytes, and that an
// overwritten or deleted chunked string is reclaimed by the GC filter.
#include "engine/chunked_string.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "engine/bit_ops.h"
#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/gc_filter.h"
#include "engine/key_access.h"
#include "engine/keyspace_ops.h"
#include "engine/string_ops.h"
#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

using codec::kChunkSize;
using codec::kMaxInlineString;

class ChunkedStringTest : public EngineFixture {
 protected:
  ChunkedStringTest() { options_.databases = 1; }
  void Set(std::string_view k, std::string_view v) {
    OpContext op = Op();
    ASSERT_TRUE(SetString(*engine_, op, k, v, {}).ok());
  }
  std::string Get(std::string_view k) {
    OpContext op = Op();
    auto r = GetString(*engine_, op, k);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::string();
  }
  codec::MetaValue Meta(std::string_view k) {
    OpContext op = Op();
    KeyAccess access(*engine_, op, KeyAccess::Intent::kRead);
    EXPECT_TRUE(access.Lock(k).ok());
    auto m = access.Find(k);
    EXPECT_TRUE(m.ok());
    return m.ok() ? **m : codec::MetaValue();
  }
  // Chunk records stored for object `id` (flushed or not).
  int Chunks(uint64_t id) {
    auto& e = engine_->impl();
    std::unique_ptr<rocksdb::Iterator> it(
        e.db->NewIterator(rocksdb::ReadOptions(), e.cf(Cf::kChunks)));
    std::string prefix = codec::EncodeObjectId(id);
    int n = 0;
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) ++n;
    return n;
  }
  uint64_t BytesWritten() { return engine_->Stats().bytes_written; }
  void CompactAll() {
    auto& e = engine_->impl();
    ASSERT_TRUE(e.db->Flush(rocksdb::FlushOptions(), e.cfs).ok());
    rocksdb::CompactRangeOptions cro;
    cro.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    for (auto* cf : e.cfs) ASSERT_TRUE(e.db->CompactRange(cro, cf, nullptr, nullptr).ok());
  }
};

std::string Pattern(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>('a' + rng() % 26);
  return s;
}

TEST_F(ChunkedStringTest, ThresholdDecidesInlineOrChunked) {
  Set("small", std::string(kMaxInlineString, 'x'));
  EXPECT_FALSE(Meta("small").chunked);
  std::string big = Pattern(kMaxInlineString + 1, 1);
  Set("big", big);
  auto m = Meta("big");
  ASSERT_TRUE(m.chunked);
  EXPECT_EQ(m.string_length(), big.size());
  EXPECT_EQ(Chunks(m.object_id), 5);  // 16 KiB + 1 byte in 4 KiB chunks
  EXPECT_EQ(Get("big"), big);
}

TEST_F(ChunkedStringTest, ZeroChunksAreNotStoredAndReadAsZeros) {
  std::string v(10 * kChunkSize, '\0');
  v[3 * kChunkSize + 7] = 'x';
  v[9 * kChunkSize] = 'y';
  Set("sparse", v);
  auto m = Meta("sparse");
  EXPECT_EQ(Chunks(m.object_id), 2);
  EXPECT_EQ(Get("sparse"), v);
  OpContext op = Op();
  auto r = GetRange(*engine_, op, "sparse", 3 * kChunkSize, 3 * kChunkSize + 9);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, v.substr(3 * kChunkSize, 10));
}

TEST_F(ChunkedStringTest, SetBitAtTheTopWritesOneChunk) {
  uint64_t before = BytesWritten();
  OpContext op = Op();
  auto old = SetBit(*engine_, op, "bits", (1ULL << 32) - 1, 1);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(*old, 0);
  EXPECT_LT(BytesWritten() - before, 2 * kChunkSize);
  auto m = Meta("bits");
  ASSERT_TRUE(m.chunked);
  EXPECT_EQ(m.string_length(), 1ULL << 29);
  EXPECT_EQ(Chunks(m.object_id), 1);
  auto bit = GetBit(*engine_, op, "bits", (1ULL << 32) - 1);
  ASSERT_TRUE(bit.ok());
  EXPECT_EQ(*bit, 1);
  auto pos = BitPos(*engine_, op, "bits", 1, std::nullopt);
  ASSERT_TRUE(pos.ok());
  EXPECT_EQ(*pos, (1LL << 32) - 1);
  // Clearing the only bit deletes the chunk instead of storing zeros.
  ASSERT_TRUE(SetBit(*engine_, op, "bits", (1ULL << 32) - 1, 0).ok());
  EXPECT_EQ(Chunks(m.object_id), 0);
  auto count = BitCount(*engine_, op, "bits", std::nullopt);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);
}

TEST_F(ChunkedStringTest, EditsTouchOnlyTheirChunks) {
  std::string v = Pattern(64 * kChunkSize, 2);
  Set("k", v);
  // SETRANGE across one chunk boundary rewrites two chunks.
  uint64_t before = BytesWritten();
  OpContext op = Op();
  ASSERT_TRUE(SetRange(*engine_, op, "k", 10 * kChunkSize - 2, "XYZW", 1ULL << 29).ok());
  v.replace(10 * kChunkSize - 2, 4, "XYZW");
  EXPECT_LT(BytesWritten() - before, 3 * kChunkSize);
  // APPEND rewrites the last chunk and adds new ones.
  before = BytesWritten();
  std::string tail = Pattern(100, 3);
  auto len = Append(*engine_, op, "k", tail, 1ULL << 29);
  ASSERT_TRUE(len.ok());
  v += tail;
  EXPECT_EQ(*len, v.size());
  EXPECT_LT(BytesWritten() - before, 2 * kChunkSize);
  EXPECT_EQ(Get("k"), v);
  Reopen();
  EXPECT_EQ(Get("k"), v);
  op = Op();
  auto r = GetRange(*engine_, op, "k", -150, -1);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, v.substr(v.size() - 150));
}

TEST_F(ChunkedStringTest, AppendConvertsInlineToChunks) {
  std::string v = Pattern(kMaxInlineString - 10, 4);
  Set("k", v);
  OpContext op = Op();
  std::string more = Pattern(100, 5);
  ASSERT_TRUE(Append(*engine_, op, "k", more, 1ULL << 29).ok());
  v += more;
  auto m = Meta("k");
  ASSERT_TRUE(m.chunked);
  EXPECT_EQ(Get("k"), v);
  EXPECT_EQ(Append(*engine_, op, "k", "x", v.size()).status().code(), StatusCode::kOutOfRange);
}

TEST_F(ChunkedStringTest, BitfieldAcrossAChunkBoundary) {
  Set("k", std::string(8 * kChunkSize, '\0'));
  OpContext op = Op();
  BitfieldOp set;
  set.kind = BitfieldOp::Kind::kSet;
  set.type = {true, 64};
  set.offset = 3 * kChunkSize * 8 - 13;
  set.value = -2;
  BitfieldOp get = set;
  get.kind = BitfieldOp::Kind::kGet;
  BitfieldOp ops[] = {set, get};
  auto r = Bitfield(*engine_, op, "k", ops);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0], 0);
  EXPECT_EQ((*r)[1], -2);
  BitfieldOp again[] = {get};
  r = Bitfield(*engine_, op, "k", again);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0], -2);
  auto count = BitCount(*engine_, op, "k", std::nullopt);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 63);
}

TEST_F(ChunkedStringTest, OverwriteAndDeleteLetGcReclaimChunks) {
  Set("a", Pattern(5 * kChunkSize, 6));
  Set("b", Pattern(5 * kChunkSize, 7));
  uint64_t a_id = Meta("a").object_id, b_id = Meta("b").object_id;
  Set("c", Pattern(5 * kChunkSize, 8));
  uint64_t c_id = Meta("c").object_id;
  // A live chunked string owns its id: objects[id] names its metadata key.
  auto& e = engine_->impl();
  std::string owner;
  ASSERT_TRUE(
      e.db->Get(rocksdb::ReadOptions(), e.cf(Cf::kObjects), codec::EncodeObjectId(c_id), &owner)
          .ok());
  EXPECT_EQ(owner, codec::EncodeMetaKey(e.db_map[0], "c"));
  // Overwriting a chunked string by another gives it a new id; the old one dies.
  Set("c", Pattern(5 * kChunkSize, 9));
  uint64_t c_old = c_id;
  c_id = Meta("c").object_id;
  EXPECT_NE(c_id, c_old);
  Set("a", "small now");  // overwrite by an inline string
  OpContext op = Op();
  std::string_view del[] = {"b"};
  ASSERT_TRUE(DeleteKeys(*engine_, op, del).ok());
  EXPECT_TRUE(ObjectIsDead(e, a_id));
  EXPECT_TRUE(ObjectIsDead(e, b_id));
  EXPECT_TRUE(ObjectIsDead(e, c_old));
  EXPECT_FALSE(ObjectIsDead(e, c_id));
  CompactAll();
  EXPECT_EQ(Chunks(c_old), 0);
  EXPECT_EQ(Chunks(a_id), 0);
  EXPECT_EQ(Chunks(b_id), 0);
  EXPECT_EQ(Chunks(c_id), 5);
  EXPECT_EQ(Get("a"), "small now");
}

TEST_F(ChunkedStringTest, InlineReadOfColdChunkWouldBlock) {
  std::string v = Pattern(6 * kChunkSize, 9);
  Set("k", v);
  auto& e = engine_->impl();
  ASSERT_TRUE(e.db->Flush(rocksdb::FlushOptions(), e.cfs).ok());
  Reopen();
  // Warm the metadata only, then read a range inline.
  (void)Meta("k");
  OpContext op = Op();
  op.may_block = false;
  auto r = GetRange(*engine_, op, "k", 0, 10);
  if (!r.ok()) {
    EXPECT_TRUE(r.status().IsWouldBlock()) << r.status().ToString();
  }
  op.may_block = true;
  r = GetRange(*engine_, op, "k", 0, 3 * kChunkSize);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, v.substr(0, 3 * kChunkSize + 1));
}

}  // namespace
}  // namespace strata::engine
