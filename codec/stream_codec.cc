// Stream IDs and entry encoding; see stream_codec.h.
#include "codec/stream_codec.h"

#include <cerrno>
#include <cstdlib>

#include "codec/layout.h"
#include "common/numbers.h"

namespace strata::codec {

bool IncrStreamId(StreamId* id) {
  if (id->seq == UINT64_MAX) {
    if (id->ms == UINT64_MAX) return false;
    ++id->ms;
    id->seq = 0;
  } else {
    ++id->seq;
  }
  return true;
}

bool DecrStreamId(StreamId* id) {
  if (id->seq == 0) {
    if (id->ms == 0) return false;
    --id->ms;
    id->seq = UINT64_MAX;
  } else {
    --id->seq;
  }
  return true;
}

std::string FormatStreamId(StreamId id) {
  std::string out = std::to_string(id.ms);
  out.push_back('-');
  out.append(std::to_string(id.seq));
  return out;
}

namespace {

// Redis's string2ull: strict integer text when it fits a long long (negative
// rejected), else whatever strtoull accepts whole without ERANGE.
bool ParseU64(const std::string& s, uint64_t* out) {
  int64_t ll;
  if (ParseInt64(s, &ll)) {
    if (ll < 0) return false;
    *out = static_cast<uint64_t>(ll);
    return true;
  }
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (errno == EINVAL || errno == ERANGE || *end != '\0') return false;
  *out = v;
  return true;
}

}  // namespace

bool ParseStreamId(std::string_view text, const StreamIdParse& how, ParsedStreamId* out) {
  if (text.size() > 127) return false;
  // Redis copies into a C buffer: an embedded NUL ends the text.
  text = text.substr(0, text.find('\0'));
  out->seq_given = true;
  if (text == "-" || text == "+") {
    if (how.strict) return false;
    out->id = text == "-" ? StreamId{} : StreamId::Max();
    return true;
  }
  size_t dash = text.find('-');
  std::string ms_text(text.substr(0, dash));
  if (!ParseU64(ms_text, &out->id.ms)) return false;
  if (dash == std::string_view::npos) {
    out->id.seq = how.missing_seq;
    return true;
  }
  std::string seq_text(text.substr(dash + 1));
  if (how.allow_auto_seq && seq_text == "*") {
    out->id.seq = 0;
    out->seq_given = false;
    return true;
  }
  return ParseU64(seq_text, &out->id.seq);
}

std::string EncodeStreamEntryKey(StreamId id) {
  std::string out;
  out.reserve(kStreamEntryKeySize);
  PutFixed64BE(&out, id.ms);
  PutFixed64BE(&out, id.seq);
  return out;
}

bool DecodeStreamEntryKey(std::string_view key, StreamId* id) {
  if (key.size() != kStreamEntryKeySize) return false;
  id->ms = GetFixed64BE(key.data());
  id->seq = GetFixed64BE(key.data() + 8);
  return true;
}

void PutVarint64(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint64(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    result |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

bool DecodeStreamEntry(std::string_view value, StreamFields* fields) {
  uint64_t pairs;
  if (!GetVarint64(&value, &pairs) || pairs > value.size()) return false;
  fields->clear();
  fields->reserve(pairs);
  for (uint64_t i = 0; i < pairs; ++i) {
    std::string_view part[2];
    for (auto& p : part) {
      uint64_t len;
      if (!GetVarint64(&value, &len) || len > value.size()) return false;
      p = value.substr(0, len);
      value.remove_prefix(len);
    }
    fields->emplace_back(part[0], part[1]);
  }
  return value.empty();
}

}  // namespace strata::codec
