// ReplyBuilder: the wire forms of replies, byte for byte as Redis 7.0's
// addReply* functions (networking.c) write them for a RESP2 or RESP3 client.
// Numbers are formatted with std::to_chars into a stack buffer, so a reply
// costs one or two appends to the output string and no allocation.
#include "server/reply_builder.h"

#include <charconv>

#include "common/numbers.h"

namespace strata::server {
namespace {

// Longest "%.17g" text: "-1.2345678901234567e-308" is 24 characters.
constexpr size_t kDoubleBufSize = 32;

// Writes `v` as printf("%.17g") does in the "C" locale (which to_chars with
// a precision is specified to match): "inf", "-inf", "nan", "-nan" included.
size_t FormatDoubleTo(char* buf, double v) {
  auto [end, ec] = std::to_chars(buf, buf + kDoubleBufSize, v, std::chars_format::general, 17);
  (void)ec;  // Cannot fail: the buffer fits every double.
  return static_cast<size_t>(end - buf);
}

// Appends "<prefix><n>\r\n".
void AppendHeader(std::string* out, char prefix, int64_t n) {
  char buf[24];  // Prefix, 20 characters of int64, CRLF.
  buf[0] = prefix;
  char* end = std::to_chars(buf + 1, buf + sizeof(buf) - 2, n).ptr;
  *end++ = '\r';
  *end++ = '\n';
  out->append(buf, static_cast<size_t>(end - buf));
}

void AppendBulk(std::string* out, std::string_view s) {
  AppendHeader(out, '$', static_cast<int64_t>(s.size()));
  out->append(s);
  out->append("\r\n", 2);
}

}  // namespace

std::string FormatDouble(double v) {
  char buf[kDoubleBufSize];
  return std::string(buf, FormatDoubleTo(buf, v));
}

void ReplyBuilder::SimpleString(std::string_view s) {
  out_->push_back('+');
  out_->append(s);
  out_->append("\r\n", 2);
}

// As addReplyErrorFormat: CR and LF are trimmed from both ends and replaced
// by spaces inside, so the error stays one line.
void ReplyBuilder::Error(std::string_view text) {
  auto is_newline = [](char c) { return c == '\r' || c == '\n'; };
  while (!text.empty() && is_newline(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_newline(text.back())) text.remove_suffix(1);
  if (!text.empty() && text[0] == '-') text.remove_prefix(1);
  ++errors_;
  last_error_code_.assign(text.substr(0, text.find(' ')));
  out_->push_back('-');
  const size_t start = out_->size();
  out_->append(text);
  for (size_t i = start; i < out_->size(); ++i) {
    if (is_newline((*out_)[i])) (*out_)[i] = ' ';
  }
  out_->append("\r\n", 2);
}

void ReplyBuilder::Integer(int64_t v) {
  AppendHeader(out_, ':', v);
}

void ReplyBuilder::Bulk(std::string_view s) {
  AppendBulk(out_, s);
}

void ReplyBuilder::Null() {
  if (protocol_ >= 3) {
    out_->append("_\r\n", 3);
  } else {
    out_->append("$-1\r\n", 5);
  }
}

void ReplyBuilder::NullArray() {
  if (protocol_ >= 3) {
    out_->append("_\r\n", 3);
  } else {
    out_->append("*-1\r\n", 5);
  }
}

// addReplyDouble: RESP2 a bulk string, RESP3 ",<text>\r\n"; both "%.17g"
// (Redis spells the infinities itself, the same as printf does).
void ReplyBuilder::Double(double v) {
  char buf[kDoubleBufSize + 3];
  if (protocol_ >= 3) {
    buf[0] = ',';
    size_t n = 1 + FormatDoubleTo(buf + 1, v);
    buf[n++] = '\r';
    buf[n++] = '\n';
    out_->append(buf, n);
  } else {
    AppendBulk(out_, std::string_view(buf, FormatDoubleTo(buf, v)));
  }
}

void ReplyBuilder::HumanLongDouble(long double v) {
  std::string text = FormatLongDouble(v);
  if (protocol_ >= 3) {
    out_->push_back(',');
    out_->append(text);
    out_->append("\r\n");
  } else {
    AppendBulk(out_, text);
  }
}

void ReplyBuilder::Bool(bool v) {
  if (protocol_ >= 3) {
    out_->append(v ? "#t\r\n" : "#f\r\n", 4);
  } else {
    out_->append(v ? ":1\r\n" : ":0\r\n", 4);
  }
}

// addReplyVerbatim: the format is exactly three characters, cut or padded
// with spaces.
void ReplyBuilder::Verbatim(std::string_view s, std::string_view format) {
  if (protocol_ < 3) {
    AppendBulk(out_, s);
    return;
  }
  AppendHeader(out_, '=', static_cast<int64_t>(s.size() + 4));
  char ext[4] = {' ', ' ', ' ', ':'};
  format.copy(ext, 3);
  out_->append(ext, 4);
  out_->append(s);
  out_->append("\r\n", 2);
}

void ReplyBuilder::ArrayHeader(int64_t n) {
  AppendHeader(out_, '*', n);
}

void ReplyBuilder::MapHeader(int64_t n) {
  if (protocol_ >= 3) {
    AppendHeader(out_, '%', n);
  } else {
    AppendHeader(out_, '*', 2 * n);
  }
}

void ReplyBuilder::SetHeader(int64_t n) {
  AppendHeader(out_, protocol_ >= 3 ? '~' : '*', n);
}

void ReplyBuilder::PushHeader(int64_t n) {
  AppendHeader(out_, protocol_ >= 3 ? '>' : '*', n);
}

}  // namespace strata::server
