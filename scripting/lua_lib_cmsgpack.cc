// The `cmsgpack` library with the behaviour of Redis's lua_cmsgpack 0.4.0:
// pack(...) concatenates the MessagePack encodings of its arguments;
// unpack(s) returns every value in s; unpack_one(s [, offset]) and
// unpack_limit(s, limit [, offset]) return the next offset (-1 at the end)
// followed by the values. msgpack-c does the byte-level work (its C API
// packs, its C++ API unpacks with size limits); this file keeps
// lua_cmsgpack's choices:
//   - a number whose value is an int64 packs as the smallest integer form,
//     any other as a float32 if that is exact, else a float64;
//   - a table whose keys are exactly 1..n packs as an array (an empty table
//     is an empty array), any other as a map in lua_next order;
//   - tables nested 16 deep pack as nil; functions, userdata, nil pack as nil;
//   - decoding refuses bin and ext types ("Bad data format in input."), and
//     integers come back as Lua 5.1 numbers (doubles, see PushNumber), an
//     unsigned 64-bit one above 2^63-1 wrapped to negative.
#include <msgpack.h>

#include <climits>
#include <cstdint>
#include <msgpack.hpp>  // built with MSGPACK_NO_BOOST

#include "scripting/lua_lib_internal.h"

namespace strata::scripting::lualib {
namespace {

constexpr int kMaxNesting = 16;
// Deepest nesting unpack accepts (lua_cmsgpack recurses until the C stack
// check fails); bounds our recursion in PushObject.
constexpr size_t kMaxUnpackDepth = 1000;

// Packs with msgpack-c's C API: its C++ packer writes integral floats as
// integers (2^63 as a uint64), where lua_cmsgpack keeps them floats.
class Packer {
 public:
  Packer() {
    msgpack_sbuffer_init(&buf_);
    msgpack_packer_init(&pk_, &buf_, msgpack_sbuffer_write);
  }
  ~Packer() { msgpack_sbuffer_destroy(&buf_); }
  Packer(const Packer&) = delete;
  Packer& operator=(const Packer&) = delete;

  // Encodes the value on top of the stack and pops it.
  void Encode(lua_State* L, int level);
  void PushResult(lua_State* L) { lua_pushlstring(L, buf_.data, buf_.size); }

 private:
  void EncodeNumber(lua_State* L);
  void EncodeTable(lua_State* L, int level);

  msgpack_sbuffer buf_;
  msgpack_packer pk_;
};

void Packer::EncodeNumber(lua_State* L) {
  if (lua_isinteger(L, -1)) {
    msgpack_pack_int64(&pk_, lua_tointeger(L, -1));
    return;
  }
  double d = lua_tonumber(L, -1);
  if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
      static_cast<double>(static_cast<int64_t>(d)) == d) {
    msgpack_pack_int64(&pk_, static_cast<int64_t>(d));
  } else if (static_cast<double>(static_cast<float>(d)) == d) {
    msgpack_pack_float(&pk_, static_cast<float>(d));
  } else {
    msgpack_pack_double(&pk_, d);
  }
}

// True if the table on top has exactly the keys 1..n (n may be 0).
bool IsArray(lua_State* L) {
  lua_Integer count = 0, max = 0;
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pop(L, 1);
    if (!lua_isinteger(L, -1)) {
      lua_pop(L, 1);
      return false;
    }
    lua_Integer k = lua_tointeger(L, -1);
    if (k <= 0 || k > INT_MAX) {
      lua_pop(L, 1);
      return false;
    }
    if (k > max) max = k;
    count++;
  }
  return max == count;
}

void Packer::EncodeTable(lua_State* L, int level) {
  luaL_checkstack(L, 3, "in function mp_encode_lua_table");
  if (IsArray(L)) {
    lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, -1));
    msgpack_pack_array(&pk_, static_cast<size_t>(n));
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, -1, i);
      Encode(L, level + 1);
    }
    return;
  }
  size_t n = 0;
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pop(L, 1);
    n++;
  }
  msgpack_pack_map(&pk_, n);
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pushvalue(L, -2);
    Encode(L, level + 1);  // key
    Encode(L, level + 1);  // value
  }
}

void Packer::Encode(lua_State* L, int level) {
  int t = lua_type(L, -1);
  if (t == LUA_TTABLE && level == kMaxNesting) t = LUA_TNIL;
  switch (t) {
    case LUA_TSTRING: {
      size_t len;
      const char* s = lua_tolstring(L, -1, &len);
      msgpack_pack_str(&pk_, len);
      msgpack_pack_str_body(&pk_, s, len);
      break;
    }
    case LUA_TBOOLEAN:
      if (lua_toboolean(L, -1)) {
        msgpack_pack_true(&pk_);
      } else {
        msgpack_pack_false(&pk_);
      }
      break;
    case LUA_TNUMBER:
      EncodeNumber(L);
      break;
    case LUA_TTABLE:
      EncodeTable(L, level);
      break;
    default:
      msgpack_pack_nil(&pk_);
  }
  lua_pop(L, 1);
}

