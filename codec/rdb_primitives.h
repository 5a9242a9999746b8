// RDB primitives in Redis's exact byte format, shared by DUMP/RESTORE
// (codec/rdb_value.h), FUNCTION DUMP (scripting/function_dump.h) and the
// strata-rdb tool. Pure functions, no I/O.
//
// GRAMMAR (rdb.c):
//   length   := 00xxxxxx                      6-bit length
//             | 01xxxxxx yyyyyyyy             14-bit length, big-endian
//             | 0x80 u32be | 0x81 u64be       32- / 64-bit length
//             | 11xxxxxx                      "encoded string" marker, x below
//   string   := length bytes
//             | 0xC0 i8 | 0xC1 i16le | 0xC2 i32le      integer-encoded string
//             | 0xC3 length(compressed) length(raw) lzf-data
//   binary double := 8 bytes, IEEE 754 little-endian (zset2 scores)
//   old double    := u8 len (253 nan, 254 +inf, 255 -inf) ascii[len]
//   DUMP footer   := u16le(RDB version) u64le(CRC-64/Jones of all bytes before it)
//
// Strings are written as Redis 7.0's rdbSaveRawString writes them: a value of
// at most 11 bytes that string2ll accepts and fits 32 bits is integer-encoded;
// with compression on, a value longer than 20 bytes is LZF-compressed (liblzf,
// the library Redis bundles, built with the same parameters) when that saves
// at least 4 bytes; otherwise plain.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace strata::codec::rdb {

inline constexpr uint16_t kRdbVersion = 10;  // Redis 7.0's RDB_VERSION

// Redis's crc64 (Jones polynomial, reflected, init 0), chainable.
uint64_t Crc64(uint64_t crc, std::string_view data);

void PutLength(std::string* out, uint64_t len);
// A string as rdbSaveRawString writes it (see above).
void PutString(std::string* out, std::string_view s, bool compress);
void PutBinaryDouble(std::string* out, double v);

// Appends the DUMP footer (version and checksum) to `payload`.
void AppendDumpFooter(std::string* payload);
// Checks the footer as Redis's verifyDumpPayload: the version is at most
// kRdbVersion and the checksum matches. Returns the body (without footer).
StatusOr<std::string_view> VerifyDumpPayload(std::string_view payload);

// LZF through liblzf. Compress returns false when the output would not fit
// in `max_out` bytes. Decompress requires exactly `raw_len` bytes of output.
bool LzfCompress(std::string_view in, size_t max_out, std::string* out);
bool LzfDecompress(std::string_view in, size_t raw_len, std::string* out);

// A cursor over untrusted RDB bytes: every read checks bounds and returns
// false on truncated or malformed input, never reading past the end.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool done() const { return pos_ >= data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }

  bool Byte(uint8_t* b);
  bool Bytes(uint64_t n, std::string_view* out);
  // A length; *encoded is set for the 11xxxxxx form (then *len is x).
  bool Length(uint64_t* len, bool* encoded);
  // A length that must be a plain length.
  bool PlainLength(uint64_t* len);
  // A string in any of its forms.
  bool String(std::string* out);
  bool BinaryDouble(double* v);
  bool OldDouble(double* v);

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace strata::codec::rdb
