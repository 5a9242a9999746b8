// Placeholder for OpenRedisLibraries until the bundled libraries (branch
// `lualibs`, scripting/lua_lib_*.cc) are merged; delete it then.
#include "scripting/lua_libs.h"

namespace strata::scripting {

void OpenRedisLibraries(lua_State* /*L*/) {}

}  // namespace strata::scripting
