// The subscription registry and message encoding; see pubsub.h.
#include "server/pubsub.h"

#include "common/text.h"
#include "server/client_state.h"
#include "server/command_table.h"
#include "server/server.h"

namespace strata::server {

namespace {

void AppendBulk(std::string* out, std::string_view s) {
  out->push_back('$');
  out->append(std::to_string(s.size()));
  out->append("\r\n");
  out->append(s);
  out->append("\r\n");
}

// The body (all but the header) of a message frame.
std::string MessageBody(std::string_view kind, std::optional<std::string_view> pattern,
                        std::string_view channel, std::string_view message) {
  std::string body;
  body.reserve(kind.size() + channel.size() + message.size() + 48);
  AppendBulk(&body, kind);
  if (pattern) AppendBulk(&body, *pattern);
  AppendBulk(&body, channel);
  AppendBulk(&body, message);
  return body;
}

std::shared_ptr<const PushMessage> Encode(std::string_view kind,
                                          std::optional<std::string_view> pattern,
                                          std::string_view channel, std::string_view message) {
  auto m = std::make_shared<PushMessage>();
  std::string body = MessageBody(kind, pattern, channel, message);
  std::string n = std::to_string(pattern ? 4 : 3);
  m->resp2 = "*" + n + "\r\n" + body;
  m->resp3 = ">" + n + "\r\n" + body;
  return m;
}

}  // namespace

void PubSub::Subscribe(Kind kind, std::string_view name, uint64_t client_id,
                       std::weak_ptr<Subscriber> subscriber) {
  std::lock_guard lock(mu_);
  Table& t = table(kind);
  auto it = t.find(name);
  if (it == t.end()) it = t.emplace(std::string(name), Subscribers{}).first;
  it->second[client_id] = std::move(subscriber);
}

void PubSub::Unsubscribe(Kind kind, std::string_view name, uint64_t client_id) {
  std::lock_guard lock(mu_);
  Table& t = table(kind);
  auto it = t.find(name);
  if (it == t.end()) return;
  it->second.erase(client_id);
  if (it->second.empty()) t.erase(it);
}

int64_t PubSub::Publish(std::string_view channel, std::string_view message) {
  // Strong references live until after the lock is released: a connection
  // whose last reference drops here must not unsubscribe under our lock.
  std::vector<std::shared_ptr<Subscriber>> held;
  int64_t receivers = 0;
  std::lock_guard lock(mu_);
  const Table& channels = table(Kind::kChannel);
  if (auto it = channels.find(channel); it != channels.end()) {
    auto m = Encode("message", std::nullopt, channel, message);
    for (const auto& [id, weak] : it->second) {
      if (auto s = weak.lock()) {
        s->Deliver(m);
        held.push_back(std::move(s));
      }
      ++receivers;
    }
  }
  for (const auto& [pattern, subs] : table(Kind::kPattern)) {
    if (!GlobMatch(pattern, channel)) continue;
    auto m = Encode("pmessage", pattern, channel, message);
    for (const auto& [id, weak] : subs) {
      if (auto s = weak.lock()) {
        s->Deliver(m);
        held.push_back(std::move(s));
      }
      ++receivers;
    }
  }
  return receivers;
}

int64_t PubSub::ShardPublish(std::string_view channel, std::string_view message) {
  std::vector<std::shared_ptr<Subscriber>> held;
  int64_t receivers = 0;
  std::lock_guard lock(mu_);
  const Table& shards = table(Kind::kShard);
  auto it = shards.find(channel);
  if (it == shards.end()) return 0;
  auto m = Encode("smessage", std::nullopt, channel, message);
  for (const auto& [id, weak] : it->second) {
    if (auto s = weak.lock()) {
      s->Deliver(m);
      held.push_back(std::move(s));
    }
    ++receivers;
  }
  return receivers;
}

std::vector<std::string> PubSub::Channels(Kind kind,
                                          std::optional<std::string_view> pattern) const {
  std::vector<std::string> out;
  std::lock_guard lock(mu_);
  for (const auto& [name, subs] : table(kind)) {
    if (!pattern || GlobMatch(*pattern, name)) out.push_back(name);
  }
  return out;
}

int64_t PubSub::NumSubscribers(Kind kind, std::string_view channel) const {
  std::lock_guard lock(mu_);
  const Table& t = table(kind);
  auto it = t.find(channel);
  return it == t.end() ? 0 : static_cast<int64_t>(it->second.size());
}

int64_t PubSub::Count(Kind kind) const {
  std::lock_guard lock(mu_);
  return static_cast<int64_t>(table(kind).size());
}

void AppendSubscriptionReply(std::string* out, int protocol, std::string_view kind,
                             std::optional<std::string_view> name, int64_t count) {
  out->append(protocol >= 3 ? ">3\r\n" : "*3\r\n");
  AppendBulk(out, kind);
  if (name) {
    AppendBulk(out, *name);
  } else {
    out->append(protocol >= 3 ? "_\r\n" : "$-1\r\n");
  }
  out->push_back(':');
  out->append(std::to_string(count));
  out->append("\r\n");
}

bool AllowedWhenSubscribed(const ClientState& client, const CommandEntry& cmd) {
  if (client.protocol >= 3 || client.subscriptions() == 0) return true;
  std::string_view n = cmd.name();
  return n == "ping" || n == "subscribe" || n == "ssubscribe" || n == "unsubscribe" ||
         n == "sunsubscribe" || n == "psubscribe" || n == "punsubscribe" || n == "quit" ||
         n == "reset";
}

void UnsubscribeAll(Server& server, ClientState& client) {
  PubSub& ps = server.pubsub();
  for (const auto& c : client.channels) ps.Unsubscribe(PubSub::Kind::kChannel, c, client.id);
  for (const auto& p : client.patterns) ps.Unsubscribe(PubSub::Kind::kPattern, p, client.id);
  for (const auto& s : client.shard_channels) ps.Unsubscribe(PubSub::Kind::kShard, s, client.id);
  client.channels.clear();
  client.patterns.clear();
  client.shard_channels.clear();
}

}  // namespace strata::server
