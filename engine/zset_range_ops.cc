// Range operations on sorted sets — ZRANGE (by rank, score, lex), ZRANGESTORE,
// ZCOUNT, ZLEXCOUNT, ZREMRANGEBY*, ZPOP*, ZMPOP, ZRANDMEMBER, ZSCAN — as
// walks of the score order from a seek key; see zset_ops.h for the costs.
#include <algorithm>
#include <random>
#include <unordered_set>

#include "codec/zset_score.h"
#include "common/text.h"
#include "engine/key_access.h"
#include "engine/zset_object.h"
#include "engine/zset_ops.h"

namespace strata::engine {

namespace {

using By = ZRangeSpec::By;
using LexKind = ZLexBound::Kind;

// Redis's sdscmplex over range bounds ("-" below and "+" above everything).
int CompareLexBounds(const ZLexBound& a, const ZLexBound& b) {
  if (a.kind == b.kind && a.kind != LexKind::kValue) return 0;
  if (a.kind == LexKind::kMin || b.kind == LexKind::kMax) return -1;
  if (a.kind == LexKind::kMax || b.kind == LexKind::kMin) return 1;
  return a.value.compare(b.value) < 0 ? -1 : (a.value == b.value ? 0 : 1);
}

bool LexGteMin(std::string_view m, const ZLexBound& min) {
  if (min.kind != LexKind::kValue) return min.kind == LexKind::kMin;
  return min.exclusive ? m > min.value : m >= min.value;
}

bool LexLteMax(std::string_view m, const ZLexBound& max) {
  if (max.kind != LexKind::kValue) return max.kind == LexKind::kMax;
  return max.exclusive ? m < max.value : m <= max.value;
}

bool ScoreGteMin(double s, const ZScoreRange& r) {
  return r.minex ? s > r.min : s >= r.min;
}
bool ScoreLteMax(double s, const ZScoreRange& r) {
  return r.maxex ? s < r.max : s <= r.max;
}

// zslIsInRange / zslIsInLexRange's emptiness test.
bool RangeIsEmpty(const ZRangeSpec& spec) {
  if (spec.by == By::kScore) {
    const ZScoreRange& r = spec.score;
    return r.min > r.max || (r.min == r.max && (r.minex || r.maxex));
  }
  int cmp = CompareLexBounds(spec.lex.min, spec.lex.max);
  return cmp > 0 || (cmp == 0 && (spec.lex.min.exclusive || spec.lex.max.exclusive));
}

// The score of the first (or last) entry.
StatusOr<double> EndScore(Zset& z, bool last) {
  double score = 0;
  RETURN_IF_ERROR(z.Walk("", last, [&](double s, std::string_view) {
    score = s;
    return false;
  }));
  return score;
}

// Where a score or lex walk starts: the first entry that can be in range.
StatusOr<std::string> RangeStart(Zset& z, const ZRangeSpec& spec) {
  if (spec.by == By::kScore) {
    if (!spec.reverse) return codec::EncodeScorePrefix(spec.score.min);
    uint64_t after = codec::ScoreToSortable(codec::NormalizeZero(spec.score.max)) + 1;
    std::string start;
    codec::PutFixed64BE(&start, after);
    return start;
  }
  // Lex: a seek needs one score for the whole set; otherwise walk from the end.
  ASSIGN_OR_RETURN(double first, EndScore(z, false));
  ASSIGN_OR_RETURN(double last, EndScore(z, true));
  if (first != last) return std::string();
  const ZLexBound& bound = spec.reverse ? spec.lex.max : spec.lex.min;
  if (bound.kind != LexKind::kValue) return std::string();
  return codec::EncodeScoreKey(first, bound.value);
}

// The score key below which lie the entries of score < s (after: <= s).
std::string ScoreBoundKey(double s, bool after) {
  std::string key;
  codec::PutFixed64BE(&key, codec::ScoreToSortable(codec::NormalizeZero(s)) + (after ? 1 : 0));
  return key;
}

// A score range's entries are the score keys in [lower, upper).
std::string LowerKey(const ZScoreRange& r) {
  return ScoreBoundKey(r.min, r.minex);
}
std::string UpperKey(const ZScoreRange& r) {
  return ScoreBoundKey(r.max, !r.maxex);
}

// Where a score walk with a LIMIT offset starts, found by rank through the
// index: the entry `offset` places into the range in walk order. nullopt
// when the index does not apply; "" when the offset passes the range's start
// side of the zset (the result is then empty: entries past that are out of
// range, as the order is monotonic in score).
StatusOr<std::optional<std::string>> OffsetStart(Zset& z, const ZRangeSpec& spec, int64_t offset) {
  auto off = static_cast<uint64_t>(offset);
  if (!spec.reverse) {
    ASSIGN_OR_RETURN(std::optional<uint64_t> below, z.CountBelow(LowerKey(spec.score)));
    if (!below) return std::optional<std::string>();
    if (*below + off >= z.size()) return std::optional<std::string>(std::string());
    return z.KeyAtRank(*below + off);
  }
  ASSIGN_OR_RETURN(std::optional<uint64_t> upto, z.CountBelow(UpperKey(spec.score)));
  if (!upto) return std::optional<std::string>();
  if (off >= *upto) return std::optional<std::string>(std::string());
  return z.KeyAtRank(*upto - 1 - off);
}

// Visits the entries of a score or lex range in reply order, as Redis's
// genericZrangebyscore/lexCommand: the first entry inside the start bound
// must be inside the end bound, then `offset` entries are skipped unchecked,
// then entries are taken while inside the end bound, at most `limit`.
Status WalkRange(Zset& z, const ZRangeSpec& spec, int64_t offset, int64_t limit,
                 const Zset::Visitor& emit) {
  if (RangeIsEmpty(spec) || offset < 0 || z.size() == 0) return Status::Ok();
  if (offset > 0 && static_cast<uint64_t>(offset) >= z.size()) return Status::Ok();
  auto in_start = [&](double s, std::string_view m) {
    if (spec.by == By::kScore) {
      return spec.reverse ? ScoreLteMax(s, spec.score) : ScoreGteMin(s, spec.score);
    }
    return spec.reverse ? LexLteMax(m, spec.lex.max) : LexGteMin(m, spec.lex.min);
  };
  auto in_end = [&](double s, std::string_view m) {
    if (spec.by == By::kScore) {
      return spec.reverse ? ScoreGteMin(s, spec.score) : ScoreLteMax(s, spec.score);
    }
    return spec.reverse ? LexGteMin(m, spec.lex.min) : LexLteMax(m, spec.lex.max);
  };
  auto take = [&](double s, std::string_view m) {
    if (limit == 0 || !in_end(s, m)) return false;
    if (limit > 0) --limit;
    return emit(s, m) && limit != 0;
  };
  if (spec.by == By::kScore && offset > 0) {
    ASSIGN_OR_RETURN(std::optional<std::string> from, OffsetStart(z, spec, offset));
    if (from) return from->empty() ? Status::Ok() : z.Walk(*from, spec.reverse, take);
  }
  ASSIGN_OR_RETURN(std::string start, RangeStart(z, spec));
  bool found = false;
  int64_t skipped = 0;
  return z.Walk(start, spec.reverse, [&](double s, std::string_view m) {
    if (!found) {
      if (!in_start(s, m)) return true;
      if (!in_end(s, m)) return false;
      found = true;
    }
    if (skipped < offset) {
      ++skipped;
      return true;
    }
    return take(s, m);
  });
}

// The entries of any range, in reply order, with exact scores.
StatusOr<std::vector<ZEntry>> CollectRange(Zset& z, const ZRangeSpec& spec) {
  std::vector<ZEntry> out;
  if (spec.by == By::kRank) {
    auto len = static_cast<int64_t>(z.size());
    int64_t start = spec.start < 0 ? len + spec.start : spec.start;
    int64_t end = spec.stop < 0 ? len + spec.stop : spec.stop;
    if (start < 0) start = 0;
    if (start > end || start >= len) return out;
    if (end >= len) end = len - 1;
    auto from = static_cast<uint64_t>(spec.reverse ? len - 1 - end : start);
    auto to = static_cast<uint64_t>(spec.reverse ? len - 1 - start : end);
    ASSIGN_OR_RETURN(out, z.AscendingRanks(from, to));
    if (spec.reverse) std::reverse(out.begin(), out.end());
    return out;
  }
  RETURN_IF_ERROR(WalkRange(z, spec, spec.offset, spec.limit, [&](double s, std::string_view m) {
    out.push_back(ZEntry{std::string(m), s});
    return true;
  }));
  RETURN_IF_ERROR(z.FixZeroSigns(&out));
  return out;
}

// Opens a zset for reading where an absent key is an empty result: nullopt.
StatusOr<std::optional<Zset>> OpenOrNull(KeyAccess& access, std::string_view key) {
  auto opened = Zset::Open(access, key);
  if (opened.status().IsNotFound()) return std::optional<Zset>();
  if (!opened.ok()) return opened.status();
  return std::optional<Zset>(std::move(*opened));
}

// Pops up to `count` entries from an end of `z` (not yet Finish()-ed).
StatusOr<std::vector<ZEntry>> PopFrom(Zset& z, bool max, uint64_t count) {
  std::vector<ZEntry> out;
  if (count == 0) return out;
  RETURN_IF_ERROR(z.Walk("", max, [&](double s, std::string_view m) {
    out.push_back(ZEntry{std::string(m), s});
    return out.size() < count;
  }));
  RETURN_IF_ERROR(z.FixZeroSigns(&out));
  for (const ZEntry& e : out) z.Erase(e.member, e.score);
  return out;
}

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

}  // namespace

StatusOr<std::vector<ZEntry>> ZRange(Engine& engine, OpContext& ctx, std::string_view key,
                                     const ZRangeSpec& spec) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<Zset> z, OpenOrNull(access, key));
  if (!z) return std::vector<ZEntry>();
  return CollectRange(*z, spec);
}

