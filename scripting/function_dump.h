// The FUNCTION DUMP / RESTORE payload, in Redis 7.0's format byte for byte,
// so payloads move between Strata and Redis both ways:
//
//   payload := { 0xF5 (RDB_OPCODE_FUNCTION2) rdb-string(library code) }*
//              u16le(RDB version = 10) u64le(CRC-64/Jones of all bytes before it)
//   rdb-string := rdb-length bytes | 0xC3 rdb-length(compressed) rdb-length(raw) lzf-data
//
// Strata writes strings uncompressed (a valid RDB string; Redis writes LZF
// when it saves space) and reads both forms. The same payload is what
// engine/function_store.h keeps on disk.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace strata::scripting {

inline constexpr uint16_t kDumpRdbVersion = 10;  // Redis 7.0's RDB_VERSION

std::string EncodeFunctionDump(std::span<const std::string> codes);
// The library codes of `payload`; a client error with Redis's text when the
// footer is wrong ("ERR DUMP payload version or checksum are wrong") or an
// entry is not a library ("ERR given type is not a function").
StatusOr<std::vector<std::string>> DecodeFunctionDump(std::string_view payload);

// Redis's crc64 (Jones polynomial, reflected, init 0); exposed for tests.
uint64_t Crc64(uint64_t crc, std::string_view data);

}  // namespace strata::scripting
