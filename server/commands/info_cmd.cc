// INFO [section ...]: one small builder function per section, in Redis 7.0's
// order and with its field names and formats, so exporters and dashboards
// that parse INFO read Strata's. A field is emitted only where Strata has the
// real figure (or where the fixed value is the truth, e.g. role:master before
// replication exists); tests/integration/test_info.py lists what is missing.
#include <fmt/format.h>
#include <jemalloc/jemalloc.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <climits>
#include <filesystem>
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
#include "ttl/active_expiry.h"

namespace strata::server {

namespace {

using Lines = std::string;

void Field(Lines* out, std::string_view name, std::string_view value) {
  out->append(name);
  out->push_back(':');
  out->append(value);
  out->append("\r\n");
}
void Field(Lines* out, std::string_view name, const char* value) {
  Field(out, name, std::string_view(value));
}
void Field(Lines* out, std::string_view name, int64_t value) {
  Field(out, name, FormatInt64(value));
}
void Field(Lines* out, std::string_view name, uint64_t value) {
  Field(out, name, static_cast<int64_t>(value));
}
void Field(Lines* out, std::string_view name, int value) {
  Field(out, name, static_cast<int64_t>(value));
}
// A fraction with `decimals` digits, as Redis's "%.2f".
void Field(Lines* out, std::string_view name, double value, int decimals = 2) {
  Field(out, name, fmt::format("{:.{}f}", value, decimals));
}

// Redis's bytesToHuman: "1023B", "1.68M", "23.54G".
std::string HumanBytes(uint64_t n) {
  static const char kUnits[] = "KMGTPE";
  if (n < 1024) return FormatInt64(static_cast<int64_t>(n)) + "B";
  double d = static_cast<double>(n) / 1024;
  int u = 0;
  while (d >= 1024 && u < 5) {
    d /= 1024;
    ++u;
  }
  return fmt::format("{:.2f}{}", d, kUnits[u]);
}

uint64_t JemallocStat(const char* name) {
  size_t value = 0;
  size_t sz = sizeof(value);
  if (mallctl(name, &value, &sz, nullptr, 0) != 0) return 0;
  return value;
}

uint64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

double Ratio(uint64_t a, uint64_t b) {
  return b == 0 ? 0 : static_cast<double>(a) / b;
}

void ServerSection(Server& s, Lines* out) {
  utsname u;
  uname(&u);
  timeval tv;
  gettimeofday(&tv, nullptr);
  uint64_t uptime = (engine::NowMs() - s.start_time_ms()) / 1000;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  Field(out, "redis_version", kRedisVersion);
  Field(out, "strata_version", kStrataVersion);
  Field(out, "redis_git_sha1", "00000000");
  Field(out, "redis_git_dirty", 0);
  Field(out, "redis_mode", "standalone");
  Field(out, "os", std::string(u.sysname) + " " + u.release + " " + u.machine);
  Field(out, "arch_bits", static_cast<int64_t>(sizeof(void*) * 8));
  Field(out, "monotonic_clock", "POSIX clock_gettime");
#ifdef ASIO_HAS_IO_URING
  Field(out, "multiplexing_api", "io_uring");
#else
  Field(out, "multiplexing_api", "epoll");
#endif
  Field(out, "atomicvar_api", "c11-builtin");
  Field(out, "gcc_version", fmt::format("{}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__));
  Field(out, "process_id", static_cast<int64_t>(getpid()));
  Field(out, "process_supervised", "no");
  Field(out, "run_id", s.run_id());
  Field(out, "tcp_port", s.listening_port());
  Field(out, "server_time_usec", static_cast<int64_t>(tv.tv_sec) * 1000000 + tv.tv_usec);
  Field(out, "uptime_in_seconds", uptime);
  Field(out, "uptime_in_days", uptime / 86400);
  Field(out, "hz", 10);  // the server cron's rate (server.cc)
  Field(out, "configured_hz", 10);
  Field(out, "lru_clock", static_cast<int64_t>((engine::NowMs() / 1000) & ((1 << 24) - 1)));
  Field(out, "executable", ec ? std::string() : exe.string());
  Field(out, "config_file", s.config().config_file);
  Field(out, "io_threads_active", s.config().io_threads > 1 ? 1 : 0);
}

void ClientsSection(Server& s, Lines* out) {
  uint64_t max_in = 0, max_out = 0;
  int64_t blocked = 0;
  for (const auto& c : s.clients().All()) {
    ClientInfo info = c->Info();
    max_in = std::max(max_in, info.qbuf);
    max_out = std::max(max_out, info.obl);
    blocked += info.blocked ? 1 : 0;
  }
  Field(out, "connected_clients", s.stats().connected_clients.load());
  Field(out, "cluster_connections", 0);
  Field(out, "maxclients", s.config().maxclients);
  Field(out, "client_recent_max_input_buffer", max_in);
  Field(out, "client_recent_max_output_buffer", max_out);
  Field(out, "blocked_clients", blocked);
  Field(out, "tracking_clients", s.tracking().stats().clients);
  Field(out, "clients_in_timeout_table", static_cast<int64_t>(s.blocking().with_timeout()));
}

void MemorySection(Server& s, Lines* out) {
  uint64_t used = s.UsedMemory();  // also refreshes jemalloc's stats epoch
  uint64_t peak = std::max<uint64_t>(s.stats().peak_memory.load(), used);
  uint64_t rss = ResidentBytes();
  uint64_t active = JemallocStat("stats.active");
  uint64_t resident = JemallocStat("stats.resident");
  uint64_t total =
      static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  int64_t maxmemory = s.config().maxmemory;
  Field(out, "used_memory", used);
  Field(out, "used_memory_human", HumanBytes(used));
  Field(out, "used_memory_rss", rss);
  Field(out, "used_memory_rss_human", HumanBytes(rss));
  Field(out, "used_memory_peak", peak);
  Field(out, "used_memory_peak_human", HumanBytes(peak));
  Field(out, "used_memory_peak_perc", fmt::format("{:.2f}%", 100 * Ratio(used, peak)));
  Field(out, "allocator_allocated", used);
  Field(out, "allocator_active", active);
  Field(out, "allocator_resident", resident);
  Field(out, "total_system_memory", total);
  Field(out, "total_system_memory_human", HumanBytes(total));
  Field(out, "maxmemory", maxmemory);
  Field(out, "maxmemory_human", HumanBytes(static_cast<uint64_t>(maxmemory)));
  // Strata never deletes keys for memory: a full hot tier only leaves RAM.
  Field(out, "maxmemory_policy", "noeviction");
  Field(out, "allocator_frag_ratio", Ratio(active, used));
  Field(out, "allocator_frag_bytes", static_cast<int64_t>(active - used));
  Field(out, "allocator_rss_ratio", Ratio(resident, active));
  Field(out, "allocator_rss_bytes", static_cast<int64_t>(resident - active));
  Field(out, "rss_overhead_ratio", Ratio(rss, resident));
  Field(out, "rss_overhead_bytes", static_cast<int64_t>(rss) - static_cast<int64_t>(resident));
  Field(out, "mem_fragmentation_ratio", Ratio(rss, used));
  Field(out, "mem_fragmentation_bytes", static_cast<int64_t>(rss) - static_cast<int64_t>(used));
  Field(out, "mem_allocator",
        fmt::format("jemalloc-{}.{}.{}", JEMALLOC_VERSION_MAJOR, JEMALLOC_VERSION_MINOR,
                    JEMALLOC_VERSION_BUGFIX));
}

void PersistenceSection(Server& s, Lines* out) {
  engine::EngineStats st = s.engine().Stats();
  Field(out, "loading", 0);
  Field(out, "async_loading", 0);
  Field(out, "rdb_bgsave_in_progress", 0);
  Field(out, "rdb_last_save_time", static_cast<int64_t>(s.start_time_ms() / 1000));
  Field(out, "rdb_last_bgsave_status", "ok");
  Field(out, "aof_enabled", 1);
  Field(out, "aof_rewrite_in_progress", 0);
  Field(out, "aof_rewrite_scheduled", 0);
  Field(out, "aof_last_write_status", "ok");
  std::vector<std::pair<std::string, std::string>> fsync = Config::Get(s.config(), "appendfsync");
  Field(out, "appendfsync", fsync.empty() ? "" : fsync[0].second);
  Field(out, "wal_syncs", st.wal_syncs);
  Field(out, "wal_latest_seq", st.latest_seq);
  Field(out, "wal_synced_seq", st.synced_seq);
}

void StatsSection(Server& s, Lines* out) {
  auto& st = s.stats();
  const ttl::ExpiryStats& ex = s.expiry().stats();
  Field(out, "total_connections_received", st.total_connections.load());
  const InstantMetrics& rates = s.instant_metrics();
  Field(out, "total_commands_processed", st.total_commands.load());
  Field(out, "instantaneous_ops_per_sec", rates.Rate(InstantMetric::kCommands));
  Field(out, "total_net_input_bytes", st.net_input_bytes.load());
  Field(out, "total_net_output_bytes", st.net_output_bytes.load());
  Field(out, "instantaneous_input_kbps", rates.Rate(InstantMetric::kNetInput) / 1024.0);
  Field(out, "instantaneous_output_kbps", rates.Rate(InstantMetric::kNetOutput) / 1024.0);
  Field(out, "rejected_connections", st.rejected_connections.load());
  Field(out, "expired_keys", ex.expired_keys.load());
  Field(out, "expired_time_cap_reached_count", ex.time_cap_reached.load());
  Field(out, "expire_cycle_cpu_milliseconds", ex.cycle_cpu_ms.load());
  // Keys deleted by a key-deleting maxmemory-policy (engine/eviction.h).
  Field(out, "evicted_keys", s.evictor().evicted_keys());
  Field(out, "evicted_clients", 0);
  Field(out, "pubsub_channels", s.pubsub().Count(PubSub::Kind::kChannel));
  Field(out, "pubsub_patterns", s.pubsub().Count(PubSub::Kind::kPattern));
  Field(out, "pubsubshard_channels", s.pubsub().Count(PubSub::Kind::kShard));
  Field(out, "total_forks", 0);  // Strata never forks
  Field(out, "latest_fork_usec", 0);
  Tracking::Stats tracking = s.tracking().stats();
  Field(out, "tracking_total_keys", tracking.keys);
  Field(out, "tracking_total_items", tracking.items);
  Field(out, "tracking_total_prefixes", tracking.prefixes);
  Field(out, "total_error_replies", s.command_stats().total_error_replies());
  Field(out, "total_reads_processed", st.reads_processed.load());
  Field(out, "total_writes_processed", st.writes_processed.load());
  Field(out, "blocking_commands", st.blocking_commands.load());
}

void ReplicationSection(Server& s, Lines* out) {
  // Replication is a later issue; until then every server is a master
  // without replicas and without a backlog.
  Field(out, "role", "master");
  Field(out, "connected_slaves", 0);
  Field(out, "master_failover_state", "no-failover");
  Field(out, "master_replid", s.repl_id());
  Field(out, "master_replid2", std::string(40, '0'));
  Field(out, "master_repl_offset", 0);
  Field(out, "second_repl_offset", -1);
  Field(out, "repl_backlog_active", 0);
}

double Seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
}

void CpuSection(Server&, Lines* out) {
  rusage self, children;
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  Field(out, "used_cpu_sys", Seconds(self.ru_stime), 6);
  Field(out, "used_cpu_user", Seconds(self.ru_utime), 6);
  Field(out, "used_cpu_sys_children", Seconds(children.ru_stime), 6);
  Field(out, "used_cpu_user_children", Seconds(children.ru_utime), 6);
}

void ModulesSection(Server&, Lines*) {}  // Strata has no modules

void CommandstatsSection(Server& s, Lines* out) {
  for (const auto& [name, c] : s.command_stats().Used()) {
    uint64_t calls = c->calls.load(), usec = c->usec.load();
    Field(out, "cmdstat_" + name,
          fmt::format("calls={},usec={},usec_per_call={:.2f},rejected_calls={},failed_calls={}",
                      calls, usec, calls == 0 ? 0.0 : static_cast<double>(usec) / calls,
                      c->rejected_calls.load(), c->failed_calls.load()));
  }
}

void ErrorstatsSection(Server& s, Lines* out) {
  for (const auto& [code, count] : s.command_stats().Errors()) {
    Field(out, "errorstat_" + code, "count=" + FormatInt64(static_cast<int64_t>(count)));
  }
}

void LatencystatsSection(Server& s, Lines* out) {
  const ConfigValues& config = s.config();
  if (!config.latency_tracking) return;
  for (const auto& [name, c] : s.command_stats().Used()) {
    if (c->latency.count() == 0) continue;
    std::string value;
    for (double p : config.latency_tracking_info_percentiles) {
      if (!value.empty()) value += ',';
      value += fmt::format("p{:g}={:.3f}", p, c->latency.PercentileUsec(p));
    }
    Field(out, "latency_percentiles_usec_" + name, value);
  }
}

void ClusterSection(Server&, Lines* out) {
  Field(out, "cluster_enabled", 0);
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

void RocksdbSection(Server& s, Lines* out) {
  engine::EngineStats st = s.engine().Stats();
  Field(out, "rocksdb_sst_bytes", st.sst_bytes);
  Field(out, "rocksdb_memtable_bytes", st.memtable_bytes);
  Field(out, "rocksdb_estimated_keys", st.estimated_keys);
  Field(out, "rocksdb_bytes_written", st.bytes_written);
  Field(out, "rocksdb_block_cache_capacity", st.budget.block_cache);
  Field(out, "rocksdb_block_cache_usage", st.block_cache_usage);
  Field(out, "rocksdb_write_buffer_size", s.config().rocksdb_write_buffer_size);
}

// The hot tier and the memory budget (engine/hot_tier.h, engine/memory_budget.h).
void HotTierSection(Server& s, Lines* out) {
  engine::EngineStats st = s.engine().Stats();
  const engine::HotTierStats& h = st.hot;
  Field(out, "hot_tier_capacity_bytes", h.capacity_bytes);
  Field(out, "hot_tier_used_bytes", h.used_bytes);
  Field(out, "hot_tier_objects", h.objects);
  Field(out, "hot_tier_small_objects", h.small_objects);
  Field(out, "hot_tier_main_objects", h.main_objects);
  Field(out, "hot_tier_hits", h.hits);
  Field(out, "hot_tier_misses", h.misses);
  Field(out, "hot_tier_hit_ratio", fmt::format("{:.4f}", Ratio(h.hits, h.hits + h.misses)));
  Field(out, "hot_tier_admissions", h.admissions);
  Field(out, "hot_tier_demotions", h.demotions);
  Field(out, "hot_tier_rejections", h.rejections);
  Field(out, "memory_budget_bytes", st.budget.total);
  Field(out, "memory_budget_block_cache_bytes", st.budget.block_cache);
  Field(out, "memory_budget_memtables_bytes", st.budget.memtables);
  Field(out, "memory_budget_reserve_bytes", st.budget.reserve);
  Field(out, "block_cache_usage_bytes", st.block_cache_usage);
}

enum class In { kDefault, kAll, kEverything };

struct Section {
  const char* name;
  In in;  // the smallest of default < all < everything that includes it
  void (*fill)(Server&, Lines*);
  const char* title;
};
constexpr Section kSections[] = {
    {"server", In::kDefault, ServerSection, "Server"},
    {"clients", In::kDefault, ClientsSection, "Clients"},
    {"memory", In::kDefault, MemorySection, "Memory"},
    {"persistence", In::kDefault, PersistenceSection, "Persistence"},
    {"stats", In::kDefault, StatsSection, "Stats"},
    {"replication", In::kDefault, ReplicationSection, "Replication"},
    {"cpu", In::kDefault, CpuSection, "CPU"},
    {"modules", In::kDefault, ModulesSection, "Modules"},
    {"commandstats", In::kAll, CommandstatsSection, "Commandstats"},
    {"errorstats", In::kDefault, ErrorstatsSection, "Errorstats"},
    {"latencystats", In::kAll, LatencystatsSection, "Latencystats"},
    {"cluster", In::kDefault, ClusterSection, "Cluster"},
    {"keyspace", In::kDefault, KeyspaceSection, "Keyspace"},
    {"rocksdb", In::kAll, RocksdbSection, "Rocksdb"},
    {"hottier", In::kAll, HotTierSection, "Hottier"},
};

void Info(CommandContext& ctx) {
  std::set<std::string> wanted;
  bool all = false, everything = false, defaults = ctx.argv.size() == 1;
  for (size_t i = 1; i < ctx.argv.size(); ++i) {
    std::string name = ToLower(ctx.argv[i]);
    if (name == "all")
      all = true;
    else if (name == "everything")
      everything = true;
    else if (name == "default")
      defaults = true;
    else
      wanted.insert(name);
  }
  std::string text;
  for (const auto& sec : kSections) {
    bool on = everything || wanted.count(sec.name) || (all && sec.in != In::kEverything) ||
              (defaults && sec.in == In::kDefault);
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

void RegisterInfoCommand(CommandTable& table) {
  table.Register("info", Info);
}

}  // namespace strata::server
