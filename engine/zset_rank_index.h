// ZsetRankIndex: the order-statistics index of a big sorted set, kept in RAM
// with the object in the hot tier, so ZRANK, ZRANGE by rank, ZREMRANGEBYRANK,
// ZCOUNT and score ranges with a LIMIT offset cost one seek and a bounded scan
// instead of a walk of the score order from one end.
//
// STRUCTURE. The object's zset_scores sub-keys (sortable score + member, in
// byte order) are cut into blocks at fence keys: block i holds the keys k
// with fence(i) <= k < fence(i + 1); fence(0) is "" and the last block is
// unbounded above. A fence is only a boundary: it need not be, or stay, a
// member. Per block the index keeps the exact number of keys, and a Fenwick
// tree over those counts gives the number of keys before a block, and the
// block holding a given rank, in O(log B). Blocks are cut at kBlock (64)
// keys, so a 1M-member zset has ~16k fences, about 80 bytes each with a short
// member (~1.3 MB, charged to the hot tier). 64 rather than more because the
// in-block scan is the cost of a query: on a 1M-member zset, server CPU per
// ZRANK was ~48 us with blocks of 256 and ~35 us with 64 (ZSCORE: ~20 us).
//
// QUERIES (engine/zset_object.cc): the rank of a key is the count before its
// block (binary search of the fences) plus a scan of that block from its
// fence up to the key — one seek and fewer than 2 * kBlock entries while the
// block is not oversized; the entry of rank r is found the same way from the
// block holding r.
//
// MAINTENANCE, all without I/O except the split:
//   - built on first use by one scan of the score order (Builder);
//   - KeyAccess::Commit reports every committed insertion (+1) or removal
//     (-1) of a score key (hot_tier.h, ObjectIndex): the count of its block
//     changes, O(log B);
//   - a block that empties is merged into the one before it, and when the
//     blocks average under kBlock / 4 keys adjacent blocks are merged while
//     their sum stays within kBlock (counts add; fences are dropped);
//   - a block grown past kSplitAt keys (insertions concentrated in one place,
//     e.g. ever-growing timestamps) is split by the next query that lands in
//     it: that query reads the block once and re-cuts it (Split), a cost
//     amortized over the insertions that grew it.
// A zset whose index the hot tier would not admit (more than a quarter of a
// shard's budget: a small maxmemory) gets none and walks as before.
// The index only counts: if its total ever disagrees with the metadata's
// count (a broken contract), the zset discards it and builds a new one.
//
// Not thread-safe: every use holds the key's lock (hot_tier.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/hot_tier.h"

namespace strata::engine {

class ZsetRankIndex final : public ObjectIndex {
 public:
  static constexpr uint64_t kBlock = 64;
  static constexpr uint64_t kSplitAt = 2 * kBlock;

  // Cuts a sequence of keys given in ascending order into blocks of kBlock.
  class Builder {
   public:
    void Add(std::string_view key);
    // The blocks built so far: (fence, count), the first fence "".
    std::vector<std::pair<std::string, uint64_t>> Finish();

   private:
    std::vector<std::pair<std::string, uint64_t>> blocks_;
  };

  // REQUIRES: blocks non-empty, fences ascending, the first "".
  explicit ZsetRankIndex(std::vector<std::pair<std::string, uint64_t>> blocks);

  // About what bytes() will be for `keys` keys of short members, before
  // building it.
  static uint64_t EstimateBytes(uint64_t keys) { return (keys / kBlock + 1) * 96; }

  SubFamily family() const override { return SubFamily::kZsetScores; }
  void Apply(std::string_view subkey, int delta) override;
  uint64_t bytes() const override;

  uint64_t size() const { return total_; }
  // False once a removal hit an empty block (a broken contract).
  bool consistent() const { return consistent_; }
  size_t blocks() const { return fences_.size(); }
  std::string_view fence(size_t b) const { return fences_[b]; }
  uint64_t count(size_t b) const { return counts_[b]; }
  // The block that holds (or would hold) `key`.
  size_t BlockOf(std::string_view key) const;
  // The number of keys in blocks before `b`.
  uint64_t CountBefore(size_t b) const;
  // The block holding ascending rank `rank` (REQUIRES rank < size()) and the
  // rank of its first key.
  std::pair<size_t, uint64_t> BlockAtRank(uint64_t rank) const;
  // Replaces block `b` by `parts` (REQUIRES: the first fence is fence(b),
  // ascending, below fence(b + 1), counts summing to count(b)).
  void Split(size_t b, std::vector<std::pair<std::string, uint64_t>> parts);

 private:
  void RebuildTree();
  void MergeSparse();

  std::vector<std::string> fences_;
  std::vector<uint64_t> counts_;
  std::vector<uint64_t> tree_;  // Fenwick tree of counts_, 1-based
  uint64_t total_ = 0;
  uint64_t fence_bytes_ = 0;  // heap parts of the fences
  bool consistent_ = true;
};

}  // namespace strata::engine
