// The Lua 5.1 shims: each snippet's result (tostring of its first value, the hex of
// a returned byte string, or "ERR " and the error) as redis-server 7.0.15
// gave it for EVAL of the same snippet, each run in a fresh interpreter.
#include "tests/unit/scripting/lua_test_state.h"

namespace strata::scripting {
namespace {

constexpr RedisCase kCompatCases[] = {
    {RedisCase::kValue, R"lua(return select('#', unpack({1, 2, 3})))lua", R"want(3)want"},
    {RedisCase::kValue, R"lua(return unpack({7, 8}))lua", R"want(7)want"},
    {RedisCase::kValue, R"lua(return loadstring('return 1 + 1')())lua", R"want(2)want"},
    {RedisCase::kValue, R"lua(return tostring(loadstring('x x')))lua", R"want(nil)want"},
    {RedisCase::kValue, R"lua(return type(select(2, loadstring('x x'))))lua", R"want(string)want"},
    {RedisCase::kValue,
     R"lua(return tostring(loadstring(string.dump(function() return 1 end))))lua",
     R"want(nil)want"},
    {RedisCase::kValue, R"lua(return table.getn({1, 2, 3}))lua", R"want(3)want"},
    {RedisCase::kValue,
     R"lua(return table.maxn({1, 2, [10]=3}) .. ' ' .. table.maxn({}) .. ' ' .. table.maxn({[1.5]=1, a=2}))lua",
     R"want(10 0 1.5)want"},
    {RedisCase::kValue,
     R"lua(local s = '' table.foreach({10}, function(k, v) s = s .. k .. '=' .. v end) return s)lua",
     R"want(1=10)want"},
    {RedisCase::kValue,
     R"lua(return table.foreachi({5, 6, 7}, function(i, v) if v == 6 then return i end end))lua",
     R"want(2)want"},
    {RedisCase::kValue, R"lua(return table.foreach({x=1}, function(k, v) return k .. v end))lua",
     R"want(x1)want"},
    {RedisCase::kValue, R"lua(return table.setn({}, 1))lua",
     R"want(ERR user_script:1: 'setn' is obsolete)want"},
    {RedisCase::kValue,
     R"lua(return math.mod(7, 3) .. ' ' .. math.mod(-7, 3) .. ' ' .. math.mod(5.5, 2))lua",
     R"want(1 -1 1.5)want"},
    {RedisCase::kValue, R"lua(return math.pow(2, 10) .. ' ' .. math.pow(2, 0.5))lua",
     R"want(1024 1.4142135623731)want"},
    {RedisCase::kValue,
     R"lua(return math.log10(1000) .. ' ' .. math.ldexp(1, 10) .. ' ' .. table.concat({math.frexp(8)}, ','))lua",
     R"want(3 1024 0.5,4)want"},
    {RedisCase::kValue,
     R"lua(return math.atan2(1, 1) .. ' ' .. math.cosh(0) .. ' ' .. math.sinh(0) .. ' ' .. math.tanh(0))lua",
     R"want(0.78539816339745 1 0 0)want"},
    {RedisCase::kValue,
     R"lua(local t = {} for w in string.gfind('a b c', '%a') do t[#t + 1] = w end return table.concat(t))lua",
     R"want(abc)want"},
    {RedisCase::kValue, R"lua(return type(gcinfo()))lua", R"want(number)want"},
    {RedisCase::kValue, R"lua(return math.pow('x', 1))lua",
     R"want(ERR user_script:1: bad argument #1 to 'pow' (number expected, got string))want"},
};

TEST_F(LuaLibsTest, CompatMatchesRedis) {
  for (const RedisCase& c : kCompatCases) EXPECT_EQ(RunFresh(c), c.want) << c.lua;
}

}  // namespace
}  // namespace strata::scripting
