// Listpack, intset, ziplist and zipmap blobs; see rdb_blobs.h.
#include "codec/rdb_blobs.h"

#include <cstdint>

#include "common/numbers.h"

namespace strata::codec::rdb {

namespace {

constexpr size_t kListpackHeader = 6;
constexpr size_t kZiplistHeader = 10;
constexpr uint8_t kEnd = 0xFF;

uint64_t LittleEndian(std::string_view s, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(s[pos + i]);
  return v;
}

void PutLittleEndian(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

void SetLittleEndian(std::string* out, size_t pos, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) (*out)[pos + i] = static_cast<char>(v >> (8 * i));
}

int64_t SignExtend(uint64_t v, int bits) {
  int shift = 64 - bits;
  return static_cast<int64_t>(v << shift) >> shift;
}

// lpEncodeBacklen.
std::string Backlen(uint64_t l) {
  std::string b;
  if (l <= 127) {
    b.push_back(static_cast<char>(l));
  } else if (l < 16383) {
    b = {static_cast<char>(l >> 7), static_cast<char>((l & 127) | 128)};
  } else if (l < 2097151) {
    b = {static_cast<char>(l >> 14), static_cast<char>(((l >> 7) & 127) | 128),
         static_cast<char>((l & 127) | 128)};
  } else if (l < 268435455) {
    b = {static_cast<char>(l >> 21), static_cast<char>(((l >> 14) & 127) | 128),
         static_cast<char>(((l >> 7) & 127) | 128), static_cast<char>((l & 127) | 128)};
  } else {
    b = {static_cast<char>(l >> 28), static_cast<char>(((l >> 21) & 127) | 128),
         static_cast<char>(((l >> 14) & 127) | 128), static_cast<char>(((l >> 7) & 127) | 128),
         static_cast<char>((l & 127) | 128)};
  }
  return b;
}

}  // namespace

ListpackBuilder::ListpackBuilder() : buf_(kListpackHeader, '\0') {}

void ListpackBuilder::Append(std::string_view element) {
  const size_t start = buf_.size();
  int64_t v;
  if (ParseInt64(element, &v)) {
    if (v >= 0 && v <= 127) {
      buf_.push_back(static_cast<char>(v));
    } else if (v >= -4096 && v <= 4095) {
      uint64_t u = static_cast<uint64_t>(v) & 0x1fff;
      buf_.push_back(static_cast<char>(0xC0 | (u >> 8)));
      buf_.push_back(static_cast<char>(u & 0xff));
    } else if (v >= INT16_MIN && v <= INT16_MAX) {
      buf_.push_back(static_cast<char>(0xF1));
      PutLittleEndian(&buf_, static_cast<uint64_t>(v), 2);
    } else if (v >= -8388608 && v <= 8388607) {
      buf_.push_back(static_cast<char>(0xF2));
      PutLittleEndian(&buf_, static_cast<uint64_t>(v), 3);
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
      buf_.push_back(static_cast<char>(0xF3));
      PutLittleEndian(&buf_, static_cast<uint64_t>(v), 4);
    } else {
      buf_.push_back(static_cast<char>(0xF4));
      PutLittleEndian(&buf_, static_cast<uint64_t>(v), 8);
    }
  } else {
    const size_t n = element.size();
    if (n < 64) {
      buf_.push_back(static_cast<char>(0x80 | n));
    } else if (n < 4096) {
      buf_.push_back(static_cast<char>(0xE0 | (n >> 8)));
      buf_.push_back(static_cast<char>(n & 0xff));
    } else {
      buf_.push_back(static_cast<char>(0xF0));
      PutLittleEndian(&buf_, n, 4);
    }
    buf_.append(element);
  }
  buf_ += Backlen(buf_.size() - start);
  ++count_;
}

std::string ListpackBuilder::Finish() {
  std::string out = std::move(buf_);
  out.push_back(static_cast<char>(kEnd));
  SetLittleEndian(&out, 0, out.size(), 4);
  SetLittleEndian(&out, 4, count_ < 65535 ? count_ : 65535, 2);
  buf_.assign(kListpackHeader, '\0');
  count_ = 0;
  return out;
}

bool ParseListpack(std::string_view lp, std::vector<std::string>* out) {
  out->clear();
  if (lp.size() < kListpackHeader + 1 || LittleEndian(lp, 0, 4) != lp.size() ||
      static_cast<uint8_t>(lp.back()) != kEnd) {
    return false;
  }
  const uint64_t declared = LittleEndian(lp, 4, 2);
  const size_t end = lp.size() - 1;
  size_t p = kListpackHeader;
  while (p < end) {
    const size_t start = p;
    const uint8_t b = static_cast<uint8_t>(lp[p]);
    auto need = [&](size_t n) { return n <= end - p; };
    if (b < 0x80) {
      out->push_back(std::to_string(b));
      p += 1;
    } else if ((b & 0xC0) == 0x80 || (b & 0xF0) == 0xE0 || b == 0xF0) {
      size_t header = b < 0xC0 ? 1 : b == 0xF0 ? 5 : 2;
      if (!need(header)) return false;
      uint64_t len = b < 0xC0    ? (b & 0x3f)
                     : b == 0xF0 ? LittleEndian(lp, p + 1, 4)
                                 : ((b & 0x0f) << 8) | static_cast<uint8_t>(lp[p + 1]);
      if (!need(header + len)) return false;
      out->emplace_back(lp.substr(p + header, len));
      p += header + len;
    } else if ((b & 0xE0) == 0xC0) {
      if (!need(2)) return false;
      uint64_t u = ((b & 0x1f) << 8) | static_cast<uint8_t>(lp[p + 1]);
      out->push_back(std::to_string(SignExtend(u, 13)));
      p += 2;
    } else if (b >= 0xF1 && b <= 0xF4) {
      int bytes = b == 0xF1 ? 2 : b == 0xF2 ? 3 : b == 0xF3 ? 4 : 8;
      if (!need(1 + bytes)) return false;
      out->push_back(std::to_string(SignExtend(LittleEndian(lp, p + 1, bytes), 8 * bytes)));
      p += 1 + bytes;
    } else {
      return false;  // 0xF5..0xFE unused, 0xFF before the end
    }
    std::string back = Backlen(p - start);
    if (back.size() > end - p || lp.substr(p, back.size()) != back) return false;
    p += back.size();
  }
  return p == end && (declared == 65535 || declared == out->size());
}

bool ParseZiplist(std::string_view zl, std::vector<std::string>* out) {
  out->clear();
  if (zl.size() < kZiplistHeader + 1 || LittleEndian(zl, 0, 4) != zl.size() ||
      static_cast<uint8_t>(zl.back()) != kEnd) {
    return false;
  }
  const uint64_t tail = LittleEndian(zl, 4, 4);
  const uint64_t declared = LittleEndian(zl, 8, 2);
  const size_t end = zl.size() - 1;
  size_t p = kZiplistHeader, prev_size = 0, last = kZiplistHeader;
  while (p < end) {
    const size_t start = p;
    auto need = [&](size_t n) { return n <= end - p; };
    uint8_t b = static_cast<uint8_t>(zl[p]);
    uint64_t prevlen = b;
    if (b == 0xFE) {
      if (!need(5)) return false;
      prevlen = LittleEndian(zl, p + 1, 4);
      p += 5;
    } else {
      p += 1;
    }
    if (prevlen != prev_size || !need(1)) return false;
    b = static_cast<uint8_t>(zl[p]);
    if (b < 0xC0) {
      size_t header = (b >> 6) == 0 ? 1 : (b >> 6) == 1 ? 2 : 5;
      if ((b >> 6) == 2 && b != 0x80) return false;
      if (!need(header)) return false;
      uint64_t len = b & 0x3f;
      if ((b >> 6) == 1) len = (len << 8) | static_cast<uint8_t>(zl[p + 1]);
      if ((b >> 6) == 2) len = __builtin_bswap32(static_cast<uint32_t>(LittleEndian(zl, p + 1, 4)));
      if (!need(header + len)) return false;
      out->emplace_back(zl.substr(p + header, len));
      p += header + len;
    } else {
      int bytes = 0;
      switch (b) {
        case 0xC0:
          bytes = 2;
          break;
        case 0xD0:
          bytes = 4;
          break;
        case 0xE0:
          bytes = 8;
          break;
        case 0xF0:
          bytes = 3;
          break;
        case 0xFE:
          bytes = 1;
          break;
        default:
          if (b >= 0xF1 && b <= 0xFD) {
            out->push_back(std::to_string((b & 0x0f) - 1));
            p += 1;
            break;
          }
          return false;
      }
      if (bytes != 0) {
        if (!need(1 + bytes)) return false;
        out->push_back(std::to_string(SignExtend(LittleEndian(zl, p + 1, bytes), 8 * bytes)));
        p += 1 + bytes;
      }
    }
    prev_size = p - start;
    last = start;
  }
  return p == end && last == tail && (declared == 65535 || declared == out->size());
}

bool ParseZipmap(std::string_view zm, std::vector<std::string>* out) {
  out->clear();
  if (zm.size() < 2) return false;
  const uint8_t declared = static_cast<uint8_t>(zm[0]);
  size_t p = 1;
  auto length = [&](uint64_t* len) {
    if (p >= zm.size()) return false;
    uint8_t b = static_cast<uint8_t>(zm[p]);
    if (b < 254) {
      *len = b;
      p += 1;
      return true;
    }
    if (b == 255 || zm.size() - p < 5) return false;
    *len = LittleEndian(zm, p + 1, 4);
    p += 5;
    return true;
  };
  while (p < zm.size() && static_cast<uint8_t>(zm[p]) != kEnd) {
    uint64_t klen = 0, vlen = 0;
    if (!length(&klen) || klen > zm.size() - p) return false;
    out->emplace_back(zm.substr(p, klen));
    p += klen;
    if (!length(&vlen) || p >= zm.size()) return false;
    uint8_t free = static_cast<uint8_t>(zm[p++]);
    if (vlen + free > zm.size() - p) return false;
    out->emplace_back(zm.substr(p, vlen));
    p += vlen + free;
  }
  if (p + 1 != zm.size()) return false;  // exactly one end byte, nothing after
  return declared >= 254 || declared == out->size() / 2;
}

std::string BuildIntset(const std::vector<int64_t>& sorted) {
  int width = 2;
  for (int64_t v : sorted) {
    if (v < INT32_MIN || v > INT32_MAX) {
      width = 8;
    } else if ((v < INT16_MIN || v > INT16_MAX) && width < 4) {
      width = 4;
    }
  }
  std::string out;
  PutLittleEndian(&out, width, 4);
  PutLittleEndian(&out, sorted.size(), 4);
  for (int64_t v : sorted) PutLittleEndian(&out, static_cast<uint64_t>(v), width);
  return out;
}

bool ParseIntset(std::string_view is, std::vector<std::string>* out) {
  out->clear();
  if (is.size() < 8) return false;
  const uint64_t width = LittleEndian(is, 0, 4);
  const uint64_t count = LittleEndian(is, 4, 4);
  if ((width != 2 && width != 4 && width != 8) || count == 0 || count != (is.size() - 8) / width ||
      (is.size() - 8) % width != 0) {
    return false;
  }
  int64_t prev = 0;
  for (uint64_t i = 0; i < count; ++i) {
    int w = static_cast<int>(width);
    int64_t v = SignExtend(LittleEndian(is, 8 + i * width, w), 8 * w);
    if (i > 0 && v <= prev) return false;
    prev = v;
    out->push_back(std::to_string(v));
  }
  return true;
}

}  // namespace strata::codec::rdb
