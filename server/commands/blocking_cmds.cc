// The blocking list and sorted-set commands: BLPOP, BRPOP, BLMOVE,
// BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP. Each runs as its
// non-blocking form (the same engine calls as list_cmds.cc and
// zset_cmds.cc); when nothing is there it asks to block (server/blocking.h),
// or, inside EXEC, replies as on a timeout. On a wake-up (ctx.wake_key) it
// serves from that key alone, as Redis 7.0's serveClientsBlockedOnListKey /
// ...SortedSetKey do, and stays blocked while the key is empty or of another
// type. Argument checks come in Redis 7.0's order (BLMOVE's directions, then
// the timeout; the others' timeout first).
#include <optional>
#include <string>
#include <vector>

#include "common/numbers.h"
#include "common/text.h"
#include "engine/list_ops.h"
#include "engine/zset_ops.h"
#include "server/blocking.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/commands/list_events.h"
#include "server/commands/zset_args.h"
#include "server/errors.h"
#include "server/server.h"

namespace strata::server {

namespace {

using engine::ListEnd;

// Nothing to serve: block on `keys` (first run) or stay blocked (a wake-up).
void Wait(CommandContext& ctx, std::span<const std::string_view> keys, uint64_t timeout_ms,
          bool key_absent = false) {
  BlockRequest& request = ctx.block.emplace();
  request.keys.assign(keys.begin(), keys.end());
  request.timeout_ms = timeout_ms;
  request.key_absent = key_absent;
}

// A wake-up's engine status that keeps the client blocked: the key is
// absent (kNotFound) or of another type (Redis 7.0 serves only waiters of
// the key's type). Any other error is replied (kWouldBlock: re-run).
bool KeepsBlocked(CommandContext& ctx, const Status& s) {
  if (s.IsNotFound() || s.code() == StatusCode::kWrongType) {
    Wait(ctx, {}, 0, s.IsNotFound());
    return true;
  }
  return false;
}

// The numkeys/keys/direction/COUNT arguments of BLMPOP and BZMPOP, from
// argv[numkeys_at] on (lmpopGenericCommand / zmpopGenericCommand).
struct MPopArgs {
  std::span<const std::string_view> keys;
  bool second = false;  // RIGHT / MAX
  uint64_t count = 1;
};
std::optional<MPopArgs> ParseMPop(CommandContext& ctx, size_t numkeys_at, std::string_view first,
                                  std::string_view second) {
  int64_t numkeys = 0;
  if (!ParseInt64(ctx.argv[numkeys_at], &numkeys) || numkeys <= 0) {
    ctx.ReplyError(errors::kNumkeysNotPositive);
    return std::nullopt;
  }
  size_t where = numkeys_at + 1 + static_cast<size_t>(numkeys);
  if (numkeys >= static_cast<int64_t>(ctx.argv.size()) || where >= ctx.argv.size()) {
    ctx.ReplyError(errors::kSyntax);
    return std::nullopt;
  }
  MPopArgs out;
  out.keys = ctx.argv.subspan(numkeys_at + 1, static_cast<size_t>(numkeys));
  if (EqualsIgnoreCase(ctx.argv[where], second)) {
    out.second = true;
  } else if (!EqualsIgnoreCase(ctx.argv[where], first)) {
    ctx.ReplyError(errors::kSyntax);
    return std::nullopt;
  }
  bool has_count = false;
  for (size_t j = where + 1; j < ctx.argv.size(); ++j) {
    if (!has_count && EqualsIgnoreCase(ctx.argv[j], "count") && j + 1 < ctx.argv.size()) {
      int64_t count = 0;
      if (!ParseInt64(ctx.argv[++j], &count) || count <= 0) {
        ctx.ReplyError(errors::kCountNotPositive);
        return std::nullopt;
      }
      out.count = static_cast<uint64_t>(count);
      has_count = true;
    } else {
      ctx.ReplyError(errors::kSyntax);
      return std::nullopt;
    }
  }
  return out;
}

// BLPOP / BRPOP key [key ...] timeout -> [key, element].
void BlockingPop(CommandContext& ctx, ListEnd end) {
  uint64_t timeout = 0;
  if (!ParseBlockTimeout(ctx, ctx.argv.back(), &timeout)) return;
  auto keys = ctx.argv.subspan(1, ctx.argv.size() - 2);
  std::string_view key;
  std::string element;
  if (ctx.wake_key) {
    auto popped = engine::ListPop(ctx.engine(), ctx.op, *ctx.wake_key, end, 1);
    if (!popped.ok()) {
      if (!KeepsBlocked(ctx, popped.status())) ctx.ReplyStatus(popped.status());
      return;
    }
    key = *ctx.wake_key;
    element = std::move(popped->front());
  } else {
    auto popped = engine::ListMultiPop(ctx.engine(), ctx.op, keys, end, 1);
    if (popped.status().IsNotFound()) {
      if (!MayBlock(ctx)) return ctx.reply->NullArray();
      return Wait(ctx, keys, timeout);
    }
    if (!popped.ok()) return ctx.ReplyStatus(popped.status());
    key = keys[popped->first];
    element = std::move(popped->second.front());
  }
  ctx.Notify(engine::kNotifyList, PopEvent(end), key);
  ctx.reply->ArrayHeader(2);
  ctx.reply->Bulk(key);
  ctx.reply->Bulk(element);
}

void BLPop(CommandContext& ctx) {
  BlockingPop(ctx, ListEnd::kLeft);
}
void BRPop(CommandContext& ctx) {
  BlockingPop(ctx, ListEnd::kRight);
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout, and BRPOPLPUSH:
// the element moved. On a wake-up the source must be a list (else the client
// stays blocked); a destination of another type is a WRONGTYPE reply that
// unblocks it, as in Redis.
void BlockingMove(CommandContext& ctx, ListEnd from, ListEnd to, uint64_t timeout) {
  std::string_view source = ctx.argv[1];
  if (ctx.wake_key) {
    auto length = engine::ListLength(ctx.engine(), ctx.op, source);
    if (!length.ok()) {
      if (!KeepsBlocked(ctx, length.status())) ctx.ReplyStatus(length.status());
      return;
    }
    if (*length == 0) return Wait(ctx, {}, 0, true);
  }
  auto element = engine::ListMove(ctx.engine(), ctx.op, source, ctx.argv[2], from, to);
  if (element.status().IsNotFound()) {
    if (ctx.wake_key) return Wait(ctx, {}, 0, true);
    if (!MayBlock(ctx)) return ctx.reply->Null();  // as LMOVE: a null bulk
    return Wait(ctx, ctx.argv.subspan(1, 1), timeout);
  }
  if (!element.ok()) return ctx.ReplyStatus(element.status());
  // As LMOVE (and Redis's serveClientBlockedOnList): the push, then the pop.
  ctx.Notify(engine::kNotifyList, PushEvent(to), ctx.argv[2]);
  ctx.Notify(engine::kNotifyList, PopEvent(from), source);
  ctx.reply->Bulk(*element);
}

std::optional<ListEnd> ParseEnd(std::string_view word) {
  if (EqualsIgnoreCase(word, "LEFT")) return ListEnd::kLeft;
  if (EqualsIgnoreCase(word, "RIGHT")) return ListEnd::kRight;
  return std::nullopt;
}

void BLMove(CommandContext& ctx) {
  auto from = ParseEnd(ctx.argv[3]);
  auto to = ParseEnd(ctx.argv[4]);
  if (!from || !to) return ctx.ReplyError(errors::kSyntax);
  uint64_t timeout = 0;
  if (!ParseBlockTimeout(ctx, ctx.argv[5], &timeout)) return;
  BlockingMove(ctx, *from, *to, timeout);
}

void BRPopLPush(CommandContext& ctx) {
  uint64_t timeout = 0;
  if (!ParseBlockTimeout(ctx, ctx.argv[3], &timeout)) return;
  BlockingMove(ctx, ListEnd::kRight, ListEnd::kLeft, timeout);
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] -> [key, [elements]].
void BLMPop(CommandContext& ctx) {
  uint64_t timeout = 0;
  if (!ParseBlockTimeout(ctx, ctx.argv[1], &timeout)) return;
  auto args = ParseMPop(ctx, 2, "left", "right");
  if (!args) return;
  ListEnd end = args->second ? ListEnd::kRight : ListEnd::kLeft;
  std::string_view key;
  std::vector<std::string> elements;
  if (ctx.wake_key) {
    auto popped = engine::ListPop(ctx.engine(), ctx.op, *ctx.wake_key, end, args->count);
    if (!popped.ok()) {
      if (!KeepsBlocked(ctx, popped.status())) ctx.ReplyStatus(popped.status());
      return;
    }
    key = *ctx.wake_key;
    elements = std::move(*popped);
  } else {
    auto popped = engine::ListMultiPop(ctx.engine(), ctx.op, args->keys, end, args->count);
    if (popped.status().IsNotFound()) {
      if (!MayBlock(ctx)) return ctx.reply->NullArray();
      return Wait(ctx, args->keys, timeout);
    }
    if (!popped.ok()) return ctx.ReplyStatus(popped.status());
    key = args->keys[popped->first];
    elements = std::move(popped->second);
  }
  ctx.Notify(engine::kNotifyList, PopEvent(end), key);
  ctx.reply->ArrayHeader(2);
  ctx.reply->Bulk(key);
  ctx.reply->ArrayHeader(static_cast<int64_t>(elements.size()));
  for (const std::string& e : elements) ctx.reply->Bulk(e);
}

// The sorted-set forms. On a wake-up: pops from the ready key alone.
// Returns nullopt after replying an error or asking to wait.
std::optional<engine::ZMPopResult> ZPopOrWait(CommandContext& ctx,
                                              std::span<const std::string_view> keys, bool max,
                                              uint64_t count, uint64_t timeout) {
  if (ctx.wake_key) {
    auto popped = engine::ZPop(ctx.engine(), ctx.op, *ctx.wake_key, max, count);
    if (!popped.ok()) {
      if (!KeepsBlocked(ctx, popped.status())) ctx.ReplyStatus(popped.status());
      return std::nullopt;
    }
    if (popped->empty()) {
      Wait(ctx, {}, 0, true);
      return std::nullopt;
    }
    ctx.Notify(engine::kNotifyZset, max ? "zpopmax" : "zpopmin", *ctx.wake_key);
    return engine::ZMPopResult{std::string(*ctx.wake_key), std::move(*popped)};
  }
  auto popped = engine::ZMPop(ctx.engine(), ctx.op, keys, max, count);
  if (!popped.ok()) {
    ctx.ReplyStatus(popped.status());
    return std::nullopt;
  }
  if (!popped->has_value()) {
    if (!MayBlock(ctx)) {
      ctx.reply->NullArray();
    } else {
      Wait(ctx, keys, timeout);
    }
    return std::nullopt;
  }
  ctx.Notify(engine::kNotifyZset, max ? "zpopmax" : "zpopmin", (**popped).key);
  return std::move(**popped);
}

// BZPOPMIN / BZPOPMAX key [key ...] timeout -> [key, member, score].
void BZPop(CommandContext& ctx, bool max) {
  uint64_t timeout = 0;
  if (!ParseBlockTimeout(ctx, ctx.argv.back(), &timeout)) return;
  auto popped = ZPopOrWait(ctx, ctx.argv.subspan(1, ctx.argv.size() - 2), max, 1, timeout);
  if (!popped) return;
  const engine::ZEntry& e = popped->entries.front();
  ctx.reply->ArrayHeader(3);
  ctx.reply->Bulk(popped->key);
  ctx.reply->Bulk(e.member);
  ctx.reply->Double(e.score);
}

void BZPopMin(CommandContext& ctx) {
  BZPop(ctx, false);
}
void BZPopMax(CommandContext& ctx) {
  BZPop(ctx, true);
}

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] -> [key, [[member, score] ...]].
void BZMPop(CommandContext& ctx) {
  uint64_t timeout = 0;
  if (!ParseBlockTimeout(ctx, ctx.argv[1], &timeout)) return;
  auto args = ParseMPop(ctx, 2, "min", "max");
  if (!args) return;
  auto popped = ZPopOrWait(ctx, args->keys, args->second, args->count, timeout);
  if (!popped) return;
  ctx.reply->ArrayHeader(2);
  ctx.reply->Bulk(popped->key);
  ReplyPairs(ctx, popped->entries);
}

}  // namespace

void RegisterBlockingCommands(CommandTable& table) {
  table.Register("blpop", BLPop);
  table.Register("brpop", BRPop);
  table.Register("blmove", BLMove);
  table.Register("brpoplpush", BRPopLPush);
  table.Register("blmpop", BLMPop);
  table.Register("bzpopmin", BZPopMin);
  table.Register("bzpopmax", BZPopMax);
  table.Register("bzmpop", BZMPop);
}

}  // namespace strata::server