StatusOr<uint64_t> ZRangeStore(Engine& engine, OpContext& ctx, std::string_view dst,
                               std::string_view src, const ZRangeSpec& spec) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  std::string_view keys[] = {dst, src};
  RETURN_IF_ERROR(access.Lock(keys));
  ASSIGN_OR_RETURN(std::optional<Zset> from, OpenOrNull(access, src));
  std::vector<ZEntry> entries;
  if (from) {
    ASSIGN_OR_RETURN(entries, CollectRange(*from, spec));
  }
  auto old = access.Find(dst);
  if (!old.ok() && !old.status().IsNotFound()) return old.status();
  if (entries.empty()) {
    if (old.ok()) access.DeleteEmpty(dst);
  } else {
    ASSIGN_OR_RETURN(Zset to, Zset::Create(access, dst));
    // Redis sizes the destination by the range's length (a long member
    // still converts it on insertion).
    to.set_big(entries.size() > Zset::kMaxListpackEntries);
    for (const ZEntry& e : entries) to.Insert(e.member, e.score, std::nullopt);
    to.Finish();
  }
  RETURN_IF_ERROR(access.Commit());
  return entries.size();
}

StatusOr<uint64_t> ZCount(Engine& engine, OpContext& ctx, std::string_view key,
                          const ZRangeSpec& spec) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<Zset> z, OpenOrNull(access, key));
  uint64_t n = 0;
  if (!z) return n;
  if (spec.by == By::kScore && !RangeIsEmpty(spec)) {
    ASSIGN_OR_RETURN(std::optional<uint64_t> upper, z->CountBelow(UpperKey(spec.score)));
    if (upper) {
      ASSIGN_OR_RETURN(std::optional<uint64_t> lower, z->CountBelow(LowerKey(spec.score)));
      if (lower) return *upper - *lower;
    }
  }
  RETURN_IF_ERROR(WalkRange(*z, spec, 0, -1, [&](double, std::string_view) {
    ++n;
    return true;
  }));
  return n;
}

