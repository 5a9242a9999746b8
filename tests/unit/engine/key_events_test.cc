// The keyspace events KeyAccess records into OpContext::key_events: "new"
// when a key is created, "expired" when a writer finds its key expired,
// "keymiss" when a reader finds none, a held "del" for a key an operation
// left empty; nothing at all when the log pointer is null.
#include "engine/key_events.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/list_ops.h"
#include "engine/string_ops.h"
#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

class KeyEventsTest : public EngineFixture {
 protected:
  // `op` with the test's log attached.
  OpContext Logged(uint64_t now_ms = 0) {
    OpContext op = now_ms == 0 ? Op() : OpAt(now_ms);
    op.key_events = &log_;
    return op;
  }
  std::vector<std::string> Names() {  // and clears the log
    std::vector<std::string> out;
    for (const auto& e : log_.events) {
      out.push_back(std::string(e.event) + ":" + e.key + (e.held ? "(held)" : ""));
    }
    log_.clear();
    return out;
  }
  KeyEventLog log_;
};

using Events = std::vector<std::string>;

TEST_F(KeyEventsTest, NewOnlyWhenAKeyIsCreated) {
  OpContext op = Logged();
  ASSERT_TRUE(SetString(*engine_, op, "k", "v", {}).ok());
  ASSERT_TRUE(SetString(*engine_, op, "k", "w", {}).ok());
  EXPECT_EQ(Names(), (Events{"new:k"}));
  OpContext quiet = Op();  // no log: nothing recorded, nothing breaks
  ASSERT_TRUE(SetString(*engine_, quiet, "other", "v", {}).ok());
  EXPECT_TRUE(log_.empty());
}

TEST_F(KeyEventsTest, WriterOfAnExpiredKeyRaisesExpiredThenNew) {
  uint64_t now = NowMs();
  OpContext op = OpAt(now);
  SetOptions ttl;
  ttl.expire_at_ms = now + 10;
  ASSERT_TRUE(SetString(*engine_, op, "k", "v", ttl).ok());
  OpContext later = Logged(now + 20);
  ASSERT_TRUE(SetString(*engine_, later, "k", "w", {}).ok());
  EXPECT_EQ(Names(), (Events{"expired:k", "new:k"}));
}

TEST_F(KeyEventsTest, ReaderMissRaisesKeymiss) {
  OpContext op = Logged();
  EXPECT_TRUE(GetString(*engine_, op, "nope").status().IsNotFound());
  EXPECT_EQ(Names(), (Events{"keymiss:nope"}));
}

TEST_F(KeyEventsTest, EmptiedListRaisesHeldDel) {
  OpContext op = Op();
  std::string_view one[] = {"a"};
  ASSERT_TRUE(ListPush(*engine_, op, "l", ListEnd::kLeft, one, false).ok());
  OpContext logged = Logged();
  ASSERT_TRUE(ListPop(*engine_, logged, "l", ListEnd::kLeft, 1).ok());
  EXPECT_EQ(log_.held, 1u);
  EXPECT_EQ(Names(), (Events{"del:l(held)"}));
}

}  // namespace
}  // namespace strata::engine
