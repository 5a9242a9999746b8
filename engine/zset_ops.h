// Sorted-set operations (ZADD, ZRANGE, ZUNIONSTORE, ...): storage and
// semantics of Redis 7.0's t_zset.c over KeyAccess's sub-key API; the
// server parses arguments and formats replies (server/commands/zset_*.cc).
//
// STORAGE (codec/layout.h, codec/zset_score.h): two sub-key families per
// zset object, written together in the access's batch:
//   zset_members  member -> exact score (8 bytes)      ZSCORE is one GetSub;
//   zset_scores   sortable(score) member -> ""         ranges are one ScanSub
//                                                      from a seek key.
// meta.count is the cardinality; meta.big_encoding is set exactly when Redis
// would convert the listpack to a skiplist (more than 128 members, or a
// member longer than 64 bytes inserted), and while it is unset scores are
// stored with -0 normalized to 0, as a listpack drops the sign.
//
// COSTS. Point ops (ZADD, ZREM, ZSCORE, ZMSCORE, ZINCRBY) are O(log n)
// seeks per member. Score and lex ranges seek to their start and read what
// they return. RANKS: a zset of more than 1024 members has an
// order-statistics index in RAM with its object (engine/zset_rank_index.h:
// fences every 64 keys of the score order, block counts in a Fenwick tree,
// kept current by each commit), so ZRANK/ZREVRANK, the start of a rank range
// (ZRANGE by rank, ZREMRANGEBYRANK, ZRANDMEMBER of one member), ZCOUNT and a
// score range's LIMIT offset cost O(log n) plus one seek and a scan of fewer
// than 128 keys; the first such query builds the index by reading the score
// order once (on the blocking pool). Smaller zsets, and commands that read
// ranks after staging writes to the same key (inside MULTI), walk from the
// nearer end: O(min(rank, n - rank)). ZRANDMEMBER with a count walks to the
// highest rank it drew; ZLEXCOUNT walks the range it counts.
// ZUNION/ZINTER/ZDIFF read their sources whole (intersection and difference
// only the first/smallest, with point lookups in the others).
//
// LEX RANGES are defined by Redis only when all scores are equal: the
// operation then seeks straight to the member; otherwise it walks the score
// order from the end as Redis's listpack code does.
//
// Results of every operation are Status-or-value: kWrongType for a key of
// another type, kWouldBlock (inline, not in memory) before any side effect;
// a NaN produced by ZADD INCR / ZINCRBY is kInvalidArgument carrying Redis's
// text.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

struct ZEntry {
  std::string member;
  double score = 0;
  bool operator==(const ZEntry&) const = default;
};

// ---- ZADD / ZINCRBY / ZREM / point reads (engine/zset_ops.cc) ----

struct ZAddOptions {
  bool nx = false, xx = false, gt = false, lt = false, incr = false;
};
struct ZAddPair {
  double score;
  std::string_view member;
};
struct ZAddResult {
  uint64_t added = 0;
  uint64_t updated = 0;
  uint64_t processed = 0;  // pairs not skipped by NX/XX/GT/LT
  double score = 0;        // INCR: the member's new score (when processed)
};
inline constexpr std::string_view kZsetNanError = "ERR resulting score is not a number (NaN)";
// REQUIRES: the options are compatible (the server checks), at most one pair with incr.
StatusOr<ZAddResult> ZAdd(Engine& engine, OpContext& ctx, std::string_view key,
                          const ZAddOptions& options, std::span<const ZAddPair> pairs);
StatusOr<uint64_t> ZRem(Engine& engine, OpContext& ctx, std::string_view key,
                        std::span<const std::string_view> members);
// 0 for an absent key.
StatusOr<uint64_t> ZCard(Engine& engine, OpContext& ctx, std::string_view key);
// The score of each member (nullopt: not a member, or no key).
StatusOr<std::vector<std::optional<double>>> ZScores(Engine& engine, OpContext& ctx,
                                                     std::string_view key,
                                                     std::span<const std::string_view> members);
struct ZRankResult {
  int64_t rank;
  double score;
};
// nullopt when the key or the member is absent. O(log n), see COSTS.
StatusOr<std::optional<ZRankResult>> ZRank(Engine& engine, OpContext& ctx, std::string_view key,
                                           std::string_view member, bool reverse);

// ---- Ranges (engine/zset_range_ops.cc) ----

