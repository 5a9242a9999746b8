// List element sub-keys; see list_index.h.
#include "codec/list_index.h"

#include "codec/layout.h"

namespace strata::codec {

std::string EncodeListIndex(uint64_t index) {
  std::string out;
  PutFixed64BE(&out, index);
  return out;
}

bool DecodeListIndex(std::string_view subkey, uint64_t* index) {
  if (subkey.size() != 8) return false;
  *index = GetFixed64BE(subkey.data());
  return true;
}

}  // namespace strata::codec
