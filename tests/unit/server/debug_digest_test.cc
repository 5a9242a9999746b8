// DEBUG DIGEST's algorithm (server/debug_digest.h) against digests
// redis-server 7.0.15 gave for the same values (DEBUG DIGEST-VALUE, DIGEST).
#include "server/debug_digest.h"

#include <gtest/gtest.h>

namespace strata::server {
namespace {

using codec::ValueType;
using codec::rdb::RdbValue;

std::string ValueHex(const RdbValue& v, bool has_expire = false) {
  Digest d{};
  AddValueDigest(&d, v, has_expire);
  return DigestHex(d);
}

TEST(DebugDigest, StringsAndTtl) {
  RdbValue s;
  s.string = "hello";
  EXPECT_EQ(ValueHex(s), "36b23a1456b2dce2c3ed252c456761301dba8060");  // SET s hello
  s.string = "v";
  EXPECT_EQ(ValueHex(s, true), "311b17018163335616e089f6b951c82c477335ac");  // SETEX e 100 v
}

TEST(DebugDigest, ListIsOrderedSetIsNot) {
  RdbValue l;
  l.type = ValueType::kList;
  l.elements = {"a", "b", "3"};
  EXPECT_EQ(ValueHex(l), "09eb1fc9381ee92790d59930ab462945f8cd948b");  // RPUSH l a b 3
  std::swap(l.elements[0], l.elements[1]);
  EXPECT_NE(ValueHex(l), "09eb1fc9381ee92790d59930ab462945f8cd948b");

  RdbValue s;
  s.type = ValueType::kSet;
  s.elements = {"2", "y", "1", "x"};
  EXPECT_EQ(ValueHex(s), "d9a5e496512416d64a1c5e6d33afd9f2f9c366c5");  // SADD st x y 1 2
}

TEST(DebugDigest, ZsetHashStream) {
  RdbValue z;
  z.type = ValueType::kZset;
  // ZADD z 1.5 a 2 b -0 c 3e300 d: a listpack zset keeps -0 as 0 (a
  // skiplist would keep -0, digested as "-0").
  z.scored = {{"c", 0.0}, {"a", 1.5}, {"b", 2}, {"d", 3e300}};
  EXPECT_EQ(ValueHex(z), "c440803590535ee47a09ec2bf3828fd44aa55943");

  RdbValue h;
  h.type = ValueType::kHash;
  h.pairs = {{"g", "1"}, {"f", "v"}};
  EXPECT_EQ(ValueHex(h), "6679ee22f89ed8001eeb5309d0900265ea56c03a");  // HSET h f v g 1

  RdbValue x;  // XADD x 1-1 a b c d; XADD x 2-5 e f
  x.type = ValueType::kStream;
  x.stream.entries = {{{1, 1}, {{"a", "b"}, {"c", "d"}}}, {{2, 5}, {{"e", "f"}}}};
  EXPECT_EQ(ValueHex(x), "316ac7c9fda8148893d87bf4dca38a0967365955");
}

TEST(DebugDigest, EmptyDatasetIsZeros) {
  EXPECT_EQ(DigestHex(Digest{}), std::string(40, '0'));
}

}  // namespace
}  // namespace strata::server