struct ZScoreRange {
  double min = 0, max = 0;
  bool minex = false, maxex = false;
};
struct ZLexBound {
  enum class Kind : unsigned char { kValue, kMin, kMax };  // kMin is "-", kMax is "+"
  Kind kind = Kind::kValue;
  std::string value;
  bool exclusive = false;
};
struct ZLexRange {
  ZLexBound min, max;
};
struct ZRangeSpec {
  enum class By : unsigned char { kRank, kScore, kLex };
  By by = By::kRank;
  bool reverse = false;
  int64_t start = 0, stop = -1;    // kRank: Redis indexes (negative from the end)
  ZScoreRange score;               // kScore
  ZLexRange lex;                   // kLex
  int64_t offset = 0, limit = -1;  // kScore, kLex: LIMIT (limit < 0: no limit)
};
// The entries of the range, in reply order; empty for an absent key.
StatusOr<std::vector<ZEntry>> ZRange(Engine& engine, OpContext& ctx, std::string_view key,
                                     const ZRangeSpec& spec);
// ZRANGESTORE: replaces `dst` with the range of `src` (deletes it when
// empty); the number of members stored.
StatusOr<uint64_t> ZRangeStore(Engine& engine, OpContext& ctx, std::string_view dst,
                               std::string_view src, const ZRangeSpec& spec);
// ZCOUNT / ZLEXCOUNT (spec.by kScore or kLex, no LIMIT).
StatusOr<uint64_t> ZCount(Engine& engine, OpContext& ctx, std::string_view key,
                          const ZRangeSpec& spec);
// ZREMRANGEBYRANK / BYSCORE / BYLEX: the number removed.
StatusOr<uint64_t> ZRemRange(Engine& engine, OpContext& ctx, std::string_view key,
                             const ZRangeSpec& spec);
// ZPOPMIN / ZPOPMAX: up to `count` entries from the low or high end.
StatusOr<std::vector<ZEntry>> ZPop(Engine& engine, OpContext& ctx, std::string_view key, bool max,
                                   uint64_t count);
// ZMPOP: pops from the first non-empty zset of `keys`; nullopt when none.
struct ZMPopResult {
  std::string key;
  std::vector<ZEntry> entries;
};
StatusOr<std::optional<ZMPopResult>> ZMPop(Engine& engine, OpContext& ctx,
                                           std::span<const std::string_view> keys, bool max,
                                           uint64_t count);
// ZRANDMEMBER key count: `count` distinct members (count >= 0), or |count|
// members with repetitions (count < 0); empty for an absent key.
StatusOr<std::vector<ZEntry>> ZRandMember(Engine& engine, OpContext& ctx, std::string_view key,
                                          int64_t count);

// ZSCAN: one page from `position` ("" = start) in member order; a zset that
// Redis holds as a listpack comes back whole in one page, as Redis does.
struct ZScanPage {
  std::vector<ZEntry> entries;
  std::string next;  // position of the next page
  bool done = false;
};
StatusOr<ZScanPage> ZScan(Engine& engine, OpContext& ctx, std::string_view key,
                          std::string_view position, size_t count,
                          std::optional<std::string_view> pattern);

// ---- ZUNION / ZINTER / ZDIFF (engine/zset_combine_ops.cc) ----

struct ZCombineSpec {
  enum class Op : unsigned char { kUnion, kInter, kDiff };
  enum class Aggregate : unsigned char { kSum, kMin, kMax };
  Op op = Op::kUnion;
  Aggregate aggregate = Aggregate::kSum;
  std::vector<double> weights;  // one per key (empty: all 1)
};
// Sources may be zsets or sets (members of a set score 1). The result in
// (score, member) order.
StatusOr<std::vector<ZEntry>> ZCombine(Engine& engine, OpContext& ctx,
                                       std::span<const std::string_view> keys,
                                       const ZCombineSpec& spec);
StatusOr<uint64_t> ZCombineStore(Engine& engine, OpContext& ctx, std::string_view dst,
                                 std::span<const std::string_view> keys, const ZCombineSpec& spec);
// ZINTERCARD: the size of the intersection, stopping at `limit` (0: none).
StatusOr<uint64_t> ZInterCard(Engine& engine, OpContext& ctx,
                              std::span<const std::string_view> keys, uint64_t limit);
// The types of `keys` only (kWrongType unless each is absent, a zset or a
// set): Redis checks them before it parses the options that follow.
Status ZCheckSources(Engine& engine, OpContext& ctx, std::span<const std::string_view> keys);

}  // namespace strata::engine
