// Redis's packed in-memory containers as RDB stores them inside a string:
// listpack (written and read), intset (written and read), and the legacy
// ziplist and zipmap (read only). Byte for byte as Redis 7.0's listpack.c,
// intset.c, ziplist.c and zipmap.c. Pure functions, no I/O.
//
// Every parser validates the whole blob as Redis's deep integrity check does
// (header sizes and counts, each entry's bounds, listpack back-lengths,
// ziplist prev-lengths, intset order) and returns false on any mismatch, so
// a corrupt or truncated payload is refused, never read out of bounds.
// Integer entries are returned as their decimal text.
//
// LISTPACK := u32le(total bytes) u16le(count, 65535: unknown) entry* 0xFF
//   entry  := encoding data backlen(size of encoding + data, 7 bits a byte)
//   encoding: 0xxxxxxx 7-bit uint | 10xxxxxx 6-bit-len string | 110xxxxx +1
//   13-bit int | 1110xxxx +1 12-bit-len string | 0xF0 u32le-len string |
//   0xF1/F2/F3/F4 16/24/32/64-bit int (little-endian)
// INTSET   := u32le(width 2|4|8) u32le(count) sorted little-endian integers
// ZIPLIST  := u32le(total bytes) u32le(tail offset) u16le(count) entry* 0xFF
//   entry  := prevlen(1 byte < 254 | 0xFE u32le) encoding data
// ZIPMAP   := u8(count, 254+: unknown) {len key len u8(free) value free-bytes}* 0xFF
//   len    := u8 (< 254) | 0xFE u32 (host order: little-endian)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace strata::codec::rdb {

// Appends entries as lpAppend does (integers in their smallest encoding).
class ListpackBuilder {
 public:
  ListpackBuilder();
  void Append(std::string_view element);
  size_t bytes() const { return buf_.size() + 1; }  // with the end byte
  size_t count() const { return count_; }
  // The finished listpack; the builder is left empty.
  std::string Finish();

 private:
  std::string buf_;  // header placeholder and entries, no end byte yet
  size_t count_ = 0;
};

bool ParseListpack(std::string_view blob, std::vector<std::string>* out);
bool ParseZiplist(std::string_view blob, std::vector<std::string>* out);
bool ParseZipmap(std::string_view blob, std::vector<std::string>* out);  // key, value, ...

// REQUIRES: values sorted ascending and distinct.
std::string BuildIntset(const std::vector<int64_t>& sorted);
bool ParseIntset(std::string_view blob, std::vector<std::string>* out);

}  // namespace strata::codec::rdb
