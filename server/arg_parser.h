// ArgParser: the typed argument reader every handler uses, so handlers read
// straight down — parse everything, call the engine, reply.
//
//   ArgParser args(ctx.argv, 2);            // skip "SET key"
//   while (!args.Done()) {
//     if (args.EatFlag("NX")) ...
//     else if (args.EatFlag("EX")) ex = args.NextInt64();
//     else return args.Fail(errors::kSyntax);
//   }
//   if (args.failed()) return ctx.ReplyError(args.error());
//
// The first failure sticks: later calls return defaults and error() keeps
// the first message, so a handler checks once.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/numbers.h"
#include "common/text.h"
#include "server/errors.h"

namespace strata::server {

class ArgParser {
 public:
  ArgParser(std::span<const std::string_view> argv, size_t start) : argv_(argv), pos_(start) {}

  bool Done() const { return pos_ >= argv_.size(); }
  size_t remaining() const { return Done() ? 0 : argv_.size() - pos_; }
  bool failed() const { return !error_.empty(); }
  std::string_view error() const { return error_; }

  // The next argument, or "" with a syntax error when there is none.
  std::string_view Next() {
    if (Done()) {
      Fail(errors::kSyntax);
      return {};
    }
    return argv_[pos_++];
  }
  std::string_view Peek() const { return Done() ? std::string_view() : argv_[pos_]; }

  // Consumes the next argument if it equals `word` (case-insensitive).
  bool EatFlag(std::string_view word) {
    if (Done() || !EqualsIgnoreCase(argv_[pos_], word)) return false;
    ++pos_;
    return true;
  }

  // The next argument as an int64 (Redis rules); on failure records `error`.
  int64_t NextInt64(std::string_view error = errors::kNotInteger) {
    std::string_view s = Next();
    int64_t v = 0;
    if (!failed() && !ParseInt64(s, &v)) Fail(error);
    return v;
  }

  // The next argument as an int32, as Redis's getIntFromObjectOrReply: a
  // non-integer records `not_int`, one outside int32 records `out_of_range`.
  int32_t NextInt32(std::string_view not_int = errors::kNotInteger,
                    std::string_view out_of_range = errors::kNotInt32) {
    int64_t v = NextInt64(not_int);
    if (!failed() && (v < INT32_MIN || v > INT32_MAX)) Fail(out_of_range);
    return failed() ? 0 : static_cast<int32_t>(v);
  }

  // Records the first failure; returns false for use in conditions.
  bool Fail(std::string_view message) {
    if (error_.empty()) error_.assign(message);
    return false;
  }

 private:
  std::span<const std::string_view> argv_;
  size_t pos_;
  std::string error_;
};

}  // namespace strata::server
