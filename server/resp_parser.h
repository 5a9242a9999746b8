// RespParser: turns the bytes a client sends into commands (argv).
//
// Accepts both request forms Redis accepts:
//   - multibulk: "*<n>\r\n" followed by n bulk strings "$<len>\r\n<bytes>\r\n";
//   - inline:    a line of space-separated words, with Redis's quoting rules
//                ("..." with \n \r \t \b \a \\ \" \xHH escapes, '...' with \'),
//                ended by "\n" (an optional "\r" before it is dropped).
// An empty multibulk ("*<n>\r\n" with n <= 0: "*0", "*-1", even "*-5") and a
// blank inline line yield no command and are skipped, as Redis does.
//
// The parser is incremental: Parse() may be called with a growing buffer and
// keeps its progress in a command that arrives in pieces (a 500 MB bulk is
// not re-scanned on every read). It stores offsets, not pointers, so the
// caller may reallocate or compact the buffer between calls, as long as it
// drops consumed() bytes / calls Reset() as described below.
//
// Limits and errors are Redis 7.0's (checked byte for byte against
// redis-server 7.0.15, quirks included: see resp_parser.cc). On an error the
// connection must reply with the error text ("ERR Protocol error: ...") and
// close. Not thread-safe: one parser belongs to one connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::server {

struct RespLimits {
  int64_t max_bulk_len = 512LL * 1024 * 1024;  // proto-max-bulk-len
  // Redis 7.0's hard limit on *<n> is INT_MAX (6.0 had 1024 * 1024); the
  // parser never allocates by the announced count, only per argument read.
  int64_t max_multibulk_len = 2147483647;
  size_t max_inline_len = 64 * 1024;  // PROTO_INLINE_MAX_SIZE
  // While the client must still AUTH (set_auth_required(true)), Redis 7.0
  // refuses *<n> above 10 and $<len> above 16384 (CVE-2021-32675).
  int64_t unauth_max_multibulk_len = 10;
  int64_t unauth_max_bulk_len = 16384;
};

class RespParser {
 public:
  enum class Result {
    kCommand,   // A whole command is in argv(); its bytes end at consumed().
    kNeedMore,  // The buffer ends inside a command; call again with more bytes.
    kEmpty,     // Skipped an empty command (consumed() bytes); call again.
    kError,     // Protocol error; error() holds the full reply text.
  };

  explicit RespParser(RespLimits limits = {}) : limits_(limits) {}

  // Parses from `buf`, which starts at the first byte not yet consumed. After
  // kCommand or kEmpty the caller drops consumed() bytes from the front of its
  // buffer before the next call (or passes buf.substr(consumed())); after
  // kNeedMore it calls again with the same start and more bytes appended.
  Result Parse(std::string_view buf);

  // Valid after kCommand, until the next Parse(): views into `buf` (for an
  // inline command, into the parser's own copy, since quotes are decoded).
  const std::vector<std::string_view>& argv() const { return argv_; }
  size_t consumed() const { return consumed_; }
  // Valid after kError, e.g. "ERR Protocol error: invalid multibulk length".
  const std::string& error() const { return error_; }
  // How many bytes the current partial command needs at least (for sizing
  // the read buffer of big bulks); 0 when unknown. Valid after kNeedMore: how
  // many more bytes than `buf` held must arrive before the bulk being read
  // (its CRLF included) is complete.
  size_t bytes_wanted() const { return bytes_wanted_; }
  // True while inside a multibulk request (so the caller knows the query
  // buffer limit applies to a multibulk in progress).
  bool in_multibulk() const { return state_ != State::kStart; }

  // Whether the client still has to authenticate; enables the tighter
  // unauth_* limits, as Redis does. Takes effect at the next header read.
  void set_auth_required(bool required) { auth_required_ = required; }
  // CONFIG SET proto-max-bulk-len: takes effect at the next header read.
  const RespLimits& limits() const { return limits_; }
  void set_limits(const RespLimits& limits) { limits_ = limits; }

  // Drops any partial command (the caller discards its buffer too).
  void Reset();

 private:
  enum class State { kStart, kBulkHeader, kBulkBody };
  // Header readers: std::nullopt when the header was read and parsing goes
  // on, else the result to return.
  std::optional<Result> ParseMultibulkHeader(std::string_view buf);
  std::optional<Result> ParseBulkHeader(std::string_view buf);
  Result ParseInline(std::string_view buf);
  Result FinishCommand(std::string_view base, size_t end);
  Result Fail(std::string text);

  RespLimits limits_;
  State state_ = State::kStart;
  int64_t args_expected_ = 0;
  int64_t bulk_len_ = 0;
  size_t pos_ = 0;  // Offset in buf of the next unparsed byte of this command.
  std::vector<std::pair<size_t, size_t>> arg_offsets_;  // (offset, length)
  std::vector<std::string_view> argv_;
  size_t consumed_ = 0;
  size_t bytes_wanted_ = 0;
  std::string error_;
  std::string inline_args_;  // Decoded arguments of the last inline command.
  bool auth_required_ = false;
};

}  // namespace strata::server
