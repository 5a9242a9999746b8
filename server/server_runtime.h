// ServerRuntime: the Asio side of the server — one io_context per I/O
// thread, the listeners, and the blocking worker pool. Included only by the
// few .cc files that deal with sockets and threads.
#pragma once

#include <asio.hpp>
#include <memory>
#include <thread>
#include <vector>

namespace strata::server {

struct ServerRuntime {
  std::vector<std::unique_ptr<asio::io_context>> io;  // one per I/O thread
  std::vector<std::unique_ptr<asio::ip::tcp::acceptor>> acceptors;
  std::unique_ptr<asio::thread_pool> workers;  // blocking commands
  std::vector<std::thread> threads;
  std::unique_ptr<asio::steady_timer> cron;  // Server's periodic tasks, on main()
  asio::io_context& main() { return *io[0]; }
  size_t next_io = 0;
};

}  // namespace strata::server
