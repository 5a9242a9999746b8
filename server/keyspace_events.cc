// Flag letters of notify-keyspace-events and event publishing; see
// keyspace_events.h.
#include "server/keyspace_events.h"

#include <algorithm>

#include "engine/expire_ops.h"
#include "server/pubsub.h"

namespace strata::server {

using namespace engine;  // NOLINT: the kNotify* bits

std::optional<uint32_t> ParseKeyspaceEventFlags(std::string_view letters) {
  uint32_t flags = 0;
  for (char c : letters) {
    switch (c) {
      case 'A':
        flags |= kNotifyAll;
        break;
      case 'g':
        flags |= kNotifyGeneric;
        break;
      case '$':
        flags |= kNotifyString;
        break;
      case 'l':
        flags |= kNotifyList;
        break;
      case 's':
        flags |= kNotifySet;
        break;
      case 'h':
        flags |= kNotifyHash;
        break;
      case 'z':
        flags |= kNotifyZset;
        break;
      case 'x':
        flags |= kNotifyExpired;
        break;
      case 'e':
        flags |= kNotifyEvicted;
        break;
      case 'K':
        flags |= kNotifyKeyspace;
        break;
      case 'E':
        flags |= kNotifyKeyevent;
        break;
      case 't':
        flags |= kNotifyStream;
        break;
      case 'm':
        flags |= kNotifyKeyMiss;
        break;
      case 'd':
        flags |= kNotifyModule;
        break;
      case 'n':
        flags |= kNotifyNew;
        break;
      default:
        return std::nullopt;
    }
  }
  return flags;
}

std::string FormatKeyspaceEventFlags(uint32_t flags) {
  std::string out;
  if ((flags & kNotifyAll) == kNotifyAll) {
    out += 'A';  // as Redis, "n" is then left out although it is kept
  } else {
    static constexpr struct {
      uint32_t bit;
      char letter;
    } kLetters[] = {{kNotifyGeneric, 'g'}, {kNotifyString, '$'},  {kNotifyList, 'l'},
                    {kNotifySet, 's'},     {kNotifyHash, 'h'},    {kNotifyZset, 'z'},
                    {kNotifyExpired, 'x'}, {kNotifyEvicted, 'e'}, {kNotifyStream, 't'},
                    {kNotifyModule, 'd'},  {kNotifyNew, 'n'}};
    for (const auto& l : kLetters) {
      if (flags & l.bit) out += l.letter;
    }
  }
  if (flags & kNotifyKeyspace) out += 'K';
  if (flags & kNotifyKeyevent) out += 'E';
  if (flags & kNotifyKeyMiss) out += 'm';
  return out;
}

void AppendKeyEvent(KeyEventLog& log, uint32_t type, std::string_view event, std::string_view key,
                    int db) {
  log.events.push_back({type, event, db, std::string(key)});
  if (log.held == 0) return;
  auto& v = log.events;
  auto newest = v.end() - 1;
  auto is_other = [&](const KeyEvent& e) { return !(e.held && e.db == db && e.key == key); };
  // [first_held, newest): this key's held events, in order; the new event goes before them.
  auto first_held = std::stable_partition(v.begin(), newest, is_other);
  std::rotate(first_held, newest, v.end());
  for (auto it = first_held + 1; it != v.end(); ++it) {
    it->held = false;
    --log.held;
  }
}

void ConfirmReadExpiries(Engine& engine, OpContext& op, KeyEventLog& log) {
  std::erase_if(log.events, [&](KeyEvent& e) {
    if (!e.unconfirmed) return false;
    e.unconfirmed = false;
    auto deleted = ExpireIfDue(engine, op, e.db, e.key);  // inline: may not block, then drop
    return !deleted.ok() || !*deleted;
  });
  log.unconfirmed = 0;
}

void KeyspaceEvents::Publish(uint32_t type, std::string_view event, int db, std::string_view key) {
  uint32_t flags = this->flags();
  if (!(flags & type)) return;
  std::string dbid = std::to_string(db);
  if (flags & kNotifyKeyspace) {
    std::string channel;
    channel.reserve(16 + dbid.size() + key.size());
    channel.append("__keyspace@").append(dbid).append("__:").append(key);
    pubsub_.Publish(channel, event);
  }
  if (flags & kNotifyKeyevent) {
    std::string channel;
    channel.reserve(16 + dbid.size() + event.size());
    channel.append("__keyevent@").append(dbid).append("__:").append(event);
    pubsub_.Publish(channel, key);
  }
}

void KeyspaceEvents::Flush(KeyEventLog& log) {
  for (const KeyEvent& e : log.events) Publish(e.type, e.event, e.db, e.key);
  log.clear();
}

}  // namespace strata::server
