// The cmsgpack library: each snippet's result (tostring of its first value, the hex of
// a returned byte string, or "ERR " and the error) as redis-server 7.0.15
// gave it for EVAL of the same snippet, each run in a fresh interpreter.
#include "tests/unit/scripting/lua_test_state.h"

namespace strata::scripting {
namespace {

constexpr RedisCase kCmsgpackCases[] = {
    {RedisCase::kHex,
     R"lua(return cmsgpack.pack(0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296))lua",
     R"want(00017fcc80ccffcd0100cdffffce00010000ceffffffffcf0000000100000000)want"},
    {RedisCase::kHex,
     R"lua(return cmsgpack.pack(-1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649))lua",
     R"want(ffe0d0dfd080d1ff7fd18000d2ffff7fffd280000000d3ffffffff7fffffff)want"},
    {RedisCase::kHex, R"lua(return cmsgpack.pack(2^53, -2^53, 2^63, -2^63, 2^64))lua",
     R"want(cf0020000000000000d3ffe0000000000000ca5f000000d38000000000000000ca5f800000)want"},
    {RedisCase::kHex, R"lua(return cmsgpack.pack(1.5, 0.1, -0.0, math.huge, -math.huge, 3.0))lua",
     R"want(ca3fc00000cb3fb999999999999a00ca7f800000caff80000003)want"},
    {RedisCase::kHex, R"lua(return cmsgpack.pack('', 'abc'))lua", R"want(a0a3616263)want"},
    {RedisCase::kHex,
     R"lua(return cmsgpack.pack(string.rep('x', 31)):sub(1, 2) .. cmsgpack.pack(string.rep('x', 32)):sub(1, 3))lua",
     R"want(bf78d92078)want"},
    {RedisCase::kHex,
     R"lua(return cmsgpack.pack(string.rep('x', 255)):sub(1, 3) .. cmsgpack.pack(string.rep('x', 256)):sub(1, 4))lua",
     R"want(d9ff78da010078)want"},
    {RedisCase::kHex,
     R"lua(return cmsgpack.pack(string.rep('x', 65535)):sub(1, 4) .. cmsgpack.pack(string.rep('x', 65536)):sub(1, 6))lua",
     R"want(daffff78db0001000078)want"},
    {RedisCase::kHex, R"lua(return cmsgpack.pack({}, {1, 2, 3}, {a=1}, {{}, {x={true}}}))lua",
     R"want(909301020381a16101929081a17891c3)want"},
    {RedisCase::kHex,
     R"lua(local t = {} for i = 1, 16 do t[i] = i end return cmsgpack.pack(t):sub(1, 4))lua",
     R"want(dc001001)want"},
    {RedisCase::kHex,
     R"lua(local t = {} for i = 1, 70000 do t[i] = 0 end return cmsgpack.pack(t):sub(1, 6))lua",
     R"want(dd0001117000)want"},
    {RedisCase::kHex,
     R"lua(local t = {} for i = 1, 16 do t['k' .. i] = 1 end return cmsgpack.pack(t):sub(1, 1))lua",
     R"want(de)want"},
    {RedisCase::kHex, R"lua(return cmsgpack.pack({[1]=1, [2]=2, [4]=4}):sub(1, 1))lua",
     R"want(83)want"},
    {RedisCase::kHex, R"lua(return cmsgpack.pack({[1.5]=1}))lua", R"want(81ca3fc0000001)want"},
    {RedisCase::kHex, R"lua(return cmsgpack.pack(true, false, nil, function() end))lua",
     R"want(c3c2c0c0)want"},
    {RedisCase::kHex,
     R"lua(local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end return cmsgpack.pack(t))lua",
     R"want(91919191919191919191919191919191c0)want"},
    {RedisCase::kHex,
     R"lua(local t = {} local c = t for i = 1, 20 do c.k = {} c = c.k end return cmsgpack.pack(t))lua",
     R"want(81a16b81a16b81a16b81a16b81a16b81a16b81a16b81a16b81a16b81a16b81a16b81a16b81a16b81a16b81a16b81a16bc0)want"},
    {RedisCase::kValue, R"lua(return cmsgpack.pack())lua",
     R"want(ERR user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.))want"},
    {RedisCase::kValue,
     R"lua(local a, b, c, d = cmsgpack.unpack(cmsgpack.pack(1, 'a', {1, 2}, {x=1})) return a .. b .. c[2] .. d.x)lua",
     R"want(1a21)want"},
    {RedisCase::kValue,
     R"lua(return select('#', cmsgpack.unpack(cmsgpack.pack(1, 2, 3, 4, 5))))lua", R"want(5)want"},
    {RedisCase::kValue, R"lua(return select('#', cmsgpack.unpack('')))lua", R"want(0)want"},
    {RedisCase::kValue,
     R"lua(return cmsgpack.unpack(cmsgpack.pack(1.5)) .. ' ' .. cmsgpack.unpack(cmsgpack.pack(0.1)) .. ' ' .. cmsgpack.unpack(cmsgpack.pack(3)))lua",
     R"want(1.5 0.1 3)want"},
    {RedisCase::kValue,
     R"lua(return cmsgpack.unpack(string.char(0xca, 0x3d, 0xcc, 0xcc, 0xcd)))lua",
     R"want(0.10000000149012)want"},
    {RedisCase::kValue,
     R"lua(return cmsgpack.unpack(string.char(0xcf, 255, 255, 255, 255, 255, 255, 255, 255)))lua",
     R"want(-1)want"},
    {RedisCase::kValue,
     R"lua(return cmsgpack.unpack(string.char(0xd3, 128, 0, 0, 0, 0, 0, 0, 0)))lua",
     R"want(-9.2233720368548e+18)want"},
    {RedisCase::kValue,
     R"lua(return cmsgpack.unpack(string.char(0xd3, 255, 255, 255, 255, 255, 255, 255, 254)))lua",
     R"want(-2)want"},
    {RedisCase::kValue,
     R"lua(return cmsgpack.unpack(string.char(0xd1, 0xff, 0x00)) .. ',' .. cmsgpack.unpack(string.char(0xd0, 0x80)) .. ',' .. cmsgpack.unpack(string.char(0xe0)))lua",
     R"want(-256,-128,-32)want"},
    {RedisCase::kValue,
     R"lua(return cmsgpack.unpack(string.char(0xd9, 3) .. 'abc') .. cmsgpack.unpack(string.char(0xda, 0, 1) .. 'z'))lua",
     R"want(abcz)want"},
    {RedisCase::kValue,
     R"lua(local t = cmsgpack.unpack(string.char(0x93, 1, 0xc0, 3)) return #t .. tostring(t[2]))lua",
     R"want(1nil)want"},
    {RedisCase::kValue,
     R"lua(local t = cmsgpack.unpack(string.char(0x81, 0xa1, 0x6b, 0x92, 1, 2)) return t.k[2])lua",
     R"want(2)want"},
    {RedisCase::kValue, R"lua(return cmsgpack.unpack(string.char(0x81, 0xc0, 1)))lua",
     R"want(ERR table index is nil)want"},
    {RedisCase::kValue,
     R"lua(return table.concat({cmsgpack.unpack_one(cmsgpack.pack(7, 8))}, ','))lua",
     R"want(1,7)want"},
    {RedisCase::kValue,
     R"lua(return table.concat({cmsgpack.unpack_one(cmsgpack.pack(7, 8), 1)}, ','))lua",
     R"want(-1,8)want"},
    {RedisCase::kValue,
     R"lua(return table.concat({cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2)}, ','))lua",
     R"want(2,1,2)want"},
    {RedisCase::kValue,
     R"lua(return table.concat({cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2, 1)}, ','))lua",
     R"want(-1,2,3)want"},
    {RedisCase::kValue,
     R"lua(return table.concat({cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 0, 0)}, ','))lua",
     R"want(1,2,3)want"},
    {RedisCase::kValue,
     R"lua(return table.concat({cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 5)}, ','))lua",
     R"want(-1,1,2,3)want"},
    {RedisCase::kValue,
     R"lua(return table.concat({cmsgpack.unpack_one(cmsgpack.pack(1), 1)}, ','))lua",
     R"want(-1)want"},
    {RedisCase::kValue, R"lua(return cmsgpack.unpack_one('x', 5))lua",
     R"want(ERR user_script:1: Start offset 5 greater than input length 1.)want"},
    {RedisCase::kValue, R"lua(return cmsgpack.unpack_one('x', -1))lua",
     R"want(ERR user_script:1: Invalid request to unpack with offset of -1 and limit of 1.)want"},
    {RedisCase::kValue, R"lua(return cmsgpack.unpack_limit('xyz', -2))lua",
     R"want(ERR user_script:1: Invalid request to unpack with offset of 0 and limit of 3.)want"},
    {RedisCase::kValue, R"lua(return cmsgpack.unpack_limit('x'))lua",
     R"want(ERR user_script:1: bad argument #2 to 'unpack_limit' (number expected, got no value))want"},
    {RedisCase::kValue, R"lua(return cmsgpack.unpack(string.char(0x92, 1)))lua",
     R"want(ERR user_script:1: Missing bytes in input.)want"},
    {RedisCase::kValue, R"lua(return cmsgpack.unpack(string.char(0xcd, 1)))lua",
     R"want(ERR user_script:1: Missing bytes in input.)want"},
    {RedisCase::kValue, R"lua(return cmsgpack.unpack(string.char(0xc1)))lua",
     R"want(ERR user_script:1: Bad data format in input.)want"},
    {RedisCase::kValue, R"lua(return cmsgpack.unpack(string.char(0xc4, 1, 97)))lua",
     R"want(ERR user_script:1: Bad data format in input.)want"},
    {RedisCase::kValue, R"lua(return cmsgpack.unpack(string.char(0xd4, 1, 97)))lua",
     R"want(ERR user_script:1: Bad data format in input.)want"},
    {RedisCase::kValue, R"lua(return cmsgpack.unpack())lua",
     R"want(ERR user_script:1: bad argument #1 to 'unpack' (string expected, got no value))want"},
    {RedisCase::kValue, R"lua(return cmsgpack._NAME .. ' ' .. cmsgpack._VERSION)lua",
     R"want(cmsgpack lua-cmsgpack 0.4.0)want"},
};

TEST_F(LuaLibsTest, CmsgpackMatchesRedis) {
  for (const RedisCase& c : kCmsgpackCases) EXPECT_EQ(RunFresh(c), c.want) << c.lua;
}

}  // namespace
}  // namespace strata::scripting