StatusOr<uint64_t> ZRemRange(Engine& engine, OpContext& ctx, std::string_view key,
                             const ZRangeSpec& spec) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<Zset> z, OpenOrNull(access, key));
  if (!z) {
    RETURN_IF_ERROR(access.Commit());  // may carry a lazy-expiry delete
    return uint64_t{0};
  }
  ASSIGN_OR_RETURN(std::vector<ZEntry> entries, CollectRange(*z, spec));
  for (const ZEntry& e : entries) z->Erase(e.member, e.score);
  if (!entries.empty()) z->Finish();
  RETURN_IF_ERROR(access.Commit());
  return entries.size();
}

StatusOr<std::vector<ZEntry>> ZPop(Engine& engine, OpContext& ctx, std::string_view key, bool max,
                                   uint64_t count) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<Zset> z, OpenOrNull(access, key));
  if (!z) {
    RETURN_IF_ERROR(access.Commit());  // may carry a lazy-expiry delete
    return std::vector<ZEntry>();
  }
  ASSIGN_OR_RETURN(std::vector<ZEntry> out, PopFrom(*z, max, count));
  if (!out.empty()) z->Finish();
  RETURN_IF_ERROR(access.Commit());
  return out;
}

StatusOr<std::optional<ZMPopResult>> ZMPop(Engine& engine, OpContext& ctx,
                                           std::span<const std::string_view> keys, bool max,
                                           uint64_t count) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(keys));
  for (std::string_view key : keys) {
    ASSIGN_OR_RETURN(std::optional<Zset> z, OpenOrNull(access, key));
    if (!z) continue;
    ZMPopResult result{std::string(key), {}};
    ASSIGN_OR_RETURN(result.entries, PopFrom(*z, max, count));
    z->Finish();
    RETURN_IF_ERROR(access.Commit());
    return std::optional<ZMPopResult>(std::move(result));
  }
  RETURN_IF_ERROR(access.Commit());
  return std::optional<ZMPopResult>();
}

