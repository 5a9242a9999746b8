// FUNCTION DUMP payloads: the encoding Strata writes, and
// decoding what Redis 7.0.15 writes (plain and LZF-compressed library code).
#include "scripting/function_dump.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/rdb_primitives.h"
#include "scripting/function_registry.h"
#include "tests/unit/common/hex_bytes.h"

namespace strata::scripting {
namespace {
using strata::testing_hex::FromHex;

TEST(FunctionDump, EncodesAsRedisDoes) {
  // FUNCTION DUMP of redis-server 7.0.15 after loading this library.
  std::string code = "#!lua name=ab\nredis.register_function('g', function() return 1 end)";
  std::string redis = FromHex(
      "f5404323216c7561206e616d653d61620a72656469732e72656769737465725f66756e6374696f6e2827"
      "67272c2066756e6374696f6e28292072657475726e203120656e64290a0077c7eeae212fc5a2");
  EXPECT_EQ(EncodeFunctionDump(std::vector<std::string>{code}), redis);
  auto codes = DecodeFunctionDump(redis);
  ASSERT_TRUE(codes.ok());
  EXPECT_EQ(*codes, std::vector<std::string>{code});
}

TEST(FunctionDump, DecodesLzf) {
  std::string payload = FromHex(
      "f5c3404d41d71f23216c7561206e616d653d6269670a72656469732e72656769737465725f6675076e"
      "6374696f6e2827201c02272c20e0000f0b292072657475726e20276162e0ff01e07d01052720656e64"
      "290a00cbb6b7892f02b261");
  auto codes = DecodeFunctionDump(payload);
  ASSERT_TRUE(codes.ok());
  EXPECT_EQ(EncodeFunctionDump(*codes), payload);  // Redis compresses too, with the same LZF
  std::string ab;
  for (int i = 0; i < 200; ++i) ab += "ab";
  EXPECT_EQ(*codes, std::vector<std::string>{"#!lua name=big\nredis.register_function('big', "
                                             "function() return '" +
                                             ab + "' end)"});
}

TEST(FunctionDump, RoundTripsLongAndManyLibraries) {
  std::vector<std::string> codes = {std::string(70000, 'x'), "", std::string(300, 'y')};
  auto back = DecodeFunctionDump(EncodeFunctionDump(codes));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, codes);
  EXPECT_TRUE(DecodeFunctionDump(EncodeFunctionDump({})).ok());
}

TEST(FunctionDump, RejectsBadFooterAndBadEntries) {
  std::string payload = EncodeFunctionDump(std::vector<std::string>{"#!lua name=a\n"});
  std::string flipped = payload;
  flipped.back() ^= 1;
  EXPECT_EQ(DecodeFunctionDump(flipped).status().message(),
            "ERR DUMP payload version or checksum are wrong");
  EXPECT_FALSE(DecodeFunctionDump("short").ok());
  // A well-formed footer around something that is not a library.
  std::string body = "\x01xyz";
  std::string bad = body + std::string("\x0a\x00", 2);
  uint64_t crc = codec::rdb::Crc64(0, bad);
  for (int i = 0; i < 8; ++i) bad.push_back(static_cast<char>(crc >> (8 * i)));
  EXPECT_EQ(DecodeFunctionDump(bad).status().message(), "ERR given type is not a function");
}

TEST(FunctionLibraryName, ParsesMetadataLine) {
  EXPECT_EQ(*ParseLibraryName("#!lua name=mylib\nreturn 1"), "mylib");
  EXPECT_EQ(*ParseLibraryName("#!LUA   NAME=x_1  \n"), "x_1");
  EXPECT_EQ(ParseLibraryName("return").status().message(), "ERR Missing library metadata");
  EXPECT_EQ(ParseLibraryName("#!lua name=a").status().message(), "ERR Invalid library metadata");
  EXPECT_EQ(ParseLibraryName("#!lua\n").status().message(), "ERR Library name was not given");
  EXPECT_EQ(ParseLibraryName("#!js name=a\n").status().message(), "ERR Engine 'js' not found");
}

}  // namespace
}  // namespace strata::scripting
