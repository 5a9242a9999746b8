// ReplyBuilder: encodes replies in RESP2 or RESP3 into a connection's output
// buffer.
//
// Handlers describe replies by meaning (a map, a double, a null) and the
// builder chooses the wire form for the client's protocol version:
//   - Map:    RESP3 '%' header; RESP2 a flat array of 2n elements.
//   - Set:    RESP3 '~' header; RESP2 an array.
//   - Double: RESP3 ','; RESP2 a bulk string; both with Redis 7.0's %.17g
//             formatting (see FormatDouble).
//   - Null:   RESP3 '_'; RESP2 "$-1" (NullArray gives "*-1" in RESP2).
//   - Bool:   RESP3 '#t'/'#f'; RESP2 integer 1/0.
//   - Push:   RESP3 '>' header; RESP2 an array (pub/sub messages).
// The builder only appends bytes; it never flushes. Not thread-safe: one
// builder belongs to one connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::server {

class ReplyBuilder {
 public:
  explicit ReplyBuilder(std::string* out) : out_(out) {}

  int protocol() const { return protocol_; }
  void set_protocol(int version) { protocol_ = version; }

  // "+OK\r\n". `s` must not contain CR or LF.
  void SimpleString(std::string_view s);
  void Ok() { SimpleString("OK"); }
  // "-<text>\r\n". `text` is the full error including its prefix ("ERR ...",
  // "WRONGTYPE ..."); a text that already starts with '-' is not given a
  // second one. As Redis's addReplyErrorFormat does, CR/LF at either end are
  // dropped and CR/LF inside are replaced by spaces.
  void Error(std::string_view text);
  void Integer(int64_t v);
  void Bulk(std::string_view s);
  void Null();
  void NullArray();
  void Double(double v);
  // Redis's addReplyHumanLongDouble (GEOPOS, WITHCOORD): FormatLongDouble's
  // "%.17Lf" text without trailing zeros, a bulk string in RESP2 and a
  // double in RESP3.
  void HumanLongDouble(long double v);
  void Bool(bool v);
  // RESP3 verbatim string ("=<len>\r\ntxt:..."; `format` cut or padded with
  // spaces to 3 characters, as Redis does); RESP2 a bulk string.
  void Verbatim(std::string_view s, std::string_view format = "txt");
  void ArrayHeader(int64_t n);
  void MapHeader(int64_t n);
  void SetHeader(int64_t n);
  void PushHeader(int64_t n);

  // Current size of the output; Truncate(mark) drops what was appended since
  // (used when a command is re-run on the blocking path).
  size_t Mark() const { return out_->size(); }
  void Truncate(size_t mark) { out_->resize(mark); }
  std::string* buffer() { return out_; }

  // Error replies so far, and the code ("ERR", "WRONGTYPE") of the last one:
  // the dispatcher's failed-call and INFO errorstats accounting.
  uint64_t errors() const { return errors_; }
  const std::string& last_error_code() const { return last_error_code_; }

 private:
  std::string* out_;
  uint64_t errors_ = 0;
  std::string last_error_code_;
  int protocol_ = 2;
};

// Formats a double as Redis 7.0 does for replies: printf's "%.17g", so
// "3", "-0", "1.1000000000000001", "1.0000000000000001e+300", "inf", "-inf",
// and "nan" or "-nan" by the sign bit of the NaN (glibc's spelling).
std::string FormatDouble(double v);

}  // namespace strata::server