int Pack(lua_State* L) {
  int nargs = lua_gettop(L);
  if (nargs == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
  if (!lua_checkstack(L, 4)) return luaL_argerror(L, 0, "Too many arguments for MessagePack pack.");
  Packer packer;
  for (int i = 1; i <= nargs; i++) {
    lua_pushvalue(L, i);
    packer.Encode(L, 0);
  }
  packer.PushResult(L);
  return 1;
}

// Pushes o; false (with the stack unspecified) for bin and ext objects,
// which lua_cmsgpack does not decode.
bool PushObject(lua_State* L, const msgpack::object& o) {
  luaL_checkstack(L, 3, "too many return values at once; use unpack_one or unpack_limit instead.");
  switch (o.type) {
    case msgpack::type::NIL:
      lua_pushnil(L);
      break;
    case msgpack::type::BOOLEAN:
      lua_pushboolean(L, o.via.boolean);
      break;
    case msgpack::type::POSITIVE_INTEGER:
      // lua_cmsgpack pushes a uint64 as a signed integer: 2^64-1 reads as -1.
      PushNumber(L, static_cast<double>(static_cast<int64_t>(o.via.u64)));
      break;
    case msgpack::type::NEGATIVE_INTEGER:
      PushNumber(L, static_cast<double>(o.via.i64));
      break;
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
      PushNumber(L, o.via.f64);
      break;
    case msgpack::type::STR:
      lua_pushlstring(L, o.via.str.ptr, o.via.str.size);
      break;
    case msgpack::type::ARRAY:
      // No preallocation: with holes (nil elements) the table's border, and
      // so #t, then comes out as lua_cmsgpack's under 5.1 ({1, nil, 3}: 1).
      lua_newtable(L);
      for (uint32_t i = 0; i < o.via.array.size; i++) {
        lua_pushinteger(L, i + 1);
        if (!PushObject(L, o.via.array.ptr[i])) return false;
        lua_settable(L, -3);
      }
      break;
    case msgpack::type::MAP:
      lua_newtable(L);
      for (uint32_t i = 0; i < o.via.map.size; i++) {
        if (!PushObject(L, o.via.map.ptr[i].key)) return false;
        if (!PushObject(L, o.via.map.ptr[i].val)) return false;
        lua_settable(L, -3);  // a nil or NaN key raises, as in Redis
      }
      break;
    default:
      return false;
  }
  return true;
}

// Parses the next value of s[0, len) at *pos into *out, advancing *pos.
// Returns nullptr or the error lua_cmsgpack gives for such input. Container
// sizes are capped by the bytes left (each element takes at least one), so
// a forged header cannot make msgpack-c allocate more than the input allows.
const char* ParseNext(const char* s, size_t len, size_t* pos, msgpack::object_handle* out) {
  size_t left = len - *pos;
  msgpack::unpack_limit limit(left, left / 2, left, left, left, kMaxUnpackDepth);
  try {
    msgpack::unpack(*out, s, len, *pos, nullptr, nullptr, limit);
    return nullptr;
  } catch (const msgpack::insufficient_bytes&) {
    return "Missing bytes in input.";
  } catch (const msgpack::depth_size_overflow&) {
    return "Bad data format in input.";
  } catch (const msgpack::size_overflow&) {
    return "Missing bytes in input.";  // more elements declared than bytes left
  } catch (const msgpack::unpack_error&) {
    return "Bad data format in input.";
  }
}

// Decodes up to `limit` values of the string at index 1 from `offset`
// (limit 0 and offset 0: all values, and no offset is returned).
int UnpackFull(lua_State* L, lua_Integer limit, lua_Integer offset) {
  size_t len;
  const char* s = luaL_checklstring(L, 1, &len);
  bool decode_all = limit == 0 && offset == 0;
  if (offset < 0 || limit < 0) {
    return luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.",
                      static_cast<int>(offset), static_cast<int>(len));
  }
  if (static_cast<size_t>(offset) > len) {
    return luaL_error(L, "Start offset %d greater than input length %d.", static_cast<int>(offset),
                      static_cast<int>(len));
  }
  if (decode_all) limit = INT_MAX;

  size_t pos = static_cast<size_t>(offset);
  int count = 0;
  for (; pos < len && count < limit; count++) {
    msgpack::object_handle handle;
    if (const char* error = ParseNext(s, len, &pos, &handle)) return luaL_error(L, "%s", error);
    if (!PushObject(L, handle.get())) return luaL_error(L, "Bad data format in input.");
  }
  if (decode_all) return count;
  luaL_checkstack(L, 1, "in function mp_unpack_full");
  lua_pushinteger(L, pos == len ? -1 : static_cast<lua_Integer>(pos));
  lua_insert(L, 2);
  return count + 1;
}

int Unpack(lua_State* L) {
  return UnpackFull(L, 0, 0);
}

int UnpackOne(lua_State* L) {
  lua_Integer offset = luaL_optinteger(L, 2, 0);
  lua_settop(L, 1);
  return UnpackFull(L, 1, offset);
}

int UnpackLimit(lua_State* L) {
  lua_Integer limit = luaL_checkinteger(L, 2);
  lua_Integer offset = luaL_optinteger(L, 3, 0);
  lua_settop(L, 1);
  return UnpackFull(L, limit, offset);
}

constexpr luaL_Reg kCmsgpackFunctions[] = {
    {"pack", Pack},
    {"unpack", Unpack},
    {"unpack_one", UnpackOne},
    {"unpack_limit", UnpackLimit},
    {nullptr, nullptr},
};

}  // namespace

void OpenCmsgpack(lua_State* L) {
  luaL_newlib(L, kCmsgpackFunctions);
  lua_pushliteral(L, "cmsgpack");
  lua_setfield(L, -2, "_NAME");
  lua_pushliteral(L, "lua-cmsgpack 0.4.0");
  lua_setfield(L, -2, "_VERSION");
  lua_pushliteral(L, "Copyright (C) 2012, Salvatore Sanfilippo");
  lua_setfield(L, -2, "_COPYRIGHT");
  lua_pushliteral(L, "MessagePack C implementation for Lua");
  lua_setfield(L, -2, "_DESCRIPTION");
  lua_setglobal(L, "cmsgpack");
}

}  // namespace strata::scripting::lualib
