// Redis's LCS algorithm; see lcs.h.
#include "engine/lcs.h"

#include <algorithm>

namespace strata::engine {

uint64_t LcsTableBytes(uint64_t a_len, uint64_t b_len) {
  return (a_len + 1) * (b_len + 1) * sizeof(uint32_t);
}

LcsResult ComputeLcs(std::string_view a, std::string_view b, bool want_sequence, bool want_matches,
                     int64_t min_match_len) {
  const uint32_t alen = static_cast<uint32_t>(a.size());
  const uint32_t blen = static_cast<uint32_t>(b.size());
  std::vector<uint32_t> table(static_cast<size_t>(alen + 1) * (blen + 1), 0);
  auto at = [&](uint32_t i, uint32_t j) -> uint32_t& {
    return table[static_cast<size_t>(i) * (blen + 1) + j];
  };
  for (uint32_t i = 1; i <= alen; ++i) {
    for (uint32_t j = 1; j <= blen; ++j) {
      if (a[i - 1] == b[j - 1]) {
        at(i, j) = at(i - 1, j - 1) + 1;
      } else {
        at(i, j) = std::max(at(i - 1, j), at(i, j - 1));
      }
    }
  }
  LcsResult result;
  result.length = at(alen, blen);
  if (!want_sequence && !want_matches) return result;
  uint32_t idx = result.length;
  result.sequence.assign(idx, '\0');
  // The current range of matches; arange_start == alen means "none yet".
  uint32_t arange_start = alen, arange_end = 0, brange_start = 0, brange_end = 0;
  uint32_t i = alen, j = blen;
  while (i > 0 && j > 0) {
    bool emit = false;
    if (a[i - 1] == b[j - 1]) {
      result.sequence[idx - 1] = a[i - 1];
      if (arange_start == alen) {
        arange_start = arange_end = i - 1;
        brange_start = brange_end = j - 1;
      } else if (arange_start == i && brange_start == j) {
        --arange_start;  // the match extends the current range backwards
        --brange_start;
      } else {
        emit = true;
      }
      if (arange_start == 0 || brange_start == 0) emit = true;
      --idx;
      --i;
      --j;
    } else {
      if (at(i - 1, j) > at(i, j - 1)) {
        --i;
      } else {
        --j;
      }
      if (arange_start != alen) emit = true;
    }
    if (emit) {
      uint32_t len = arange_end - arange_start + 1;
      if (want_matches && (min_match_len == 0 || len >= min_match_len)) {
        result.matches.push_back({arange_start, arange_end, brange_start, brange_end, len});
      }
      arange_start = alen;  // restart at the next match
    }
  }
  return result;
}

}  // namespace strata::engine
