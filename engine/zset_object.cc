// Zset's sub-key reads and writes; see zset_object.h.
#include "engine/zset_object.h"

#include <algorithm>

#include "codec/zset_score.h"

namespace strata::engine {

using codec::MetaValue;
using codec::ValueType;

StatusOr<Zset> Zset::Open(KeyAccess& access, std::string_view key) {
  ASSIGN_OR_RETURN(const MetaValue* meta, access.Find(key));
  if (meta->type != ValueType::kZset) return Status::WrongType();
  return Zset(access, key, *meta);
}

StatusOr<Zset> Zset::Create(KeyAccess& access, std::string_view key) {
  MetaValue meta;
  meta.type = ValueType::kZset;
  ASSIGN_OR_RETURN(meta.object_id, access.NewObjectId());
  access.PutNew(key, meta);
  return Zset(access, key, std::move(meta));
}

StatusOr<std::optional<double>> Zset::Score(std::string_view member) {
  std::string value;
  Status s = access_->GetSub(key_, SubFamily::kZsetMembers, member, &value);
  if (s.IsNotFound()) return std::optional<double>();
  RETURN_IF_ERROR(s);
  double score;
  if (!codec::DecodeScoreValue(value, &score)) {
    return Status(StatusCode::kCorruption, "zset member value");
  }
  return std::optional<double>(score);
}

void Zset::Insert(std::string_view member, double score, std::optional<double> old) {
  if (!old) {
    ++meta_.count;
    if (meta_.count > kMaxListpackEntries || member.size() > kMaxListpackValue) {
      meta_.big_encoding = true;
    }
  } else {
    access_->DeleteSub(key_, SubFamily::kZsetScores, codec::EncodeScoreKey(*old, member));
  }
  // A listpack keeps no sign on a zero score; a skiplist does.
  if (!meta_.big_encoding) score = codec::NormalizeZero(score);
  access_->PutSub(key_, SubFamily::kZsetMembers, member, codec::EncodeScoreValue(score));
  access_->PutSub(key_, SubFamily::kZsetScores, codec::EncodeScoreKey(score, member), "");
}

void Zset::Erase(std::string_view member, double score) {
  access_->DeleteSub(key_, SubFamily::kZsetMembers, member);
  access_->DeleteSub(key_, SubFamily::kZsetScores, codec::EncodeScoreKey(score, member));
  --meta_.count;
}

void Zset::Finish() {
  if (meta_.count == 0) {
    access_->DeleteEmpty(key_);
  } else {
    access_->Put(key_, meta_);
  }
}

Status Zset::Walk(std::string_view start, bool reverse, const Visitor& visit) {
  Status bad;
  RETURN_IF_ERROR(access_->ScanSub(key_, SubFamily::kZsetScores, start, reverse,
                                   [&](std::string_view subkey, std::string_view) {
                                     double score;
                                     std::string_view member;
                                     if (!codec::DecodeScoreKey(subkey, &score, &member)) {
                                       bad = Status(StatusCode::kCorruption, "zset score key");
                                       return false;
                                     }
                                     return visit(score, member);
                                   }));
  return bad;
}

StatusOr<std::vector<ZEntry>> Zset::AscendingRanks(uint64_t from, uint64_t to) {
  std::vector<ZEntry> out;
  out.reserve(to - from + 1);
  ASSIGN_OR_RETURN(std::optional<std::string> first, KeyAtRank(from));
  if (first) {
    RETURN_IF_ERROR(Walk(*first, false, [&](double score, std::string_view member) {
      out.push_back(ZEntry{std::string(member), score});
      return out.size() < to - from + 1;
    }));
    RETURN_IF_ERROR(FixZeroSigns(&out));
    return out;
  }
  bool from_start = from <= size() - 1 - to;
  uint64_t skip = from_start ? from : size() - 1 - to;
  uint64_t seen = 0;
  RETURN_IF_ERROR(Walk("", !from_start, [&](double score, std::string_view member) {
    if (seen++ < skip) return true;
    out.push_back(ZEntry{std::string(member), score});
    return out.size() < to - from + 1;
  }));
  if (!from_start) std::reverse(out.begin(), out.end());
  RETURN_IF_ERROR(FixZeroSigns(&out));
  return out;
}

StatusOr<uint64_t> Zset::RankOf(std::string_view member, double score) {
  score = codec::NormalizeZero(score);
  ASSIGN_OR_RETURN(std::optional<uint64_t> below, CountBelow(codec::EncodeScoreKey(score, member)));
  if (below) return *below;
  // Per direction: where the next chunk starts (inclusive; "" = the end
  // itself), whether that first entry was already counted, and the count.
  struct Side {
    std::string start;
    bool skip_first = false;
    uint64_t counted = 0;
  } sides[2];
  for (uint64_t chunk = 32;; chunk *= 2) {
    for (int reverse = 0; reverse < 2; ++reverse) {
      Side& side = sides[reverse];
      bool found = false;
      bool first = true;
      uint64_t seen = 0;
      std::string last;
      RETURN_IF_ERROR(Walk(side.start, reverse == 1, [&](double s, std::string_view m) {
        if (first && side.skip_first) {
          first = false;
          return true;
        }
        first = false;
        if (s == score && m == member) {
          found = true;
          return false;
        }
        ++side.counted;
        if (++seen < chunk) return true;
        last = codec::EncodeScoreKey(s, m);
        return false;
      }));
      if (found) return reverse == 1 ? size() - 1 - side.counted : side.counted;
      if (last.empty()) return Status(StatusCode::kCorruption, "zset member without score key");
      side.start = std::move(last);
      side.skip_first = true;
    }
  }
}

Status Zset::FixZeroSigns(std::vector<ZEntry>* entries) {
  if (!big()) return Status::Ok();
  for (ZEntry& e : *entries) {
    if (e.score != 0) continue;
    ASSIGN_OR_RETURN(std::optional<double> exact, Score(e.member));
    if (exact) e.score = *exact;
  }
  return Status::Ok();
}

}  // namespace strata::engine

