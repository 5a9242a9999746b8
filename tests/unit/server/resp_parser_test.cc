// Tests of RespParser: the request side of RESP as Redis 7.0.15 reads it.
//
// Expected results were checked against a real redis-server 7.0.15 (raw bytes
// over a socket). Most inputs are fed every way a connection could see them
// (whole, byte by byte, in odd chunks) and must give the same outcome; the
// driver moves its buffer to a fresh allocation before every Parse() call, so
// a parser that kept pointers instead of offsets fails under ASan.
#include "server/resp_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace strata::server {
namespace {

using namespace std::string_literals;
using Result = RespParser::Result;
using Argv = std::vector<std::string>;

constexpr size_t k64K = 64 * 1024;

// What a connection would see from one input.
struct Outcome {
  std::vector<Argv> commands;
  int empties = 0;
  std::string error;    // Empty when none.
  size_t leftover = 0;  // Bytes left unconsumed at the end (a partial command).

  bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  os << "{commands:";
  for (const Argv& argv : o.commands) {
    os << " [";
    for (const std::string& a : argv) os << '"' << testing::PrintToString(a) << "\" ";
    os << "]";
  }
  return os << " empties:" << o.empties << " error:\"" << o.error << "\" leftover:" << o.leftover
            << "}";
}

// Feeds `input` in chunks whose sizes cycle through `chunks` (0: all at
// once), parsing after each chunk like a connection's read loop.
Outcome Drive(std::string_view input, std::vector<size_t> chunks, RespLimits limits = {}) {
  RespParser parser(limits);
  Outcome out;
  std::vector<char> buf;
  size_t fed = 0;
  for (size_t k = 0;; ++k) {
    const size_t chunk = chunks[k % chunks.size()] == 0 ? input.size() : chunks[k % chunks.size()];
    const size_t n = std::min(chunk, input.size() - fed);
    buf.insert(buf.end(), input.begin() + fed, input.begin() + fed + n);
    fed += n;
    for (;;) {
      // A fresh allocation every call; the old one is scribbled and freed.
      std::vector<char> fresh(buf.begin(), buf.end());
      std::fill(buf.begin(), buf.end(), '#');
      buf = std::move(fresh);
      const Result r = parser.Parse(std::string_view(buf.data(), buf.size()));
      if (r == Result::kNeedMore) break;
      if (r == Result::kError) {
        out.error = parser.error();
        return out;
      }
      if (r == Result::kCommand) {
        out.commands.emplace_back(parser.argv().begin(), parser.argv().end());
      } else {
        ++out.empties;
      }
      EXPECT_GT(parser.consumed(), 0u);
      EXPECT_LE(parser.consumed(), buf.size());
      buf.erase(buf.begin(), buf.begin() + static_cast<ptrdiff_t>(parser.consumed()));
    }
    if (fed == input.size()) {
      out.leftover = buf.size();
      return out;
    }
  }
}

// Drive() whole, byte by byte and in uneven chunks; all must agree.
Outcome ParseAllWays(std::string_view input, RespLimits limits = {}) {
  const Outcome whole = Drive(input, {0}, limits);
  for (const std::vector<size_t>& chunks :
       std::vector<std::vector<size_t>>{{1}, {2}, {3}, {5, 1, 7}, {13, 2}, {64}}) {
    EXPECT_EQ(Drive(input, chunks, limits), whole)
        << "chunks starting " << chunks[0] << " for " << testing::PrintToString(input);
  }
  return whole;
}

Outcome Commands(std::vector<Argv> commands, int empties = 0) {
  return Outcome{std::move(commands), empties, "", 0};
}

Outcome Error(std::vector<Argv> commands, std::string error) {
  return Outcome{std::move(commands), 0, std::move(error), 0};
}

Outcome Partial(std::vector<Argv> commands, size_t leftover) {
  return Outcome{std::move(commands), 0, "", leftover};
}

std::string Multibulk(const Argv& argv) {
  std::string out = "*" + std::to_string(argv.size()) + "\r\n";
  for (const std::string& a : argv) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  return out;
}

const std::string kBadMbulk = "ERR Protocol error: invalid multibulk length";
const std::string kBadBulk = "ERR Protocol error: invalid bulk length";
const std::string kBigMbulk = "ERR Protocol error: too big mbulk count string";
const std::string kBigBulk = "ERR Protocol error: too big bulk count string";
const std::string kBigInline = "ERR Protocol error: too big inline request";
const std::string kQuotes = "ERR Protocol error: unbalanced quotes in request";

// ---------------------------------------------------------------- multibulk

TEST(RespParserTest, ParsesOneMultibulkCommand) {
  RespParser parser;
  const std::string input = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
  ASSERT_EQ(parser.Parse(input), Result::kCommand);
  EXPECT_EQ(parser.consumed(), input.size());
  EXPECT_EQ(Argv(parser.argv().begin(), parser.argv().end()), (Argv{"SET", "key", "value"}));
  EXPECT_FALSE(parser.in_multibulk());
}

TEST(RespParserTest, ArgvViewsPointIntoTheBuffer) {
  RespParser parser;
  const std::string input = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
  ASSERT_EQ(parser.Parse(input), Result::kCommand);
  EXPECT_EQ(parser.argv()[0].data(), input.data() + 8);
  EXPECT_EQ(parser.argv()[1].data(), input.data() + 17);
}

TEST(RespParserTest, BulksAreBinarySafe) {
  const std::string body = "a\r\nb\0c*$"s;
  EXPECT_EQ(ParseAllWays(Multibulk({"SET", body, ""})), Commands({{"SET", body, ""}}));
}

TEST(RespParserTest, EmptyBulkArguments) {
  EXPECT_EQ(ParseAllWays("*1\r\n$0\r\n\r\n"), Commands({{""}}));
  EXPECT_EQ(ParseAllWays("*3\r\n$0\r\n\r\n$0\r\n\r\n$1\r\nx\r\n"), Commands({{"", "", "x"}}));
}

TEST(RespParserTest, ConsumedStopsAtTheCommandsEnd) {
  RespParser parser;
  const std::string input = "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPI";
  ASSERT_EQ(parser.Parse(input), Result::kCommand);
  EXPECT_EQ(parser.consumed(), 14u);
  EXPECT_EQ(parser.Parse(std::string_view(input).substr(14)), Result::kNeedMore);
  EXPECT_TRUE(parser.in_multibulk());
}

TEST(RespParserTest, PipelinedCommands) {
  std::string input;
  std::vector<Argv> expected;
  for (int i = 0; i < 16; ++i) {
    Argv argv{"SET", "key:" + std::to_string(i), std::string(static_cast<size_t>(i) * 7, 'v')};
    input += Multibulk(argv);
    expected.push_back(argv);
  }
  EXPECT_EQ(ParseAllWays(input), Commands(expected));
}

TEST(RespParserTest, EmptyMultibulksAreSkipped) {
  // Redis skips "*<n>" for every n <= 0, not only 0 and -1.
  EXPECT_EQ(ParseAllWays("*0\r\n*-1\r\n*-5\r\n*-9223372036854775808\r\n*1\r\n$4\r\nPING\r\n"),
            Commands({{"PING"}}, 4));
  RespParser parser;
  ASSERT_EQ(parser.Parse("*0\r\nPING\r\n"), Result::kEmpty);
  EXPECT_EQ(parser.consumed(), 4u);
  EXPECT_FALSE(parser.in_multibulk());
}

TEST(RespParserTest, TheByteAfterEachCrIsNotChecked) {
  // Redis skips two bytes after a header's '\r' and after a body, unchecked.
  EXPECT_EQ(ParseAllWays("*1\rX$4\rYPINGxx*1\r\n$4\r\nPING\r\n"), Commands({{"PING"}, {"PING"}}));
}

TEST(RespParserTest, HeaderWaitsForTheByteAfterCr) {
  EXPECT_EQ(ParseAllWays("*1\r"), Partial({}, 3));
  EXPECT_EQ(ParseAllWays("*1\r\n$4\r"), Partial({}, 7));
  EXPECT_EQ(ParseAllWays("*1\r\n$4\r\nPING\r"), Partial({}, 13));
}

TEST(RespParserTest, InvalidMultibulkLength) {
  for (const std::string count :
       {"", "abc", " 1", "1 ", "+1", "01", "00", "-0", "-", "1x", "0x10", "2147483648",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999", "00000000000000000001", "1.0"}) {
    EXPECT_EQ(ParseAllWays("*" + count + "\r\n"), Error({}, kBadMbulk)) << count;
  }
}

TEST(RespParserTest, MultibulkLengthUpToIntMaxIsAccepted) {
  // Redis 7.0 allows up to INT_MAX (Redis 6.0 stopped at 1024 * 1024).
  for (const std::string count : {"1048576", "1048577", "2147483647"}) {
    RespParser parser;
    EXPECT_EQ(parser.Parse("*" + count + "\r\n"), Result::kNeedMore) << count;
    EXPECT_TRUE(parser.in_multibulk());
  }
}

TEST(RespParserTest, MultibulkLengthLimitIsConfigurable) {
  RespLimits limits;
  limits.max_multibulk_len = 3;
  EXPECT_EQ(ParseAllWays(Multibulk({"a", "b", "c"}), limits), Commands({{"a", "b", "c"}}));
  EXPECT_EQ(ParseAllWays(Multibulk({"a", "b", "c", "d"}), limits), Error({}, kBadMbulk));
}

TEST(RespParserTest, TooBigMbulkCountString) {
  // Without a '\r' Redis waits until more than 64KB are buffered.
  EXPECT_EQ(Drive("*" + std::string(k64K - 1, '1'), {0}), Partial({}, k64K));
  EXPECT_EQ(Drive("*" + std::string(k64K, '1'), {0}), Error({}, kBigMbulk));
  EXPECT_EQ(Drive("*" + std::string(k64K, '1'), {4096}), Error({}, kBigMbulk));
  // A long header line is judged on its value once its '\r' arrives.
  EXPECT_EQ(Drive("*" + std::string(k64K + 10, '1') + "\r\n", {0}), Error({}, kBadMbulk));
}

TEST(RespParserTest, NulByteHidesTheHeaderEnd) {
  // Redis looks for '\r' with strchr(), which stops at a NUL byte.
  EXPECT_EQ(ParseAllWays("*1\0\r\n$4\r\nPING\r\n"s), Partial({}, 15));
  EXPECT_EQ(ParseAllWays("*1\r\n$4\0\r\nPING\r\n"s), Partial({}, 15));
  EXPECT_EQ(Drive("*1\0\r\n"s + std::string(k64K - 4, 'x'), {0}), Error({}, kBigMbulk));
  EXPECT_EQ(Drive("*1\r\n$4\0\r\n"s + std::string(k64K - 5, 'x'), {0}), Partial({}, k64K + 4));
  EXPECT_EQ(Drive("*1\r\n$4\0\r\n"s + std::string(k64K - 4, 'x'), {0}), Error({}, kBigBulk));
  // A NUL after the '\r' does not matter.
  EXPECT_EQ(ParseAllWays("*1\r\0$4\r\nPING\r\n"s), Commands({{"PING"}}));
}

TEST(RespParserTest, ExpectedDollar) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"*1\r\n:4\r\n", "':'"},          {"*1\r\n*1\r\n", "'*'"},
      {"*1\r\nPING\r\n", "'P'"},        {"*1\r\n\x01\r\n", "'\x01'"},
      {"*1\r\n\xff\r\n", "'\xff'"},     {"*1\r\n\r\n", "' '"},  // CR shown as a space.
      {"*1\r\n\n\r\n", "' '"},          {"*2\r\n$1\r\na\r\n+b\r\n", "'+'"},
      {"*1\r\n $4\r\nPING\r\n", "' '"},
  };
  for (const auto& [input, got] : cases) {
    EXPECT_EQ(ParseAllWays(input), Error({}, "ERR Protocol error: expected '$', got " + got))
        << testing::PrintToString(input);
  }
}

