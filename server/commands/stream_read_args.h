// The options of XREAD and XREADGROUP up to STREAMS, parsed by one loop with
// Redis 7.0's rules (xreadCommand parses both): COUNT, BLOCK, STREAMS with
// its key/ID balance check, and GROUP / NOACK, which only XREADGROUP takes
// (XREAD names them in its error).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace strata::server {

struct StreamReadArgs {
  int64_t count = 0;  // 0: no limit (a negative COUNT counts as 0)
  bool block = false;
  int64_t timeout_ms = 0;
  size_t streams_at = 0;             // argv index of the first key
  std::string_view group, consumer;  // XREADGROUP
  bool noack = false;                // XREADGROUP
};

// Parses argv[1..] of XREAD (`group` false) or XREADGROUP (`group` true).
// Returns the error to reply, or "" with *out filled.
std::string ParseStreamReadArgs(std::span<const std::string_view> argv, bool group,
                                StreamReadArgs* out);

}  // namespace strata::server
