// The settings table, redis.conf-style parsing, CONFIG SET's all-or-nothing
// update and CONFIG REWRITE; see config.h.
#include "server/config.h"

#include <algorithm>
#include <cfloat>
#include <climits>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

#include "common/log.h"
#include "common/numbers.h"
#include "common/text.h"
#include "server/keyspace_events.h"

namespace strata::server {

namespace {

using Args = std::vector<std::string>;
// A setter validates and stores; its error message is the bare reason
// ("argument couldn't be parsed into an integer"), which the callers wrap.
using Setter = std::function<Status(const Args&, ConfigValues*)>;
using Getter = std::function<std::string(const ConfigValues&)>;

enum SettingFlag : unsigned {
  kImmutable = 0,        // read at start-up only ("can't set immutable config")
  kMutable = 1u << 0,    // CONFIG SET may change it at run time
  kProtected = 1u << 1,  // refused by CONFIG SET, as Redis's enable-protected-configs no
  kMultiArg = 1u << 2,   // takes several words ("bind a b"); CONFIG SET splits its value
  kFixed = 1u << 3,      // Redis has it; Strata accepts it with one fixed meaning
  kMemory = 1u << 4,     // a byte count; CONFIG REWRITE writes it with a unit
  kString = 1u << 5,     // free text; CONFIG REWRITE always quotes it, as Redis
};

struct Setting {
  const char* name;
  unsigned flags;
  Setter set;
  Getter get;
};

Status Bad(std::string_view why) {
  return Status::ClientError(std::string(why));
}

// Memory sizes as Redis reads them: 1k = 1000, 1kb = 1024, ... gb.
bool ParseMemory(std::string_view s, int64_t* out) {
  std::string lower = ToLower(s);
  int64_t mul = 1;
  struct Unit {
    const char* suffix;
    int64_t mul;
  };
  static const Unit kUnits[] = {
      {"gb", 1LL << 30}, {"mb", 1LL << 20}, {"kb", 1LL << 10}, {"g", 1000000000LL},
      {"m", 1000000LL},  {"k", 1000LL},     {"b", 1}};
  std::string_view digits = lower;
  for (const auto& u : kUnits) {
    std::string_view suf = u.suffix;
    if (digits.size() > suf.size() && digits.substr(digits.size() - suf.size()) == suf) {
      mul = u.mul;
      digits.remove_suffix(suf.size());
      break;
    }
  }
  int64_t v;
  if (!ParseInt64(digits, &v) || v < 0 || v > INT64_MAX / mul) return false;
  *out = v * mul;
  return true;
}

// As Redis's rewriteConfigFormatMemory: the largest binary unit that divides.
std::string FormatMemory(int64_t bytes) {
  if (bytes != 0 && bytes % (1LL << 30) == 0) return FormatInt64(bytes >> 30) + "gb";
  if (bytes != 0 && bytes % (1LL << 20) == 0) return FormatInt64(bytes >> 20) + "mb";
  if (bytes != 0 && bytes % (1LL << 10) == 0) return FormatInt64(bytes >> 10) + "kb";
  return FormatInt64(bytes);
}

template <typename T>
Setting IntSetting(const char* name, T ConfigValues::*field, int64_t lo, int64_t hi,
                   unsigned flags) {
  return {name, flags,
          [=](const Args& a, ConfigValues* v) -> Status {
            int64_t x;
            if (!ParseInt64(a[0], &x)) return Bad("argument couldn't be parsed into an integer");
            if (x < lo || x > hi) {
              return Bad(fmt::format("argument must be between {} and {} inclusive", lo, hi));
            }
            v->*field = static_cast<T>(x);
            return Status::Ok();
          },
          [=](const ConfigValues& v) { return std::to_string(v.*field); }};
}

Setting MemorySetting(const char* name, int64_t ConfigValues::*field, int64_t lo, unsigned flags) {
  return {
      name, flags | kMemory,
      [=](const Args& a, ConfigValues* v) -> Status {
        int64_t x;
        if (!ParseMemory(a[0], &x)) return Bad("argument must be a memory value");
        if (x < lo) {
          return Bad(fmt::format("argument must be between {} and {} inclusive", lo, INT64_MAX));
        }
        v->*field = x;
        return Status::Ok();
      },
      [=](const ConfigValues& v) { return std::to_string(v.*field); }};
}

Setting StringSetting(const char* name, std::string ConfigValues::*field, unsigned flags) {
  return {name, flags | kString,
          [=](const Args& a, ConfigValues* v) -> Status {
            v->*field = a[0];
            return Status::Ok();
          },
          [=](const ConfigValues& v) { return v.*field; }};
}

Setting BoolSetting(const char* name, bool ConfigValues::*field, unsigned flags) {
  return {name, flags,
          [=](const Args& a, ConfigValues* v) -> Status {
            std::string s = ToLower(a[0]);
            if (s != "yes" && s != "no") return Bad("argument must be 'yes' or 'no'");
            v->*field = s == "yes";
            return Status::Ok();
          },
          [=](const ConfigValues& v) { return std::string(v.*field ? "yes" : "no"); }};
}

// One of a fixed set of words, stored as the word itself.
Setting EnumSetting(const char* name, std::string ConfigValues::*field,
                    std::vector<std::string> words, unsigned flags) {
  return {name, flags,
          [=](const Args& a, ConfigValues* v) -> Status {
            std::string s = ToLower(a[0]);
            for (const auto& w : words) {
              if (s == w) {
                v->*field = s;
                return Status::Ok();
              }
            }
            std::string list;
            for (const auto& w : words) {
              if (!list.empty()) list += ", ";
              list += w;
            }
            return Bad("argument(s) must be one of the following: " + list);
          },
          [=](const ConfigValues& v) { return v.*field; }};
}

// A setting Redis has and Strata accepts with one fixed meaning.
Setting FixedSetting(const char* name, const char* value) {
  return {name, kFixed, [](const Args&, ConfigValues*) { return Status::Ok(); },
          [=](const ConfigValues&) { return std::string(value); }};
}

Setting AppendfsyncSetting() {
  return {"appendfsync", kImmutable,
          [](const Args& a, ConfigValues* v) -> Status {
            std::string s = ToLower(a[0]);
            if (s == "always")
              v->appendfsync = engine::FsyncPolicy::kAlways;
            else if (s == "everysec")
              v->appendfsync = engine::FsyncPolicy::kEverySec;
            else if (s == "no")
              v->appendfsync = engine::FsyncPolicy::kNo;
            else
              return Bad("argument(s) must be one of the following: everysec, always, no");
            return Status::Ok();
          },
          [](const ConfigValues& v) {
            switch (v.appendfsync) {
              case engine::FsyncPolicy::kAlways:
                return std::string("always");
              case engine::FsyncPolicy::kNo:
                return std::string("no");
              default:
                return std::string("everysec");
            }
          }};
}

Setting BindSetting() {
  return {"bind", kImmutable | kMultiArg,
          [](const Args& a, ConfigValues* v) -> Status {
            if (a.empty() || a.size() > 16) return Bad("Too many bind addresses specified.");
            v->bind = a;
            return Status::Ok();
          },
          [](const ConfigValues& v) {
            std::string s;
            for (const auto& b : v.bind) {
              if (!s.empty()) s += ' ';
              s += b;
            }
            return s;
          }};
}

Setting PercentilesSetting() {
  return {"latency-tracking-info-percentiles", kMutable | kMultiArg,
          [](const Args& a, ConfigValues* v) -> Status {
            std::vector<double> out;
            for (const auto& w : a) {
              char* end = nullptr;
              double d = std::strtod(w.c_str(), &end);
              if (w.empty() || *end != '\0') {
                return Bad(
                    "latency-tracking-info-percentiles parameters should be a list of "
                    "numbers");
              }
              if (d < 0 || d > 100) {
                return Bad(
                    "latency-tracking-info-percentiles parameters should sit between "
                    "[0.0,100.0]");
              }
              out.push_back(d);
            }
            v->latency_tracking_info_percentiles = std::move(out);
            return Status::Ok();
          },
          [](const ConfigValues& v) {
            std::string s;
            for (double d : v.latency_tracking_info_percentiles) {
              if (!s.empty()) s += ' ';
              s += fmt::format("{:g}", d);
            }
            return s;
          }};
}

Setting LoglevelSetting() {
  return {"loglevel", kMutable,
          [](const Args& a, ConfigValues* v) -> Status {
            log::Level l;
            if (!log::ParseLevel(ToLower(a[0]), &l)) {
              return Bad(
                  "argument(s) must be one of the following: debug, verbose, notice, "
                  "warning");
            }
            v->loglevel = ToLower(a[0]);
            return Status::Ok();
          },
          [](const ConfigValues& v) { return v.loglevel; }};
}

// Redis's eviction policies (engine/eviction_policy.h), in Redis's order.
Setting MaxmemoryPolicySetting() {
  return {"maxmemory-policy", kMutable,
          [](const Args& a, ConfigValues* v) -> Status {
            auto p = engine::ParseEvictionPolicy(a[0]);
            if (!p) {
              std::string names;
              for (auto n : engine::kEvictionPolicyNames) {
                if (!names.empty()) names += ", ";
                names += n;
              }
              return Bad("argument(s) must be one of the following: " + names);
            }
            v->maxmemory_policy = *p;
            return Status::Ok();
          },
          [](const ConfigValues& v) {
            return std::string(engine::EvictionPolicyName(v.maxmemory_policy));
          }};
}

// "normal 0 0 0 replica 256mb 64mb 60 pubsub 32mb 8mb 60" (any subset of
// classes; "slave" names the replica class too), as Redis parses it.
Setting OutputBufferLimitSetting() {
  return {"client-output-buffer-limit", kMutable | kMultiArg,
          [](const Args& a, ConfigValues* v) -> Status {
            if (a.empty() || a.size() % 4 != 0) {
              return Bad("Wrong number of arguments in buffer limit configuration.");
            }
            auto limits = v->client_output_buffer_limit;
            for (size_t i = 0; i < a.size(); i += 4) {
              std::string cls = ToLower(a[i]);
              int c;
              if (cls == "normal") {
                c = static_cast<int>(ClientClass::kNormal);
              } else if (cls == "replica" || cls == "slave") {
                c = static_cast<int>(ClientClass::kReplica);
              } else if (cls == "pubsub") {
                c = static_cast<int>(ClientClass::kPubsub);
              } else {
                return Bad("Invalid client class specified in buffer limit configuration.");
              }
              OutputBufferLimit l;
              if (!ParseMemory(a[i + 1], &l.hard) || !ParseMemory(a[i + 2], &l.soft) ||
                  !ParseInt64(a[i + 3], &l.soft_seconds) || l.hard < 0 || l.soft < 0 ||
                  l.soft_seconds < 0) {
                return Bad(
                    "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
              }
              limits[c] = l;
            }
            v->client_output_buffer_limit = limits;
            return Status::Ok();
          },
          [](const ConfigValues& v) {
            static constexpr const char* kNames[] = {"normal", "slave", "pubsub"};
            std::string s;
            for (int c = 0; c < 3; ++c) {
              const OutputBufferLimit& l = v.client_output_buffer_limit[c];
              if (!s.empty()) s += ' ';
              s += fmt::format("{} {} {} {}", kNames[c], l.hard, l.soft, l.soft_seconds);
            }
            return s;
          }};
}

// Flag letters (server/keyspace_events.h), shown in canonical order.
Setting NotifyKeyspaceEventsSetting() {
  return {"notify-keyspace-events", kMutable,
          [](const Args& a, ConfigValues* v) -> Status {
            auto flags = ParseKeyspaceEventFlags(a[0]);
            if (!flags) return Bad("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            v->notify_keyspace_events = *flags;
            return Status::Ok();
          },
          [](const ConfigValues& v) { return FormatKeyspaceEventFlags(v.notify_keyspace_events); }};
}

}  // namespace

int DefaultIoThreads() {
  unsigned cores = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp<unsigned>(cores / 2, 1, 8));
}

namespace {

const std::vector<Setting>& Settings() {
  using V = ConfigValues;
  static const std::vector<Setting> kSettings = {
      IntSetting("port", &V::port, 0, 65535, kImmutable),
      BindSetting(),
      StringSetting("dir", &V::dir, kProtected),
      AppendfsyncSetting(),
      IntSetting("databases", &V::databases, 1, INT_MAX, kImmutable),
      IntSetting("io-threads", &V::io_threads, 1, 128, kImmutable),
      IntSetting("blocking-workers", &V::blocking_workers, 1, 256, kImmutable),
      BoolSetting("daemonize", &V::daemonize, kImmutable),
      StringSetting("pidfile", &V::pidfile, kImmutable),
      StringSetting("logfile", &V::logfile, kImmutable),
      LoglevelSetting(),
      IntSetting("maxclients", &V::maxclients, 1, UINT32_MAX, kMutable),
      IntSetting("tracking-table-max-keys", &V::tracking_table_max_keys, 0, INT64_MAX, kMutable),
      IntSetting("timeout", &V::timeout, 0, INT_MAX, kMutable),
      StringSetting("requirepass", &V::requirepass, kMutable),
      IntSetting("slowlog-log-slower-than", &V::slowlog_log_slower_than, -1, INT64_MAX, kMutable),
      IntSetting("slowlog-max-len", &V::slowlog_max_len, 0, INT64_MAX, kMutable),
      IntSetting("latency-monitor-threshold", &V::latency_monitor_threshold, 0, INT64_MAX,
                 kMutable),
      BoolSetting("latency-tracking", &V::latency_tracking, kMutable),
      IntSetting("busy-reply-threshold", &V::busy_reply_threshold, 0, INT64_MAX, kMutable),
      IntSetting("lua-time-limit", &V::busy_reply_threshold, 0, INT64_MAX, kMutable),
      PercentilesSetting(),
      EnumSetting("enable-debug-command", &V::enable_debug_command, {"no", "yes", "local"},
                  kImmutable),
      MemorySetting("proto-max-bulk-len", &V::proto_max_bulk_len, 1024 * 1024, kMutable),
      MemorySetting("client-query-buffer-limit", &V::client_query_buffer_limit, 1024 * 1024,
                    kMutable),
      MemorySetting("maxmemory", &V::maxmemory, 0, kMutable),
      OutputBufferLimitSetting(),
      IntSetting("tcp-backlog", &V::tcp_backlog, 0, INT_MAX, kImmutable),
      MemorySetting("rocksdb-block-cache-size", &V::rocksdb_block_cache_size, 0, kImmutable),
      MemorySetting("hot-tier-size", &V::hot_tier_size, 0, kImmutable),
      MemorySetting("rocksdb-write-buffer-size", &V::rocksdb_write_buffer_size, 1 << 20,
                    kImmutable),
      BoolSetting("rocksdb-use-direct-reads", &V::rocksdb_use_direct_reads, kImmutable),
      MaxmemoryPolicySetting(),
      IntSetting("maxmemory-samples", &V::maxmemory_samples, 1, INT_MAX, kMutable),
      IntSetting("lfu-log-factor", &V::lfu_log_factor, 0, INT_MAX, kMutable),
      IntSetting("lfu-decay-time", &V::lfu_decay_time, 0, INT_MAX, kMutable),
      MemorySetting("maxmemory-dataset", &V::maxmemory_dataset, 0, kMutable),
      MemorySetting("hll-sparse-max-bytes", &V::hll_sparse_max_bytes, 0, kMutable),
      NotifyKeyspaceEventsSetting(),
      // The WAL is Strata's append-only file and is always on; RDB snapshots
      // are taken by strata-rdb, not by a background save.
      FixedSetting("appendonly", "yes"),
      FixedSetting("save", ""),
  };
  return kSettings;
}

const Setting* FindSetting(std::string_view name) {
  for (const auto& s : Settings()) {
    if (EqualsIgnoreCase(s.name, name)) return &s;
  }
  return nullptr;
}

// A value as CONFIG REWRITE writes it: bare when it is one plain word (and
// `always` is false), else quoted as Redis's sdscatrepr does.
std::string QuoteValue(std::string_view v, bool always = false) {
  bool plain = !v.empty() && !always;
  for (unsigned char c : v) {
    if (c <= ' ' || c >= 127 || c == '"' || c == '\'' || c == '\\') plain = false;
  }
  if (plain) return std::string(v);
  std::string out = "\"";
  for (unsigned char c : v) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < ' ' || c >= 127)
          out += fmt::format("\\x{:02x}", c);
        else
          out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// The line CONFIG REWRITE writes for `s`.
std::string SettingLine(const Setting& s, const ConfigValues& v) {
  std::string value = s.get(v);
  std::string out = s.name;
  if (s.flags & kMemory) {
    int64_t bytes = 0;
    (void)ParseInt64(value, &bytes);
    return out + " " + FormatMemory(bytes);
  }
  if (s.flags & kMultiArg) {
    std::vector<std::string> words;
    if (!SplitArgs(value, &words) || words.empty()) return out + " \"\"";
    for (const auto& w : words) {
      out += ' ';
      out += QuoteValue(w);
    }
    return out;
  }
  return out + " " + QuoteValue(value, (s.flags & kString) != 0);
}

}  // namespace

Status Config::ApplyText(std::string_view text, ConfigValues* values) {
  std::istringstream in{std::string(text)};
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    size_t start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line[start] == '#') continue;
    Args words;
    if (!SplitArgs(line, &words)) {
      return Status::ClientError(
          fmt::format("line {}: '{}': Unbalanced quotes in configuration line", lineno, line));
    }
    if (words.empty()) continue;
    const Setting* s = FindSetting(words[0]);
    Args rest(words.begin() + 1, words.end());
    if (s == nullptr || rest.empty() || (!(s->flags & (kMultiArg | kFixed)) && rest.size() != 1)) {
      return Status::ClientError(
          fmt::format("line {}: '{}': Bad directive or wrong number of arguments", lineno, line));
    }
    Status st = s->set(rest, values);
    if (!st.ok()) {
      return Status::ClientError(fmt::format("line {}: '{}': {}", lineno, line, st.message()));
    }
  }
  return Status::Ok();
}

