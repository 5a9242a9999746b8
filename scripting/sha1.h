// SHA-1 as Redis's script cache names scripts: 40 lower-case hex digits of
// the body (EVALSHA, SCRIPT LOAD/EXISTS, redis.sha1hex). OpenSSL computes it.
#pragma once

#include <string>
#include <string_view>

namespace strata::scripting {

std::string Sha1Hex(std::string_view data);

}  // namespace strata::scripting
