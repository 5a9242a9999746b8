// BlockedClients (server/blocking.h) with fake clients: FIFO service, the
// end of a pass on an absent key, unblocking (also during a retry), the
// re-signal of a retry that needs the blocking pool, and the counters.
#include "server/blocking.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace strata::server {
namespace {

// A "list" per key: a number of elements. A fake client takes one per serve.
struct World {
  std::map<std::string, int> elements;
  std::vector<std::string> log;  // "<name> served from <key>", "<name> woken: <reason>"
};

class FakeClient : public BlockedTarget {
 public:
  FakeClient(World& world, std::string name) : world_(world), name_(std::move(name)) {}
  RetryOutcome RetryBlocked(std::string_view key, bool may_block) override {
    ++retries;
    if (during_retry) during_retry();
    if (needs_pool && !may_block) return RetryOutcome::kWouldBlock;
    auto it = world_.elements.find(std::string(key));
    if (it == world_.elements.end()) return RetryOutcome::kKeepKeyAbsent;
    if (--it->second == 0) world_.elements.erase(it);
    world_.log.push_back(name_ + " served from " + std::string(key));
    return RetryOutcome::kServed;
  }
  void WakeBlocked(bool served, UnblockReason reason) override {
    if (served) return;
    world_.log.push_back(name_ +
                         " woken: " + (reason == UnblockReason::kTimeout ? "timeout" : "error"));
  }
  int retries = 0;
  bool needs_pool = false;
  std::function<void()> during_retry;

 private:
  World& world_;
  std::string name_;
};

class BlockingTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeClient> Client(const std::string& name) {
    return std::make_shared<FakeClient>(world_, name);
  }
  std::shared_ptr<BlockedClients::Waiter> Block(uint64_t id, std::shared_ptr<FakeClient> c,
                                                std::vector<std::string> keys,
                                                bool timeout = false) {
    auto w = registry_.Block(id, 0, keys, timeout, c);
    registry_.ServeReady(true);  // the registration's re-check
    return w;
  }
  void Push(const std::string& key, int n) {
    world_.elements[key] += n;
    ready_.Signal(0, key);
    registry_.ServeReady(true);
  }

  World world_;
  engine::ReadyKeys ready_;
  BlockedClients registry_{ready_};
};

TEST_F(BlockingTest, ServesInBlockingOrderAndStopsWhenTheKeyIsGone) {
  auto a = Client("a"), b = Client("b"), c = Client("c");
  Block(1, a, {"q"});
  Block(2, b, {"q"});
  Block(3, c, {"q"});
  EXPECT_EQ(registry_.blocked(), 3u);
  Push("q", 2);
  EXPECT_EQ(world_.log, (std::vector<std::string>{"a served from q", "b served from q"}));
  EXPECT_EQ(c->retries, 1);  // once: the key was gone (the re-checks stopped at a)
  EXPECT_EQ(registry_.blocked(), 1u);
  Push("q", 1);
  EXPECT_EQ(world_.log.back(), "c served from q");
  EXPECT_EQ(registry_.blocked(), 0u);
  EXPECT_FALSE(ready_.pending());
}

TEST_F(BlockingTest, AClientOnSeveralKeysIsServedOnceAndLeavesEveryList) {
  auto a = Client("a"), b = Client("b");
  Block(1, a, {"k1", "k2", "k1"});  // duplicates ignored
  Block(2, b, {"k2"});
  Push("k2", 2);
  EXPECT_EQ(world_.log, (std::vector<std::string>{"a served from k2", "b served from k2"}));
  Push("k1", 1);
  EXPECT_EQ(world_.log.size(), 2u);  // nobody waits on k1 any more
  EXPECT_EQ(world_.elements["k1"], 1);
}

TEST_F(BlockingTest, UnblockAndTimeoutCounters) {
  auto a = Client("a"), b = Client("b");
  auto wa = Block(1, a, {"q"}, /*timeout=*/true);
  Block(2, b, {"q"});
  EXPECT_EQ(registry_.with_timeout(), 1u);
  EXPECT_TRUE(registry_.Unblock(wa, UnblockReason::kTimeout));
  EXPECT_FALSE(registry_.Unblock(wa, UnblockReason::kTimeout));
  EXPECT_EQ(registry_.with_timeout(), 0u);
  EXPECT_FALSE(registry_.UnblockClient(1, UnblockReason::kError));
  EXPECT_TRUE(registry_.UnblockClient(2, UnblockReason::kError));
  EXPECT_EQ(world_.log, (std::vector<std::string>{"a woken: timeout", "b woken: error"}));
  EXPECT_EQ(registry_.blocked(), 0u);
}

TEST_F(BlockingTest, UnblockDuringARetryIsAppliedWhenItEndsUnserved) {
  auto a = Client("a");
  Block(1, a, {"q"});
  a->during_retry = [&] { EXPECT_TRUE(registry_.UnblockClient(1, UnblockReason::kTimeout)); };
  world_.elements["other"] = 1;
  ready_.Signal(0, "q");  // signaled, but q holds nothing
  registry_.ServeReady(true);
  EXPECT_EQ(world_.log, (std::vector<std::string>{"a woken: timeout"}));
  EXPECT_EQ(registry_.blocked(), 0u);
}

TEST_F(BlockingTest, UnblockDuringARetryThatServesIsIgnored) {
  auto a = Client("a");
  Block(1, a, {"q"});
  a->during_retry = [&] { registry_.UnblockClient(1, UnblockReason::kError); };
  Push("q", 1);
  EXPECT_EQ(world_.log, (std::vector<std::string>{"a served from q"}));
}

TEST_F(BlockingTest, ARetryThatNeedsThePoolResignalsItsKey) {
  auto a = Client("a");
  a->needs_pool = true;
  registry_.Block(1, 0, std::vector<std::string>{"q"}, false, a);
  world_.elements["q"] = 1;
  EXPECT_TRUE(registry_.ServeReady(false));  // inline: would block
  EXPECT_TRUE(ready_.pending());
  EXPECT_FALSE(registry_.ServeReady(true));  // the pool's pass
  EXPECT_EQ(world_.log, (std::vector<std::string>{"a served from q"}));
}

TEST_F(BlockingTest, SignalsOnlyKeysSomeoneWaitsOn) {
  ready_.Signal(0, "q");
  EXPECT_FALSE(ready_.pending());
  auto a = Client("a");
  auto w = registry_.Block(1, 0, std::vector<std::string>{"q"}, false, a);
  EXPECT_TRUE(ready_.pending());  // the registration's re-check
  registry_.ServeReady(true);
  ready_.Signal(1, "q");  // another database
  EXPECT_FALSE(ready_.pending());
  registry_.Unblock(w, UnblockReason::kTimeout);
  ready_.Signal(0, "q");
  EXPECT_FALSE(ready_.pending());
}

}  // namespace
}  // namespace strata::server
