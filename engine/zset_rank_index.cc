// ZsetRankIndex's blocks and Fenwick tree; see zset_rank_index.h.
#include "engine/zset_rank_index.h"

#include <algorithm>
#include <bit>

namespace strata::engine {

void ZsetRankIndex::Builder::Add(std::string_view key) {
  if (blocks_.empty()) {
    blocks_.emplace_back(std::string(), 0);
  } else if (blocks_.back().second == kBlock) {
    blocks_.emplace_back(std::string(key), 0);
  }
  ++blocks_.back().second;
}

std::vector<std::pair<std::string, uint64_t>> ZsetRankIndex::Builder::Finish() {
  if (blocks_.empty()) blocks_.emplace_back(std::string(), 0);
  return std::move(blocks_);
}

ZsetRankIndex::ZsetRankIndex(std::vector<std::pair<std::string, uint64_t>> blocks) {
  fences_.reserve(blocks.size());
  counts_.reserve(blocks.size());
  for (auto& [fence, count] : blocks) {
    fences_.push_back(std::move(fence));
    counts_.push_back(count);
  }
  RebuildTree();
}

uint64_t ZsetRankIndex::bytes() const {
  return sizeof(*this) + fences_.capacity() * sizeof(std::string) +
         (counts_.capacity() + tree_.capacity()) * sizeof(uint64_t) + fence_bytes_;
}

size_t ZsetRankIndex::BlockOf(std::string_view key) const {
  // fence(0) is "", below every key: the block always exists.
  auto it = std::upper_bound(fences_.begin(), fences_.end(), key,
                             [](std::string_view k, const std::string& f) { return k < f; });
  return static_cast<size_t>(it - fences_.begin()) - 1;
}

uint64_t ZsetRankIndex::CountBefore(size_t b) const {
  uint64_t sum = 0;
  for (size_t i = b; i > 0; i -= i & (~i + 1)) sum += tree_[i];
  return sum;
}

std::pair<size_t, uint64_t> ZsetRankIndex::BlockAtRank(uint64_t rank) const {
  // Fenwick descent: the most blocks whose total is <= rank (empty blocks
  // included, so the block reached holds the rank).
  size_t n = counts_.size();
  size_t pos = 0;
  uint64_t rest = rank;
  for (size_t step = std::bit_floor(n); step > 0; step >>= 1) {
    if (pos + step <= n && tree_[pos + step] <= rest) {
      pos += step;
      rest -= tree_[pos];
    }
  }
  return {pos, rank - rest};
}

void ZsetRankIndex::Apply(std::string_view subkey, int delta) {
  size_t b = BlockOf(subkey);
  if (delta < 0 && counts_[b] == 0) {
    consistent_ = false;  // a removal of a key never counted: see the header
    return;
  }
  counts_[b] += static_cast<uint64_t>(static_cast<int64_t>(delta));
  total_ += static_cast<uint64_t>(static_cast<int64_t>(delta));
  if (counts_[b] == 0 && b > 0) {
    // Merge the emptied block into the one before: its range joins that one.
    fences_.erase(fences_.begin() + static_cast<ptrdiff_t>(b));
    counts_.erase(counts_.begin() + static_cast<ptrdiff_t>(b));
    if (fences_.size() > 16 && total_ < fences_.size() * kBlock / 4) {
      MergeSparse();
    } else {
      RebuildTree();
    }
    return;
  }
  for (size_t i = b + 1; i <= counts_.size(); i += i & (~i + 1)) {
    tree_[i] += static_cast<uint64_t>(static_cast<int64_t>(delta));
  }
}

void ZsetRankIndex::Split(size_t b, std::vector<std::pair<std::string, uint64_t>> parts) {
  counts_[b] = parts[0].second;
  auto at = static_cast<ptrdiff_t>(b) + 1;
  for (size_t i = 1; i < parts.size(); ++i) {
    fences_.insert(fences_.begin() + at, std::move(parts[i].first));
    counts_.insert(counts_.begin() + at, parts[i].second);
    ++at;
  }
  RebuildTree();
}

void ZsetRankIndex::MergeSparse() {
  size_t out = 0;
  for (size_t i = 1; i < counts_.size(); ++i) {
    if (counts_[out] + counts_[i] <= kBlock) {
      counts_[out] += counts_[i];
    } else {
      ++out;
      fences_[out] = std::move(fences_[i]);
      counts_[out] = counts_[i];
    }
  }
  fences_.resize(out + 1);
  counts_.resize(out + 1);
  fences_.shrink_to_fit();
  counts_.shrink_to_fit();
  RebuildTree();
}

void ZsetRankIndex::RebuildTree() {
  size_t n = counts_.size();
  tree_.assign(n + 1, 0);
  total_ = 0;
  fence_bytes_ = 0;
  for (size_t i = 1; i <= n; ++i) {
    tree_[i] += counts_[i - 1];
    total_ += counts_[i - 1];
    size_t parent = i + (i & (~i + 1));
    if (parent <= n) tree_[parent] += tree_[i];
    const std::string& f = fences_[i - 1];
    if (f.size() > 15) fence_bytes_ += f.capacity() + 1;
  }
}

}  // namespace strata::engine