TEST(RespParserTest, InvalidBulkLength) {
  for (const std::string len :
       {"", "-1", "-0", "-10", "01", "+1", " 1", "1 ", "abc", "4x", "536870913",
        "9223372036854775807", "9223372036854775808", "99999999999999999999999"}) {
    EXPECT_EQ(ParseAllWays("*1\r\n$" + len + "\r\n"), Error({}, kBadBulk)) << len;
  }
}

TEST(RespParserTest, BulkLengthUpToProtoMaxBulkLenIsAccepted) {
  RespParser parser;
  ASSERT_EQ(parser.Parse("*1\r\n$536870912\r\nab"), Result::kNeedMore);
  EXPECT_EQ(parser.bytes_wanted(), 536870912u);  // The body and CRLF, less "ab".
}

TEST(RespParserTest, BulkLengthLimitIsConfigurable) {
  RespLimits limits;
  limits.max_bulk_len = 10;
  EXPECT_EQ(ParseAllWays(Multibulk({std::string(10, 'x')}), limits),
            Commands({{std::string(10, 'x')}}));
  EXPECT_EQ(ParseAllWays(Multibulk({std::string(11, 'x')}), limits), Error({}, kBadBulk));
}

TEST(RespParserTest, TooBigBulkCountString) {
  const std::string prefix = "*2\r\n$4\r\nECHO\r\n";
  EXPECT_EQ(Drive(prefix + "$" + std::string(k64K - 1, '1'), {0}),
            Partial({}, prefix.size() + k64K));
  EXPECT_EQ(Drive(prefix + "$" + std::string(k64K, '1'), {0}), Error({}, kBigBulk));
  // The limit is checked before the '$'.
  EXPECT_EQ(Drive("*1\r\n" + std::string(k64K, 'X'), {0}), Partial({}, k64K + 4));
  EXPECT_EQ(Drive("*1\r\n" + std::string(k64K + 1, 'X'), {0}), Error({}, kBigBulk));
  EXPECT_EQ(Drive("*1\r\n" + std::string(k64K + 1, 'X'), {1000}), Error({}, kBigBulk));
}

