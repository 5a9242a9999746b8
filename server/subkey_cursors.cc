// Sub-key scan cursors; see subkey_cursors.h.
#include "server/subkey_cursors.h"

#include "server/scan_cursors.h"

namespace strata::server {

namespace {

uint16_t FirstTwoBytes(std::string_view s) {
  auto byte = [&](size_t i) -> uint16_t {
    return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
  };
  return static_cast<uint16_t>(byte(0) << 8 | byte(1));
}

}  // namespace

uint16_t SubkeyBucket(std::string_view subkey) {
  return FirstTwoBytes(subkey) >> (16 - ScanCursors::kSlotBits);
}

std::string BucketStart(uint16_t bucket) {
  auto bits = static_cast<uint16_t>(bucket << (16 - ScanCursors::kSlotBits));
  std::string out{static_cast<char>(bits >> 8), static_cast<char>(bits & 0xff)};
  while (!out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

uint64_t SaveSubkeyCursor(ScanCursors& cursors, std::string_view next_subkey) {
  uint16_t bucket = SubkeyBucket(next_subkey);
  std::string position{static_cast<char>(bucket >> 8), static_cast<char>(bucket & 0xff)};
  position.append(next_subkey);
  return cursors.Save(position);
}

std::string ResolveSubkeyCursor(const ScanCursors& cursors, uint64_t cursor) {
  std::string position = cursors.Resolve(cursor);
  if (position.size() > 2) return position.substr(2);
  if (position.size() < 2) return std::string();
  auto bucket = static_cast<uint16_t>(static_cast<unsigned char>(position[0]) << 8 |
                                      static_cast<unsigned char>(position[1]));
  return BucketStart(bucket);
}

}  // namespace strata::server
