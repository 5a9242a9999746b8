// Sorted-set scores as sub-key bytes: an order-preserving map from doubles to
// u64 (big-endian in keys, so byte order is score order), and the
// zset_scores sub-key  u64(sortable score) member  (codec/layout.h).
//
// The map is the usual one: a non-negative double's bits with the sign bit
// set, a negative double's bits all inverted. It is a bijection on doubles,
// so -0.0 and +0.0 map to two adjacent values. Redis compares scores with
// ==, for which -0 and 0 are equal, and orders equal scores by member; so
// the zset_scores key always uses NormalizeZero(score) (-0 ordered as 0),
// while the zset_members value keeps the exact score: Redis 7.0 replies "-0"
// for a -0 held in a skiplist (and "0" once a listpack has dropped the sign,
// which the engine mirrors by normalizing before it stores a small zset's
// scores). -inf and +inf order below and above every finite score. NaN is
// never a score (the commands reject it before it reaches storage).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::codec {

// The order-preserving u64 of a score, and back. REQUIRES: !isnan(score).
uint64_t ScoreToSortable(double score);
double SortableToScore(uint64_t sortable);

// -0.0 as 0.0; every other value unchanged.
inline double NormalizeZero(double score) {
  return score == 0 ? 0.0 : score;
}

// Exact score as 8 bytes (the zset_members value), and back (false when the
// bytes are not 8 long).
std::string EncodeScoreValue(double score);
bool DecodeScoreValue(std::string_view bytes, double* score);

// zset_scores sub-key: u64(ScoreToSortable(NormalizeZero(score))) member.
std::string EncodeScoreKey(double score, std::string_view member);
// The 8-byte prefix of every score key of `score` (seek target of a range).
std::string EncodeScorePrefix(double score);
// Splits a score key; false when it is shorter than 8 bytes.
bool DecodeScoreKey(std::string_view key, double* score, std::string_view* member);

}  // namespace strata::codec
