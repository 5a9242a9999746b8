// OpenRedisLibraries: the libraries Redis 7 bundles into its Lua (cjson,
// cmsgpack, struct, bit) and the Lua 5.1 functions 5.4 dropped, opened into a
// fresh state. Each library lives in its own scripting/lua_lib_*.cc.
#include "scripting/lua_libs.h"

#include <cmath>

#include "scripting/lua_lib_internal.h"

namespace strata::scripting {

namespace lualib {

void PushNumber(lua_State* L, double d) {
  if (std::fabs(d) < 1e14 && d == std::floor(d) && !(d == 0 && std::signbit(d))) {
    lua_pushinteger(L, static_cast<lua_Integer>(d));
  } else {
    lua_pushnumber(L, d);
  }
}

}  // namespace lualib

void OpenRedisLibraries(lua_State* L) {
  lualib::OpenLua51Compat(L);
  lualib::OpenCjson(L);
  lualib::OpenCmsgpack(L);
  lualib::OpenStruct(L);
  lualib::OpenBit(L);
}

}  // namespace strata::scripting
