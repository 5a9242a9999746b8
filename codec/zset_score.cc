// Order-preserving score encoding; see zset_score.h.
#include "codec/zset_score.h"

#include <bit>

#include "codec/layout.h"

namespace strata::codec {

namespace {
constexpr uint64_t kSignBit = uint64_t{1} << 63;
}  // namespace

uint64_t ScoreToSortable(double score) {
  uint64_t bits = std::bit_cast<uint64_t>(score);
  return (bits & kSignBit) ? ~bits : bits | kSignBit;
}

double SortableToScore(uint64_t sortable) {
  uint64_t bits = (sortable & kSignBit) ? sortable & ~kSignBit : ~sortable;
  return std::bit_cast<double>(bits);
}

std::string EncodeScoreValue(double score) {
  std::string out;
  PutFixed64BE(&out, ScoreToSortable(score));
  return out;
}

bool DecodeScoreValue(std::string_view bytes, double* score) {
  if (bytes.size() != 8) return false;
  *score = SortableToScore(GetFixed64BE(bytes.data()));
  return true;
}

std::string EncodeScorePrefix(double score) {
  return EncodeScoreValue(NormalizeZero(score));
}

std::string EncodeScoreKey(double score, std::string_view member) {
  std::string out = EncodeScorePrefix(score);
  out.append(member);
  return out;
}

bool DecodeScoreKey(std::string_view key, double* score, std::string_view* member) {
  if (key.size() < 8) return false;
  *score = SortableToScore(GetFixed64BE(key.data()));
  *member = key.substr(8);
  return true;
}

}  // namespace strata::codec
