// The `bit` library: the LuaBitOp 1.0.2 API Redis bundles (tobit, tohex,
// bnot, band, bor, bxor, lshift, rshift, arshift, rol, ror, bswap). Every
// operation works on 32 bits and returns a signed 32-bit result. Arguments
// are numbers reduced modulo 2^32 the way LuaBitOp does it on doubles: adding
// 2^52+2^51 and keeping the low word, so fractions round to nearest-even.
#include <cstdint>
#include <cstring>

#include "scripting/lua_lib_internal.h"

namespace strata::scripting::lualib {
namespace {

uint32_t BitArg(lua_State* L, int idx) {
  double d = luaL_checknumber(L, idx) + 6755399441055744.0;  // 2^52 + 2^51
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof(bits));
  return static_cast<uint32_t>(bits);
}

int BitReturn(lua_State* L, uint32_t b) {
  lua_pushinteger(L, static_cast<int32_t>(b));
  return 1;
}

int BitToBit(lua_State* L) {
  return BitReturn(L, BitArg(L, 1));
}
int BitNot(lua_State* L) {
  return BitReturn(L, ~BitArg(L, 1));
}

template <typename Op>
int BitFold(lua_State* L, Op op) {
  uint32_t b = BitArg(L, 1);
  for (int i = lua_gettop(L); i > 1; i--) b = op(b, BitArg(L, i));
  return BitReturn(L, b);
}
int BitAnd(lua_State* L) {
  return BitFold(L, [](uint32_t a, uint32_t b) { return a & b; });
}
int BitOr(lua_State* L) {
  return BitFold(L, [](uint32_t a, uint32_t b) { return a | b; });
}
int BitXor(lua_State* L) {
  return BitFold(L, [](uint32_t a, uint32_t b) { return a ^ b; });
}

template <typename Op>
int BitShift(lua_State* L, Op op) {
  uint32_t b = BitArg(L, 1);
  uint32_t n = BitArg(L, 2) & 31;
  return BitReturn(L, op(b, n));
}
int BitLshift(lua_State* L) {
  return BitShift(L, [](uint32_t b, uint32_t n) { return b << n; });
}
int BitRshift(lua_State* L) {
  return BitShift(L, [](uint32_t b, uint32_t n) { return b >> n; });
}
int BitArshift(lua_State* L) {
  return BitShift(L, [](uint32_t b, uint32_t n) {
    return static_cast<uint32_t>(static_cast<int32_t>(b) >> n);
  });
}
int BitRol(lua_State* L) {
  return BitShift(L, [](uint32_t b, uint32_t n) { return (b << n) | (b >> ((32 - n) & 31)); });
}
int BitRor(lua_State* L) {
  return BitShift(L, [](uint32_t b, uint32_t n) { return (b >> n) | (b << ((32 - n) & 31)); });
}

int BitBswap(lua_State* L) {
  uint32_t b = BitArg(L, 1);
  return BitReturn(L, (b >> 24) | ((b >> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24));
}

// tohex(x [, n]): n hex digits (default 8, at most 8), upper case if n < 0.
int BitToHex(lua_State* L) {
  uint32_t b = BitArg(L, 1);
  int64_t n = lua_isnone(L, 2) ? 8 : static_cast<int32_t>(BitArg(L, 2));
  const char* digits = "0123456789abcdef";
  if (n < 0) {
    n = -n;
    digits = "0123456789ABCDEF";
  }
  if (n > 8) n = 8;
  char buf[8];
  for (int64_t i = n; --i >= 0;) {
    buf[i] = digits[b & 15];
    b >>= 4;
  }
  lua_pushlstring(L, buf, static_cast<size_t>(n));
  return 1;
}

constexpr luaL_Reg kBitFunctions[] = {
    {"tobit", BitToBit}, {"bnot", BitNot},      {"band", BitAnd},      {"bor", BitOr},
    {"bxor", BitXor},    {"lshift", BitLshift}, {"rshift", BitRshift}, {"arshift", BitArshift},
    {"rol", BitRol},     {"ror", BitRor},       {"bswap", BitBswap},   {"tohex", BitToHex},
    {nullptr, nullptr},
};

}  // namespace

void OpenBit(lua_State* L) {
  luaL_newlib(L, kBitFunctions);
  lua_setglobal(L, "bit");
}

}  // namespace strata::scripting::lualib
