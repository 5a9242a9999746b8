// RespParser: the request side of RESP, byte for byte as Redis 7.0's
// processMultibulkBuffer / processInlineBuffer / sdssplitargs (networking.c,
// sds.c), including their quirks:
//   - a header line ends at its '\r'; the byte after it is skipped unchecked,
//     and so are the two bytes after a bulk's body;
//   - Redis finds line ends with strchr on a NUL-terminated buffer, so a NUL
//     byte before the '\r' (or, inline, the '\n') hides it: the parser waits,
//     until the line-length limit turns the wait into an error;
//   - "*<n>" with n <= 0 is an empty command, whatever the sign;
//   - inline commands keep empty arguments ("" or '') but skip blank lines.
#include "server/resp_parser.h"

#include "common/numbers.h"
#include "common/text.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <optional>

namespace strata::server {
namespace {

constexpr size_t kNotFound = std::string_view::npos;
// Argument slots reserved up front for a multibulk of n; more grow on demand
// (Redis 7.0 also caps its first argv allocation at 1024).
constexpr int64_t kMaxArgvReserve = 1024;

// Position of the first `c` in buf[from, end) as strchr on Redis's
// NUL-terminated query buffer sees it: a NUL byte before `c` hides it.
size_t FindLineEnd(std::string_view buf, size_t from, char c) {
  const char* begin = buf.data() + from;
  const size_t n = buf.size() - from;
  const void* hit = std::memchr(begin, c, n);
  if (hit == nullptr) return kNotFound;
  const size_t len = static_cast<const char*>(hit) - begin;
  if (std::memchr(begin, '\0', len) != nullptr) return kNotFound;
  return from + len;
}

// Fast path for the usual header line: `type` at buf[pos], then 1 to 18
// digits without a leading zero, then '\r' and at least one more byte. Then
// the line is what Redis would read (no NUL, no sign, no overflow): sets
// *value and *cr (the position of the '\r'). Otherwise returns false and the
// general path decides.
bool ReadPlainHeader(std::string_view buf, size_t pos, char type, int64_t* value, size_t* cr) {
  const size_t n = buf.size();
  if (pos + 1 >= n || buf[pos] != type || buf[pos + 1] == '0') return false;
  const size_t first = pos + 1;
  const size_t limit = std::min(n, first + 18);
  int64_t v = 0;
  size_t i = first;
  for (; i < limit; ++i) {
    const unsigned digit = static_cast<unsigned char>(buf[i]) - unsigned{'0'};
    if (digit > 9) break;
    v = v * 10 + digit;
  }
  if (i == first || i + 1 >= n || buf[i] != '\r') return false;
  *value = v;
  *cr = i;
  return true;
}

}  // namespace

RespParser::Result RespParser::Parse(std::string_view buf) {
  assert(buf.size() >= pos_ && "after kNeedMore, pass the same bytes and more");
  bytes_wanted_ = 0;
  if (state_ == State::kStart) {
    if (buf.empty()) return Result::kNeedMore;
    if (buf[0] != '*') return ParseInline(buf);
    if (auto r = ParseMultibulkHeader(buf)) return *r;
  }
  for (;;) {
    if (state_ == State::kBulkHeader) {
      if (auto r = ParseBulkHeader(buf)) return *r;
    }
    const size_t need = static_cast<size_t>(bulk_len_) + 2;  // Body and its CRLF.
    if (buf.size() - pos_ < need) {
      bytes_wanted_ = pos_ + need - buf.size();
      return Result::kNeedMore;
    }
    arg_offsets_.emplace_back(pos_, static_cast<size_t>(bulk_len_));
    pos_ += need;
    if (--args_expected_ == 0) return FinishCommand(buf, pos_);
    state_ = State::kBulkHeader;
  }
}

// "*<n>\r\n" at the start of `buf`; a command of n > 0 arguments goes on
// with its first bulk header.
std::optional<RespParser::Result> RespParser::ParseMultibulkHeader(std::string_view buf) {
  int64_t n = 0;
  size_t cr = 0;
  if (!ReadPlainHeader(buf, 0, '*', &n, &cr)) {
    cr = FindLineEnd(buf, 0, '\r');
    if (cr == kNotFound) {
      if (buf.size() > limits_.max_inline_len) {
        return Fail("ERR Protocol error: too big mbulk count string");
      }
      return Result::kNeedMore;
    }
    if (cr + 1 >= buf.size()) return Result::kNeedMore;  // The byte after '\r'.
    if (!ParseInt64(buf.substr(1, cr - 1), &n)) {
      return Fail("ERR Protocol error: invalid multibulk length");
    }
  }
  if (n > limits_.max_multibulk_len) return Fail("ERR Protocol error: invalid multibulk length");
  if (auth_required_ && n > limits_.unauth_max_multibulk_len) {
    return Fail("ERR Protocol error: unauthenticated multibulk length");
  }
  if (n <= 0) {
    consumed_ = cr + 2;
    return Result::kEmpty;
  }
  pos_ = cr + 2;
  args_expected_ = n;
  arg_offsets_.clear();
  arg_offsets_.reserve(static_cast<size_t>(std::min(n, kMaxArgvReserve)));
  state_ = State::kBulkHeader;
  return std::nullopt;
}

// "$<len>\r\n" at pos_; when read, parsing goes on with the body.
std::optional<RespParser::Result> RespParser::ParseBulkHeader(std::string_view buf) {
  int64_t len = 0;
  size_t cr = 0;
  if (!ReadPlainHeader(buf, pos_, '$', &len, &cr)) {
    cr = FindLineEnd(buf, pos_, '\r');
    if (cr == kNotFound) {
      if (buf.size() - pos_ > limits_.max_inline_len) {
        return Fail("ERR Protocol error: too big bulk count string");
      }
      return Result::kNeedMore;
    }
    if (cr + 1 >= buf.size()) return Result::kNeedMore;
    if (buf[pos_] != '$') {
      std::string text = "ERR Protocol error: expected '$', got ' '";
      text[text.size() - 2] = buf[pos_];
      return Fail(std::move(text));
    }
    if (!ParseInt64(buf.substr(pos_ + 1, cr - pos_ - 1), &len) || len < 0) {
      return Fail("ERR Protocol error: invalid bulk length");
    }
  }
  if (len > limits_.max_bulk_len) return Fail("ERR Protocol error: invalid bulk length");
  if (auth_required_ && len > limits_.unauth_max_bulk_len) {
    return Fail("ERR Protocol error: unauthenticated bulk length");
  }
  pos_ = cr + 2;
  bulk_len_ = len;
  state_ = State::kBulkBody;
  return std::nullopt;
}

RespParser::Result RespParser::ParseInline(std::string_view buf) {
  const size_t nl = FindLineEnd(buf, 0, '\n');
  if (nl == kNotFound) {
    if (buf.size() > limits_.max_inline_len) {
      return Fail("ERR Protocol error: too big inline request");
    }
    return Result::kNeedMore;
  }
  const size_t line_len = (nl > 0 && buf[nl - 1] == '\r') ? nl - 1 : nl;
  inline_args_.clear();
  arg_offsets_.clear();
  if (!SplitArgs(buf.substr(0, line_len), &inline_args_, &arg_offsets_)) {
    return Fail("ERR Protocol error: unbalanced quotes in request");
  }
  if (arg_offsets_.empty()) {
    consumed_ = nl + 1;
    return Result::kEmpty;
  }
  return FinishCommand(inline_args_, nl + 1);
}

// Turns arg_offsets_ (relative to `base`) into argv_ and ends the command,
// whose bytes end at `end`.
RespParser::Result RespParser::FinishCommand(std::string_view base, size_t end) {
  argv_.clear();
  argv_.reserve(arg_offsets_.size());
  for (const auto& [offset, length] : arg_offsets_) {
    argv_.emplace_back(base.data() + offset, length);
  }
  consumed_ = end;
  state_ = State::kStart;
  pos_ = 0;
  args_expected_ = 0;
  return Result::kCommand;
}

RespParser::Result RespParser::Fail(std::string text) {
  // As addReplyErrorFormat does: no CR or LF inside an error line.
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  error_ = std::move(text);
  Reset();
  return Result::kError;
}

void RespParser::Reset() {
  state_ = State::kStart;
  args_expected_ = 0;
  bulk_len_ = 0;
  pos_ = 0;
  arg_offsets_.clear();
  argv_.clear();
  consumed_ = 0;
  bytes_wanted_ = 0;
}

}  // namespace strata::server
