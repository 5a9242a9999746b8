// The keyspace events of a push or a pop at one end of a list, shared by the
// list commands (list_cmds.cc) and their blocking forms (blocking_cmds.cc).
#pragma once

#include <string_view>

#include "engine/list_ops.h"

namespace strata::server {

inline std::string_view PushEvent(engine::ListEnd end) {
  return end == engine::ListEnd::kLeft ? "lpush" : "rpush";
}
inline std::string_view PopEvent(engine::ListEnd end) {
  return end == engine::ListEnd::kLeft ? "lpop" : "rpop";
}

}  // namespace strata::server
