// The client registry and the CLIENT LIST line format; see client_registry.h.
#include "server/client_registry.h"

#include <fmt/format.h>

#include "server/client_state.h"

namespace strata::server {

void ClientInfo::CopyFrom(const ClientState& s) {
  id = s.id;
  if (addr != s.addr) addr = s.addr;
  if (laddr != s.laddr) laddr = s.laddr;
  if (name != s.name) name = s.name;
  created_ms = s.created_ms;
  last_interaction_ms = s.last_interaction_ms;
  db = s.db;
  resp = s.protocol;
  cmd = s.last_cmd;
  close_after_reply = s.close_after_reply;
  no_evict = s.no_evict;
  monitor = s.monitor;
  tracking = s.tracking.on;
  tracking_bcast = s.tracking.bcast;
  redir = s.tracking.on ? static_cast<int64_t>(s.tracking.redirect) : -1;
  sub = static_cast<int64_t>(s.channels.size());
  psub = static_cast<int64_t>(s.patterns.size());
  ssub = static_cast<int64_t>(s.shard_channels.size());
  multi = s.multi.active ? static_cast<int64_t>(s.multi.queued.size()) : -1;
  multi_mem = s.multi.queued_mem;
}

std::string ClientInfo::Format(uint64_t now_ms) const {
  uint64_t age = now_ms > created_ms ? (now_ms - created_ms) / 1000 : 0;
  uint64_t idle = now_ms > last_interaction_ms ? (now_ms - last_interaction_ms) / 1000 : 0;
  // Redis 7.0.15's field list, in its order (networking.c, catClientInfoString).
  uint64_t tot_mem = qbuf + qbuf_free + argv_mem + multi_mem + rbs + omem;
  std::string flags;  // Redis's letters, in its order
  if (monitor) flags += 'O';
  if (sub + psub + ssub > 0) flags += 'P';
  if (multi >= 0) flags += 'x';
  if (blocked) flags += 'b';
  if (tracking) flags += 't';
  if (tracking_broken) flags += 'R';
  if (tracking_bcast) flags += 'B';
  if (close_after_reply) flags += 'c';
  if (no_evict) flags += 'e';
  if (flags.empty()) flags.push_back('N');  // not = "N": GCC 12 warns falsely (-Wrestrict)
  return fmt::format(
      "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} "
      "multi={} qbuf={} qbuf-free={} argv-mem={} multi-mem={} rbs={} rbp={} obl={} oll=0 omem={} "
      "tot-mem={} events={} cmd={} user={} redir={} resp={}",
      id, addr, laddr, fd, name, age, idle, flags, db, sub, psub, ssub, multi, qbuf, qbuf_free,
      argv_mem, multi_mem, rbs, rbs, obl, omem, tot_mem, writing ? "rw" : "r",
      cmd.empty() ? "NULL" : cmd, user, redir, resp);
}

void ClientRegistry::Add(uint64_t id, std::weak_ptr<ClientHandle> client) {
  std::lock_guard lock(mu_);
  clients_[id] = std::move(client);
}

void ClientRegistry::Remove(uint64_t id) {
  std::lock_guard lock(mu_);
  clients_.erase(id);
}

std::vector<std::shared_ptr<ClientHandle>> ClientRegistry::All() const {
  std::vector<std::shared_ptr<ClientHandle>> out;
  std::lock_guard lock(mu_);
  out.reserve(clients_.size());
  for (const auto& [id, weak] : clients_) {
    if (auto c = weak.lock()) out.push_back(std::move(c));
  }
  return out;
}

std::shared_ptr<ClientHandle> ClientRegistry::Find(uint64_t id) const {
  std::lock_guard lock(mu_);
  auto it = clients_.find(id);
  return it == clients_.end() ? nullptr : it->second.lock();
}

size_t ClientRegistry::size() const {
  std::lock_guard lock(mu_);
  return clients_.size();
}

}  // namespace strata::server
