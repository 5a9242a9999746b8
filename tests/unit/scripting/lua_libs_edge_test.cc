// Behaviour checked without a recording: where Strata knowingly differs from
// redis-server, and limits that protect the server from hostile input.
#include <string>

#include "tests/unit/scripting/lua_test_state.h"

namespace strata::scripting {
namespace {

// Where RapidJSON is stricter than cjson's strtod-based scanner (listed in
// scripting/lua_lib_cjson.cc): redis-server decodes 1e400 as inf, 0x10 as 16.
TEST_F(LuaLibsTest, CjsonDecodeKnownDifferences) {
  EXPECT_EQ(Run("return cjson.decode('1e400')"),
            "ERR user_script:1: Expected value but found invalid number at character 1");
  EXPECT_EQ(
      Run("return cjson.decode('[0x10]')"),
      "ERR user_script:1: Expected comma or array end but found invalid token at character 3");
}

// Numbers come back as Lua 5.1 shows them: integral values print without
// ".0", others as "%.14g" (-0 stays a float and prints "-0.0", 5.1 "-0").
TEST_F(LuaLibsTest, CjsonDecodeNumbersPrintAsLua51) {
  EXPECT_EQ(Run("return math.type(cjson.decode('3.0'))"), "integer");
  EXPECT_EQ(Run("return math.type(cjson.decode('1e15'))"), "float");
  EXPECT_EQ(Run("return cjson.decode('1e15') .. ''"), "1e+15");
  EXPECT_EQ(Run("return cjson.decode('-0.0') .. ''"), "-0.0");
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

namespace strata::scripting {
namespace {

// The libraries keep C++ objects (encode buffers, msgpack buffers) on the C
// stack across calls that may raise Lua errors: that is only safe because
// Debian's liblua5.4-c++ raises them as C++ exceptions, running destructors.
bool destructor_ran = false;

struct SetOnDestruction {
  ~SetOnDestruction() { destructor_ran = true; }
};

int RaiseWithObjectOnStack(lua_State* L) {
  SetOnDestruction guard;
  return luaL_error(L, "raised");
}

TEST_F(LuaLibsTest, LuaErrorsUnwindCxxFrames) {
  destructor_ran = false;
  lua_register(L_, "raise_with_object", RaiseWithObjectOnStack);
  EXPECT_EQ(Run("return raise_with_object()"), "ERR user_script:1: raised");
  EXPECT_TRUE(destructor_ran);
}

}  // namespace
}  // namespace strata::scripting
