// KeyspaceEvents: Redis's keyspace notifications (`notify-keyspace-events`):
// the flag-letter parsing and canonical form of the setting, and the
// publisher that turns events into pub/sub messages on
// `__keyspace@<db>__:<key>` (message: the event) and
// `__keyevent@<db>__:<event>` (message: the key), in that order, as Redis's
// notifyKeyspaceEvent.
//
// HOW A COMMAND RAISES AN EVENT. One line at the site where Redis calls
// notifyKeyspaceEvent, after the engine call succeeded:
//
//   ctx.Notify(engine::kNotifyList, "lpush", key);   // server/command_context.h
//
// Notify appends to the command's event log (engine::KeyEventLog, reached
// through ctx.op.key_events); when notifications are off (the default, "")
// the dispatcher leaves that pointer null and Notify is one null check. The
// engine appends to the same log from KeyAccess, so its events fall in
// Redis's order among the handler's:
//   - "expired" when a writer finds its key expired (lazy expiry), at once;
//   - "new" when a key is created (Redis's dbAdd), at once: before the
//     command's own event, as Redis raises it;
//   - "keymiss" when a reader finds no key (OBJECT and MEMORY USAGE opt out
//     with ctx.NoKeyspaceEvents(), as Redis's LOOKUP_NONOTIFY);
//   - "del" when an operation leaves a key empty (KeyAccess::DeleteEmpty:
//     an emptied collection, a *STORE's empty result). It is held until the
//     handler raises its own event for that key and then placed right after
//     it ("lpop" then "del"; LMOVE's "lpush" dst, "lpop" src, "del" src);
//     with no such event it stays where it was raised.
// A handler raises only what depends on the command: which event, for which
// key, and whether anything changed (e.g. no "sadd" when nothing was added).
//
// LAZY EXPIRY ON READ. A reader does not delete (KeyAccess): it records an
// unconfirmed "expired" (then "keymiss"); after the command, the dispatcher
// deletes those keys (ConfirmReadExpiries) and keeps each event only if it
// deleted the key itself, so the active cycle never raises it a second time.
//
// KNOWN DIFFERENCES from Redis: "keymiss" is raised once per key per command
// (Redis: once per lookup), not for keys a writer reads (SINTERSTORE's
// sources) nor by reads inside EXEC; SMOVE into a new destination raises its
// "new" before the "srem" (Redis: after the source's "del").
//
// WHEN THEY ARE DELIVERED. Dispatch publishes the log when the command is
// done (Flush); a command that asks to re-run on the blocking pool drops its
// log with its reply, so a retry never publishes twice. The commands of an
// EXEC share the EXEC's log (their OpContext is a copy of EXEC's), so their
// events go out in command order when EXEC completes — and not at all if
// EXEC re-runs; no other command runs in between, so subscribers see what
// Redis would send. (A PUBLISH inside EXEC is delivered as it runs, hence
// before the keyspace events of the commands queued ahead of it.)
//
// EVENTS WITHOUT A COMMAND. The active expiry cycle ("expired") and the
// evictor ("evicted") run on their own threads and call Publish directly;
// PubSub is thread-safe and totally orders publishes.
//
// Thread-safety: all methods may be called from any thread. The flags are
// one atomic word (relaxed: a command racing a CONFIG SET may publish under
// either value, as Redis's would before or after it).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/key_events.h"
#include "engine/op_context.h"

namespace strata::engine {
class Engine;
}

namespace strata::server {

class PubSub;

// "KEA" -> flags, as Redis's keyspaceEventsStringToFlags; nullopt for a
// letter outside "Ag$lshzxeKEtmdn".
std::optional<uint32_t> ParseKeyspaceEventFlags(std::string_view letters);
// The canonical letters CONFIG GET shows, as keyspaceEventsFlagsToString.
std::string FormatKeyspaceEventFlags(uint32_t flags);

// Notify's slow path: appends a handler's event to the command's log, then
// moves right after it any event the engine held for the same key.
void AppendKeyEvent(engine::KeyEventLog& log, uint32_t type, std::string_view event,
                    std::string_view key, int db);

// After a command: deletes the keys its readers found expired (they do not
// delete) and keeps their "expired" events only where this deleted the key;
// when another thread did first (the active cycle), that one raised it.
void ConfirmReadExpiries(engine::Engine& engine, engine::OpContext& op, engine::KeyEventLog& log);

class KeyspaceEvents {
 public:
  explicit KeyspaceEvents(PubSub& pubsub) : pubsub_(pubsub) {}

  void SetFlags(uint32_t flags) { flags_.store(flags, std::memory_order_relaxed); }
  uint32_t flags() const { return flags_.load(std::memory_order_relaxed); }
  // Whether any event can be published (the dispatcher's fast-path test).
  bool enabled() const { return flags() != 0; }

  // Publishes one event if its class is enabled.
  void Publish(uint32_t type, std::string_view event, int db, std::string_view key);
  // Publishes a command's events in order and empties the log.
  void Flush(engine::KeyEventLog& log);

 private:
  PubSub& pubsub_;
  std::atomic<uint32_t> flags_{0};
};

}  // namespace strata::server
