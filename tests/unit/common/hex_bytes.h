// Hex text <-> bytes for unit tests that compare binary encodings (HLL,
// RDB/DUMP payloads) with values recorded from redis-server.
#pragma once

#include <string>
#include <string_view>

namespace strata::testing_hex {

// "0a1b" -> "\x0a\x1b"; `hex` holds pairs of hex digits.
inline std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// Lower-case hex digits of `bytes`.
inline std::string ToHex(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

}  // namespace strata::testing_hex
