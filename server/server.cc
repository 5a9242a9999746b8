// Server start-up, the thread layout and shutdown; see server.h.
#include "server/server.h"

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

}  // namespace

Server::Server(ConfigValues config) : config_(std::move(config)), runtime_(new ServerRuntime) {
  RegisterAllCommands(commands_);
}

Server::~Server() {
  for (auto& io : runtime_->io) io->stop();
  for (auto& t : runtime_->threads) {
    if (t.joinable()) t.join();
  }
  if (runtime_->workers) runtime_->workers->join();
  runtime_->acceptors.clear();
  runtime_->io.clear();  // destroys connections still queued
  evictor_.reset();
  expiry_.reset();
  engine_.reset();
}

Status Server::Start() {
  start_time_ms_ = engine::NowMs();
  engine::EngineOptions eo;
  eo.dir = config_.dir;
  eo.databases = config_.databases;
  eo.fsync = config_.appendfsync;
  eo.maxmemory = static_cast<uint64_t>(config_.maxmemory);
  eo.block_cache_bytes = static_cast<uint64_t>(config_.rocksdb_block_cache_size);
  eo.hot_tier_bytes = static_cast<uint64_t>(config_.hot_tier_size);
  eo.write_buffer_bytes = static_cast<uint64_t>(config_.rocksdb_write_buffer_size);
  eo.use_direct_reads = config_.rocksdb_use_direct_reads;
  ASSIGN_OR_RETURN(engine_, engine::Engine::Open(eo));
  expiry_ = std::make_unique<ttl::ActiveExpiry>(*engine_, nullptr);
  expiry_->Start();
  evictor_ = std::make_unique<engine::Evictor>(*engine_, nullptr);
  evictor_->Configure(EvictionSettingsOf(config_));
  evictor_->Start();

  ServerRuntime& rt = *runtime_;
  for (int i = 0; i < config_.io_threads; ++i) {
    rt.io.push_back(std::make_unique<asio::io_context>(1));
  }
  rt.workers = std::make_unique<asio::thread_pool>(config_.blocking_workers);
  for (const auto& host : config_.bind) {
    std::string h = host;
    if (!h.empty() && h[0] == '-') h = h.substr(1);  // "-::1": optional address in Redis
    asio::error_code ec;
    auto addr = asio::ip::make_address(h == "*" ? "0.0.0.0" : h, ec);
    if (ec) return Status::ClientError("Invalid bind address '" + host + "'");
    auto acceptor = std::make_unique<asio::ip::tcp::acceptor>(rt.main());
    asio::ip::tcp::endpoint ep(addr, static_cast<uint16_t>(config_.port));
    acceptor->open(ep.protocol(), ec);
    if (!ec) acceptor->set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor->bind(ep, ec);
    if (!ec) acceptor->listen(config_.tcp_backlog, ec);
    if (ec) {
      if (host[0] == '-') continue;
      return Status::IOError("Could not create server TCP listening socket " + h + ":" +
                             std::to_string(config_.port) + ": " + ec.message());
    }
    listening_port_ = acceptor->local_endpoint().port();
    rt.acceptors.push_back(std::move(acceptor));
  }
  if (rt.acceptors.empty()) return Status::IOError("no address to listen on");
  StartAccepting(*this);
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
      rt.threads.emplace_back([&rt, i] { rt.io[i]->run(); });
    }
    rt.main().run();
    for (auto& io : rt.io) io->stop();
    for (auto& t : rt.threads) t.join();
    rt.threads.clear();
    rt.workers->join();
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
