// Zset: one sorted set of a KeyAccess — the sub-key reads and writes every
// zset operation is built from (engine/zset_ops.h describes the layout and
// the costs). Engine-internal.
//
// Usage: Open (or Create), read and Insert/Erase, then Finish() to stage the
// metadata (or the key's deletion when it emptied), then the access commits.
// Not thread-safe; lives within one command.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/layout.h"
#include "common/status.h"
#include "engine/key_access.h"
#include "engine/zset_ops.h"
#include "engine/zset_rank_index.h"

namespace strata::engine {

class Zset {
 public:
  // Redis 7.0's zset-max-listpack-entries / -value defaults.
  static constexpr uint64_t kMaxListpackEntries = 128;
  static constexpr size_t kMaxListpackValue = 64;

  // The zset at `key`: kNotFound, kWrongType, or the zset.
  static StatusOr<Zset> Open(KeyAccess& access, std::string_view key);
  // A new empty zset replacing whatever `key` holds (REQUIRES: `key` was
  // Find()-ed by the access).
  static StatusOr<Zset> Create(KeyAccess& access, std::string_view key);

  uint64_t size() const { return meta_.count; }
  // For a store's destination built whole: Redis decides its encoding from
  // the final size and longest member, before the scores are written.
  void set_big(bool big) { meta_.big_encoding = big; }
  bool big() const { return meta_.big_encoding; }

  // The exact score of `member`, or nullopt.
  StatusOr<std::optional<double>> Score(std::string_view member);
  // Sets `member`'s score; `old` is its current score (nullopt: new member).
  void Insert(std::string_view member, double score, std::optional<double> old);
  // Removes `member`, whose current score is `score`.
  void Erase(std::string_view member, double score);
  // Stages the metadata, or the key's deletion when the zset is empty.
  void Finish();

  // Visits entries in (score, member) order, or reverse, from the score key
  // `start` (codec::EncodeScoreKey; "" = the first, or the last). Scores seen
  // here have -0 read as 0 (see FixZeroSigns).
  using Visitor = std::function<bool(double score, std::string_view member)>;
  Status Walk(std::string_view start, bool reverse, const Visitor& visit);
  // Entries [from, to] of the ascending order (REQUIRES from <= to < size()),
  // walking from the nearer end.
  StatusOr<std::vector<ZEntry>> AscendingRanks(uint64_t from, uint64_t to);
  // The ascending rank of `member`, whose score is `score`: walks from both
  // ends in turn, in chunks that double, so the cost is O(min(rank,
  // size - rank)) entries and O(log) seeks.
  StatusOr<uint64_t> RankOf(std::string_view member, double score);
  // Restores the sign of -0 scores read by Walk (only a big zset keeps it).
  Status FixZeroSigns(std::vector<ZEntry>* entries);

  // ---- Ranks through the order-statistics index (zset_rank_index.h) ----
  // Zsets of more than kIndexedSize members use the index held in RAM with
  // the object, built on first use (kWouldBlock inline: it reads the whole
  // score order); smaller ones, and any with writes staged in this access
  // (the index mirrors what is committed), walk from the nearer end.
  static constexpr uint64_t kIndexedSize = 1024;
  // The number of entries whose score key (codec::EncodeScoreKey) is below
  // `key`; nullopt when the index does not apply (see above).
  StatusOr<std::optional<uint64_t>> CountBelow(std::string_view key);
  // The score key of ascending rank `rank` (REQUIRES rank < size()); nullopt
  // when the index does not apply.
  StatusOr<std::optional<std::string>> KeyAtRank(uint64_t rank);

 private:
  Zset(KeyAccess& access, std::string_view key, codec::MetaValue meta)
      : access_(&access), key_(key), meta_(std::move(meta)) {}

  // The index, built if missing; null when it does not apply.
  StatusOr<ZsetRankIndex*> RankIndex();
  // Re-cuts block `b` of the index if it grew past kSplitAt (kWouldBlock
  // inline when that reads many entries); false when the index turned out
  // inconsistent and was dropped.
  StatusOr<bool> BoundBlock(size_t b);
  // Visits raw score keys from `start` forward until `visit` returns false.
  Status ScanKeys(std::string_view start, const std::function<bool(std::string_view)>& visit);

  KeyAccess* access_;
  std::string key_;
  codec::MetaValue meta_;
  std::shared_ptr<ZsetRankIndex> index_;  // RankIndex()'s, once looked up
  bool index_looked_up_ = false;
};

}  // namespace strata::engine
