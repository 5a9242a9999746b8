// Tests of ReplyBuilder and FormatDouble: every reply kind in RESP2 and
// RESP3, byte for byte as redis-server 7.0.15 writes it (checked against a
// real server: ZSCORE, Lua {double=...} and {verbatim_string=...} replies).
#include "server/reply_builder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace strata::server {
namespace {

using namespace std::string_literals;

class ReplyBuilderTest : public testing::TestWithParam<int> {
 protected:
  ReplyBuilderTest() : builder_(&out_) { builder_.set_protocol(GetParam()); }

  bool resp3() const { return GetParam() == 3; }
  // What the builder wrote since the last call.
  std::string Take() {
    std::string s = std::move(out_);
    out_.clear();
    return s;
  }

  std::string out_;
  ReplyBuilder builder_;
};

INSTANTIATE_TEST_SUITE_P(Resp, ReplyBuilderTest, testing::Values(2, 3),
                         [](const testing::TestParamInfo<int>& info) {
                           return "Resp" + std::to_string(info.param);
                         });

TEST(ReplyBuilderDefaultsTest, StartsInResp2) {
  std::string out;
  ReplyBuilder builder(&out);
  EXPECT_EQ(builder.protocol(), 2);
  EXPECT_EQ(builder.buffer(), &out);
  builder.Null();
  EXPECT_EQ(out, "$-1\r\n");
  builder.set_protocol(3);
  EXPECT_EQ(builder.protocol(), 3);
}

TEST_P(ReplyBuilderTest, SimpleString) {
  builder_.SimpleString("PONG");
  EXPECT_EQ(Take(), "+PONG\r\n");
  builder_.Ok();
  EXPECT_EQ(Take(), "+OK\r\n");
  builder_.SimpleString("");
  EXPECT_EQ(Take(), "+\r\n");
}

TEST_P(ReplyBuilderTest, Error) {
  builder_.Error("ERR unknown command");
  EXPECT_EQ(Take(), "-ERR unknown command\r\n");
  builder_.Error("WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(Take(), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  // Already prefixed: not doubled.
  builder_.Error("-NOSCRIPT No matching script");
  EXPECT_EQ(Take(), "-NOSCRIPT No matching script\r\n");
}

TEST_P(ReplyBuilderTest, ErrorStaysOnOneLine) {
  builder_.Error("ERR a\r\nb\nc\rd");
  EXPECT_EQ(Take(), "-ERR a  b c d\r\n");
  // CR/LF at the ends are trimmed, as addReplyErrorFormat does.
  builder_.Error("\r\nERR x\r\n\n");
  EXPECT_EQ(Take(), "-ERR x\r\n");
  builder_.Error("\n-ERR y");
  EXPECT_EQ(Take(), "-ERR y\r\n");
  builder_.Error("");
  EXPECT_EQ(Take(), "-\r\n");
}

TEST_P(ReplyBuilderTest, Integer) {
  const std::vector<std::pair<int64_t, std::string>> cases = {
      {0, ":0\r\n"},
      {1, ":1\r\n"},
      {-1, ":-1\r\n"},
      {10000, ":10000\r\n"},
      {-123456789, ":-123456789\r\n"},
      {std::numeric_limits<int64_t>::max(), ":9223372036854775807\r\n"},
      {std::numeric_limits<int64_t>::min(), ":-9223372036854775808\r\n"},
  };
  for (const auto& [v, wire] : cases) {
    builder_.Integer(v);
    EXPECT_EQ(Take(), wire) << v;
  }
}

TEST_P(ReplyBuilderTest, Bulk) {
  builder_.Bulk("hello");
  EXPECT_EQ(Take(), "$5\r\nhello\r\n");
  builder_.Bulk("");
  EXPECT_EQ(Take(), "$0\r\n\r\n");
  builder_.Bulk("a\r\nb\0c"s);
  EXPECT_EQ(Take(), "$6\r\na\r\nb\0c\r\n"s);
  const std::string big(100000, 'x');
  builder_.Bulk(big);
  EXPECT_EQ(Take(), "$100000\r\n" + big + "\r\n");
}

TEST_P(ReplyBuilderTest, Null) {
  builder_.Null();
  EXPECT_EQ(Take(), resp3() ? "_\r\n" : "$-1\r\n");
  builder_.NullArray();
  EXPECT_EQ(Take(), resp3() ? "_\r\n" : "*-1\r\n");
}

TEST_P(ReplyBuilderTest, Bool) {
  builder_.Bool(true);
  EXPECT_EQ(Take(), resp3() ? "#t\r\n" : ":1\r\n");
  builder_.Bool(false);
  EXPECT_EQ(Take(), resp3() ? "#f\r\n" : ":0\r\n");
}

TEST_P(ReplyBuilderTest, Double) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<std::pair<double, std::string>> cases = {
      {0.0, "0"},
      {-0.0, "-0"},
      {3.0, "3"},
      {-42.0, "-42"},
      {1.5, "1.5"},
      {1.1, "1.1000000000000001"},
      {0.1, "0.10000000000000001"},
      {1e300, "1.0000000000000001e+300"},
      {-1e300, "-1.0000000000000001e+300"},
      {1e16, "10000000000000000"},
      {1e17, "1e+17"},
      {123456789012345678.0, "1.2345678901234568e+17"},
      {1e-5, "1.0000000000000001e-05"},
      {5e-324, "4.9406564584124654e-324"},
      {std::numeric_limits<double>::max(), "1.7976931348623157e+308"},
      {std::numeric_limits<double>::min(), "2.2250738585072014e-308"},
      {inf, "inf"},
      {-inf, "-inf"},
      {nan, "nan"},
      {std::copysign(nan, -1.0), "-nan"},  // What 0/0 gives on x86; Redis prints "-nan".
  };
  for (const auto& [v, text] : cases) {
    EXPECT_EQ(FormatDouble(v), text);
    builder_.Double(v);
    if (resp3()) {
      EXPECT_EQ(Take(), "," + text + "\r\n");
    } else {
      EXPECT_EQ(Take(), "$" + std::to_string(text.size()) + "\r\n" + text + "\r\n");
    }
  }
}

TEST(FormatDoubleTest, MatchesPrintfPercent17g) {
  std::mt19937_64 rng(42);
  char expected[64];
  for (int i = 0; i < 200000; ++i) {
    double v;
    if (i % 2 == 0) {
      const uint64_t bits = rng();
      std::memcpy(&v, &bits, sizeof(v));
    } else {
      // Integers, short decimals and their neighbours.
      v = static_cast<double>(static_cast<int64_t>(rng() % 2000001) - 1000000) / 100.0;
    }
    std::snprintf(expected, sizeof(expected), "%.17g", v);
    ASSERT_EQ(FormatDouble(v), expected) << "bits of " << expected;
  }
}

TEST_P(ReplyBuilderTest, Verbatim) {
  builder_.Verbatim("hello");
  EXPECT_EQ(Take(), resp3() ? "=9\r\ntxt:hello\r\n" : "$5\r\nhello\r\n");
  builder_.Verbatim("# x\r\n", "mkd");
  EXPECT_EQ(Take(), resp3() ? "=9\r\nmkd:# x\r\n\r\n" : "$5\r\n# x\r\n\r\n");
  builder_.Verbatim("");
  EXPECT_EQ(Take(), resp3() ? "=4\r\ntxt:\r\n" : "$0\r\n\r\n");
  // Redis pads a short format with spaces and cuts a long one to 3 bytes.
  builder_.Verbatim("hi", "m");
  EXPECT_EQ(Take(), resp3() ? "=6\r\nm  :hi\r\n" : "$2\r\nhi\r\n");
  builder_.Verbatim("hi", "mkdown");
  EXPECT_EQ(Take(), resp3() ? "=6\r\nmkd:hi\r\n" : "$2\r\nhi\r\n");
  builder_.Verbatim("hi", "");
  EXPECT_EQ(Take(), resp3() ? "=6\r\n   :hi\r\n" : "$2\r\nhi\r\n");
}

TEST_P(ReplyBuilderTest, AggregateHeaders) {
  builder_.ArrayHeader(0);
  EXPECT_EQ(Take(), "*0\r\n");
  builder_.ArrayHeader(3);
  EXPECT_EQ(Take(), "*3\r\n");
  builder_.ArrayHeader(-1);
  EXPECT_EQ(Take(), "*-1\r\n");
  builder_.MapHeader(0);
  EXPECT_EQ(Take(), resp3() ? "%0\r\n" : "*0\r\n");
  builder_.MapHeader(2);
  EXPECT_EQ(Take(), resp3() ? "%2\r\n" : "*4\r\n");
  builder_.MapHeader(1000000);
  EXPECT_EQ(Take(), resp3() ? "%1000000\r\n" : "*2000000\r\n");
  builder_.SetHeader(5);
  EXPECT_EQ(Take(), resp3() ? "~5\r\n" : "*5\r\n");
  builder_.PushHeader(3);
  EXPECT_EQ(Take(), resp3() ? ">3\r\n" : "*3\r\n");
}

TEST_P(ReplyBuilderTest, NestedReply) {
  // A HELLO-like map: server name, proto, modules (empty array), a score.
  builder_.MapHeader(3);
  builder_.Bulk("server");
  builder_.Bulk("strata");
  builder_.Bulk("proto");
  builder_.Integer(GetParam());
  builder_.Bulk("modules");
  builder_.ArrayHeader(0);
  if (resp3()) {
    EXPECT_EQ(Take(),
              "%3\r\n$6\r\nserver\r\n$6\r\nstrata\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n");
  } else {
    EXPECT_EQ(Take(),
              "*6\r\n$6\r\nserver\r\n$6\r\nstrata\r\n$5\r\nproto\r\n:2\r\n$7\r\nmodules\r\n*0\r\n");
  }
  // A pub/sub message.
  builder_.PushHeader(3);
  builder_.Bulk("message");
  builder_.Bulk("ch");
  builder_.Bulk("hi");
  EXPECT_EQ(Take(),
            std::string(resp3() ? ">" : "*") + "3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
}

TEST_P(ReplyBuilderTest, AppendsAfterExistingOutput) {
  out_ = "+PONG\r\n";
  builder_.Integer(7);
  builder_.Bulk("x");
  EXPECT_EQ(out_, "+PONG\r\n:7\r\n$1\r\nx\r\n");
}

TEST_P(ReplyBuilderTest, MarkAndTruncate) {
  builder_.Ok();
  const size_t mark = builder_.Mark();
  EXPECT_EQ(mark, 5u);
  builder_.ArrayHeader(2);
  builder_.Bulk("a");
  builder_.Double(1.5);
  builder_.Truncate(mark);
  EXPECT_EQ(out_, "+OK\r\n");
  builder_.Null();
  EXPECT_EQ(out_, resp3() ? "+OK\r\n_\r\n" : "+OK\r\n$-1\r\n");
}

}  // namespace
}  // namespace strata::server