namespace strata::scripting {
namespace {

// A forged container header must fail on the missing bytes, not allocate for
// four billion elements (lua_cmsgpack: "Missing bytes in input." too).
TEST_F(LuaLibsTest, CmsgpackForgedSizesFailWithoutAllocating) {
  for (const char* header :
       {"0xdd,0xff,0xff,0xff,0xff", "0xdf,0xff,0xff,0xff,0xff,1,1", "0xdb,0xff,0xff,0xff,0xff"}) {
    EXPECT_EQ(Run(std::string("return cmsgpack.unpack(string.char(") + header + "))"),
              "ERR user_script:1: Missing bytes in input.")
        << header;
  }
}

// Nesting is bounded (lua_cmsgpack stops where its Lua stack check fails,
// around 4000 levels; we stop at 1000).
TEST_F(LuaLibsTest, CmsgpackUnpackDepth) {
  EXPECT_EQ(Run("local t = cmsgpack.unpack(string.rep(string.char(0x91), 999) .. string.char(7)) "
                "for i = 1, 999 do t = t[1] end return t"),
            "7");
  EXPECT_EQ(Run("return cmsgpack.unpack(string.rep(string.char(0x91), 1001) .. string.char(7))"),
            "ERR user_script:1: Bad data format in input.");
}

}  // namespace
}  // namespace strata::scripting
