// Lua 5.1 functions that Lua 5.4 dropped and Redis scripts still call:
// unpack, loadstring (text chunks only), gcinfo, table.getn / setn / maxn /
// foreach / foreachi, math.mod / pow / log10 / ldexp / frexp / atan2 / cosh /
// sinh / tanh, string.gfind. They follow the 5.1 reference manual; numbers
// come back through PushNumber so integral results print as 5.1 prints them.
#include <cmath>

#include "scripting/lua_lib_internal.h"

namespace strata::scripting::lualib {
namespace {

// loadstring(s [, chunkname]): like 5.1, nil plus the message on failure.
// Binary chunks are refused: precompiled bytecode can crash the VM.
int LoadString(lua_State* L) {
  size_t len;
  const char* s = luaL_checklstring(L, 1, &len);
  const char* chunkname = luaL_optstring(L, 2, s);
  if (luaL_loadbufferx(L, s, len, chunkname, "t") == LUA_OK) return 1;
  lua_pushnil(L);
  lua_insert(L, -2);
  return 2;
}

int GcInfo(lua_State* L) {
  lua_pushinteger(L, lua_gc(L, LUA_GCCOUNT, 0));
  return 1;
}

int TableGetn(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, 1)));
  return 1;
}

int TableSetn(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  return luaL_error(L, "'setn' is obsolete");
}

// The largest positive numeric key, or 0.
int TableMaxn(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  double max = 0;
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TNUMBER) {
      double v = lua_tonumber(L, -1);
      if (v > max) max = v;
    }
  }
  PushNumber(L, max);
  return 1;
}

// foreach(t, f): f(k, v) for every pair; stops at and returns f's first
// non-nil result.
int TableForeach(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -3);
    lua_pushvalue(L, -3);
    lua_call(L, 2, 1);
    if (!lua_isnil(L, -1)) return 1;
    lua_pop(L, 2);
  }
  return 0;
}

// foreachi(t, f): f(i, t[i]) for i = 1..#t; as foreach for the result.
int TableForeachi(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 1));
  for (lua_Integer i = 1; i <= n; i++) {
    lua_pushvalue(L, 2);
    lua_pushinteger(L, i);
    lua_rawgeti(L, 1, i);
    lua_call(L, 2, 1);
    if (!lua_isnil(L, -1)) return 1;
    lua_pop(L, 1);
  }
  return 0;
}

int MathMod(lua_State* L) {
  PushNumber(L, std::fmod(luaL_checknumber(L, 1), luaL_checknumber(L, 2)));
  return 1;
}
int MathPow(lua_State* L) {
  PushNumber(L, std::pow(luaL_checknumber(L, 1), luaL_checknumber(L, 2)));
  return 1;
}
int MathLog10(lua_State* L) {
  PushNumber(L, std::log10(luaL_checknumber(L, 1)));
  return 1;
}
int MathLdexp(lua_State* L) {
  double m = luaL_checknumber(L, 1);
  PushNumber(L, std::ldexp(m, static_cast<int>(luaL_checknumber(L, 2))));
  return 1;
}
int MathFrexp(lua_State* L) {
  int e;
  PushNumber(L, std::frexp(luaL_checknumber(L, 1), &e));
  lua_pushinteger(L, e);
  return 2;
}
int MathAtan2(lua_State* L) {
  PushNumber(L, std::atan2(luaL_checknumber(L, 1), luaL_checknumber(L, 2)));
  return 1;
}
int MathCosh(lua_State* L) {
  PushNumber(L, std::cosh(luaL_checknumber(L, 1)));
  return 1;
}
int MathSinh(lua_State* L) {
  PushNumber(L, std::sinh(luaL_checknumber(L, 1)));
  return 1;
}
int MathTanh(lua_State* L) {
  PushNumber(L, std::tanh(luaL_checknumber(L, 1)));
  return 1;
}

constexpr luaL_Reg kTableFunctions[] = {
    {"getn", TableGetn},       {"setn", TableSetn},         {"maxn", TableMaxn},
    {"foreach", TableForeach}, {"foreachi", TableForeachi}, {nullptr, nullptr},
};

constexpr luaL_Reg kMathFunctions[] = {
    {"mod", MathMod},     {"pow", MathPow},     {"log10", MathLog10}, {"ldexp", MathLdexp},
    {"frexp", MathFrexp}, {"atan2", MathAtan2}, {"cosh", MathCosh},   {"sinh", MathSinh},
    {"tanh", MathTanh},   {nullptr, nullptr},
};

// Adds `functions` to the global table `name` (which the base libs opened).
void AddToLibrary(lua_State* L, const char* name, const luaL_Reg* functions) {
  lua_getglobal(L, name);
  luaL_checktype(L, -1, LUA_TTABLE);
  luaL_setfuncs(L, functions, 0);
  lua_pop(L, 1);
}

}  // namespace

void OpenLua51Compat(lua_State* L) {
  lua_getglobal(L, "table");
  lua_getfield(L, -1, "unpack");
  lua_setglobal(L, "unpack");
  lua_pop(L, 1);

  lua_getglobal(L, "string");
  lua_getfield(L, -1, "gmatch");
  lua_setfield(L, -2, "gfind");
  lua_pop(L, 1);

  lua_register(L, "loadstring", LoadString);
  lua_register(L, "gcinfo", GcInfo);
  AddToLibrary(L, "table", kTableFunctions);
  AddToLibrary(L, "math", kMathFunctions);
}

}  // namespace strata::scripting::lualib