TEST(RespParserTest, CustomLineLimit) {
  RespLimits limits;
  limits.max_inline_len = 8;
  EXPECT_EQ(Drive("*12345678", {0}, limits), Error({}, kBigMbulk));
  EXPECT_EQ(Drive("*1234567", {0}, limits), Partial({}, 8));
  EXPECT_EQ(Drive("PINGPINGP", {0}, limits), Error({}, kBigInline));
}

TEST(RespParserTest, BytesWanted) {
  RespParser parser;
  EXPECT_EQ(parser.Parse("*2\r\n$3"), Result::kNeedMore);
  EXPECT_EQ(parser.bytes_wanted(), 0u);  // Length not known yet.
  const std::string input = "*2\r\n$3\r\nGET\r\n$100\r\nab";
  EXPECT_EQ(parser.Parse(input), Result::kNeedMore);
  EXPECT_EQ(parser.bytes_wanted(), 100u);  // 98 bytes of body and the CRLF.
  const std::string full = input + std::string(98, 'c') + "\r\n";
  EXPECT_EQ(parser.Parse(std::string_view(full).substr(0, 120)), Result::kNeedMore);
  EXPECT_EQ(parser.bytes_wanted(), 1u);
  ASSERT_EQ(parser.Parse(full), Result::kCommand);
  EXPECT_EQ(parser.consumed(), 121u);
  EXPECT_EQ(parser.argv()[1], "ab" + std::string(98, 'c'));
}

