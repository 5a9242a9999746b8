// Reply <-> Lua value conversion; see lua_convert.h.
#include "scripting/lua_convert.h"

#include <lauxlib.h>
#include <lua.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/numbers.h"
#include "server/reply_builder.h"
#include "server/resp3_transcode.h"

namespace strata::scripting {

namespace {

// Pushes {field = <string>}.
void PushTableWithString(lua_State* L, const char* field, std::string_view value) {
  lua_createtable(L, 0, 1);
  lua_pushlstring(L, value.data(), value.size());
  lua_setfield(L, -2, field);
}

// The body of a length-prefixed value whose header took `header` bytes.
bool Body(std::string_view resp, size_t header, int64_t len, std::string_view* body) {
  if (len < 0 || resp.size() < header + static_cast<size_t>(len) + 2) return false;
  *body = resp.substr(header, static_cast<size_t>(len));
  return true;
}

size_t PushAggregate(lua_State* L, std::string_view resp, size_t pos, int64_t count) {
  lua_createtable(L, static_cast<int>(std::min<int64_t>(count, 1 << 16)), 0);
  for (int64_t i = 1; i <= count; ++i) {
    size_t n = PushReply(L, resp.substr(pos));
    if (n == 0) return 0;
    pos += n;
    lua_rawseti(L, -2, i);
  }
  return pos;
}

}  // namespace

size_t PushReply(lua_State* L, std::string_view resp) {
  luaL_checkstack(L, 4, "reached lua stack limit");
  server::Resp3Header h;
  if (!server::ParseResp3Header(resp, &h)) return 0;
  std::string_view line = resp.substr(1, h.size - 3);
  std::string_view body;
  switch (h.type) {
    case '+':
      PushTableWithString(L, "ok", line);
      return h.size;
    case '-':
      PushTableWithString(L, "err", line);
      return h.size;
    case ':': {
      int64_t v = 0;
      if (!ParseInt64(line, &v)) return 0;
      lua_pushinteger(L, v);
      return h.size;
    }
    case '$':
      if (h.count < 0) {
        lua_pushboolean(L, 0);
        return h.size;
      }
      if (!Body(resp, h.size, h.count, &body)) return 0;
      lua_pushlstring(L, body.data(), body.size());
      return h.size + body.size() + 2;
    case '!':
      if (!Body(resp, h.size, h.count, &body)) return 0;
      PushTableWithString(L, "err", body);
      return h.size + body.size() + 2;
    case '=':
      if (!Body(resp, h.size, h.count, &body) || body.size() < 4) return 0;
      lua_createtable(L, 0, 1);
      lua_createtable(L, 0, 2);
      lua_pushlstring(L, body.data(), 3);
      lua_setfield(L, -2, "format");
      lua_pushlstring(L, body.data() + 4, body.size() - 4);
      lua_setfield(L, -2, "string");
      lua_setfield(L, -2, "verbatim_string");
      return h.size + body.size() + 2;
    case '*':
    case '>':
      if (h.count < 0) {
        lua_pushboolean(L, 0);
        return h.size;
      }
      return PushAggregate(L, resp, h.size, h.count);
    case '_':
      lua_pushnil(L);
      return h.size;
    case '#':
      if (line != "t" && line != "f") return 0;
      lua_pushboolean(L, line == "t");
      return h.size;
    case ',': {
      std::string text(line);
      lua_createtable(L, 0, 1);
      lua_pushnumber(L, std::strtod(text.c_str(), nullptr));
      lua_setfield(L, -2, "double");
      return h.size;
    }
    case '(':
      PushTableWithString(L, "big_number", line);
      return h.size;
    case '%':
    case '~': {
      bool map = h.type == '%';
      size_t pos = h.size;
      lua_createtable(L, 0, 1);
      lua_createtable(L, 0, static_cast<int>(std::min<int64_t>(h.count, 1 << 16)));
      for (int64_t i = 0; i < h.count; ++i) {
        size_t n = PushReply(L, resp.substr(pos));
        if (n == 0) return 0;
        pos += n;
        if (map) {
          n = PushReply(L, resp.substr(pos));
          if (n == 0) return 0;
          pos += n;
        } else {
          lua_pushboolean(L, 1);
        }
        lua_rawset(L, -3);
      }
      lua_setfield(L, -2, map ? "map" : "set");
      return pos;
    }
    case '|': {  // attributes: skipped, the value follows
      size_t pos = h.size;
      for (int64_t i = 0; i < 2 * h.count; ++i) {
        size_t n = PushReply(L, resp.substr(pos));
        if (n == 0) return 0;
        lua_pop(L, 1);
        pos += n;
      }
      size_t n = PushReply(L, resp.substr(pos));
      return n == 0 ? 0 : pos + n;
    }
    default:
      return 0;
  }
}

namespace {

// t[field] (raw) is pushed; returns its type.
int RawField(lua_State* L, int table, const char* field) {
  lua_pushstring(L, field);
  return lua_rawget(L, table);
}

std::string WithoutNewlines(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

// Nesting a reply may have (a table may even contain itself): past it the
// element becomes Redis's "reached lua stack limit" error, as it does when
// Redis's Lua 5.1 C stack (8000 slots) runs out.
constexpr int kMaxReplyDepth = 2000;

void ValueToReply(lua_State* L, int script_resp, server::ReplyBuilder* out, int depth);

// The table at `t` as a reply; leaves the stack as it found it.
void TableToReply(lua_State* L, int t, int script_resp, server::ReplyBuilder* out, int depth) {
  size_t len = 0;
  if (RawField(L, t, "err") == LUA_TSTRING) {
    const char* s = lua_tolstring(L, -1, &len);
    out->Error(std::string_view(s, len));
    return lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (RawField(L, t, "ok") == LUA_TSTRING) {
    const char* s = lua_tolstring(L, -1, &len);
    out->SimpleString(WithoutNewlines(std::string_view(s, len)));
    return lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (RawField(L, t, "double") == LUA_TNUMBER) {
    out->Double(lua_tonumber(L, -1));
    return lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (RawField(L, t, "big_number") == LUA_TSTRING) {
    const char* s = lua_tolstring(L, -1, &len);
    std::string digits = WithoutNewlines(std::string_view(s, len));
    if (out->protocol() >= 3) {
      out->buffer()->append("(").append(digits).append("\r\n");
    } else {
      out->Bulk(digits);
    }
    return lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (RawField(L, t, "verbatim_string") == LUA_TTABLE) {
    int v = lua_gettop(L);
    bool done = false;
    if (RawField(L, v, "format") == LUA_TSTRING && RawField(L, v, "string") == LUA_TSTRING) {
      size_t flen = 0;
      const char* f = lua_tolstring(L, -2, &flen);
      const char* s = lua_tolstring(L, -1, &len);
      out->Verbatim(std::string_view(s, len), std::string_view(f, flen));
      done = true;
    }
    lua_settop(L, v - 1);
    if (done) return;
  } else {
    lua_pop(L, 1);
  }
  for (const char* kind : {"map", "set"}) {
    if (RawField(L, t, kind) != LUA_TTABLE) {
      lua_pop(L, 1);
      continue;
    }
    bool map = kind[0] == 'm';
    int inner = lua_gettop(L);
    int64_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, inner) != 0) {
      lua_pop(L, 1);
      ++n;
    }
    if (map) {
      out->MapHeader(n);
    } else {
      out->SetHeader(n);
    }
    lua_pushnil(L);
    while (lua_next(L, inner) != 0) {
      // Stack: inner, key, value.
      if (map) {
        lua_pushvalue(L, -2);
        ValueToReply(L, script_resp, out, depth + 1);  // the key
        ValueToReply(L, script_resp, out, depth + 1);  // the value
      } else {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        ValueToReply(L, script_resp, out, depth + 1);
      }
    }
    return lua_pop(L, 1);
  }
  int64_t n = 0;
  while (lua_rawgeti(L, t, n + 1) != LUA_TNIL) {
    lua_pop(L, 1);
    ++n;
  }
  lua_pop(L, 1);
  out->ArrayHeader(n);
  for (int64_t i = 1; i <= n; ++i) {
    lua_rawgeti(L, t, i);
    ValueToReply(L, script_resp, out, depth + 1);
  }
}

int64_t TruncateToInteger(double d) {
  // (long long)d in C; x86 gives INT64_MIN for NaN and out-of-range values.
  if (std::isnan(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0) return INT64_MIN;
  return static_cast<int64_t>(d);
}

void ValueToReply(lua_State* L, int script_resp, server::ReplyBuilder* out, int depth) {
  int top = lua_gettop(L);
  if (depth > kMaxReplyDepth || !lua_checkstack(L, 4)) {
    out->Error("ERR reached lua stack limit");
    return lua_settop(L, top - 1);
  }
  size_t len = 0;
  switch (lua_type(L, top)) {
    case LUA_TSTRING: {
      const char* s = lua_tolstring(L, top, &len);
      out->Bulk(std::string_view(s, len));
      break;
    }
    case LUA_TBOOLEAN:
      if (script_resp == 2) {
        if (lua_toboolean(L, top)) {
          out->Integer(1);
        } else {
          out->Null();
        }
      } else {
        out->Bool(lua_toboolean(L, top) != 0);
      }
      break;
    case LUA_TNUMBER:
      if (lua_isinteger(L, top)) {
        out->Integer(lua_tointeger(L, top));
      } else {
        out->Integer(TruncateToInteger(lua_tonumber(L, top)));
      }
      break;
    case LUA_TTABLE:
      TableToReply(L, top, script_resp, out, depth);
      break;
    default:
      out->Null();
  }
  lua_settop(L, top - 1);
}

}  // namespace

void PopToReply(lua_State* L, int script_resp, server::ReplyBuilder* out) {
  ValueToReply(L, script_resp, out, 0);
}

std::string NumberArgument(lua_State* L, int index) {
  if (lua_isinteger(L, index)) return std::to_string(lua_tointeger(L, index));
  char buf[64];
  int n = std::snprintf(buf, sizeof(buf), "%.17g", static_cast<double>(lua_tonumber(L, index)));
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace strata::scripting
