// ZADD, ZINCRBY, ZREM, ZCARD, ZSCORE/ZMSCORE and ZRANK over Zset; see
// zset_ops.h.
#include "engine/zset_ops.h"

#include <cmath>

#include "codec/zset_score.h"
#include "engine/key_access.h"
#include "engine/zset_object.h"

namespace strata::engine {

namespace {

// Redis's zsetAdd for one pair: updates `z` and `result`; false for a NaN.
StatusOr<bool> AddOne(Zset& z, const ZAddOptions& o, const ZAddPair& pair, ZAddResult* result) {
  ASSIGN_OR_RETURN(std::optional<double> old, z.Score(pair.member));
  double score = pair.score;
  if (old) {
    if (o.nx) return true;
    if (o.incr) {
      score += *old;
      if (std::isnan(score)) return false;
    }
    if ((o.lt && score >= *old) || (o.gt && score <= *old)) return true;
    ++result->processed;
    result->score = score;
    if (score != *old) {
      z.Insert(pair.member, score, old);
      ++result->updated;
    }
    return true;
  }
  if (o.xx) return true;
  z.Insert(pair.member, score, std::nullopt);
  ++result->added;
  ++result->processed;
  result->score = score;
  return true;
}

}  // namespace

StatusOr<ZAddResult> ZAdd(Engine& engine, OpContext& ctx, std::string_view key,
                          const ZAddOptions& options, std::span<const ZAddPair> pairs) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  auto opened = Zset::Open(access, key);
  ZAddResult result;
  if (opened.status().IsNotFound()) {
    if (options.xx) {
      RETURN_IF_ERROR(access.Commit());  // may carry a lazy-expiry delete
      return result;
    }
    opened = Zset::Create(access, key);
  }
  if (!opened.ok()) return opened.status();
  Zset& z = *opened;
  for (const ZAddPair& pair : pairs) {
    ASSIGN_OR_RETURN(bool ok, AddOne(z, options, pair, &result));
    // Redis replies the error having applied the earlier pairs; only INCR
    // (a single pair) can produce a NaN, so nothing was applied.
    if (!ok) return Status(StatusCode::kInvalidArgument, std::string(kZsetNanError));
  }
  z.Finish();
  RETURN_IF_ERROR(access.Commit());
  return result;
}

StatusOr<uint64_t> ZRem(Engine& engine, OpContext& ctx, std::string_view key,
                        std::span<const std::string_view> members) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  auto opened = Zset::Open(access, key);
  if (opened.status().IsNotFound()) {
    RETURN_IF_ERROR(access.Commit());  // may carry a lazy-expiry delete
    return uint64_t{0};
  }
  if (!opened.ok()) return opened.status();
  Zset& z = *opened;
  uint64_t removed = 0;
  for (std::string_view member : members) {
    ASSIGN_OR_RETURN(std::optional<double> score, z.Score(member));
    if (!score) continue;
    z.Erase(member, *score);
    ++removed;
  }
  if (removed > 0) z.Finish();
  RETURN_IF_ERROR(access.Commit());
  return removed;
}

StatusOr<uint64_t> ZCard(Engine& engine, OpContext& ctx, std::string_view key) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  auto opened = Zset::Open(access, key);
  if (opened.status().IsNotFound()) return uint64_t{0};
  if (!opened.ok()) return opened.status();
  return opened->size();
}

StatusOr<std::vector<std::optional<double>>> ZScores(Engine& engine, OpContext& ctx,
                                                     std::string_view key,
                                                     std::span<const std::string_view> members) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  std::vector<std::optional<double>> out(members.size());
  auto opened = Zset::Open(access, key);
  if (opened.status().IsNotFound()) return out;
  if (!opened.ok()) return opened.status();
  for (size_t i = 0; i < members.size(); ++i) {
    ASSIGN_OR_RETURN(out[i], opened->Score(members[i]));
  }
  return out;
}

StatusOr<std::optional<ZRankResult>> ZRank(Engine& engine, OpContext& ctx, std::string_view key,
                                           std::string_view member, bool reverse) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  auto opened = Zset::Open(access, key);
  if (opened.status().IsNotFound()) return std::optional<ZRankResult>();
  if (!opened.ok()) return opened.status();
  Zset& z = *opened;
  ASSIGN_OR_RETURN(std::optional<double> score, z.Score(member));
  if (!score) return std::optional<ZRankResult>();
  ASSIGN_OR_RETURN(uint64_t rank, z.RankOf(member, *score));
  if (reverse) rank = z.size() - 1 - rank;
  return std::optional<ZRankResult>(ZRankResult{static_cast<int64_t>(rank), *score});
}

}  // namespace strata::engine