TEST(RespParserTest, BigBulkArrivesInPieces) {
  std::string value(1 << 20, '\0');
  for (size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>(i * 131);
  const std::string input = Multibulk({"SET", "big", value});
  RespParser parser;
  std::string buf;
  size_t fed = 0;
  Result r = Result::kNeedMore;
  while (r == Result::kNeedMore && fed < input.size()) {
    const size_t n = std::min<size_t>(4096, input.size() - fed);
    buf.append(input, fed, n);
    fed += n;
    r = parser.Parse(buf);
    if (r == Result::kNeedMore) {
      EXPECT_EQ(parser.bytes_wanted(), input.size() - buf.size());
    }
  }
  ASSERT_EQ(r, Result::kCommand);
  EXPECT_EQ(fed, input.size());
  EXPECT_EQ(parser.argv()[2], value);
}

TEST(RespParserTest, BufferMayMoveBetweenCalls) {
  RespParser parser;
  const std::string input = Multibulk({"SET", "key", "value"});
  std::string first = input.substr(0, 20);
  ASSERT_EQ(parser.Parse(first), Result::kNeedMore);
  std::string second = input;  // Another allocation with the same bytes.
  first.assign(first.size(), '#');
  ASSERT_EQ(parser.Parse(second), Result::kCommand);
  EXPECT_EQ(Argv(parser.argv().begin(), parser.argv().end()), (Argv{"SET", "key", "value"}));
  EXPECT_GE(parser.argv()[0].data(), second.data());
  EXPECT_LT(parser.argv()[2].data(), second.data() + second.size());
}

TEST(RespParserTest, UnauthenticatedLimits) {
  RespLimits limits;
  auto drive_unauth = [&](const std::string& input) {
    RespParser parser(limits);
    parser.set_auth_required(true);
    Result r = parser.Parse(input);
    return r == Result::kError ? parser.error() : std::string(r == Result::kCommand ? "cmd" : "");
  };
  EXPECT_EQ(drive_unauth(Multibulk(Argv(10, "a"))), "cmd");
  EXPECT_EQ(drive_unauth("*11\r\n"), "ERR Protocol error: unauthenticated multibulk length");
  EXPECT_EQ(drive_unauth(Multibulk({"AUTH", std::string(16384, 'p')})), "cmd");
  EXPECT_EQ(drive_unauth("*1\r\n$16385\r\n"), "ERR Protocol error: unauthenticated bulk length");
  // Redis checks the general limits first.
  EXPECT_EQ(drive_unauth("*2147483648\r\n"), kBadMbulk);
  EXPECT_EQ(drive_unauth("*1\r\n$536870913\r\n"), kBadBulk);
  // Inline commands are bounded by the line limit only.
  EXPECT_EQ(drive_unauth("a b c d e f g h i j k l " + std::string(20000, 'x') + "\n"), "cmd");
  // Authenticated again: the usual limits.
  RespParser parser;
  parser.set_auth_required(true);
  parser.set_auth_required(false);
  EXPECT_EQ(parser.Parse("*11\r\n"), Result::kNeedMore);
}

TEST(RespParserTest, InMultibulk) {
  RespParser parser;
  EXPECT_FALSE(parser.in_multibulk());
  EXPECT_EQ(parser.Parse("*2"), Result::kNeedMore);
  EXPECT_FALSE(parser.in_multibulk());  // The header is not read yet.
  EXPECT_EQ(parser.Parse("*2\r\n$3\r\nGE"), Result::kNeedMore);
  EXPECT_TRUE(parser.in_multibulk());
  EXPECT_EQ(parser.Parse("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"), Result::kCommand);
  EXPECT_FALSE(parser.in_multibulk());
  EXPECT_EQ(parser.Parse("PIN"), Result::kNeedMore);
  EXPECT_FALSE(parser.in_multibulk());
}

TEST(RespParserTest, ErrorComesAfterTheGoodCommandsBeforeIt) {
  EXPECT_EQ(ParseAllWays("*1\r\n$4\r\nPING\r\nPING\r\n*x\r\n*1\r\n$4\r\nPING\r\n"),
            Error({{"PING"}, {"PING"}}, kBadMbulk));
}

TEST(RespParserTest, ErrorEndsTheMultibulk) {
  RespParser parser;
  ASSERT_EQ(parser.Parse("*2\r\n$1\r\na\r\n$x\r\n"), Result::kError);
  EXPECT_EQ(parser.error(), kBadBulk);
  EXPECT_FALSE(parser.in_multibulk());
}

TEST(RespParserTest, ResetDropsAPartialCommand) {
  RespParser parser;
  ASSERT_EQ(parser.Parse("*3\r\n$3\r\nSET\r\n$1\r\n"), Result::kNeedMore);
  parser.Reset();
  EXPECT_FALSE(parser.in_multibulk());
  ASSERT_EQ(parser.Parse("*1\r\n$4\r\nPING\r\n"), Result::kCommand);
  EXPECT_EQ(parser.argv().size(), 1u);
  EXPECT_EQ(parser.argv()[0], "PING");
}

TEST(RespParserTest, SteadyStateReusesArgvStorage) {
  RespParser parser;
  const std::string input = Multibulk({"SET", "key", std::string(100, 'v')});
  ASSERT_EQ(parser.Parse(input), Result::kCommand);
  const std::string_view* storage = parser.argv().data();
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(parser.Parse(input), Result::kCommand);
    EXPECT_EQ(parser.argv().data(), storage);
  }
}

