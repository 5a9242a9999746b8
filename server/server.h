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
#include <memory>

#include "common/status.h"
#include "server/command_table.h"
#include "server/config.h"
#include "server/scan_cursors.h"

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
  std::atomic<uint64_t> next_client_id{1};
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
  const ConfigValues& config() const { return config_; }
  ServerStats& stats() { return stats_; }
  uint64_t start_time_ms() const { return start_time_ms_; }
  int listening_port() const { return listening_port_; }
  ServerRuntime& runtime() { return *runtime_; }
  ttl::ActiveExpiry& expiry() { return *expiry_; }
  // Key-deleting eviction (maxmemory-policy); its settings are the live ones.
  engine::Evictor& evictor() { return *evictor_; }
  ScanCursors& scan_cursors() { return scan_cursors_; }

 private:
  ConfigValues config_;
  CommandTable commands_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<ServerRuntime> runtime_;
  std::unique_ptr<ttl::ActiveExpiry> expiry_;  // stopped before engine_ closes
  std::unique_ptr<engine::Evictor> evictor_;   // likewise
  ServerStats stats_;
  ScanCursors scan_cursors_;
  uint64_t start_time_ms_ = 0;
  int listening_port_ = 0;
};

// Binds every command family's handlers into `table`.
void RegisterAllCommands(CommandTable& table);

}  // namespace strata::server
