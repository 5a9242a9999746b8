// Tracking: client-side caching invalidation; see tracking.h.
#include "server/tracking.h"

#include <algorithm>

#include "server/client_registry.h"
#include "server/pubsub.h"

namespace strata::server {

namespace {

constexpr std::string_view kInvalidateChannel = "__redis__:invalidate";

void AppendBulk(std::string* out, std::string_view s) {
  out->append("$").append(std::to_string(s.size())).append("\r\n").append(s).append("\r\n");
}

// "*1\r\n$<n>\r\n<key>\r\n": the value of a one-key invalidation.
std::string KeyArray(std::string_view key) {
  std::string out = "*1\r\n";
  AppendBulk(&out, key);
  return out;
}

}  // namespace

void Tracking::Enable(uint64_t client_id, std::weak_ptr<Subscriber> self,
                      const TrackingMode& mode) {
  std::lock_guard lock(mu_);
  Client& c = tracking_[client_id];
  std::vector<std::string> prefixes = std::move(c.mode.prefixes);
  c.self = std::move(self);
  c.mode = mode;
  c.broken_redirect = false;
  if (mode.bcast) {
    std::vector<std::string> added = mode.prefixes;
    if (added.empty()) added.push_back("");  // BCAST without PREFIX: every key
    for (std::string& p : added) {
      if (std::find(prefixes.begin(), prefixes.end(), p) != prefixes.end()) continue;
      bcast_[p].push_back(client_id);
      prefixes.push_back(std::move(p));
    }
    std::sort(prefixes.begin(), prefixes.end());
    c.mode.prefixes = std::move(prefixes);
  }
  active_.store(true, std::memory_order_relaxed);
}

void Tracking::Disable(uint64_t client_id) {
  std::lock_guard lock(mu_);
  auto it = tracking_.find(client_id);
  if (it == tracking_.end()) return;
  for (const std::string& p : it->second.mode.prefixes) {
    auto b = bcast_.find(p);
    if (b == bcast_.end()) continue;
    std::erase(b->second, client_id);
    if (b->second.empty()) bcast_.erase(b);
  }
  // Its entries in keys_ stay until those keys change, as in Redis; they
  // are skipped then (the id no longer tracks).
  tracking_.erase(it);
  active_.store(!tracking_.empty() || !keys_.empty(), std::memory_order_relaxed);
}

void Tracking::RememberKeys(uint64_t client_id, std::span<const std::string_view> keys) {
  std::lock_guard lock(mu_);
  for (std::string_view key : keys) {
    auto [it, inserted] = keys_.try_emplace(std::string(key));
    std::vector<uint64_t>& ids = it->second;
    if (std::find(ids.begin(), ids.end(), client_id) != ids.end()) continue;
    ids.push_back(client_id);
    ++items_;
  }
  EnforceLimitLocked();
}

void Tracking::EnforceLimitLocked() {
  uint64_t max = max_keys_.load(std::memory_order_relaxed);
  // Redis evicts random keys; the hash table's first bucket is as arbitrary.
  while (max != 0 && keys_.size() > max) {
    std::string key = keys_.begin()->first;
    InvalidateKeyLocked(key, 0);
  }
}

void Tracking::KeyChanged(int /*db*/, std::string_view key, uint64_t client_id) {
  if (!active_.load(std::memory_order_relaxed)) return;
  std::lock_guard lock(mu_);
  InvalidateKeyLocked(key, client_id);
  if (bcast_.empty()) return;
  std::string value;
  for (auto& [prefix, ids] : bcast_) {
    if (key.substr(0, prefix.size()) != prefix) continue;
    if (value.empty()) value = KeyArray(key);
    for (uint64_t id : ids) {
      auto it = tracking_.find(id);
      if (it == tracking_.end()) continue;
      if (it->second.mode.noloop && id == client_id) continue;
      SendLocked(it->second, value, value);
    }
  }
}

void Tracking::InvalidateKeyLocked(std::string_view key, uint64_t changer) {
  auto it = keys_.find(std::string(key));
  if (it == keys_.end()) return;
  std::string value = KeyArray(key);
  for (uint64_t id : it->second) {
    auto t = tracking_.find(id);
    if (t == tracking_.end() || t->second.mode.bcast) continue;
    if (t->second.mode.noloop && id == changer) continue;
    SendLocked(t->second, value, value);
  }
  items_ -= it->second.size();
  keys_.erase(it);
  if (tracking_.empty() && keys_.empty()) active_.store(false, std::memory_order_relaxed);
}

void Tracking::Flushed(bool all) {
  std::lock_guard lock(mu_);
  for (auto& [id, client] : tracking_) SendLocked(client, "$-1\r\n", "_\r\n");
  if (all) {
    keys_.clear();
    items_ = 0;
    active_.store(!tracking_.empty(), std::memory_order_relaxed);
  }
}

void Tracking::SendLocked(Client& client, std::string_view resp2_value,
                          std::string_view resp3_value) {
  auto message = std::make_shared<PushMessage>();
  std::shared_ptr<Subscriber> target;
  uint64_t redirect = client.mode.redirect;
  if (redirect == 0) {
    target = client.self.lock();
    if (target == nullptr) return;
    // RESP2 has no push frames: a RESP2 client without REDIRECT gets nothing.
    message->resp3 = ">2\r\n$10\r\ninvalidate\r\n";
    message->resp3.append(resp3_value);
  } else {
    std::shared_ptr<ClientHandle> handle = clients_.Find(redirect);
    // Connections are both ClientHandles and Subscribers.
    target = std::dynamic_pointer_cast<Subscriber>(handle);
    if (target == nullptr) {
      client.broken_redirect = true;
      auto self = client.self.lock();
      if (self == nullptr) return;
      auto broken = std::make_shared<PushMessage>();
      broken->resp3 = ">2\r\n$21\r\ntracking-redir-broken\r\n:" + std::to_string(redirect) + "\r\n";
      self->Deliver(std::move(broken));
      return;
    }
    message->resp3 = ">2\r\n$10\r\ninvalidate\r\n";
    message->resp3.append(resp3_value);
    ClientInfo info = handle->Info();
    if (info.sub + info.psub + info.ssub > 0) {
      message->resp2 = "*3\r\n$7\r\nmessage\r\n";
      AppendBulk(&message->resp2, kInvalidateChannel);
      message->resp2.append(resp2_value);
    }
  }
  target->Deliver(std::move(message));
}

bool Tracking::BrokenRedirect(uint64_t client_id) const {
  std::lock_guard lock(mu_);
  auto it = tracking_.find(client_id);
  return it != tracking_.end() && it->second.broken_redirect;
}

std::vector<std::string> Tracking::Prefixes(uint64_t client_id) const {
  std::lock_guard lock(mu_);
  auto it = tracking_.find(client_id);
  return it == tracking_.end() ? std::vector<std::string>{} : it->second.mode.prefixes;
}

Tracking::Stats Tracking::stats() const {
  std::lock_guard lock(mu_);
  Stats s;
  s.clients = tracking_.size();
  s.keys = keys_.size();
  s.items = items_;
  s.prefixes = bcast_.size();
  return s;
}

}  // namespace strata::server