// ------------------------------------------------------------------- inline

TEST(RespParserTest, InlineCommands) {
  EXPECT_EQ(ParseAllWays("PING\r\n"), Commands({{"PING"}}));
  EXPECT_EQ(ParseAllWays("PING\n"), Commands({{"PING"}}));
  EXPECT_EQ(ParseAllWays("  SET \t key   value \r\n"), Commands({{"SET", "key", "value"}}));
  // A line need not be a valid RESP type: "$4" and "+PING" are words.
  EXPECT_EQ(ParseAllWays("$4\r\n+PING\n:1\n"), Commands({{"$4"}, {"+PING"}, {":1"}}));
  RespParser parser;
  ASSERT_EQ(parser.Parse("GET k\r\nrest"), Result::kCommand);
  EXPECT_EQ(parser.consumed(), 7u);
}

TEST(RespParserTest, InlineEmptyLinesAreSkipped) {
  EXPECT_EQ(ParseAllWays("\r\n\n   \t\r\n\v\f\nPING\n"), Commands({{"PING"}}, 4));
  RespParser parser;
  ASSERT_EQ(parser.Parse("\r\nPING\r\n"), Result::kEmpty);
  EXPECT_EQ(parser.consumed(), 2u);
}

TEST(RespParserTest, InlineOnlyCrBeforeLfIsDropped) {
  // A lone '\r' inside the line ends a word, as any space does.
  EXPECT_EQ(ParseAllWays("PING\rX\n"), Commands({{"PING", "X"}}));
  EXPECT_EQ(ParseAllWays("PING\r\r\n"), Commands({{"PING"}}));
  EXPECT_EQ(ParseAllWays("\r\n"), Commands({}, 1));
}

