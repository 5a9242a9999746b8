// Config: the server's settings, with Redis's names, parsed from a
// redis.conf-style file and `--name value` arguments, read by CONFIG GET.
//
// Each setting is declared once in the table in config.cc (name, kind,
// default, bounds, whether it may change at run time); parsing, validation,
// CONFIG GET and (later) CONFIG SET/REWRITE all read that table.
//
// Start-up: `strata-server [config-file] [--name value ...]`, as redis-server:
// the arguments after the file are turned into config lines and applied after
// it. Values are read on the dispatch path through the typed fields of
// ConfigValues; a running server changes them only through CONFIG SET (a
// later issue), under the server's config lock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "engine/eviction_policy.h"
#include "engine/options.h"

namespace strata::server {

struct ConfigValues {
  int port = 6379;
  std::vector<std::string> bind = {"127.0.0.1"};
  std::string dir = "./data";
  engine::FsyncPolicy appendfsync = engine::FsyncPolicy::kEverySec;
  int databases = 16;
  int io_threads = 2;
  int blocking_workers = 4;  // Strata's own: threads for commands that may block on disk
  bool daemonize = false;
  std::string pidfile;
  std::string logfile;
  std::string loglevel = "notice";
  int maxclients = 10000;
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;
  int64_t maxmemory = 0;
  int tcp_backlog = 511;
  // Strata's own: parts of the maxmemory budget, 0 = derived (engine/memory_budget.h).
  int64_t rocksdb_block_cache_size = 0;
  int64_t hot_tier_size = 0;
  int64_t rocksdb_write_buffer_size = 64LL << 20;  // Strata's own
  bool rocksdb_use_direct_reads = false;           // Strata's own: O_DIRECT reads and flushes
  // Key-deleting eviction (engine/eviction.h); Redis's names and defaults.
  engine::EvictionPolicy maxmemory_policy = engine::EvictionPolicy::kNoEviction;
  int maxmemory_samples = 5;
  int lfu_log_factor = 10;
  int lfu_decay_time = 1;
  int64_t maxmemory_dataset = 0;  // Strata's own: the dataset limit, 0 = maxmemory
  std::string config_file;        // absolute path of the file we started from, or empty
};

class Config {
 public:
  // Parses the command line (argv[1..]) into values, reading the config file
  // if one is named first. Returns a message naming the bad line on error.
  static StatusOr<ConfigValues> FromArgs(int argc, char** argv);
  // Applies config text (redis.conf syntax) on top of `values`.
  static Status ApplyText(std::string_view text, ConfigValues* values);
  // (name, value) for every setting whose name matches the glob `pattern`
  // (case-insensitive), as CONFIG GET returns them.
  static std::vector<std::pair<std::string, std::string>> Get(const ConfigValues& values,
                                                              std::string_view pattern);
};

}  // namespace strata::server
