// The sandbox pieces the interpreter's two halves share: lua_interp.cc (the
// state, EVAL scripts) and lua_functions.cc (function libraries). Included
// by those two files only.
#pragma once

#include "scripting/lua_interp.h"

namespace strata::scripting::sandbox {

inline constexpr const char* kGlobalsKey = "strata.globals";  // registry: the real globals

// The run in progress on L (its extra space).
RunState*& RunSlot(lua_State* L);
// __newindex of read-only tables: "Attempt to modify a readonly table".
int ReadonlyError(lua_State* L);
// __index of the globals: "Script attempted to access nonexistent global variable 'x'".
int MissingGlobal(lua_State* L);
// Replaces the table at the top of the stack by a read-only proxy of it.
void MakeReadonlyProxy(lua_State* L);
// Message handler of a run: the error as a table {err=, source=, line=}.
int ErrorHandler(lua_State* L);

// Sets up the function libraries' environment and load-time API in a new
// state whose globals are protected (lua_functions.cc).
void SetupFunctionEnv(lua_State* L);

}  // namespace strata::scripting::sandbox
