// RESP3 -> RESP2 transcoding; see resp3_transcode.h.
#include "server/resp3_transcode.h"

#include <charconv>

namespace strata::server {

namespace {

constexpr int kMaxDepth = 64;

bool HasCount(char type) {
  switch (type) {
    case '*':
    case '%':
    case '~':
    case '>':
    case '|':
    case '$':
    case '=':
    case '!':
      return true;
    default:
      return false;
  }
}

void AppendHeader(char type, int64_t n, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), n);
  out->push_back(type);
  out->append(buf, r.ptr);
  out->append("\r\n");
}

void AppendBulk(std::string_view s, std::string* out) {
  AppendHeader('$', static_cast<int64_t>(s.size()), out);
  out->append(s);
  out->append("\r\n");
}

class Transcoder {
 public:
  Transcoder(std::string_view in, std::string* out) : in_(in), out_(out) {}

  bool AtEnd() const { return pos_ == in_.size(); }

  // Converts the value at pos_, advancing past it.
  bool Value(int depth) {
    if (depth > kMaxDepth) return false;
    Resp3Header h;
    if (!ParseResp3Header(in_.substr(pos_), &h)) return false;
    std::string_view line = in_.substr(pos_ + 1, h.size - 3);  // without type and CRLF
    pos_ += h.size;
    switch (h.type) {
      case '+':
      case '-':
      case ':':
        out_->push_back(h.type);
        out_->append(line);
        out_->append("\r\n");
        return true;
      case '_':
        out_->append("$-1\r\n");
        return true;
      case '#':
        if (line != "t" && line != "f") return false;
        out_->append(line == "t" ? ":1\r\n" : ":0\r\n");
        return true;
      case ',':
      case '(':
        AppendBulk(line, out_);
        return true;
      case '$':
      case '=':
      case '!': {
        if (h.count < 0) {
          if (h.type != '$') return false;
          out_->append("$-1\r\n");
          return true;
        }
        std::string_view body;
        if (!Body(h.count, &body)) return false;
        if (h.type == '$') {
          AppendBulk(body, out_);
        } else if (h.type == '=') {
          if (body.size() < 4 || body[3] != ':') return false;
          AppendBulk(body.substr(4), out_);
        } else {
          out_->push_back('-');
          out_->append(body);
          out_->append("\r\n");
        }
        return true;
      }
      case '*':
        if (h.count < 0) {
          out_->append("*-1\r\n");
          return true;
        }
        return Elements(h.count, depth);
      case '~':
      case '>':
        if (h.count < 0) return false;
        return Elements(h.count, depth);
      case '%':
        if (h.count < 0 || h.count > INT64_MAX / 2) return false;
        return Elements(h.count * 2, depth);
      case '|':
        return Attribute(h.count, depth);
      default:
        return false;
    }
  }

 private:
  bool Body(int64_t len, std::string_view* body) {
    if (len < 0 || static_cast<uint64_t>(len) + 2 > in_.size() - pos_) return false;
    size_t n = static_cast<size_t>(len);
    if (in_.substr(pos_ + n, 2) != "\r\n") return false;
    *body = in_.substr(pos_, n);
    pos_ += n + 2;
    return true;
  }

  // An array header for n elements, then the n elements.
  bool Elements(int64_t n, int depth) {
    AppendHeader('*', n, out_);
    for (int64_t i = 0; i < n; ++i) {
      if (!Value(depth + 1)) return false;
    }
    return true;
  }

  // Attributes have no RESP2 form: convert into a scratch string, drop it.
  bool Attribute(int64_t pairs, int depth) {
    if (pairs < 0) return false;
    std::string scratch;
    std::string* saved = out_;
    out_ = &scratch;
    bool ok = true;
    for (int64_t i = 0; ok && i < pairs * 2; ++i) ok = Value(depth + 1);
    out_ = saved;
    // An attribute precedes the value it describes.
    return ok && Value(depth);
  }

  std::string_view in_;
  std::string* out_;
  size_t pos_ = 0;
};

}  // namespace

bool ParseResp3Header(std::string_view resp3, Resp3Header* header) {
  size_t crlf = resp3.find("\r\n");
  if (resp3.empty() || crlf == std::string_view::npos) return false;
  header->type = resp3[0];
  header->size = crlf + 2;
  header->count = 0;
  if (!HasCount(header->type)) return true;
  const char* first = resp3.data() + 1;
  const char* last = resp3.data() + crlf;
  auto r = std::from_chars(first, last, header->count);
  return r.ec == std::errc() && r.ptr == last && first != last && header->count >= -1;
}

bool TranscodeResp3ToResp2(std::string_view resp3, std::string* out) {
  size_t mark = out->size();
  Transcoder t(resp3, out);
  while (!t.AtEnd()) {
    if (!t.Value(0)) {
      out->resize(mark);
      return false;
    }
  }
  return true;
}

}  // namespace strata::server
