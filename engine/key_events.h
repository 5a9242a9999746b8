// Keyspace-event records: what a command (or the engine on its behalf)
// raises for `notify-keyspace-events` (server/keyspace_events.h publishes
// them). Engine and handlers only append records; they never see pub/sub.
//
// The class bits are Redis's NOTIFY_* values (server.h), one per flag letter
// of the setting: the handler-side API (CommandContext::Notify) and the
// engine (KeyAccess: "new", lazy "expired", "keymiss") tag each record with
// its class, and the publisher drops records whose class is not enabled.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::engine {

// Redis's NOTIFY_* bits; the comment is the flag letter.
enum NotifyClass : uint32_t {
  kNotifyKeyspace = 1u << 0,  // K: __keyspace@<db>__:<key> -> event
  kNotifyKeyevent = 1u << 1,  // E: __keyevent@<db>__:<event> -> key
  kNotifyGeneric = 1u << 2,   // g: DEL, EXPIRE, RENAME, ...
  kNotifyString = 1u << 3,    // $
  kNotifyList = 1u << 4,      // l
  kNotifySet = 1u << 5,       // s
  kNotifyHash = 1u << 6,      // h
  kNotifyZset = 1u << 7,      // z
  kNotifyExpired = 1u << 8,   // x
  kNotifyEvicted = 1u << 9,   // e
  kNotifyStream = 1u << 10,   // t
  kNotifyKeyMiss = 1u << 11,  // m
  kNotifyModule = 1u << 13,   // d
  kNotifyNew = 1u << 14,      // n
  // A: every class but m and n, as Redis's NOTIFY_ALL.
  kNotifyAll = kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet | kNotifyHash |
               kNotifyZset | kNotifyExpired | kNotifyEvicted | kNotifyStream | kNotifyModule,
};

// One event: `event` names it as Redis does ("set", "lpush", "expired") and
// must point at static storage (a string literal).
struct KeyEvent {
  uint32_t type;  // one NotifyClass bit
  std::string_view event;
  int db;
  std::string key;
  // Held back until the command raises its own event for the same key, then
  // placed right after it (server/keyspace_events.h, AppendKeyEvent): the
  // "del" of a key the command left empty, which Redis raises after the
  // event of the operation that emptied it ("lpop", then "del").
  bool held = false;
  // "expired" seen by a reader, which does not delete: the dispatcher
  // deletes the key after the command (engine::ExpireIfDue) and keeps the
  // event only if that deletion happened, so the event is raised once.
  bool unconfirmed = false;
};

// The events of one command, in the order it raised them (OpContext::key_events).
struct KeyEventLog {
  std::vector<KeyEvent> events;
  size_t held = 0;         // how many events have `held` set
  size_t unconfirmed = 0;  // how many events have `unconfirmed` set

  void Add(KeyEvent e) {
    held += e.held ? 1 : 0;
    unconfirmed += e.unconfirmed ? 1 : 0;
    events.push_back(std::move(e));
  }
  bool empty() const { return events.empty(); }
  void clear() {
    events.clear();
    held = unconfirmed = 0;
  }
};

}  // namespace strata::engine