TEST(RespParserTest, InlineDoubleQuotes) {
  EXPECT_EQ(ParseAllWays("SET \"hello world\" \"\"\r\n"), Commands({{"SET", "hello world", ""}}));
  EXPECT_EQ(ParseAllWays(R"(ECHO "\n\r\t\b\a\\\"\'\q\ ")"
                         "\n"),
            Commands({{"ECHO", "\n\r\t\b\a\\\"'q "}}));
  // A quote inside a word opens a quoted part of the same word.
  EXPECT_EQ(ParseAllWays("ECHO a\"b c\"\n"), Commands({{"ECHO", "ab c"}}));
  EXPECT_EQ(ParseAllWays("ECHO \"a'b\"\n"), Commands({{"ECHO", "a'b"}}));
  // Raw control bytes inside quotes are kept, a tab included.
  EXPECT_EQ(ParseAllWays("ECHO \"a\tb\rc\"\n"), Commands({{"ECHO", "a\tb\rc"}}));
}

TEST(RespParserTest, InlineHexEscapes) {
  EXPECT_EQ(ParseAllWays(R"(ECHO "\x41\x4a\x4A\xff\x00z")"
                         "\n"),
            Commands({{"ECHO", "AJJ\xff\0z"s}}));
  // Without two hex digits "\x" is an ordinary escape of 'x'.
  EXPECT_EQ(ParseAllWays(R"(ECHO "\x4g" "\xZZ" "\x" "\x4")"
                         "\n"),
            Commands({{"ECHO", "x4g", "xZZ", "x", "x4"}}));
  // Outside quotes a backslash is just a byte.
  EXPECT_EQ(ParseAllWays(R"(ECHO \x41\n)"
                         "\n"),
            Commands({{"ECHO", R"(\x41\n)"}}));
}

TEST(RespParserTest, InlineSingleQuotes) {
  EXPECT_EQ(ParseAllWays(R"(ECHO 'a\'b' 'c\nd' 'e\\f' '' 'g"h')"
                         "\n"),
            Commands({{"ECHO", "a'b", R"(c\nd)", R"(e\\f)", "", "g\"h"}}));
}

TEST(RespParserTest, InlineEmptyQuotedArgumentsAreKept) {
  EXPECT_EQ(ParseAllWays("ECHO \"\"\r\n"), Commands({{"ECHO", ""}}));
  EXPECT_EQ(ParseAllWays("\"\"\r\n"), Commands({{""}}));
  EXPECT_EQ(ParseAllWays("'' ''\n"), Commands({{"", ""}}));
}

TEST(RespParserTest, InlineClosingQuoteMustBeFollowedBySpace) {
  // isspace(): '\v' and '\f' count after a quote and between words...
  EXPECT_EQ(ParseAllWays("ECHO \"a\"\tb\n"), Commands({{"ECHO", "a", "b"}}));
  EXPECT_EQ(ParseAllWays("ECHO \"a\"\vb\n"), Commands({{"ECHO", "a", "b"}}));
  EXPECT_EQ(ParseAllWays("ECHO 'a'\fb\n"), Commands({{"ECHO", "a", "b"}}));
  EXPECT_EQ(ParseAllWays("ECHO \"a\"\rb\n"), Commands({{"ECHO", "a", "b"}}));
  EXPECT_EQ(ParseAllWays("\v\fECHO\v a\n"), Commands({{"ECHO\v", "a"}}));
  // ...but inside an unquoted word only ' ', '\t', '\r' end it.
  EXPECT_EQ(ParseAllWays("ECHO a\vb\fc\n"), Commands({{"ECHO", "a\vb\fc"}}));
}

