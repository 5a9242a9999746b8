// Server: owns everything a running strata-server has — configuration, the
// storage engine, the command table, the listeners, the I/O threads and the
// blocking worker pool — and its counters for INFO.
//
// Threads: `io-threads` I/O threads each run an event loop; every connection
// lives on one of them for its whole life. `blocking-workers` threads run the
// commands that could not finish without waiting (see server/dispatcher.h).
// Asio stays out of this header (server/server_runtime.h has it).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "common/status.h"
#include "server/blocking.h"
#include "server/client_pause.h"
#include "server/client_registry.h"
#include "server/command_stats.h"
#include "server/command_table.h"
#include "server/config.h"
#include "server/instant_metrics.h"
#include "server/keyspace_events.h"
#include "server/latency_monitor.h"
#include "server/monitor.h"
#include "server/pubsub.h"
#include "server/scan_cursors.h"
#include "server/slowlog.h"
#include "server/tracking.h"

namespace strata::engine {
class Engine;
class Evictor;
}  // namespace strata::engine
namespace strata::ttl {
class ActiveExpiry;
}

namespace strata::server {

struct ServerRuntime;

struct ServerStats {
  std::atomic<uint64_t> total_connections{0};
  std::atomic<uint64_t> rejected_connections{0};
  std::atomic<int64_t> connected_clients{0};
  std::atomic<uint64_t> total_commands{0};
  std::atomic<uint64_t> blocking_commands{0};  // re-run on the worker pool
  std::atomic<uint64_t> net_input_bytes{0};
  std::atomic<uint64_t> net_output_bytes{0};
  std::atomic<uint64_t> reads_processed{0};   // socket reads that returned data
  std::atomic<uint64_t> writes_processed{0};  // socket writes of replies
  std::atomic<uint64_t> next_client_id{1};
  std::atomic<uint64_t> expired_idle_clients{0};  // closed by `timeout`
  std::atomic<uint64_t> peak_memory{0};           // highest used_memory seen (cron, INFO)

  // CONFIG RESETSTAT: the counters Redis resets (not the gauges).
  void Reset();
};

class Server {
 public:
  explicit Server(ConfigValues config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens the engine and binds the listeners; errors are fatal at start-up.
  Status Start();
  // Serves until RequestShutdown(); then closes connections and the engine.
  void Run();
  // Safe from any thread and from a signal-handling thread.
  void RequestShutdown();

  engine::Engine& engine() { return *engine_; }
  const CommandTable& commands() const { return commands_; }
  // The current settings. CONFIG SET publishes a new immutable version; a
  // reader keeps a consistent one for as long as it holds the reference
  // (versions are kept until the server ends: CONFIG SET is rare and small).
  const ConfigValues& config() const { return *config_.load(std::memory_order_acquire); }
  // Runs `edit` on a copy of the settings and publishes the copy if it
  // returns Ok (CONFIG SET: all or nothing); serialised with other changes.
  Status ChangeConfig(const std::function<Status(ConfigValues*)>& edit);
  ServerStats& stats() { return stats_; }
  ClientRegistry& clients() { return clients_; }
  ClientPause& pause() { return pause_; }
  CommandStats& command_stats() { return *command_stats_; }
  SlowLog& slowlog() { return slowlog_; }
  LatencyMonitor& latency() { return latency_; }
  const InstantMetrics& instant_metrics() const { return instant_metrics_; }
  uint64_t start_time_ms() const { return start_time_ms_; }
  // 40 random hex digits, new at every start (INFO run_id).
  const std::string& run_id() const { return run_id_; }
  // INFO master_replid: the run id at start, a new random one after DEBUG
  // CHANGE-REPL-ID (any thread may read it while another changes it).
  std::string repl_id() const;
  void ChangeReplId();
  // Bytes allocated (jemalloc's stats.allocated), and the peak updated with it.
  uint64_t UsedMemory();
  int listening_port() const { return listening_port_; }
  ServerRuntime& runtime() { return *runtime_; }
  ttl::ActiveExpiry& expiry() { return *expiry_; }
  // Key-deleting eviction (maxmemory-policy); its settings are the live ones.
  engine::Evictor& evictor() { return *evictor_; }
  ScanCursors& scan_cursors() { return scan_cursors_; }
  PubSub& pubsub() { return pubsub_; }
  MonitorFeed& monitors() { return monitors_; }
  Tracking& tracking() { return tracking_; }
  // Clients parked in BLPOP and the other blocking commands (server/blocking.h).
  BlockedClients& blocking() { return *blocking_; }
  KeyspaceEvents& keyspace_events() { return keyspace_events_; }

 private:
  // Every 100 ms on the main loop (INFO's hz:10): the memory peak and the
  // instantaneous rates; once a second, closes clients idle beyond `timeout`.
  void ScheduleCron();
  void CloseIdleClients();
  uint64_t cron_ticks_ = 0;  // touched only by the cron, on the main loop

  std::atomic<const ConfigValues*> config_;
  std::mutex config_mu_;                                        // serialises ChangeConfig
  std::vector<std::unique_ptr<ConfigValues>> config_versions_;  // GUARDED_BY(config_mu_)
  CommandTable commands_;
  std::unique_ptr<CommandStats> command_stats_;
  ClientRegistry clients_;
  MonitorFeed monitors_;
  Tracking tracking_{clients_};  // the engine's key observer: outlives engine_
  PubSub pubsub_;                // declared before runtime_: connections unsubscribe as they die
  KeyspaceEvents keyspace_events_{pubsub_};
  ClientPause pause_;
  SlowLog slowlog_;
  LatencyMonitor latency_;
  InstantMetrics instant_metrics_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<BlockedClients> blocking_;  // refers to engine_'s ReadyKeys
  std::unique_ptr<ServerRuntime> runtime_;
  std::unique_ptr<ttl::ActiveExpiry> expiry_;  // stopped before engine_ closes
  std::unique_ptr<engine::Evictor> evictor_;   // likewise
  ServerStats stats_;
  ScanCursors scan_cursors_;
  uint64_t start_time_ms_ = 0;
  std::string run_id_;
  mutable std::mutex repl_id_mu_;
  std::string repl_id_;  // guarded by repl_id_mu_
  int listening_port_ = 0;
};

// Binds every command family's handlers into `table`.
void RegisterAllCommands(CommandTable& table);

}  // namespace strata::server
