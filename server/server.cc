// Server start-up, the thread layout and shutdown; see server.h.
#include "server/server.h"

#include <jemalloc/jemalloc.h>

#include <random>

#include "common/log.h"
#include "engine/engine.h"
#include "engine/eviction.h"
#include "engine/op_context.h"
#include "server/connection.h"
#include "server/server_runtime.h"
#include "ttl/active_expiry.h"

namespace strata::server {

namespace {

// The evictor's settings: the dataset limit is maxmemory-dataset, else maxmemory.
engine::EvictionSettings EvictionSettingsOf(const ConfigValues& c) {
  engine::EvictionSettings s;
  s.policy = c.maxmemory_policy;
  s.samples = c.maxmemory_samples;
  s.lfu = engine::LfuParams{c.lfu_log_factor, c.lfu_decay_time};
  s.dataset_limit =
      static_cast<uint64_t>(c.maxmemory_dataset != 0 ? c.maxmemory_dataset : c.maxmemory);
  return s;
}

// 40 random hex digits, as Redis's getRandomHexChars makes run and replication ids.
std::string RandomHexId() {
  std::random_device rd;
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 40; ++i) id += kHex[rd() % 16];
  return id;
}

}  // namespace

void ServerStats::Reset() {
  total_connections = 0;
  rejected_connections = 0;
  total_commands = 0;
  blocking_commands = 0;
  net_input_bytes = 0;
  net_output_bytes = 0;
  reads_processed = 0;
  writes_processed = 0;
  expired_idle_clients = 0;
}

Server::Server(ConfigValues config) : runtime_(new ServerRuntime) {
  config_versions_.push_back(std::make_unique<ConfigValues>(std::move(config)));
  config_.store(config_versions_.back().get());
  keyspace_events_.SetFlags(config_versions_.back()->notify_keyspace_events);
  RegisterAllCommands(commands_);
  command_stats_ = std::make_unique<CommandStats>(commands_);
  run_id_ = RandomHexId();
  repl_id_ = run_id_;
}

std::string Server::repl_id() const {
  std::lock_guard<std::mutex> lock(repl_id_mu_);
  return repl_id_;
}

void Server::ChangeReplId() {
  std::string id = RandomHexId();
  std::lock_guard<std::mutex> lock(repl_id_mu_);
  repl_id_ = std::move(id);
}

uint64_t Server::UsedMemory() {
  uint64_t epoch = 1;
  size_t sz = sizeof(epoch);
  mallctl("epoch", &epoch, &sz, &epoch, sz);
  size_t allocated = 0;
  sz = sizeof(allocated);
  if (mallctl("stats.allocated", &allocated, &sz, nullptr, 0) != 0) return 0;
  uint64_t peak = stats_.peak_memory.load(std::memory_order_relaxed);
  while (allocated > peak &&
         !stats_.peak_memory.compare_exchange_weak(peak, allocated, std::memory_order_relaxed)) {
  }
  return allocated;
}

Status Server::ChangeConfig(const std::function<Status(ConfigValues*)>& edit) {
  std::lock_guard lock(config_mu_);
  auto next = std::make_unique<ConfigValues>(config());
  RETURN_IF_ERROR(edit(next.get()));
  log::Level level;
  if (log::ParseLevel(next->loglevel, &level)) log::SetLevel(level);
  if (evictor_) evictor_->Configure(EvictionSettingsOf(*next));
  keyspace_events_.SetFlags(next->notify_keyspace_events);
  if (engine_ && next->maxmemory != config().maxmemory) {
    engine_->ResizeMemory(static_cast<uint64_t>(next->maxmemory));
  }
  config_.store(next.get(), std::memory_order_release);
  config_versions_.push_back(std::move(next));
  return Status::Ok();
}

void Server::ScheduleCron() {
  runtime_->cron->expires_after(std::chrono::milliseconds(100));
  runtime_->cron->async_wait([this](const asio::error_code& ec) {
    if (ec) return;
    if (++cron_ticks_ % 10 == 0) CloseIdleClients();  // once a second, as Redis's clientsCron
    (void)UsedMemory();                               // keeps the peak current
    uint64_t now = engine::NowMs();
    instant_metrics_.Sample(InstantMetric::kCommands, stats_.total_commands.load(), now);
    instant_metrics_.Sample(InstantMetric::kNetInput, stats_.net_input_bytes.load(), now);
    instant_metrics_.Sample(InstantMetric::kNetOutput, stats_.net_output_bytes.load(), now);
    ScheduleCron();
  });
}

// As Redis's clientsCronHandleTimeout: a client idle for more than `timeout`
// seconds is closed, unless it waits on a pause or is subscribed (pub/sub
// clients wait for messages, as Redis's CLIENT_PUBSUB exemption).
void Server::CloseIdleClients() {
  int timeout = config().timeout;
  if (timeout <= 0) return;
  uint64_t now = engine::NowMs();
  for (const auto& c : clients_.All()) {
    ClientInfo info = c->Info();
    if (info.blocked || info.sub + info.psub + info.ssub > 0) continue;
    if (now <= info.last_interaction_ms) continue;
    if (now - info.last_interaction_ms > static_cast<uint64_t>(timeout) * 1000) {
      LOG_VERBOSE("Closing idle client id={} addr={}", info.id, info.addr);
      stats_.expired_idle_clients.fetch_add(1, std::memory_order_relaxed);
      c->Kill();
    }
  }
}