StatusOr<std::vector<ZEntry>> ZRandMember(Engine& engine, OpContext& ctx, std::string_view key,
                                          int64_t count) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<Zset> z, OpenOrNull(access, key));
  std::vector<ZEntry> out;
  if (!z || count == 0) return out;
  uint64_t size = z->size();
  bool distinct = count > 0;
  uint64_t n = distinct ? static_cast<uint64_t>(count) : static_cast<uint64_t>(-(count + 1)) + 1;
  if (distinct && n >= size) return z->AscendingRanks(0, size - 1);
  if (n == 1) {  // ZRANDMEMBER key: one walk from the nearer end
    uint64_t r = std::uniform_int_distribution<uint64_t>(0, size - 1)(Rng());
    return z->AscendingRanks(r, r);
  }
  // Draw ranks, then fetch them all in one walk (O(highest rank drawn)).
  std::vector<uint64_t> draws;
  draws.reserve(n);
  std::uniform_int_distribution<uint64_t> pick(0, size - 1);
  if (distinct) {  // Floyd's sampling of n distinct ranks
    std::unordered_set<uint64_t> chosen;
    for (uint64_t j = size - n; j < size; ++j) {
      uint64_t t = std::uniform_int_distribution<uint64_t>(0, j)(Rng());
      if (!chosen.insert(t).second) t = j, chosen.insert(j);
      draws.push_back(t);
    }
    std::shuffle(draws.begin(), draws.end(), Rng());
  } else {
    for (uint64_t i = 0; i < n; ++i) draws.push_back(pick(Rng()));
  }
  std::vector<uint64_t> ranks = draws;
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  std::vector<ZEntry> fetched;
  fetched.reserve(ranks.size());
  uint64_t rank = 0;
  RETURN_IF_ERROR(z->Walk("", false, [&](double s, std::string_view m) {
    if (rank++ == ranks[fetched.size()]) fetched.push_back(ZEntry{std::string(m), s});
    return fetched.size() < ranks.size();
  }));
  RETURN_IF_ERROR(z->FixZeroSigns(&fetched));
  out.reserve(n);
  for (uint64_t d : draws) {
    auto at = std::lower_bound(ranks.begin(), ranks.end(), d) - ranks.begin();
    out.push_back(fetched[static_cast<size_t>(at)]);
  }
  return out;
}

StatusOr<ZScanPage> ZScan(Engine& engine, OpContext& ctx, std::string_view key,
                          std::string_view position, size_t count,
                          std::optional<std::string_view> pattern) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<Zset> z, OpenOrNull(access, key));
  ZScanPage page;
  page.done = true;
  if (!z) return page;
  auto keep = [&](std::string_view m) { return !pattern || GlobMatch(*pattern, m); };
  if (!z->big()) {  // a listpack: Redis returns it whole, in score order
    RETURN_IF_ERROR(z->Walk("", false, [&](double s, std::string_view m) {
      if (keep(m)) page.entries.push_back(ZEntry{std::string(m), s});
      return true;
    }));
    return page;
  }
  size_t examined = 0;
  Status bad;
  RETURN_IF_ERROR(access.ScanSub(key, SubFamily::kZsetMembers, position, false,
                                 [&](std::string_view m, std::string_view v) {
                                   if (examined == count) {
                                     page.done = false;
                                     page.next = std::string(m);
                                     return false;
                                   }
                                   ++examined;
                                   double score;
                                   if (!codec::DecodeScoreValue(v, &score)) {
                                     bad = Status(StatusCode::kCorruption, "zset member value");
                                     return false;
                                   }
                                   if (keep(m))
                                     page.entries.push_back(ZEntry{std::string(m), score});
                                   return true;
                                 }));
  RETURN_IF_ERROR(bad);
  return page;
}

}  // namespace strata::engine
