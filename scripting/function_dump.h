// The FUNCTION DUMP / RESTORE payload, in Redis 7.0's format byte for byte,
// so payloads move between Strata and Redis both ways:
//
//   payload := { 0xF5 (RDB_OPCODE_FUNCTION2) rdb-string(library code) }*
//              u16le(RDB version = 10) u64le(CRC-64/Jones of all bytes before it)
//   rdb-string := rdb-length bytes | 0xC3 rdb-length(compressed) rdb-length(raw) lzf-data
//
// Strings, the footer and the CRC are the shared RDB primitives
// (codec/rdb_primitives.h): written as Redis writes them (LZF when it saves
// space), both forms read. The same payload is what engine/function_store.h
// keeps on disk.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace strata::scripting {

std::string EncodeFunctionDump(std::span<const std::string> codes);
// The library codes of `payload`; a client error with Redis's text when the
// footer is wrong ("ERR DUMP payload version or checksum are wrong") or an
// entry is not a library ("ERR given type is not a function").
StatusOr<std::vector<std::string>> DecodeFunctionDump(std::string_view payload);

}  // namespace strata::scripting