TEST(RespParserTest, InlineUnbalancedQuotes) {
  for (const std::string line :
       {"ECHO \"abc", "ECHO 'abc", "ECHO \"a\"b", "ECHO 'a'b", "ECHO a\"b\"c", "ECHO \"a\\\"",
        "ECHO \"abc\\", "\"", "'", "ECHO \"a\"\"b\"", "ECHO 'a\\'", "ECHO \"\\x4", "\"a\" \"b"}) {
    for (const std::string end : {"\n", "\r\n"}) {
      EXPECT_EQ(ParseAllWays(line + end), Error({}, kQuotes)) << line;
    }
  }
  EXPECT_EQ(ParseAllWays("PING\nECHO \"a\nPING\n"), Error({{"PING"}}, kQuotes));
}

TEST(RespParserTest, InlineHighBytes) {
  EXPECT_EQ(ParseAllWays("\xff\xfe \x80\"\xc3\xa9\"\n"), Commands({{"\xff\xfe", "\x80\xc3\xa9"}}));
}

TEST(RespParserTest, InlineNulByteHidesTheNewline) {
  EXPECT_EQ(ParseAllWays("PING\0\r\n"s), Partial({}, 7));
  EXPECT_EQ(Drive("PING\0"s + std::string(k64K - 4, 'a'), {0}), Error({}, kBigInline));
  EXPECT_EQ(Drive("PING\0"s + std::string(k64K - 5, 'a'), {0}), Partial({}, k64K));
  // After the newline a NUL is the next command's business.
  EXPECT_EQ(ParseAllWays("PING\n\0"s), Partial({{"PING"}}, 1));
}

TEST(RespParserTest, TooBigInlineRequest) {
  EXPECT_EQ(Drive(std::string(k64K, 'P'), {0}), Partial({}, k64K));
  EXPECT_EQ(Drive(std::string(k64K + 1, 'P'), {0}), Error({}, kBigInline));
  EXPECT_EQ(Drive(std::string(k64K + 1, 'P'), {16384}), Error({}, kBigInline));
  // Only a buffer without a newline is refused: a long line that arrived
  // whole is a command, as in Redis.
  EXPECT_EQ(Drive(std::string(70000, 'P') + "\n", {0}), Commands({{std::string(70000, 'P')}}));
}

TEST(RespParserTest, InlineAndMultibulkPipelined) {
  EXPECT_EQ(ParseAllWays("PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nECHO 'x y'\n*0\r\n\nGET k\n"),
            Commands({{"PING"}, {"ECHO", "hi"}, {"ECHO", "x y"}, {"GET", "k"}}, 2));
}

TEST(RespParserTest, InlineArgvStaysValidUntilTheNextParse) {
  RespParser parser;
  std::string input = "SET \"a b\" c\r\n";
  ASSERT_EQ(parser.Parse(input), Result::kCommand);
  input.assign(input.size(), '#');
  EXPECT_EQ(Argv(parser.argv().begin(), parser.argv().end()), (Argv{"SET", "a b", "c"}));
}

// -------------------------------------------------------------- consistency

// Random bytes rich in protocol characters: every chunking agrees, and
// nothing reads out of bounds (under ASan).
TEST(RespParserTest, RandomInputsParseTheSameInAnyChunking) {
  const std::string alphabet = "ax410-\"'\\ \t\v\f\r\n*$\xffn"s + '\0';
  std::mt19937 rng(12345);
  for (int iter = 0; iter < 3000; ++iter) {
    std::string input;
    const int parts = static_cast<int>(rng() % 4) + 1;
    for (int p = 0; p < parts; ++p) {
      if (rng() % 2 == 0) {
        Argv argv(rng() % 4, "");
        for (std::string& a : argv) {
          for (size_t n = rng() % 5; n > 0; --n) a += alphabet[rng() % alphabet.size()];
        }
        input += Multibulk(argv);
      } else {
        for (size_t n = rng() % 30 + 1; n > 0; --n) input += alphabet[rng() % alphabet.size()];
      }
    }
    if (rng() % 2 == 0 && !input.empty())
      input[rng() % input.size()] = alphabet[rng() % alphabet.size()];
    ParseAllWays(input);
  }
}

}  // namespace
}  // namespace strata::server
