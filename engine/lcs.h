// LCS: the longest common subsequence of two strings, computed exactly as
// Redis 7.0's lcsCommand does (the same dynamic-programming table and the
// same backward walk), so the chosen subsequence and its match ranges are
// byte-for-byte Redis's. Pure: no I/O. The table takes (|a|+1)*(|b|+1)*4
// bytes; the caller checks that against proto-max-bulk-len first.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::engine {

struct LcsMatch {
  uint32_t a_start, a_end;  // inclusive byte ranges in each string
  uint32_t b_start, b_end;
  uint32_t length;
};

struct LcsResult {
  uint32_t length = 0;
  std::string sequence;           // when asked for
  std::vector<LcsMatch> matches;  // when asked for; from the end of the strings backwards
};

// Bytes of the table Redis would allocate for strings of these lengths.
uint64_t LcsTableBytes(uint64_t a_len, uint64_t b_len);

// REQUIRES: both lengths below UINT32_MAX - 1.
LcsResult ComputeLcs(std::string_view a, std::string_view b, bool want_sequence, bool want_matches,
                     int64_t min_match_len);

}  // namespace strata::engine
