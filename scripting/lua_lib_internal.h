// Shared by the bundled-library files (scripting/lua_lib_*.cc): each opens one
// library into a state, and all of them push numbers the way Lua 5.1 scripts
// expect to see them. Not for use outside scripting/lua_lib_*.cc.
#pragma once

#include <lua.hpp>  // Debian's liblua5.4-c++ exports C names but throws C++ exceptions

namespace strata::scripting::lualib {

// Each leaves the stack as it found it and sets one global (cjson, cmsgpack,
// struct, bit) or, for the compat shims, several globals and table fields.
void OpenCjson(lua_State* L);
void OpenCmsgpack(lua_State* L);
void OpenStruct(lua_State* L);
void OpenBit(lua_State* L);
void OpenLua51Compat(lua_State* L);

// Pushes a number that Redis's Lua 5.1 would hold as a double. An integral
// value whose "%.14g" text has no exponent (|d| < 1e14) becomes a Lua 5.4
// integer, so tostring() and `..` print "5" as 5.1 does, not "5.0"; anything
// else stays a float, whose 5.4 tostring ("%.14g") matches 5.1's.
void PushNumber(lua_State* L, double d);

}  // namespace strata::scripting::lualib
