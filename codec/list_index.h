// Sub-keys of list elements (codec/layout.h: "list_elements" u64(id)
// u64(index) -> element): the index encoding, and where a new list starts.
// Pure functions, no I/O. Big-endian, so byte order (what ScanSub walks) is
// numeric order of the indexes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::codec {

// Head and tail of a new, empty list: the middle of the u64 range, so either
// end can grow by 2^63 elements.
inline constexpr uint64_t kListInitialIndex = uint64_t{1} << 63;

// The sub-key (without the object-id prefix) of the element at `index`.
std::string EncodeListIndex(uint64_t index);
// False when `subkey` is not an 8-byte index.
bool DecodeListIndex(std::string_view subkey, uint64_t* index);

}  // namespace strata::codec
