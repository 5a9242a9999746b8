// notify-keyspace-events: flag letters and their canonical form (as Redis's
// keyspaceEventsStringToFlags / keyspaceEventsFlagsToString), and how
// AppendKeyEvent places the engine's held events after the handler's.
#include "server/keyspace_events.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace strata::server {
namespace {

using namespace engine;  // NOLINT: the kNotify* bits

std::string Canonical(std::string_view letters) {
  auto flags = ParseKeyspaceEventFlags(letters);
  EXPECT_TRUE(flags.has_value()) << letters;
  return FormatKeyspaceEventFlags(flags.value_or(0));
}

TEST(KeyspaceEventFlags, ParseEveryLetter) {
  EXPECT_EQ(*ParseKeyspaceEventFlags(""), 0u);
  EXPECT_EQ(*ParseKeyspaceEventFlags("KE"), kNotifyKeyspace | kNotifyKeyevent);
  EXPECT_EQ(*ParseKeyspaceEventFlags("g$lshzxetmdn"),
            kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet | kNotifyHash | kNotifyZset |
                kNotifyExpired | kNotifyEvicted | kNotifyStream | kNotifyKeyMiss | kNotifyModule |
                kNotifyNew);
  EXPECT_EQ(*ParseKeyspaceEventFlags("A"), kNotifyAll);
  EXPECT_EQ(kNotifyAll & (kNotifyKeyMiss | kNotifyNew), 0u);  // A leaves out m and n
  for (std::string_view bad : {"a", "k", "e ", "*", "KEL", "Q"}) {
    EXPECT_FALSE(ParseKeyspaceEventFlags(bad).has_value()) << bad;
  }
}

TEST(KeyspaceEventFlags, CanonicalFormAsRedis) {
  EXPECT_EQ(Canonical(""), "");
  EXPECT_EQ(Canonical("KEA"), "AKE");
  EXPECT_EQ(Canonical("g$lshzxetd"), "A");
  EXPECT_EQ(Canonical("AnmKE"), "AKEm");  // n is kept but not shown next to A
  EXPECT_EQ(Canonical("nmK"), "nKm");
  EXPECT_EQ(Canonical("EKhg"), "ghKE");
  EXPECT_EQ(Canonical("$lshzxetdn"), "$lshzxetdn");
  EXPECT_EQ(Canonical("zz"), "z");
}

std::vector<std::string> Names(const KeyEventLog& log) {
  std::vector<std::string> out;
  for (const auto& e : log.events) out.push_back(std::string(e.event) + ":" + e.key);
  return out;
}

TEST(AppendKeyEvent, HeldDelFollowsTheHandlersEventForItsKey) {
  // LMOVE src dst emptying src: the engine raised "del" src (held) and "new"
  // dst; the handler raises "lpush" dst, then "lpop" src.
  KeyEventLog log;
  log.Add({kNotifyGeneric, "del", 0, "src", /*held=*/true});
  log.Add({kNotifyNew, "new", 0, "dst"});
  AppendKeyEvent(log, kNotifyList, "lpush", "dst", 0);
  EXPECT_EQ(log.held, 1u);
  AppendKeyEvent(log, kNotifyList, "lpop", "src", 0);
  EXPECT_EQ(Names(log), (std::vector<std::string>{"new:dst", "lpush:dst", "lpop:src", "del:src"}));
  EXPECT_EQ(log.held, 0u);
  EXPECT_FALSE(log.events.back().held);
}

TEST(AppendKeyEvent, HeldEventsOfAnotherDatabaseStay) {
  KeyEventLog log;
  log.Add({kNotifyGeneric, "del", 1, "k", /*held=*/true});
  AppendKeyEvent(log, kNotifyList, "lpop", "k", 0);
  EXPECT_EQ(Names(log), (std::vector<std::string>{"del:k", "lpop:k"}));
  EXPECT_EQ(log.held, 1u);
}

}  // namespace
}  // namespace strata::server