StatusOr<ConfigValues> Config::FromArgs(int argc, char** argv) {
  ConfigValues values;
  int i = 1;
  std::string text;
  if (i < argc && std::string_view(argv[i]).substr(0, 2) != "--") {
    std::string path = argv[i++];
    std::ifstream f(path);
    if (!f) return Status::ClientError("Fatal error, can't open config file '" + path + "'");
    std::stringstream ss;
    ss << f.rdbuf();
    text = ss.str() + "\n";
    values.config_file = std::filesystem::absolute(path).string();
  }
  // "--port 6380 --bind a b" becomes the lines "port 6380" and "bind a b".
  std::string line;
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a.substr(0, 2) == "--" && a.size() > 2) {
      if (!line.empty()) text += line + "\n";
      line = std::string(a.substr(2));
    } else {
      std::string quoted = "\"";
      for (char c : a) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
      }
      line += " " + quoted + "\"";
    }
  }
  if (!line.empty()) text += line + "\n";
  RETURN_IF_ERROR(ApplyText(text, &values));
  return values;
}

std::vector<std::pair<std::string, std::string>> Config::Get(const ConfigValues& values,
                                                             std::string_view pattern) {
  std::vector<std::pair<std::string, std::string>> out;
  if (pattern.find_first_of("*?[\\") == std::string_view::npos) {
    // As Redis: a plain name is looked up, and answered with the name as given.
    if (const Setting* s = FindSetting(pattern)) out.emplace_back(pattern, s->get(values));
    return out;
  }
  for (const auto& s : Settings()) {
    if (GlobMatch(pattern, s.name, true)) out.emplace_back(s.name, s.get(values));
  }
  return out;
}

