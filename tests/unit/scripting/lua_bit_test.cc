// The bit library (LuaBitOp): each snippet's result (tostring of its first value, the hex of
// a returned byte string, or "ERR " and the error) as redis-server 7.0.15
// gave it for EVAL of the same snippet, each run in a fresh interpreter.
#include "tests/unit/scripting/lua_test_state.h"

namespace strata::scripting {
namespace {

constexpr RedisCase kBitCases[] = {
    {RedisCase::kValue, R"lua(return bit.tobit(0xffffffff))lua", R"want(-1)want"},
    {RedisCase::kValue, R"lua(return bit.tobit(2^32 + 1))lua", R"want(1)want"},
    {RedisCase::kValue,
     R"lua(return bit.tobit(1.5) .. ' ' .. bit.tobit(2.5) .. ' ' .. bit.tobit(-1.5))lua",
     R"want(2 2 -2)want"},
    {RedisCase::kValue, R"lua(return bit.tobit(-2^31 - 1))lua", R"want(2147483647)want"},
    {RedisCase::kValue,
     R"lua(return bit.tohex(1) .. ' ' .. bit.tohex(-1) .. ' ' .. bit.tohex(255, -2) .. ' ' .. bit.tohex(255, 4) .. ' ' .. bit.tohex(0x12345678, 12))lua",
     R"want(00000001 ffffffff FF 00ff 12345678)want"},
    {RedisCase::kValue, R"lua(return bit.tohex(0xabcdef, -8) .. '|' .. bit.tohex(1, 0) .. '|')lua",
     R"want(00ABCDEF||)want"},
    {RedisCase::kValue,
     R"lua(return bit.bnot(0) .. ' ' .. bit.bnot(-1) .. ' ' .. bit.bnot(0x0f))lua",
     R"want(-1 0 -16)want"},
    {RedisCase::kValue,
     R"lua(return bit.band(0xff, 0x0f, 0x3) .. ' ' .. bit.bor(1, 2, 4) .. ' ' .. bit.bxor(5, 3) .. ' ' .. bit.band(-1))lua",
     R"want(3 7 6 -1)want"},
    {RedisCase::kValue,
     R"lua(return bit.lshift(1, 31) .. ' ' .. bit.lshift(1, 32) .. ' ' .. bit.lshift(1, 33) .. ' ' .. bit.rshift(-1, 28) .. ' ' .. bit.arshift(-256, 4))lua",
     R"want(-2147483648 1 2 15 -16)want"},
    {RedisCase::kValue,
     R"lua(return bit.rol(0x12345678, 12) .. ' ' .. bit.ror(0x12345678, 12) .. ' ' .. bit.rol(5, 0) .. ' ' .. bit.ror(5, 32))lua",
     R"want(1164411171 1736516421 5 5)want"},
    {RedisCase::kValue, R"lua(return bit.bswap(0x12345678) .. ' ' .. bit.bswap(-1))lua",
     R"want(2018915346 -1)want"},
    {RedisCase::kValue, R"lua(return bit.band('12', 10))lua", R"want(8)want"},
    {RedisCase::kValue, R"lua(return bit.band('x'))lua",
     R"want(ERR user_script:1: bad argument #1 to 'band' (number expected, got string))want"},
    {RedisCase::kValue, R"lua(return bit.tobit())lua",
     R"want(ERR user_script:1: bad argument #1 to 'tobit' (number expected, got no value))want"},
    {RedisCase::kValue, R"lua(return bit.bor(1, nil))lua",
     R"want(ERR user_script:1: bad argument #2 to 'bor' (number expected, got nil))want"},
};

TEST_F(LuaLibsTest, BitMatchesRedis) {
  for (const RedisCase& c : kBitCases) EXPECT_EQ(RunFresh(c), c.want) << c.lua;
}

}  // namespace
}  // namespace strata::scripting
