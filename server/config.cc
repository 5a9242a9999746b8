// The settings table and redis.conf-style parsing; see config.h.
#include "server/config.h"

#include <climits>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "common/log.h"
#include "common/numbers.h"
#include "common/text.h"

namespace strata::server {

namespace {

using Args = std::vector<std::string>;
using Setter = std::function<Status(const Args&, ConfigValues*)>;
using Getter = std::function<std::string(const ConfigValues&)>;

struct Setting {
  const char* name;
  Setter set;
  Getter get;
};

Status Bad(std::string_view name, std::string_view why) {
  return Status::ClientError(fmt::format("Invalid argument for '{}': {}", name, why));
}

// Memory sizes as Redis reads them: 1k = 1000, 1kb = 1024, ... gb.
bool ParseMemory(std::string_view s, int64_t* out) {
  std::string lower = ToLower(s);
  int64_t mul = 1;
  struct Unit { const char* suffix; int64_t mul; };
  static const Unit kUnits[] = {{"gb", 1LL << 30}, {"mb", 1LL << 20}, {"kb", 1LL << 10},
                                {"g", 1000000000LL}, {"m", 1000000LL}, {"k", 1000LL}, {"b", 1}};
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

Setting IntSetting(const char* name, int ConfigValues::*field, int64_t lo, int64_t hi) {
  return {name,
          [=](const Args& a, ConfigValues* v) -> Status {
            int64_t x;
            if (a.size() != 1) return Bad(name, "wrong number of arguments");
            if (!ParseInt64(a[0], &x)) return Bad(name, "argument couldn't be parsed into an integer");
            if (x < lo || x > hi) return Bad(name, "argument must be between " +
                                                       std::to_string(lo) + " and " +
                                                       std::to_string(hi) + " inclusive");
            v->*field = static_cast<int>(x);
            return Status::Ok();
          },
          [=](const ConfigValues& v) { return std::to_string(v.*field); }};
}

Setting MemorySetting(const char* name, int64_t ConfigValues::*field, int64_t lo) {
  return {name,
          [=](const Args& a, ConfigValues* v) -> Status {
            int64_t x;
            if (a.size() != 1 || !ParseMemory(a[0], &x)) {
              return Bad(name, "argument must be a memory value");
            }
            if (x < lo) return Bad(name, "argument must be at least " + std::to_string(lo));
            v->*field = x;
            return Status::Ok();
          },
          [=](const ConfigValues& v) { return std::to_string(v.*field); }};
}

Setting StringSetting(const char* name, std::string ConfigValues::*field) {
  return {name,
          [=](const Args& a, ConfigValues* v) -> Status {
            if (a.size() != 1) return Bad(name, "wrong number of arguments");
            v->*field = a[0];
            return Status::Ok();
          },
          [=](const ConfigValues& v) { return v.*field; }};
}

Setting BoolSetting(const char* name, bool ConfigValues::*field) {
  return {name,
          [=](const Args& a, ConfigValues* v) -> Status {
            if (a.size() != 1) return Bad(name, "wrong number of arguments");
            std::string s = ToLower(a[0]);
            if (s != "yes" && s != "no") return Bad(name, "argument must be 'yes' or 'no'");
            v->*field = s == "yes";
            return Status::Ok();
          },
          [=](const ConfigValues& v) { return std::string(v.*field ? "yes" : "no"); }};
}

// A setting Redis has and Strata accepts with one fixed meaning.
Setting FixedSetting(const char* name, const char* value) {
  return {name, [](const Args&, ConfigValues*) { return Status::Ok(); },
          [=](const ConfigValues&) { return std::string(value); }};
}

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      IntSetting("port", &ConfigValues::port, 0, 65535),
      {"bind",
       [](const Args& a, ConfigValues* v) -> Status {
         if (a.empty()) return Bad("bind", "wrong number of arguments");
         v->bind = a;
         return Status::Ok();
       },
       [](const ConfigValues& v) {
         std::string s;
         for (const auto& b : v.bind) s += (s.empty() ? "" : " ") + b;
         return s;
       }},
      StringSetting("dir", &ConfigValues::dir),
      {"appendfsync",
       [](const Args& a, ConfigValues* v) -> Status {
         std::string s = a.size() == 1 ? ToLower(a[0]) : "";
         if (s == "always") v->appendfsync = engine::FsyncPolicy::kAlways;
         else if (s == "everysec") v->appendfsync = engine::FsyncPolicy::kEverySec;
         else if (s == "no") v->appendfsync = engine::FsyncPolicy::kNo;
         else return Bad("appendfsync", "argument(s) must be one of the following: always, everysec, no");
         return Status::Ok();
       },
       [](const ConfigValues& v) {
         switch (v.appendfsync) {
           case engine::FsyncPolicy::kAlways: return std::string("always");
           case engine::FsyncPolicy::kNo: return std::string("no");
           default: return std::string("everysec");
         }
       }},
      IntSetting("databases", &ConfigValues::databases, 1, 65536),
      IntSetting("io-threads", &ConfigValues::io_threads, 1, 128),
      IntSetting("blocking-workers", &ConfigValues::blocking_workers, 1, 256),
      BoolSetting("daemonize", &ConfigValues::daemonize),
      StringSetting("pidfile", &ConfigValues::pidfile),
      StringSetting("logfile", &ConfigValues::logfile),
      {"loglevel",
       [](const Args& a, ConfigValues* v) -> Status {
         log::Level l;
         if (a.size() != 1 || !log::ParseLevel(ToLower(a[0]), &l)) {
           return Bad("loglevel", "argument(s) must be one of the following: debug, verbose, notice, warning");
         }
         v->loglevel = ToLower(a[0]);
         return Status::Ok();
       },
       [](const ConfigValues& v) { return v.loglevel; }},
      IntSetting("maxclients", &ConfigValues::maxclients, 1, INT_MAX),
      MemorySetting("proto-max-bulk-len", &ConfigValues::proto_max_bulk_len, 1024 * 1024),
      MemorySetting("client-query-buffer-limit", &ConfigValues::client_query_buffer_limit, 1024 * 1024),
      MemorySetting("maxmemory", &ConfigValues::maxmemory, 0),
      IntSetting("tcp-backlog", &ConfigValues::tcp_backlog, 0, INT_MAX),
      MemorySetting("rocksdb-block-cache-size", &ConfigValues::rocksdb_block_cache_size, 0),
      MemorySetting("hot-tier-size", &ConfigValues::hot_tier_size, 0),
      MemorySetting("rocksdb-write-buffer-size", &ConfigValues::rocksdb_write_buffer_size, 1 << 20),
      BoolSetting("rocksdb-use-direct-reads", &ConfigValues::rocksdb_use_direct_reads),
      {"maxmemory-policy",
       [](const Args& a, ConfigValues* v) -> Status {
         auto p = a.size() == 1 ? engine::ParseEvictionPolicy(a[0]) : std::nullopt;
         if (!p) {
           std::string names;
           for (auto n : engine::kEvictionPolicyNames)
             names += (names.empty() ? "" : ", ") + std::string(n);
           return Bad("maxmemory-policy", "argument(s) must be one of the following: " + names);
         }
         v->maxmemory_policy = *p;
         return Status::Ok();
       },
       [](const ConfigValues& v) {
         return std::string(engine::EvictionPolicyName(v.maxmemory_policy));
       }},
      IntSetting("maxmemory-samples", &ConfigValues::maxmemory_samples, 1, INT_MAX),
      IntSetting("lfu-log-factor", &ConfigValues::lfu_log_factor, 0, INT_MAX),
      IntSetting("lfu-decay-time", &ConfigValues::lfu_decay_time, 0, INT_MAX),
      MemorySetting("maxmemory-dataset", &ConfigValues::maxmemory_dataset, 0),
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
      return Status::ClientError(fmt::format("line {}: '{}': Unbalanced quotes in configuration line",
                                             lineno, line));
    }
    if (words.empty()) continue;
    const Setting* s = FindSetting(words[0]);
    if (s == nullptr) {
      return Status::ClientError(fmt::format("line {}: '{}': Bad directive or wrong number of arguments",
                                             lineno, line));
    }
    Args rest(words.begin() + 1, words.end());
    Status st = s->set(rest, values);
    if (!st.ok()) return Status::ClientError(fmt::format("line {}: '{}': {}", lineno, line, st.message()));
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
  for (const auto& s : Settings()) {
    if (GlobMatch(pattern, s.name, true)) out.emplace_back(s.name, s.get(values));
  }
  return out;
}

}  // namespace strata::server