Status Config::Set(const std::vector<std::pair<std::string, std::string>>& pairs,
                   ConfigValues* values) {
  auto failed = [](std::string_view name, std::string_view why) {
    return Status::ClientError(
        fmt::format("ERR CONFIG SET failed (possibly related to argument '{}') - {}", name, why));
  };
  // As Redis's configSetCommand: check every name first, then apply all.
  std::vector<const Setting*> settings;
  std::set<const Setting*> seen;
  for (const auto& [name, value] : pairs) {
    const Setting* s = FindSetting(name);
    if (s == nullptr || (s->flags & kFixed)) {
      return Status::ClientError(
          fmt::format("ERR Unknown option or number of arguments for CONFIG SET - '{}'", name));
    }
    if (s->flags & kProtected) return failed(name, "can't set protected config");
    if (!(s->flags & kMutable)) return failed(name, "can't set immutable config");
    if (!seen.insert(s).second) return failed(name, "duplicate parameter");
    settings.push_back(s);
  }
  ConfigValues next = *values;
  for (size_t i = 0; i < pairs.size(); ++i) {
    Args args;
    if (settings[i]->flags & kMultiArg) {
      if (!SplitArgs(pairs[i].second, &args)) return failed(pairs[i].first, "Invalid argument");
    } else {
      args.push_back(pairs[i].second);
    }
    if (args.empty()) args.emplace_back();
    Status st = settings[i]->set(args, &next);
    if (!st.ok()) return failed(pairs[i].first, st.message());
  }
  *values = std::move(next);
  return Status::Ok();
}

