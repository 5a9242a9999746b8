// MEMORY: STATS, DOCTOR, MALLOC-STATS, PURGE, HELP, from jemalloc's figures
// (the server's allocator; RocksDB allocates through it too). MEMORY USAGE
// comes with the hot tier, which knows an object's size.
#include <jemalloc/jemalloc.h>
#include <unistd.h>

#include <fstream>

#include "engine/engine.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/server.h"

namespace strata::server {

namespace {

constexpr std::string_view kHelp[] = {
    "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DOCTOR",
    "    Return memory problems reports.",
    "MALLOC-STATS",
    "    Return internal statistics report from the memory allocator.",
    "PURGE",
    "    Attempt to purge dirty pages for reclamation by the allocator.",
    "STATS",
    "    Return information about the memory usage of the server.",
    "USAGE <key> [SAMPLES <count>]",
    "    Return memory in bytes used by <key> and its value. Nested values are",
    "    sampled up to <count> times (default: 5, 0 means sample all).",
    "HELP",
    "    Prints this help.",
};

// The allocator's and the process's view of memory, as Redis's
// getMemoryOverheadData computes its ratios.
struct MemoryFigures {
  uint64_t allocated = 0, active = 0, resident = 0, rss = 0, peak = 0;

  static MemoryFigures Now(Server& server) {
    MemoryFigures m;
    m.allocated = server.UsedMemory();  // refreshes jemalloc's stats epoch
    m.peak = std::max<uint64_t>(server.stats().peak_memory.load(), m.allocated);
    size_t v = 0, sz = sizeof(v);
    if (mallctl("stats.active", &v, &sz, nullptr, 0) == 0) m.active = v;
    sz = sizeof(v);
    if (mallctl("stats.resident", &v, &sz, nullptr, 0) == 0) m.resident = v;
    std::ifstream statm("/proc/self/statm");
    uint64_t pages = 0, resident_pages = 0;
    statm >> pages >> resident_pages;
    m.rss = resident_pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    return m;
  }
};

double Ratio(uint64_t a, uint64_t b) {
  return b == 0 ? 0 : static_cast<double>(a) / b;
}

void Stats(CommandContext& ctx) {
  Server& s = *ctx.server;
  MemoryFigures m = MemoryFigures::Now(s);
  uint64_t clients = 0;
  for (const auto& c : s.clients().All()) {
    ClientInfo info = c->Info();
    clients += info.qbuf + info.qbuf_free + info.omem;
  }
  int64_t keys = 0;
  for (int db = 0; db < s.engine().databases(); ++db) keys += s.engine().KeyCount(db);
  engine::EngineStats es = s.engine().Stats();
  ReplyBuilder& r = *ctx.reply;
  r.MapHeader(20);
  auto integer = [&r](std::string_view name, int64_t v) {
    r.Bulk(name);
    r.Integer(v);
  };
  auto real = [&r](std::string_view name, double v) {
    r.Bulk(name);
    r.Double(v);
  };
  integer("peak.allocated", static_cast<int64_t>(m.peak));
  integer("total.allocated", static_cast<int64_t>(m.allocated));
  integer("replication.backlog", 0);
  integer("clients.slaves", 0);
  integer("clients.normal", static_cast<int64_t>(clients));
  integer("aof.buffer", 0);  // the WAL is written by RocksDB, not buffered here
  integer("keys.count", keys);
  real("peak.percentage", 100 * Ratio(m.allocated, m.peak));
  integer("allocator.allocated", static_cast<int64_t>(m.allocated));
  integer("allocator.active", static_cast<int64_t>(m.active));
  integer("allocator.resident", static_cast<int64_t>(m.resident));
  real("allocator-fragmentation.ratio", Ratio(m.active, m.allocated));
  integer("allocator-fragmentation.bytes", static_cast<int64_t>(m.active - m.allocated));
  real("allocator-rss.ratio", Ratio(m.resident, m.active));
  integer("allocator-rss.bytes", static_cast<int64_t>(m.resident - m.active));
  real("rss-overhead.ratio", Ratio(m.rss, m.resident));
  integer("rss-overhead.bytes", static_cast<int64_t>(m.rss) - static_cast<int64_t>(m.resident));
  real("fragmentation", Ratio(m.rss, m.allocated));
  integer("fragmentation.bytes", static_cast<int64_t>(m.rss) - static_cast<int64_t>(m.allocated));
  integer("rocksdb.memtables", static_cast<int64_t>(es.memtable_bytes));
}

// Redis's memory doctor (object.c, getMemoryDoctorReport) for the
// conditions Strata can measure: an empty instance, a past peak, and a
// resident set much larger than the allocations.
std::string DoctorReport(Server& server) {
  MemoryFigures m = MemoryFigures::Now(server);
  if (m.allocated < 5 * 1024 * 1024) {
    return "Hi Sam, this instance is empty or is using very little memory, my issues detector "
           "can't be used in these conditions. Please, leave for your mission on Earth and fill "
           "it with some data. The new Sam and I will be back to our programming as soon as I "
           "finished rebooting.";
  }
  bool big_peak = m.peak > m.allocated * 3 / 2;
  bool high_frag = Ratio(m.rss, m.allocated) > 1.4 && m.rss - m.allocated > 10 * 1024 * 1024;
  if (!big_peak && !high_frag) {
    return "Hi Sam, I can't find any memory issue in your instance. I can only account for what "
           "occurs on this base.";
  }
  std::string s = "Sam, I detected a few issues in this Redis instance memory implants:\n\n";
  if (big_peak) {
    s += " * Peak memory: In the past this instance used more than 150% the memory that is "
         "currently using. The allocator is normally not able to release memory after a peak, "
         "so you can expect to see a big fragmentation ratio, however this is actually harmless "
         "and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) "
         "is currently bigger than expected, the memory will be used as soon as you fill the "
         "Redis instance with more data. If the memory peak was only occasional and you want to "
         "try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other "
         "option is to shutdown and restart the instance.\n\n";
  }
  if (high_frag) {
    s += " * High total RSS: This instance has a memory fragmentation and RSS overhead greater "
         "than 1.4 (this means that the Resident Set Size of the Redis process is much larger "
         "than the sum of the logical allocations Redis performed). This problem is usually due "
         "either to a large peak memory (check if there is a peak memory entry above in the "
         "report) or may result from a workload that causes the allocator to fragment memory a "
         "lot. If the problem is a large peak memory, then there is no issue. Otherwise, make "
         "sure you are using the Jemalloc allocator and not the default libc malloc. Note: The "
         "currently used allocator is \"jemalloc\".\n\n";
  }
  s += "I'm here to keep you safe, Sam. I want to help you.\n";
  return s;
}

void Doctor(CommandContext& ctx) {
  ctx.reply->Verbatim(DoctorReport(*ctx.server));
}

void MallocStats(CommandContext& ctx) {
  std::string text;
  malloc_stats_print([](void* out, const char* s) { static_cast<std::string*>(out)->append(s); },
                     &text, nullptr);
  ctx.reply->Verbatim(text);
}

void Purge(CommandContext& ctx) {
  std::string cmd = "arena." + std::to_string(MALLCTL_ARENAS_ALL) + ".purge";
  mallctl(cmd.c_str(), nullptr, nullptr, nullptr, 0);
  ctx.reply->Ok();
}

void Help(CommandContext& ctx) {
  ctx.reply->ArrayHeader(static_cast<int64_t>(std::size(kHelp)));
  for (std::string_view line : kHelp) ctx.reply->SimpleString(line);
}

}  // namespace

void RegisterMemoryCommands(CommandTable& table) {
  table.Register("memory|stats", Stats);
  table.Register("memory|doctor", Doctor);
  table.Register("memory|malloc-stats", MallocStats);
  table.Register("memory|purge", Purge);
  table.Register("memory|help", Help);
}

}  // namespace strata::server
