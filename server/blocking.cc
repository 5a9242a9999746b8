// The registry of blocked clients and the serving pass; see blocking.h.
#include "server/blocking.h"

#include <asio.hpp>
#include <cmath>

#include "common/numbers.h"
#include "engine/engine.h"
#include "server/client_state.h"
#include "server/command_table.h"
#include "server/dispatcher.h"
#include "server/errors.h"
#include "server/server.h"
#include "server/server_runtime.h"

namespace strata::server {

struct BlockedClients::Waiter {
  enum class State : unsigned char { kWaiting, kRetrying, kDone };
  uint64_t client_id = 0;
  uint64_t seq = 0;  // blocking order
  int db = 0;
  std::vector<std::string> keys;
  bool has_timeout = false;
  std::weak_ptr<BlockedTarget> target;
  State state = State::kWaiting;
  std::optional<UnblockReason> unblock;  // asked for during a retry
};

std::shared_ptr<BlockedClients::Waiter> BlockedClients::Block(uint64_t client_id, int db,
                                                              std::span<const std::string> keys,
                                                              bool has_timeout,
                                                              std::weak_ptr<BlockedTarget> target) {
  auto w = std::make_shared<Waiter>();
  w->client_id = client_id;
  w->db = db;
  w->has_timeout = has_timeout;
  w->target = std::move(target);
  for (const std::string& k : keys) {
    if (std::find(w->keys.begin(), w->keys.end(), k) == w->keys.end()) w->keys.push_back(k);
  }
  std::lock_guard lock(mu_);
  w->seq = next_seq_++;
  for (const std::string& k : w->keys) {
    keys_[engine::ReadyKeys::Key{db, k}].waiters.push_back(w);
    ready_.AddInterest(db, k);
  }
  clients_[client_id] = w;
  with_timeout_ += has_timeout ? 1 : 0;
  // The re-check that closes the window between the command's look at its
  // keys and this registration (engine/ready_keys.h, "No lost wake-up").
  for (const std::string& k : w->keys) ready_.Signal(db, k);
  return w;
}

void BlockedClients::RemoveLocked(Waiter& w) {
  for (const std::string& k : w.keys) {
    auto it = keys_.find(engine::ReadyKeys::Key{w.db, k});
    if (it == keys_.end()) continue;
    auto& list = it->second.waiters;
    std::erase_if(list, [&](const std::shared_ptr<Waiter>& x) { return x.get() == &w; });
    if (list.empty() && !it->second.serving) keys_.erase(it);
    ready_.RemoveInterest(w.db, k);
  }
  auto c = clients_.find(w.client_id);
  if (c != clients_.end() && c->second.get() == &w) clients_.erase(c);
  with_timeout_ -= w.has_timeout ? 1 : 0;
  w.state = Waiter::State::kDone;
}

bool BlockedClients::Unblock(const std::shared_ptr<Waiter>& w, UnblockReason reason) {
  std::unique_lock lock(mu_);
  if (w->state == Waiter::State::kDone) return false;
  if (w->state == Waiter::State::kRetrying) {
    if (!w->unblock) w->unblock = reason;  // applied when the retry ends unserved
    return true;
  }
  RemoveLocked(*w);
  lock.unlock();
  if (auto target = w->target.lock()) target->WakeBlocked(false, reason);
  return true;
}

bool BlockedClients::UnblockClient(uint64_t client_id, UnblockReason reason) {
  std::shared_ptr<Waiter> w;
  {
    std::lock_guard lock(mu_);
    auto it = clients_.find(client_id);
    if (it == clients_.end()) return false;
    w = it->second;
  }
  return Unblock(w, reason);
}

bool BlockedClients::ServeReady(bool may_block) {
  std::vector<engine::ReadyKeys::Key> retry_on_pool;
  for (auto keys = ready_.Take(); !keys.empty(); keys = ready_.Take()) {
    for (const auto& key : keys) {
      if (!ServeKey(key, may_block)) retry_on_pool.push_back(key);
    }
  }
  for (const auto& key : retry_on_pool) ready_.Signal(key.db, key.key);
  return !retry_on_pool.empty();
}

bool BlockedClients::ServeKey(const engine::ReadyKeys::Key& key, bool may_block) {
  std::unique_lock lock(mu_);
  auto it = keys_.find(key);
  if (it == keys_.end()) return true;
  KeyWaiters& kw = it->second;  // stable: erased only by us while `serving`
  if (kw.serving) {
    kw.again = true;
    return true;
  }
  kw.serving = true;
  bool done_inline = true;
  do {
    kw.again = false;
    uint64_t last_seq = 0;
    while (true) {
      std::shared_ptr<Waiter> w;
      for (const auto& x : kw.waiters) {
        if (x->seq > last_seq && x->state == Waiter::State::kWaiting) {
          w = x;
          break;
        }
      }
      if (w == nullptr) break;
      last_seq = w->seq;
      auto target = w->target.lock();
      if (target == nullptr) continue;  // its connection is closing: Close unblocks it
      w->state = Waiter::State::kRetrying;
      lock.unlock();
      RetryOutcome r = target->RetryBlocked(key.key, may_block);
      lock.lock();
      if (r == RetryOutcome::kServed) {
        RemoveLocked(*w);
        lock.unlock();
        target->WakeBlocked(true, UnblockReason::kTimeout);
        lock.lock();
        continue;
      }
      w->state = Waiter::State::kWaiting;
      if (w->unblock) {
        UnblockReason reason = *w->unblock;
        RemoveLocked(*w);
        lock.unlock();
        target->WakeBlocked(false, reason);
        lock.lock();
      }
      if (r == RetryOutcome::kWouldBlock) {
        done_inline = false;
        break;
      }
      if (r == RetryOutcome::kKeepKeyAbsent) break;
    }
  } while (kw.again && done_inline);
  kw.serving = false;
  if (kw.waiters.empty()) keys_.erase(key);
  return done_inline;
}

size_t BlockedClients::blocked() const {
  std::lock_guard lock(mu_);
  return clients_.size();
}

size_t BlockedClients::with_timeout() const {
  std::lock_guard lock(mu_);
  return with_timeout_;
}

void ServeReadyKeys(Server& server, bool may_block) {
  if (!server.engine().ready_keys().pending()) return;
  if (!server.blocking().ServeReady(may_block)) return;
  Server* s = &server;
  asio::post(*server.runtime().workers, [s] { ServeReadyKeys(*s, true); });
}

RetryOutcome RetryBlockedCommand(Server& server, ClientState& client, const CommandEntry& cmd,
                                 std::span<const std::string> argv, std::string_view key,
                                 bool may_block, std::string* out, uint64_t* write_seq) {
  std::vector<std::string_view> views(argv.begin(), argv.end());
  size_t mark = out->size();
  ReplyBuilder reply(out);
  reply.set_protocol(client.protocol);
  CommandContext ctx;
  ctx.argv = views;
  ctx.command = &cmd;
  ctx.reply = &reply;
  ctx.client = &client;
  ctx.server = &server;
  ctx.mode = may_block ? ExecMode::kBlocking : ExecMode::kInline;
  ctx.op.db = client.db;
  ctx.op.client_id = client.id;
  ctx.op.may_block = may_block;
  ctx.op.now_ms = engine::NowMs();
  ctx.wake_key = key;
  // Dispatch is not on this path: raise the served command's keyspace
  // events here, as Redis does when it serves the client.
  size_t first_event = BeginKeyEvents(ctx);
  cmd.handler(ctx);
  if (ctx.retry_blocking || ctx.block) {
    out->resize(mark);  // and ctx.events dropped: a later serving raises them
    if (ctx.retry_blocking) return may_block ? RetryOutcome::kKeep : RetryOutcome::kWouldBlock;
    return ctx.block->key_absent ? RetryOutcome::kKeepKeyAbsent : RetryOutcome::kKeep;
  }
  EndKeyEvents(ctx, first_event);
  *write_seq = std::max(*write_seq, ctx.op.write_seq);
  return RetryOutcome::kServed;
}

bool ParseBlockTimeout(CommandContext& ctx, std::string_view arg, uint64_t* timeout_ms) {
  long double seconds;
  if (!ParseLongDouble(arg, &seconds)) {
    ctx.ReplyError(errors::kTimeoutNotFloat);
    return false;
  }
  long double ms = std::ceil(seconds * 1000.0L);
  // (long long) of an out-of-range value is LLONG_MIN on the machines Redis
  // runs on: "timeout is negative".
  constexpr long double kLimit = 9223372036854775808.0L;
  if (!(ms >= -kLimit && ms < kLimit) || ms < 0) {
    ctx.ReplyError(errors::kTimeoutNegative);
    return false;
  }
  *timeout_ms = static_cast<uint64_t>(ms);
  return true;
}

}  // namespace strata::server
