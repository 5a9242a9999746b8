// A bare Lua state with the standard libraries and OpenRedisLibraries, and a
// runner that reports results and errors as the tests compare them with what
// redis-server 7.0.15 returned for the same snippet (recorded with EVAL).
#pragma once

#include <gtest/gtest.h>

#include <lua.hpp>
#include <string>

#include "scripting/lua_libs.h"

namespace strata::scripting {

// A snippet and what redis-server returned for it.
struct RedisCase {
  enum Mode { kValue, kHex } mode;
  const char* lua;
  const char* want;
};

class LuaLibsTest : public ::testing::Test {
 protected:
  LuaLibsTest() : L_(NewState()) {}
  ~LuaLibsTest() override { lua_close(L_); }

  static lua_State* NewState() {
    lua_State* L = luaL_newstate();
    luaL_openlibs(L);
    OpenRedisLibraries(L);
    return L;
  }

  // Runs a case in a fresh state, as the recording ran each after SCRIPT
  // FLUSH (configuration calls such as cjson.encode_max_depth persist).
  std::string RunFresh(const RedisCase& c) {
    lua_close(L_);
    L_ = NewState();
    return c.mode == RedisCase::kHex ? Hex(c.lua) : Run(c.lua);
  }

  // Runs `code` as the chunk "user_script" (as Redis names scripts) and
  // returns its first result converted with tostring(), or "ERR " followed by
  // the error message.
  std::string Run(const std::string& code) {
    int top = lua_gettop(L_);
    std::string out;
    if (luaL_loadbuffer(L_, code.data(), code.size(), "=user_script") != LUA_OK ||
        lua_pcall(L_, 0, 1, 0) != LUA_OK) {
      out = std::string("ERR ") + lua_tostring(L_, -1);
    } else {
      out = luaL_tolstring(L_, -1, nullptr);
    }
    lua_settop(L_, top);
    return out;
  }

  // Runs `code`, which returns a string, and gives that string in hex.
  std::string Hex(const std::string& code) {
    return Run("return ((function() " + code +
               " end)():gsub('.', function(c) return string.format('%02x', c:byte()) end))");
  }

  lua_State* L_;
};

}  // namespace strata::scripting