Server::~Server() {
  for (auto& io : runtime_->io) io->stop();
  for (auto& t : runtime_->threads) {
    if (t.joinable()) t.join();
  }
  if (runtime_->workers) runtime_->workers->join();
  runtime_->acceptors.clear();
  runtime_->cron.reset();
  runtime_->io.clear();  // destroys connections still queued
  evictor_.reset();
  expiry_.reset();
  engine_.reset();
}

Status Server::Start() {
  start_time_ms_ = engine::NowMs();
  const ConfigValues& cfg = config();
  engine::EngineOptions eo;
  eo.dir = cfg.dir;
  eo.databases = cfg.databases;
  eo.fsync = cfg.appendfsync;
  eo.block_cache_bytes = static_cast<uint64_t>(cfg.rocksdb_block_cache_size);
  eo.write_buffer_bytes = static_cast<uint64_t>(cfg.rocksdb_write_buffer_size);
  eo.maxmemory = static_cast<uint64_t>(cfg.maxmemory);
  eo.hot_tier_bytes = static_cast<uint64_t>(cfg.hot_tier_size);
  eo.use_direct_reads = cfg.rocksdb_use_direct_reads;
  ASSIGN_OR_RETURN(engine_, engine::Engine::Open(eo));
  engine_->SetKeyObserver(&tracking_);
  blocking_ = std::make_unique<BlockedClients>(engine_->ready_keys());
  expiry_ = std::make_unique<ttl::ActiveExpiry>(*engine_, [this](int db, std::string_view key) {
    keyspace_events_.Publish(engine::kNotifyExpired, "expired", db, key);
  });
  expiry_->Start();
  evictor_ = std::make_unique<engine::Evictor>(*engine_, [this](int db, std::string_view key) {
    keyspace_events_.Publish(engine::kNotifyEvicted, "evicted", db, key);
  });
  evictor_->Configure(EvictionSettingsOf(cfg));
  evictor_->Start();

  ServerRuntime& rt = *runtime_;
  for (int i = 0; i < cfg.io_threads; ++i) {
    rt.io.push_back(std::make_unique<asio::io_context>(1));
  }
  rt.workers = std::make_unique<asio::thread_pool>(cfg.blocking_workers);
  for (const auto& host : cfg.bind) {
    std::string h = host;
    if (!h.empty() && h[0] == '-') h = h.substr(1);  // "-::1": optional address in Redis
    asio::error_code ec;
    auto addr = asio::ip::make_address(h == "*" ? "0.0.0.0" : h, ec);
    if (ec) return Status::ClientError("Invalid bind address '" + host + "'");
    auto acceptor = std::make_unique<asio::ip::tcp::acceptor>(rt.main());
    asio::ip::tcp::endpoint ep(addr, static_cast<uint16_t>(cfg.port));
    acceptor->open(ep.protocol(), ec);
    if (!ec) acceptor->set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor->bind(ep, ec);
    if (!ec) acceptor->listen(cfg.tcp_backlog, ec);
    if (ec) {
      if (host[0] == '-') continue;
      return Status::IOError("Could not create server TCP listening socket " + h + ":" +
                             std::to_string(cfg.port) + ": " + ec.message());
    }
    listening_port_ = acceptor->local_endpoint().port();
    rt.acceptors.push_back(std::move(acceptor));
  }
  if (rt.acceptors.empty()) return Status::IOError("no address to listen on");
  StartAccepting(*this);
  rt.cron = std::make_unique<asio::steady_timer>(rt.main());
  ScheduleCron();
  return Status::Ok();
}

void Server::Run() {
  ServerRuntime& rt = *runtime_;
  {
    asio::signal_set signals(rt.main(), SIGINT, SIGTERM);
    signals.async_wait([this](const asio::error_code& ec, int sig) {
      if (ec) return;
      LOG_WARNING("Received {} scheduling shutdown...", sig == SIGINT ? "SIGINT" : "SIGTERM");
      RequestShutdown();
    });
    // Keep every loop alive while it has no connection yet.
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
    for (auto& io : rt.io) guards.push_back(asio::make_work_guard(*io));
    for (size_t i = 1; i < rt.io.size(); ++i) {
      rt.threads.emplace_back([&rt, i] {
        rt.io[i]->run();
        Connection::DropWalFlushRound();
      });
    }
    rt.main().run();
    Connection::DropWalFlushRound();
    for (auto& io : rt.io) io->stop();
    for (auto& t : rt.threads) t.join();
    rt.threads.clear();
    rt.workers->join();
    rt.cron.reset();
  }  // the signal set and guards go before the loops they belong to
  LOG_NOTICE("Closing the data directory; flushing and syncing the WAL.");
  rt.acceptors.clear();
  rt.io.clear();
  evictor_.reset();
  expiry_.reset();
  engine_.reset();
  LOG_NOTICE("Strata is now ready to exit, bye bye...");
}

void Server::RequestShutdown() {
  for (auto& io : runtime_->io) io->stop();
}

}  // namespace strata::server
