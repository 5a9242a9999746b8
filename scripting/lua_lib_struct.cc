// The `struct` library (Roberto Ierusalimschy's struct.c 1.4, as Redis bundles
// it, with Redis's bounds checks): struct.pack(fmt, ...), struct.unpack(fmt,
// data [, pos]) and struct.size(fmt). Format options:
//   > < big / little endian      ![n] alignment n (power of 2; default 8)
//   x one zero byte of padding   b B h H l L T i[n] I[n]  integers (1 2 8 8 4|n)
//   f d float / double           c[n] n chars (pack: 0 = whole string;
//   s zero-terminated string              unpack: 0 = previous number as length)
//   ' ' ignored
// Integers go through a double, as in Lua 5.1, and are at most 32 bytes wide;
// only their low 8 bytes carry value (wider ones are zero-filled), as in the C
// original on LP64.
#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>

#include "scripting/lua_lib_internal.h"

namespace strata::scripting::lualib {
namespace {

constexpr int kMaxIntSize = 32;
constexpr int kMaxAlign = 8;  // alignment of double on x86-64

struct Header {
  bool little = true;  // native order of the x86-64 / arm64 hosts we build for
  int align = 1;
};

int GetNum(const char** fmt, int dflt) {
  if (!std::isdigit(static_cast<unsigned char>(**fmt))) return dflt;
  int a = 0;
  do {
    a = a * 10 + (*(*fmt)++ - '0');
  } while (std::isdigit(static_cast<unsigned char>(**fmt)));
  return a;
}

size_t OptSize(lua_State* L, char opt, const char** fmt) {
  switch (opt) {
    case 'B':
    case 'b':
      return 1;
    case 'H':
    case 'h':
      return 2;
    case 'L':
    case 'l':
    case 'T':
    case 'd':
      return 8;
    case 'f':
      return 4;
    case 'x':
      return 1;
    case 'c':
      return GetNum(fmt, 1);
    case 'i':
    case 'I': {
      int sz = GetNum(fmt, 4);
      if (sz > kMaxIntSize) {
        luaL_error(L, "integral size %d is larger than limit of %d", sz, kMaxIntSize);
      }
      return sz;
    }
    default:
      return 0;  // control options need no alignment
  }
}

// Padding needed to align an item of `size` at offset `len`.
size_t GetToAlign(size_t len, const Header& h, char opt, size_t size) {
  if (size == 0 || opt == 'c') return 0;
  if (size > static_cast<size_t>(h.align)) size = h.align;
  return (size - (len & (size - 1))) & (size - 1);
}

void ControlOption(lua_State* L, char opt, const char** fmt, Header* h) {
  switch (opt) {
    case ' ':
      return;
    case '>':
      h->little = false;
      return;
    case '<':
      h->little = true;
      return;
    case '!': {
      int a = GetNum(fmt, kMaxAlign);
      if (a <= 0 || (a & (a - 1)) != 0) luaL_error(L, "alignment %d is not a power of 2", a);
      h->align = a;
      return;
    }
    default:
      luaL_argerror(L, 1, lua_pushfstring(L, "invalid format option '%c'", opt));
  }
}

// C's (long)n and (unsigned long)n as x86-64 performs them, without the
// undefined behaviour of out-of-range conversions.
uint64_t IntegerBits(double n) {
  if (n < 0) {
    if (!(n >= -9223372036854775808.0)) return uint64_t{1} << 63;
    return static_cast<uint64_t>(static_cast<int64_t>(n));
  }
  if (n < 18446744073709551616.0) return static_cast<uint64_t>(n);
  return 0;  // too large, infinite or NaN
}

void PutInteger(lua_State* L, luaL_Buffer* b, int arg, bool little, size_t size) {
  uint64_t value = IntegerBits(luaL_checknumber(L, arg));
  char buf[kMaxIntSize];
  for (size_t i = 0; i < size; i++) {
    buf[little ? i : size - 1 - i] = static_cast<char>(value & 0xff);
    value = i < 7 ? value >> 8 : 0;
  }
  luaL_addlstring(b, buf, size);
}

// Appends the native bytes of a float or double in the requested order.
void AddFloatBytes(luaL_Buffer* b, const void* p, size_t size, bool little) {
  char buf[8];
  std::memcpy(buf, p, size);
  if (!little) {
    for (size_t i = 0; i < size / 2; i++) std::swap(buf[i], buf[size - 1 - i]);
  }
  luaL_addlstring(b, buf, size);
}

int StructPack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Header h;
  int arg = 2;
  size_t total = 0;
  lua_pushnil(L);  // separates the arguments from the buffer's stack use
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (*fmt != '\0') {
    char opt = *fmt++;
    size_t size = OptSize(L, opt, &fmt);
    size_t pad = GetToAlign(total, h, opt, size);
    total += pad;
    while (pad-- > 0) luaL_addchar(&b, '\0');
    switch (opt) {
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I':
        PutInteger(L, &b, arg++, h.little, size);
        break;
      case 'x':
        luaL_addchar(&b, '\0');
        break;
      case 'f': {
        float f = static_cast<float>(luaL_checknumber(L, arg++));
        AddFloatBytes(&b, &f, sizeof(f), h.little);
        break;
      }
      case 'd': {
        double d = luaL_checknumber(L, arg++);
        AddFloatBytes(&b, &d, sizeof(d), h.little);
        break;
      }
      case 'c':
      case 's': {
        size_t l;
        const char* s = luaL_checklstring(L, arg++, &l);
        if (size == 0) size = l;
        // The C original names the argument after the string's; kept as is.
        luaL_argcheck(L, l >= size, arg, "string too short");
        luaL_addlstring(&b, s, size);
        if (opt == 's') {
          luaL_addchar(&b, '\0');
          size++;
        }
        break;
      }
      default:
        ControlOption(L, opt, &fmt, &h);
    }
    total += size;
  }
  luaL_pushresult(&b);
  return 1;
}

double GetInteger(const char* p, bool little, bool is_signed, size_t size) {
  uint64_t l = 0;
  for (size_t i = 0; i < size; i++) {
    l = (l << 8) | static_cast<unsigned char>(p[little ? size - 1 - i : i]);
  }
  if (!is_signed) return static_cast<double>(l);
  // x86-64 masks the shift count, so sizes past 8 test bit 63.
  uint64_t mask = ~uint64_t{0} << ((size * 8 - 1) & 63);
  if (l & mask) l |= mask;
  return static_cast<double>(static_cast<int64_t>(l));
}

template <typename T>
double GetFloat(const char* p, bool little) {
  char buf[sizeof(T)];
  std::memcpy(buf, p, sizeof(T));
  if (!little) {
    for (size_t i = 0; i < sizeof(T) / 2; i++) std::swap(buf[i], buf[sizeof(T) - 1 - i]);
  }
  T v;
  std::memcpy(&v, buf, sizeof(T));
  return v;
}

int StructUnpack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  size_t ld;
  const char* data = luaL_checklstring(L, 2, &ld);
  size_t pos = static_cast<size_t>(luaL_optinteger(L, 3, 1));
  luaL_argcheck(L, pos > 0, 3, "offset must be 1 or greater");
  pos--;
  Header h;
  lua_settop(L, 2);
  while (*fmt != '\0') {
    char opt = *fmt++;
    size_t size = OptSize(L, opt, &fmt);
    pos += GetToAlign(pos, h, opt, size);
    luaL_argcheck(L, size <= ld && pos <= ld - size, 2, "data string too short");
    luaL_checkstack(L, 2, "too many results");
    switch (opt) {
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I':
        PushNumber(L, GetInteger(data + pos, h.little, std::islower(opt), size));
        break;
      case 'x':
        break;
      case 'f':
        PushNumber(L, GetFloat<float>(data + pos, h.little));
        break;
      case 'd':
        PushNumber(L, GetFloat<double>(data + pos, h.little));
        break;
      case 'c':
        if (size == 0) {
          if (lua_gettop(L) <= 2 || !lua_isnumber(L, -1)) {
            luaL_error(L, "format 'c0' needs a previous size");
          }
          size = static_cast<size_t>(lua_tonumber(L, -1));
          lua_pop(L, 1);
          luaL_argcheck(L, size <= ld && pos <= ld - size, 2, "data string too short");
        }
        lua_pushlstring(L, data + pos, size);
        break;
      case 's': {
        const void* end = std::memchr(data + pos, '\0', ld - pos);
        if (end == nullptr) luaL_error(L, "unfinished string in data");
        size = static_cast<const char*>(end) - (data + pos) + 1;
        lua_pushlstring(L, data + pos, size - 1);
        break;
      }
      default:
        ControlOption(L, opt, &fmt, &h);
    }
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos + 1));
  return lua_gettop(L) - 2;
}

int StructSize(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Header h;
  size_t pos = 0;
  while (*fmt != '\0') {
    char opt = *fmt++;
    size_t size = OptSize(L, opt, &fmt);
    pos += GetToAlign(pos, h, opt, size);
    if (opt == 's') {
      luaL_argerror(L, 1, "option 's' has no fixed size");
    } else if (opt == 'c' && size == 0) {
      luaL_argerror(L, 1, "option 'c0' has no fixed size");
    }
    if (!std::isalnum(static_cast<unsigned char>(opt))) ControlOption(L, opt, &fmt, &h);
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos));
  return 1;
}

constexpr luaL_Reg kStructFunctions[] = {
    {"pack", StructPack},
    {"unpack", StructUnpack},
    {"size", StructSize},
    {nullptr, nullptr},
};

}  // namespace

void OpenStruct(lua_State* L) {
  luaL_newlib(L, kStructFunctions);
  lua_setglobal(L, "struct");
}

}  // namespace strata::scripting::lualib