namespace strata::engine {

StatusOr<ZsetRankIndex*> Zset::RankIndex() {
  if (size() <= kIndexedSize || access_->HasStagedSubkeys(key_)) return nullptr;
  if (!index_looked_up_) {
    index_looked_up_ = true;
    index_ = std::dynamic_pointer_cast<ZsetRankIndex>(access_->Index(key_));
  }
  if (index_ != nullptr && index_->consistent() && index_->size() == size()) return index_.get();
  // None yet, or one that lost count (see zset_rank_index.h): one scan —
  // unless the tier could not keep it (a small budget): rebuilding it per
  // query would cost more than walking.
  if (!access_->TierAdmits(ZsetRankIndex::EstimateBytes(size()))) return nullptr;
  if (!access_->may_block()) return Status::WouldBlock();
  ZsetRankIndex::Builder builder;
  RETURN_IF_ERROR(ScanKeys("", [&](std::string_view k) {
    builder.Add(k);
    return true;
  }));
  index_ = std::make_shared<ZsetRankIndex>(builder.Finish());
  if (index_->size() != size()) {  // the metadata disagrees: walk as without one
    index_.reset();
    return nullptr;
  }
  access_->SetIndex(key_, index_);
  return index_.get();
}

StatusOr<bool> Zset::BoundBlock(size_t b) {
  ZsetRankIndex& index = *index_;
  uint64_t count = index.count(b);
  if (count <= ZsetRankIndex::kSplitAt) return true;
  // Inline, a command may read a few blocks' worth, not an unbounded one.
  if (!access_->may_block() && count > 8 * ZsetRankIndex::kSplitAt) return Status::WouldBlock();
  std::string fence(index.fence(b));
  std::string end = b + 1 < index.blocks() ? std::string(index.fence(b + 1)) : std::string();
  ZsetRankIndex::Builder builder;
  RETURN_IF_ERROR(ScanKeys(fence, [&](std::string_view k) {
    if (!end.empty() && k >= end) return false;
    builder.Add(k);
    return true;
  }));
  auto parts = builder.Finish();
  parts[0].first = std::move(fence);
  uint64_t seen = 0;
  for (const auto& part : parts) seen += part.second;
  if (seen != count) {  // the index lost count: rebuild it on next use
    index_looked_up_ = true;
    index_.reset();
    return false;
  }
  index.Split(b, std::move(parts));
  access_->SetIndex(key_, index_);  // re-charged with its new fences
  return true;
}

Status Zset::ScanKeys(std::string_view start, const std::function<bool(std::string_view)>& visit) {
  return access_->ScanSub(key_, SubFamily::kZsetScores, start, false,
                          [&](std::string_view subkey, std::string_view) { return visit(subkey); });
}

StatusOr<std::optional<uint64_t>> Zset::CountBelow(std::string_view key) {
  for (;;) {
    ASSIGN_OR_RETURN(ZsetRankIndex * index, RankIndex());
    if (index == nullptr) return std::optional<uint64_t>();
    size_t b = index->BlockOf(key);
    ASSIGN_OR_RETURN(bool bounded, BoundBlock(b));
    if (!bounded) continue;
    b = index->BlockOf(key);
    uint64_t n = index->CountBefore(b);
    RETURN_IF_ERROR(ScanKeys(index->fence(b), [&](std::string_view k) {
      if (k >= key) return false;
      ++n;
      return true;
    }));
    return std::optional<uint64_t>(n);
  }
}

StatusOr<std::optional<std::string>> Zset::KeyAtRank(uint64_t rank) {
  for (;;) {
    ASSIGN_OR_RETURN(ZsetRankIndex * index, RankIndex());
    if (index == nullptr) return std::optional<std::string>();
    ASSIGN_OR_RETURN(bool bounded, BoundBlock(index->BlockAtRank(rank).first));
    if (!bounded) continue;
    auto [b, first] = index->BlockAtRank(rank);
    uint64_t skip = rank - first;
    std::optional<std::string> found;
    RETURN_IF_ERROR(ScanKeys(index->fence(b), [&](std::string_view k) {
      if (skip-- > 0) return true;
      found.emplace(k);
      return false;
    }));
    if (!found) return Status(StatusCode::kCorruption, "zset rank index past the score keys");
    return found;
  }
}

}  // namespace strata::engine
