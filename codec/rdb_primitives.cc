// RDB primitives; see rdb_primitives.h.
#include "codec/rdb_primitives.h"

#include <lzf.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "common/numbers.h"

namespace strata::codec::rdb {

namespace {

constexpr uint8_t kEncInt8 = 0;
constexpr uint8_t kEncInt16 = 1;
constexpr uint8_t kEncInt32 = 2;
constexpr uint8_t kEncLzf = 3;

const std::array<uint64_t, 256>& Crc64Table() {
  static const std::array<uint64_t, 256> table = [] {
    constexpr uint64_t kPolyReflected = 0x95ac9329ac4bc9b5ULL;  // 0xad93d23594c935a9 reflected
    std::array<uint64_t, 256> t{};
    for (uint64_t i = 0; i < 256; ++i) {
      uint64_t c = i;
      for (int b = 0; b < 8; ++b) c = (c & 1) != 0 ? (c >> 1) ^ kPolyReflected : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

void PutLittleEndian(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

// rdbTryIntegerEncoding + rdbEncodeInteger: false when `s` is not a
// canonical integer that fits 32 bits.
bool PutIntegerString(std::string* out, std::string_view s) {
  int64_t v;
  if (s.size() > 11 || !ParseInt64(s, &v)) return false;
  if (v >= INT8_MIN && v <= INT8_MAX) {
    out->push_back(static_cast<char>(0xC0 | kEncInt8));
    PutLittleEndian(out, static_cast<uint64_t>(v), 1);
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    out->push_back(static_cast<char>(0xC0 | kEncInt16));
    PutLittleEndian(out, static_cast<uint64_t>(v), 2);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    out->push_back(static_cast<char>(0xC0 | kEncInt32));
    PutLittleEndian(out, static_cast<uint64_t>(v), 4);
  } else {
    return false;
  }
  return true;
}

// LZF output can grow at most ~132x (a 3-byte back reference yields up to
// 264 bytes); a claimed raw length beyond that is corrupt, not a reason to
// allocate gigabytes.
constexpr uint64_t kMaxLzfRatio = 140;

}  // namespace

uint64_t Crc64(uint64_t crc, std::string_view data) {
  const auto& table = Crc64Table();
  for (char ch : data) crc = table[(crc ^ static_cast<uint8_t>(ch)) & 0xff] ^ (crc >> 8);
  return crc;
}

void PutLength(std::string* out, uint64_t len) {
  if (len < 64) {
    out->push_back(static_cast<char>(len));
  } else if (len < 16384) {
    out->push_back(static_cast<char>(0x40 | (len >> 8)));
    out->push_back(static_cast<char>(len & 0xff));
  } else if (len <= UINT32_MAX) {
    out->push_back(static_cast<char>(0x80));
    for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(len >> shift));
  } else {
    out->push_back(static_cast<char>(0x81));
    for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(len >> shift));
  }
}

void PutString(std::string* out, std::string_view s, bool compress) {
  if (PutIntegerString(out, s)) return;
  if (compress && s.size() > 20) {
    std::string packed;
    if (LzfCompress(s, s.size() - 4, &packed)) {
      out->push_back(static_cast<char>(0xC0 | kEncLzf));
      PutLength(out, packed.size());
      PutLength(out, s.size());
      out->append(packed);
      return;
    }
  }
  PutLength(out, s.size());
  out->append(s);
}

void PutBinaryDouble(std::string* out, double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  PutLittleEndian(out, bits, 8);
}

void AppendDumpFooter(std::string* payload) {
  PutLittleEndian(payload, kRdbVersion, 2);
  PutLittleEndian(payload, Crc64(0, *payload), 8);
}

StatusOr<std::string_view> VerifyDumpPayload(std::string_view payload) {
  auto bad = [] { return Status::ClientError("ERR DUMP payload version or checksum are wrong"); };
  if (payload.size() < 10) return bad();
  const size_t body = payload.size() - 10;
  auto byte = [&](size_t i) { return static_cast<uint64_t>(static_cast<uint8_t>(payload[i])); };
  uint64_t version = byte(body) | byte(body + 1) << 8;
  uint64_t crc = 0;
  for (int i = 0; i < 8; ++i) crc |= byte(body + 2 + i) << (8 * i);
  if (version > kRdbVersion || Crc64(0, payload.substr(0, body + 2)) != crc) return bad();
  return payload.substr(0, body);
}

bool LzfCompress(std::string_view in, size_t max_out, std::string* out) {
  if (in.size() <= 4 || max_out == 0) return false;
  out->resize(max_out);
  unsigned n = lzf_compress(in.data(), static_cast<unsigned>(in.size()), out->data(),
                            static_cast<unsigned>(max_out));
  if (n == 0) return false;
  out->resize(n);
  return true;
}

bool LzfDecompress(std::string_view in, size_t raw_len, std::string* out) {
  if (raw_len == 0 || in.empty() || raw_len > in.size() * kMaxLzfRatio ||
      raw_len > std::numeric_limits<unsigned>::max()) {
    return false;
  }
  out->resize(raw_len);
  unsigned n = lzf_decompress(in.data(), static_cast<unsigned>(in.size()), out->data(),
                              static_cast<unsigned>(raw_len));
  return n == raw_len;
}

bool Reader::Byte(uint8_t* b) {
  if (pos_ >= data_.size()) return false;
  *b = static_cast<uint8_t>(data_[pos_++]);
  return true;
}

bool Reader::Bytes(uint64_t n, std::string_view* out) {
  if (n > data_.size() - pos_) return false;
  *out = data_.substr(pos_, n);
  pos_ += n;
  return true;
}

bool Reader::Length(uint64_t* len, bool* encoded) {
  uint8_t b = 0;
  if (!Byte(&b)) return false;
  *encoded = false;
  switch (b >> 6) {
    case 0:
      *len = b & 0x3f;
      return true;
    case 1: {
      uint8_t lo = 0;
      if (!Byte(&lo)) return false;
      *len = (static_cast<uint64_t>(b & 0x3f) << 8) | lo;
      return true;
    }
    case 2: {
      int bytes = b == 0x80 ? 4 : b == 0x81 ? 8 : 0;
      if (bytes == 0) return false;
      std::string_view raw;
      if (!Bytes(bytes, &raw)) return false;
      *len = 0;
      for (char c : raw) *len = (*len << 8) | static_cast<uint8_t>(c);
      return true;
    }
    default:
      *encoded = true;
      *len = b & 0x3f;
      return true;
  }
}

bool Reader::PlainLength(uint64_t* len) {
  bool encoded = false;
  return Length(len, &encoded) && !encoded;
}

bool Reader::String(std::string* out) {
  uint64_t len = 0;
  bool encoded = false;
  if (!Length(&len, &encoded)) return false;
  std::string_view raw;
  if (!encoded) {
    if (!Bytes(len, &raw)) return false;
    out->assign(raw);
    return true;
  }
  int64_t v = 0;
  switch (len) {
    case kEncInt8:
    case kEncInt16:
    case kEncInt32: {
      int bytes = 1 << len;
      if (!Bytes(bytes, &raw)) return false;
      uint64_t u = 0;
      for (int i = bytes - 1; i >= 0; --i) u = (u << 8) | static_cast<uint8_t>(raw[i]);
      int shift = 64 - 8 * bytes;  // sign-extend
      v = static_cast<int64_t>(u << shift) >> shift;
      out->assign(std::to_string(v));
      return true;
    }
    case kEncLzf: {
      uint64_t clen = 0, raw_len = 0;
      if (!PlainLength(&clen) || !PlainLength(&raw_len) || !Bytes(clen, &raw)) return false;
      return LzfDecompress(raw, raw_len, out);
    }
    default:
      return false;
  }
}

bool Reader::BinaryDouble(double* v) {
  std::string_view raw;
  if (!Bytes(8, &raw)) return false;
  uint64_t bits = 0;
  for (int i = 7; i >= 0; --i) bits = (bits << 8) | static_cast<uint8_t>(raw[i]);
  std::memcpy(v, &bits, sizeof(bits));
  return true;
}

bool Reader::OldDouble(double* v) {
  uint8_t len = 0;
  if (!Byte(&len)) return false;
  switch (len) {
    case 253:
      *v = std::nan("");
      return true;
    case 254:
      *v = std::numeric_limits<double>::infinity();
      return true;
    case 255:
      *v = -std::numeric_limits<double>::infinity();
      return true;
    default: {
      std::string_view raw;
      if (!Bytes(len, &raw)) return false;
      std::string text(raw);  // NUL-terminated for strtod, as Redis's sscanf("%lg")
      char* end = nullptr;
      *v = std::strtod(text.c_str(), &end);
      return end != text.c_str();
    }
  }
}

}  // namespace strata::codec::rdb
