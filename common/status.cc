// Status::ToString, for logs and test failure messages.
#include "common/status.h"

namespace strata {

namespace {
const char* CodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kNotFound: return "NotFound";
    case StatusCode::kWrongType: return "WrongType";
    case StatusCode::kNotInteger: return "NotInteger";
    case StatusCode::kNotFloat: return "NotFloat";
    case StatusCode::kOverflow: return "Overflow";
    case StatusCode::kSyntax: return "Syntax";
    case StatusCode::kOutOfRange: return "OutOfRange";
    case StatusCode::kWouldBlock: return "WouldBlock";
    case StatusCode::kInvalidArgument: return "InvalidArgument";
    case StatusCode::kIOError: return "IOError";
    case StatusCode::kCorruption: return "Corruption";
    case StatusCode::kNotSupported: return "NotSupported";
    case StatusCode::kBusy: return "Busy";
    case StatusCode::kInternal: return "Internal";
  }
  return "Unknown";
}
}  // namespace

std::string Status::ToString() const {
  std::string out = CodeName(code_);
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

}  // namespace strata