std::string Config::Rewrite(std::string_view old_text, const ConfigValues& values) {
  static constexpr std::string_view kSignature = "# Generated by CONFIG REWRITE";
  const ConfigValues defaults;
  std::set<const Setting*> written;
  bool has_signature = false;
  std::string out;
  std::istringstream in{std::string(old_text)};
  std::string line;
  while (std::getline(in, line)) {
    Args words;
    size_t start = line.find_first_not_of(" \t\r");
    const Setting* s = nullptr;
    if (start != std::string::npos && line[start] != '#' && SplitArgs(line, &words) &&
        !words.empty()) {
      s = FindSetting(words[0]);
    }
    has_signature |= line == kSignature;
    if (s == nullptr || (s->flags & kFixed)) {  // comments, blank and unknown lines stay
      out += line + "\n";
    } else if (written.insert(s).second) {
      out += SettingLine(*s, values) + "\n";
    } else {
      out += "\n";  // a repeated setting keeps its first place; as Redis, a blank line
    }
  }
  for (const auto& s : Settings()) {
    if ((s.flags & kFixed) || written.count(&s) || s.get(values) == s.get(defaults)) continue;
    if (!has_signature) {
      // Redis keeps the empty piece after the file's last newline.
      if (!old_text.empty() && old_text.back() == '\n') out += "\n";
      out += std::string(kSignature) + "\n";
      has_signature = true;
    }
    out += SettingLine(s, values) + "\n";
  }
  return out;
}

}  // namespace strata::server
