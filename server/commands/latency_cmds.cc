// LATENCY: LATEST, HISTORY, RESET, DOCTOR, HISTOGRAM, HELP, over the latency
// monitor (server/latency_monitor.h) and the per-command histograms
// (server/command_stats.h). GRAPH (an ASCII chart) is not served.
#include <fmt/format.h>

#include <cstdlib>

#include "common/text.h"
#include "engine/op_context.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/server.h"

namespace strata::server {

namespace {

constexpr std::string_view kHelp[] = {
    "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DOCTOR",
    "    Return a human readable latency analysis report.",
    "GRAPH <event>",
    "    Return an ASCII latency graph for the <event> class.",
    "HISTORY <event>",
    "    Return time-latency samples for the <event> class.",
    "LATEST",
    "    Return the latest latency samples for all events.",
    "RESET [<event> ...]",
    "    Reset latency data of one or more <event> classes.",
    "    (default: reset all data for all event classes)",
    "HISTOGRAM [COMMAND ...]",
    "    Return a cumulative distribution of latencies in the format of a histogram for the "
    "specified command names.",
    "    If no commands are specified then all histograms are replied.",
    "HELP",
    "    Prints this help.",
};

void Latest(CommandContext& ctx) {
  auto events = ctx.server->latency().Events();
  ctx.reply->ArrayHeader(static_cast<int64_t>(events.size()));
  for (const auto& [name, e] : events) {
    ctx.reply->ArrayHeader(4);
    ctx.reply->Bulk(name);
    ctx.reply->Integer(e.samples.back().time_sec);
    ctx.reply->Integer(static_cast<int64_t>(e.samples.back().latency_ms));
    ctx.reply->Integer(static_cast<int64_t>(e.max_ms));
  }
}

void History(CommandContext& ctx) {
  auto events = ctx.server->latency().Events();
  auto it = events.find(std::string(ctx.argv[2]));
  if (it == events.end()) return ctx.reply->ArrayHeader(0);
  ctx.reply->ArrayHeader(static_cast<int64_t>(it->second.samples.size()));
  for (const LatencySample& s : it->second.samples) {
    ctx.reply->ArrayHeader(2);
    ctx.reply->Integer(s.time_sec);
    ctx.reply->Integer(static_cast<int64_t>(s.latency_ms));
  }
}

void Reset(CommandContext& ctx) {
  std::vector<std::string> names(ctx.argv.begin() + 2, ctx.argv.end());
  ctx.reply->Integer(static_cast<int64_t>(ctx.server->latency().Reset(names)));
}

// Redis's latency report (latency.c, createLatencyReport), without its
// configuration advice, which refers to settings Strata does not have.
std::string DoctorReport(Server& server) {
  auto events = server.latency().Events();
  if (events.empty() && server.config().latency_monitor_threshold == 0) {
    return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis "
           "instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in "
           "order to enable it. If we weren't in a deep space mission I'd suggest to take a look "
           "at https://redis.io/topics/latency-monitor.\n";
  }
  if (events.empty()) {
    return "Dave, no latency spike was observed during the lifetime of this Redis instance, not "
           "in the slightest bit. I honestly think you ought to sleep a little more.\n";
  }
  std::string report =
      "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about "
      "it, do you Dave?\n\n";
  int64_t now = static_cast<int64_t>(engine::NowMs() / 1000);
  int n = 0;
  for (const auto& [name, e] : events) {
    uint64_t sum = 0;
    for (const auto& s : e.samples) sum += s.latency_ms;
    uint64_t avg = sum / e.samples.size();
    uint64_t dev = 0;
    for (const auto& s : e.samples) {
      dev += static_cast<uint64_t>(std::llabs(static_cast<int64_t>(s.latency_ms - avg)));
    }
    int64_t period = std::max<int64_t>(1, now - e.samples.front().time_sec);
    report += fmt::format(
        "{}. {}: {} latency spikes (average {}ms, mean deviation {}ms, period {:.2f} sec). Worst "
        "all time event {}ms.\n",
        ++n, name, e.samples.size(), avg, dev / e.samples.size(),
        static_cast<double>(period) / static_cast<double>(e.samples.size()), e.max_ms);
  }
  report +=
      "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use "
      "the Redis community to get some help, providing this report in your request.\n";
  return report;
}

void Doctor(CommandContext& ctx) {
  ctx.reply->Verbatim(DoctorReport(*ctx.server));
}

void HistogramOf(ReplyBuilder& r, std::string_view name, const CommandCounters& c) {
  auto buckets = c.latency.Cumulative();
  r.Bulk(name);
  r.MapHeader(2);
  r.Bulk("calls");
  r.Integer(static_cast<int64_t>(c.latency.count()));
  r.Bulk("histogram_usec");
  r.MapHeader(static_cast<int64_t>(buckets.size()));
  for (const auto& [usec, cumulative] : buckets) {
    r.Integer(static_cast<int64_t>(usec));
    r.Integer(static_cast<int64_t>(cumulative));
  }
}

void Histogram(CommandContext& ctx) {
  CommandStats& stats = ctx.server->command_stats();
  std::vector<std::pair<std::string, const CommandCounters*>> chosen;
  if (ctx.argv.size() == 2) {
    for (auto& [name, c] : stats.Used()) {
      if (c->latency.count() != 0) chosen.emplace_back(name, c);
    }
  } else {
    for (size_t i = 2; i < ctx.argv.size(); ++i) {
      std::string name = ToLower(ctx.argv[i]);
      const CommandCounters* c = stats.Find(name);
      if (c == nullptr || c->latency.count() == 0) continue;
      bool dup = false;
      for (const auto& [n, _] : chosen) dup |= n == name;
      if (!dup) chosen.emplace_back(name, c);
    }
  }
  ctx.reply->MapHeader(static_cast<int64_t>(chosen.size()));
  for (const auto& [name, c] : chosen) HistogramOf(*ctx.reply, name, *c);
}

void Help(CommandContext& ctx) {
  ctx.reply->ArrayHeader(static_cast<int64_t>(std::size(kHelp)));
  for (std::string_view line : kHelp) ctx.reply->SimpleString(line);
}

}  // namespace

void RegisterLatencyCommands(CommandTable& table) {
  table.Register("latency|latest", Latest);
  table.Register("latency|history", History);
  table.Register("latency|reset", Reset);
  table.Register("latency|doctor", Doctor);
  table.Register("latency|histogram", Histogram);
  table.Register("latency|help", Help);
}

}  // namespace strata::server
