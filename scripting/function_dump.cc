// FUNCTION DUMP payload encoding and decoding; see function_dump.h.
#include "scripting/function_dump.h"

#include <cstdint>

#include "codec/rdb_primitives.h"

namespace strata::scripting {

namespace {

constexpr uint8_t kOpcodeFunction2 = 245;  // RDB_OPCODE_FUNCTION2

}  // namespace

std::string EncodeFunctionDump(std::span<const std::string> codes) {
  std::string out;
  for (const std::string& code : codes) {
    out.push_back(static_cast<char>(kOpcodeFunction2));
    codec::rdb::PutString(&out, code, /*compress=*/true);
  }
  codec::rdb::AppendDumpFooter(&out);
  return out;
}

StatusOr<std::vector<std::string>> DecodeFunctionDump(std::string_view payload) {
  ASSIGN_OR_RETURN(std::string_view body, codec::rdb::VerifyDumpPayload(payload));
  std::vector<std::string> codes;
  codec::rdb::Reader r(body);
  while (!r.done()) {
    uint8_t opcode = 0;
    if (!r.Byte(&opcode) || opcode != kOpcodeFunction2) {
      return Status::ClientError("ERR given type is not a function");
    }
    std::string code;
    if (!r.String(&code)) return Status::ClientError("ERR Failed loading library payload");
    codes.push_back(std::move(code));
  }
  return codes;
}

}  // namespace strata::scripting
