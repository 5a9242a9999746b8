// The shebang line of an EVAL script ("#!lua flags=no-writes,allow-oom"),
// parsed as Redis 7.0's evalExtractShebangFlags does, with its errors.
#pragma once

#include <string_view>

#include "common/status.h"

namespace strata::scripting {

struct ScriptFlags {
  bool shebang = false;  // the body starts with "#!"
  bool no_writes = false;
  bool allow_oom = false;
  bool allow_stale = false;
  bool no_cluster = false;
  bool allow_cross_slot_keys = false;
};

// Flags of `body`; a client error ("ERR Invalid script shebang", "ERR
// Unexpected engine in script shebang: ...", "ERR Unknown lua shebang
// option: ...", "ERR Unexpected flag in script shebang: ...") when its
// shebang line is malformed.
StatusOr<ScriptFlags> ParseShebang(std::string_view body);

}  // namespace strata::scripting
