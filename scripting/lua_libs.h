// The libraries Redis bundles into its Lua (cjson, cmsgpack, struct, bit)
// and the Lua 5.1 compatibility shims (unpack, loadstring, table.getn,
// math.mod), opened into a fresh interpreter state.
#pragma once

struct lua_State;

namespace strata::scripting {

// Opens the bundled libraries and shims as globals of L. Called once per
// interpreter, after the standard libraries and before the sandbox locks
// the globals.
void OpenRedisLibraries(lua_State* L);

}  // namespace strata::scripting
