// Config: the server's settings, with Redis's names, parsed from a
// redis.conf-style file and `--name value` arguments, read by CONFIG GET.
//
// Each setting is declared once in the table in config.cc (name, kind,
// default, bounds, whether it may change at run time); parsing, validation,
// CONFIG GET, CONFIG SET and CONFIG REWRITE all read that table.
//
// Start-up: `strata-server [config-file] [--name value ...]`, as redis-server:
// the arguments after the file are turned into config lines and applied after
// it. Values are read on the dispatch path through the typed fields of
// ConfigValues; a running server changes them only through CONFIG SET, which
// publishes a new ConfigValues (Server::ChangeConfig).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "engine/eviction_policy.h"
#include "engine/options.h"

namespace strata::server {

// One class of client-output-buffer-limit: a client whose pending output
// passes `hard` bytes, or stays above `soft` for more than `soft_seconds`,
// is disconnected (0: no limit).
struct OutputBufferLimit {
  int64_t hard = 0;
  int64_t soft = 0;
  int64_t soft_seconds = 0;
};
enum class ClientClass : int { kNormal = 0, kReplica = 1, kPubsub = 2 };

// The default of `io-threads`: half the machine's cores, at least 1 and at
// most 8. Each I/O thread runs its clients' commands (RocksDB writes
// included); measured on 2 cores (redis-benchmark -P 16, 50 clients), one
// thread did SET 126k/s and INCR 107k/s against 73k/s and 65k/s with two,
// because two writers contend in RocksDB's write group, while GET was the
// same (446k/s vs 457k/s). Leave the other cores to RocksDB's background
// jobs, the blocking pool and, on a benchmark machine, the client.
int DefaultIoThreads();

struct ConfigValues {
  int port = 6379;
  std::vector<std::string> bind = {"127.0.0.1"};
  std::string dir = "./data";
  engine::FsyncPolicy appendfsync = engine::FsyncPolicy::kEverySec;
  int databases = 16;
  int io_threads = DefaultIoThreads();
  int blocking_workers = 4;  // Strata's own: threads for commands that may block on disk
  bool daemonize = false;
  std::string pidfile;
  std::string logfile;
  std::string loglevel = "notice";
  int64_t maxclients = 10000;
  int64_t tracking_table_max_keys = 1000000;  // CLIENT TRACKING's key table; 0: no limit
  int timeout = 0;                            // seconds a client may stay idle; 0: forever
  std::string requirepass;
  int64_t slowlog_log_slower_than = 10000;  // microseconds; -1 off, 0 everything
  int64_t slowlog_max_len = 128;
  int64_t latency_monitor_threshold = 0;  // milliseconds; 0 off
  int64_t busy_reply_threshold = 5000;    // ms a script runs before BUSY (alias lua-time-limit)
  bool latency_tracking = true;           // INFO latencystats
  std::vector<double> latency_tracking_info_percentiles = {50, 99, 99.9};
  std::string enable_debug_command = "no";  // no, yes, local
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;
  // Indexed by ClientClass; Redis's defaults.
  std::array<OutputBufferLimit, 3> client_output_buffer_limit = {
      {{0, 0, 0}, {256LL << 20, 64LL << 20, 60}, {32LL << 20, 8LL << 20, 60}}};
  int64_t maxmemory = 0;
  int tcp_backlog = 511;
  // Strata's own: parts of the maxmemory budget, 0 = derived (engine/memory_budget.h).
  int64_t rocksdb_block_cache_size = 0;
  int64_t hot_tier_size = 0;
  int64_t rocksdb_write_buffer_size = 16LL << 20;  // Strata's own
  bool rocksdb_use_direct_reads = false;           // Strata's own: O_DIRECT reads and flushes
  // Key-deleting eviction (engine/eviction.h); Redis's names and defaults.
  engine::EvictionPolicy maxmemory_policy = engine::EvictionPolicy::kNoEviction;
  int maxmemory_samples = 5;
  int lfu_log_factor = 10;
  int lfu_decay_time = 1;
  int64_t maxmemory_dataset = 0;        // Strata's own: the dataset limit, 0 = maxmemory
  int64_t hll_sparse_max_bytes = 3000;  // a sparse HLL longer than this becomes dense
  uint32_t notify_keyspace_events = 0;  // engine::kNotify* bits (server/keyspace_events.h)
  std::string config_file;              // absolute path of the file we started from, or empty
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
  // CONFIG SET name value [name value ...]: all pairs or none, with Redis's
  // error texts ("ERR Unknown option ...", "ERR CONFIG SET failed ...").
  static Status Set(const std::vector<std::pair<std::string, std::string>>& pairs,
                    ConfigValues* values);
  // The text of `old_text` (a redis.conf) rewritten for `values`, as CONFIG
  // REWRITE: every setting line is given its current value in place
  // (repeated lines of a setting are dropped), comments and order are kept,
  // and settings that differ from their defaults and are not in the file yet
  // are appended after a "# Generated by CONFIG REWRITE" line.
  static std::string Rewrite(std::string_view old_text, const ConfigValues& values);
};

}  // namespace strata::server
