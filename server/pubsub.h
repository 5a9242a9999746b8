// PubSub: the server-wide registry of subscriptions — channels, glob
// patterns and shard channels — and message fan-out.
//
// Each connection keeps its own subscriptions in its ClientState (for its
// replies and CLIENT LIST); this registry maps names to subscribers for
// PUBLISH and PUBSUB. A message is encoded once per publish, in RESP2
// (array) and RESP3 (push) form, and handed to every receiving subscriber,
// which appends it to its output on its own I/O thread (Subscriber::Deliver
// posts to the connection's executor).
//
// ORDER: Publish delivers while holding the registry lock, so publishes are
// totally ordered and every subscriber is handed them in that one order;
// posts to one executor run in the order they were made, so each subscriber
// writes messages in publish order.
//
// Thread-safety: all methods are safe from any thread. Deliver must not call
// back into the registry (it only posts).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::server {

class ClientState;
struct CommandEntry;
class Server;

// One published message, encoded for both protocols.
struct PushMessage {
  std::string resp2;
  std::string resp3;
  const std::string& For(int protocol) const { return protocol >= 3 ? resp3 : resp2; }
};

class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Any thread: queues `message` for the subscriber's own thread.
  virtual void Deliver(std::shared_ptr<const PushMessage> message) = 0;
};

class PubSub {
 public:
  enum class Kind : int { kChannel = 0, kPattern = 1, kShard = 2 };

  void Subscribe(Kind kind, std::string_view name, uint64_t client_id,
                 std::weak_ptr<Subscriber> subscriber);
  void Unsubscribe(Kind kind, std::string_view name, uint64_t client_id);
  // PUBLISH: delivers to the channel's subscribers and to every pattern
  // matching it; returns the number of receivers (a client subscribed by
  // channel and by two patterns counts three times, as in Redis).
  int64_t Publish(std::string_view channel, std::string_view message);
  // SPUBLISH: shard-channel subscribers only.
  int64_t ShardPublish(std::string_view channel, std::string_view message);

  // PUBSUB CHANNELS / SHARDCHANNELS: active names matching `pattern` (all
  // when nullopt).
  std::vector<std::string> Channels(Kind kind, std::optional<std::string_view> pattern) const;
  // PUBSUB NUMSUB / SHARDNUMSUB: subscribers of one channel.
  int64_t NumSubscribers(Kind kind, std::string_view channel) const;
  // Distinct channels, patterns or shard channels with a subscriber
  // (PUBSUB NUMPAT, INFO pubsub_channels / pubsub_patterns).
  int64_t Count(Kind kind) const;

 private:
  using Subscribers = std::map<uint64_t, std::weak_ptr<Subscriber>>;
  using Table = std::map<std::string, Subscribers, std::less<>>;
  const Table& table(Kind k) const { return tables_[static_cast<int>(k)]; }
  Table& table(Kind k) { return tables_[static_cast<int>(k)]; }

  mutable std::mutex mu_;
  Table tables_[3];  // GUARDED_BY(mu_), indexed by Kind
};

// The subscribe/unsubscribe confirmation frame ("subscribe", name, count),
// as an array in RESP2 and a push in RESP3.
void AppendSubscriptionReply(std::string* out, int protocol, std::string_view kind,
                             std::optional<std::string_view> name, int64_t count);
// Whether `cmd` may run now: a RESP2 client with subscriptions may only
// (un)subscribe, PING, QUIT and RESET.
bool AllowedWhenSubscribed(const ClientState& client, const CommandEntry& cmd);
// Drops every subscription of `client` (RESET, disconnect).
void UnsubscribeAll(Server& server, ClientState& client);

}  // namespace strata::server
