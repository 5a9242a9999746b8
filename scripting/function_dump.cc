// FUNCTION DUMP payload encoding and decoding; see function_dump.h.
#include "scripting/function_dump.h"

#include <array>

namespace strata::scripting {

namespace {

constexpr uint8_t kOpcodeFunction2 = 245;
constexpr uint8_t kEncLzf = 0xC3;  // RDB_ENCVAL << 6 | RDB_ENC_LZF

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

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool done() const { return pos_ >= data_.size(); }
  bool Byte(uint8_t* b) {
    if (pos_ >= data_.size()) return false;
    *b = static_cast<uint8_t>(data_[pos_++]);
    return true;
  }
  bool BigEndian(int bytes, uint64_t* v) {
    *v = 0;
    for (int i = 0; i < bytes; ++i) {
      uint8_t b = 0;
      if (!Byte(&b)) return false;
      *v = (*v << 8) | b;
    }
    return true;
  }
  // An rdb-length; *encoded is set for the 0xC0.. special encodings (then
  // *len holds the encoding number).
  bool Length(uint64_t* len, bool* encoded) {
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
      case 2:
        if (b == 0x80) return BigEndian(4, len);
        if (b == 0x81) return BigEndian(8, len);
        return false;
      default:
        *encoded = true;
        *len = b & 0x3f;
        return true;
    }
  }
  bool Bytes(uint64_t n, std::string_view* out) {
    if (n > data_.size() - pos_) return false;
    *out = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

// LZF decompression (liblzf's format, as Redis's lzf_decompress).
bool LzfDecompress(std::string_view in, size_t raw_len, std::string* out) {
  out->clear();
  out->reserve(raw_len);
  size_t ip = 0;
  while (ip < in.size()) {
    unsigned ctrl = static_cast<uint8_t>(in[ip++]);
    if (ctrl < 32) {  // literal run of ctrl + 1 bytes
      size_t n = ctrl + 1;
      if (ip + n > in.size() || out->size() + n > raw_len) return false;
      out->append(in.substr(ip, n));
      ip += n;
      continue;
    }
    size_t len = ctrl >> 5;
    if (len == 7) {
      if (ip >= in.size()) return false;
      len += static_cast<uint8_t>(in[ip++]);
    }
    if (ip >= in.size()) return false;
    size_t back = ((ctrl & 0x1f) << 8) + static_cast<uint8_t>(in[ip++]) + 1;
    len += 2;
    if (back > out->size() || out->size() + len > raw_len) return false;
    size_t ref = out->size() - back;
    for (size_t i = 0; i < len; ++i) out->push_back((*out)[ref + i]);  // may overlap
  }
  return out->size() == raw_len;
}

bool ReadString(Reader& r, std::string* out) {
  uint64_t len = 0;
  bool encoded = false;
  if (!r.Length(&len, &encoded)) return false;
  std::string_view bytes;
  if (!encoded) {
    if (!r.Bytes(len, &bytes)) return false;
    out->assign(bytes);
    return true;
  }
  if ((len | 0xC0) != kEncLzf) return false;  // integer encodings: never a library
  uint64_t clen = 0, raw = 0;
  bool e1 = false, e2 = false;
  if (!r.Length(&clen, &e1) || !r.Length(&raw, &e2) || e1 || e2) return false;
  if (!r.Bytes(clen, &bytes)) return false;
  return LzfDecompress(bytes, raw, out);
}

}  // namespace

uint64_t Crc64(uint64_t crc, std::string_view data) {
  const auto& table = Crc64Table();
  for (char ch : data) crc = table[(crc ^ static_cast<uint8_t>(ch)) & 0xff] ^ (crc >> 8);
  return crc;
}

std::string EncodeFunctionDump(std::span<const std::string> codes) {
  std::string out;
  for (const std::string& code : codes) {
    out.push_back(static_cast<char>(kOpcodeFunction2));
    PutLength(&out, code.size());
    out += code;
  }
  out.push_back(static_cast<char>(kDumpRdbVersion & 0xff));
  out.push_back(static_cast<char>(kDumpRdbVersion >> 8));
  uint64_t crc = Crc64(0, out);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(crc >> (8 * i)));
  return out;
}

StatusOr<std::vector<std::string>> DecodeFunctionDump(std::string_view payload) {
  auto bad_footer = [] {
    return Status::ClientError("ERR DUMP payload version or checksum are wrong");
  };
  if (payload.size() < 10) return bad_footer();
  size_t body_len = payload.size() - 10;
  uint16_t version = static_cast<uint8_t>(payload[body_len]) |
                     static_cast<uint16_t>(static_cast<uint8_t>(payload[body_len + 1]) << 8);
  uint64_t crc = 0;
  for (int i = 0; i < 8; ++i) {
    crc |= static_cast<uint64_t>(static_cast<uint8_t>(payload[body_len + 2 + i])) << (8 * i);
  }
  if (version > kDumpRdbVersion || Crc64(0, payload.substr(0, body_len + 2)) != crc) {
    return bad_footer();
  }
  std::vector<std::string> codes;
  Reader r(payload.substr(0, body_len));
  while (!r.done()) {
    uint8_t opcode = 0;
    if (!r.Byte(&opcode) || opcode != kOpcodeFunction2) {
      return Status::ClientError("ERR given type is not a function");
    }
    std::string code;
    if (!ReadString(r, &code)) return Status::ClientError("ERR Failed loading library payload");
    codes.push_back(std::move(code));
  }
  return codes;
}

}  // namespace strata::scripting
