// Tracking: server-assisted client-side caching (CLIENT TRACKING), Redis
// 7.0's semantics.
//
// DEFAULT MODE. After a read-only command of a tracking client (OPTIN: only
// right after CLIENT CACHING YES; OPTOUT: unless after CLIENT CACHING NO),
// Dispatch remembers the command's keys here: key -> ids of the clients
// that may cache it. When a key changes (engine/key_observer.h: any write,
// expiry or eviction that reached disk), every client remembered for it is
// sent one invalidation and the key is forgotten for all of them. As in
// Redis the table ignores the database number: a key is a name.
// BCAST MODE. A client registers prefixes instead ("" when none: every
// key); a change of a key under a prefix invalidates it for the prefix's
// clients, with nothing remembered per key. Redis batches a BCAST client's
// keys per event-loop iteration; here each committed change is sent at once
// (the same keys arrive, possibly in more messages).
// NOLOOP: a client is not told of changes made by its own commands.
//
// DELIVERY. A RESP3 client gets a push ["invalidate", [key]] (FLUSHDB and
// FLUSHALL: ["invalidate", null] to every tracking client). With REDIRECT
// the message goes to the other client instead: a RESP3 one gets the push,
// a RESP2 one in pub/sub mode a "message" on __redis__:invalidate, a RESP2
// one not subscribed nothing. When the redirect target is gone the client is
// flagged broken_redirect and, under RESP3, pushed ["tracking-redir-broken",
// id]. Messages travel like pub/sub ones (Subscriber::Deliver), so they
// leave after the reply of the command being run.
//
// tracking-table-max-keys bounds the key table: past it, keys are dropped
// (and invalidated, so no client keeps a stale copy) as Redis does.
//
// Thread-safety: all methods are safe from any thread. KeyChanged runs under
// the committing command's key locks: it only posts to connections.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/key_observer.h"

namespace strata::server {

class ClientRegistry;
class Subscriber;

struct TrackingMode {
  bool bcast = false;
  bool noloop = false;
  uint64_t redirect = 0;              // 0: none
  std::vector<std::string> prefixes;  // BCAST: the prefixes added by this CLIENT TRACKING ON
};

class Tracking : public engine::KeyObserver {
 public:
  explicit Tracking(ClientRegistry& clients) : clients_(clients) {}

  // CLIENT TRACKING ON (options already validated), and OFF (also on RESET
  // and disconnect). ON again replaces the mode; BCAST prefixes accumulate.
  void Enable(uint64_t client_id, std::weak_ptr<Subscriber> self, const TrackingMode& mode);
  void Disable(uint64_t client_id);

  // A read-only command of a tracking client (default mode) read `keys`.
  void RememberKeys(uint64_t client_id, std::span<const std::string_view> keys);
  void KeyChanged(int db, std::string_view key, uint64_t client_id) override;
  // FLUSHDB / FLUSHALL: every tracking client invalidates everything; after
  // FLUSHALL the key table is emptied.
  void Flushed(bool all);

  bool BrokenRedirect(uint64_t client_id) const;
  // The client's BCAST prefixes, sorted.
  std::vector<std::string> Prefixes(uint64_t client_id) const;

  // tracking-table-max-keys (0: no limit).
  void set_max_keys(uint64_t n) { max_keys_.store(n, std::memory_order_relaxed); }

  struct Stats {
    uint64_t clients = 0;   // INFO tracking_clients
    uint64_t keys = 0;      // tracking_total_keys
    uint64_t items = 0;     // tracking_total_items: (key, client) pairs
    uint64_t prefixes = 0;  // tracking_total_prefixes
  };
  Stats stats() const;

 private:
  struct Client {
    std::weak_ptr<Subscriber> self;
    TrackingMode mode;
    bool broken_redirect = false;
  };
  // Sends one invalidation for `client` (the values: what follows the
  // message kind, an array of keys or a null, per protocol). Needs mu_.
  void SendLocked(Client& client, std::string_view resp2_value, std::string_view resp3_value);
  void InvalidateKeyLocked(std::string_view key, uint64_t changer);
  void EnforceLimitLocked();

  ClientRegistry& clients_;
  mutable std::mutex mu_;
  std::unordered_map<uint64_t, Client> tracking_;                    // GUARDED_BY(mu_)
  std::unordered_map<std::string, std::vector<uint64_t>> keys_;      // GUARDED_BY(mu_)
  std::map<std::string, std::vector<uint64_t>, std::less<>> bcast_;  // GUARDED_BY(mu_)
  uint64_t items_ = 0;                                               // GUARDED_BY(mu_)
  std::atomic<bool> active_{false};  // anyone tracks: KeyChanged's fast path
  std::atomic<uint64_t> max_keys_{1000000};
};

}  // namespace strata::server
