// Server commands (first set): CONFIG GET and INFO.
#include <jemalloc/jemalloc.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "common/numbers.h"
#include "common/text.h"
#include "engine/engine.h"
#include "engine/eviction.h"
#include "engine/op_context.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/config.h"
#include "server/server.h"
#include "server/version.h"

namespace strata::server {

namespace {

// CONFIG GET pattern [pattern ...]: each matching setting once, in table order.
void ConfigGet(CommandContext& ctx) {
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string> seen;
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    for (auto& kv : Config::Get(ctx.server->config(), ctx.argv[i])) {
      if (seen.insert(kv.first).second) out.push_back(std::move(kv));
    }
  }
  ctx.reply->MapHeader(static_cast<int64_t>(out.size()));
  for (const auto& [name, value] : out) {
    ctx.reply->Bulk(name);
    ctx.reply->Bulk(value);
  }
}

uint64_t JemallocStat(const char* name) {
  uint64_t epoch = 1;
  size_t sz = sizeof(epoch);
  mallctl("epoch", &epoch, &sz, &epoch, sz);
  size_t value = 0;
  sz = sizeof(value);
  if (mallctl(name, &value, &sz, nullptr, 0) != 0) return 0;
  return value;
}

uint64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

using Lines = std::string;
void Field(Lines* out, std::string_view name, std::string_view value) {
  out->append(name);
  out->push_back(':');
  out->append(value);
  out->append("\r\n");
}
void Field(Lines* out, std::string_view name, int64_t value) { Field(out, name, FormatInt64(value)); }

void ServerSection(Server& s, Lines* out) {
  utsname u;
  uname(&u);
  uint64_t uptime = (engine::NowMs() - s.start_time_ms()) / 1000;
  Field(out, "redis_version", kRedisVersion);
  Field(out, "strata_version", kStrataVersion);
  Field(out, "redis_mode", "standalone");
  Field(out, "os", std::string(u.sysname) + " " + u.release + " " + u.machine);
  Field(out, "arch_bits", static_cast<int64_t>(sizeof(void*) * 8));
#ifdef ASIO_HAS_IO_URING
  Field(out, "multiplexing_api", "io_uring");
#else
  Field(out, "multiplexing_api", "epoll");
#endif
  Field(out, "process_id", static_cast<int64_t>(getpid()));
  Field(out, "tcp_port", s.listening_port());
  Field(out, "server_time_usec", static_cast<int64_t>(engine::NowMs() * 1000));
  Field(out, "uptime_in_seconds", static_cast<int64_t>(uptime));
  Field(out, "uptime_in_days", static_cast<int64_t>(uptime / 86400));
  Field(out, "io_threads_active", s.config().io_threads);
  Field(out, "config_file", s.config().config_file);
}

void ClientsSection(Server& s, Lines* out) {
  Field(out, "connected_clients", s.stats().connected_clients.load());
  Field(out, "maxclients", s.config().maxclients);
}

void MemorySection(Server& s, Lines* out) {
  Field(out, "used_memory", static_cast<int64_t>(JemallocStat("stats.allocated")));
  Field(out, "used_memory_rss", static_cast<int64_t>(ResidentBytes()));
  Field(out, "maxmemory", s.config().maxmemory);
  Field(out, "mem_allocator", "jemalloc");
}

void PersistenceSection(Server& s, Lines* out) {
  engine::EngineStats st = s.engine().Stats();
  Field(out, "loading", int64_t{0});
  Field(out, "aof_enabled", int64_t{1});
  Field(out, "rdb_bgsave_in_progress", int64_t{0});
  Field(out, "aof_rewrite_in_progress", int64_t{0});
  std::vector<std::pair<std::string, std::string>> fsync =
      Config::Get(s.config(), "appendfsync");
  Field(out, "appendfsync", fsync.empty() ? "" : fsync[0].second);
  Field(out, "wal_syncs", static_cast<int64_t>(st.wal_syncs));
  Field(out, "wal_latest_seq", static_cast<int64_t>(st.latest_seq));
  Field(out, "wal_synced_seq", static_cast<int64_t>(st.synced_seq));
}

void StatsSection(Server& s, Lines* out) {
  auto& st = s.stats();
  Field(out, "total_connections_received", static_cast<int64_t>(st.total_connections.load()));
  Field(out, "total_commands_processed", static_cast<int64_t>(st.total_commands.load()));
  Field(out, "total_net_input_bytes", static_cast<int64_t>(st.net_input_bytes.load()));
  Field(out, "total_net_output_bytes", static_cast<int64_t>(st.net_output_bytes.load()));
  Field(out, "rejected_connections", static_cast<int64_t>(st.rejected_connections.load()));
  Field(out, "blocking_commands", static_cast<int64_t>(st.blocking_commands.load()));
  Field(out, "evicted_keys", static_cast<int64_t>(s.evictor().evicted_keys()));
}

void RocksdbSection(Server& s, Lines* out) {
  engine::EngineStats st = s.engine().Stats();
  Field(out, "rocksdb_sst_bytes", static_cast<int64_t>(st.sst_bytes));
  Field(out, "rocksdb_memtable_bytes", static_cast<int64_t>(st.memtable_bytes));
  Field(out, "rocksdb_estimated_keys", static_cast<int64_t>(st.estimated_keys));
  Field(out, "rocksdb_bytes_written", static_cast<int64_t>(st.bytes_written));
}

// The hot tier and the memory budget (engine/hot_tier.h, engine/memory_budget.h).
void HotTierSection(Server& s, Lines* out) {
  engine::EngineStats st = s.engine().Stats();
  const engine::HotTierStats& h = st.hot;
  Field(out, "hot_tier_capacity_bytes", static_cast<int64_t>(h.capacity_bytes));
  Field(out, "hot_tier_used_bytes", static_cast<int64_t>(h.used_bytes));
  Field(out, "hot_tier_objects", static_cast<int64_t>(h.objects));
  Field(out, "hot_tier_small_objects", static_cast<int64_t>(h.small_objects));
  Field(out, "hot_tier_main_objects", static_cast<int64_t>(h.main_objects));
  Field(out, "hot_tier_hits", static_cast<int64_t>(h.hits));
  Field(out, "hot_tier_misses", static_cast<int64_t>(h.misses));
  Field(out, "hot_tier_admissions", static_cast<int64_t>(h.admissions));
  Field(out, "hot_tier_demotions", static_cast<int64_t>(h.demotions));
  Field(out, "hot_tier_rejections", static_cast<int64_t>(h.rejections));
  Field(out, "memory_budget_bytes", static_cast<int64_t>(st.budget.total));
  Field(out, "memory_budget_block_cache_bytes", static_cast<int64_t>(st.budget.block_cache));
  Field(out, "memory_budget_memtables_bytes", static_cast<int64_t>(st.budget.memtables));
  Field(out, "memory_budget_reserve_bytes", static_cast<int64_t>(st.budget.reserve));
  Field(out, "block_cache_usage_bytes", static_cast<int64_t>(st.block_cache_usage));
}

void KeyspaceSection(Server& s, Lines* out) {
  for (int db = 0; db < s.engine().databases(); ++db) {
    int64_t keys = s.engine().KeyCount(db);
    if (keys <= 0) continue;
    Field(out, "db" + std::to_string(db),
          "keys=" + FormatInt64(keys) + ",expires=" + FormatInt64(s.engine().ExpiresCount(db)) +
              ",avg_ttl=0");
  }
}

struct Section {
  const char* name;
  bool in_default;
  void (*fill)(Server&, Lines*);
  const char* title;
};
constexpr Section kSections[] = {
    {"server", true, ServerSection, "Server"},
    {"clients", true, ClientsSection, "Clients"},
    {"memory", true, MemorySection, "Memory"},
    {"persistence", true, PersistenceSection, "Persistence"},
    {"stats", true, StatsSection, "Stats"},
    {"rocksdb", false, RocksdbSection, "Rocksdb"},
    {"hottier", true, HotTierSection, "Hottier"},
    {"keyspace", true, KeyspaceSection, "Keyspace"},
};

void Info(CommandContext& ctx) {
  std::set<std::string> wanted;
  bool all = false, everything = false, defaults = ctx.argv.size() == 1;
  for (size_t i = 1; i < ctx.argv.size(); ++i) {
    std::string name = ToLower(ctx.argv[i]);
    if (name == "all") all = true;
    else if (name == "everything") everything = true;
    else if (name == "default") defaults = true;
    else wanted.insert(name);
  }
  std::string text;
  for (const auto& sec : kSections) {
    bool on = everything || all || wanted.count(sec.name) || (defaults && sec.in_default);
    if (!on) continue;
    if (!text.empty()) text += "\r\n";
    text += "# ";
    text += sec.title;
    text += "\r\n";
    sec.fill(*ctx.server, &text);
  }
  ctx.reply->Verbatim(text);
}

}  // namespace

void RegisterServerCommands(CommandTable& table) {
  table.Register("config|get", ConfigGet);
  table.Register("info", Info);
}

}  // namespace strata::server
