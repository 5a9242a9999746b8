// Connection: one client's socket, its input and output buffers, its parser
// and ClientState. Lives on one I/O thread (its io_context) for its whole
// life; all its handlers run there, except a command handed to the blocking
// pool, during which the connection does nothing else.
//
// Cycle: read -> parse and run every complete command -> write all replies in
// one write -> read. Pipelined replies therefore leave in one write, and a
// client that sends faster than it reads is naturally held back. Replies
// leave only after the WAL records written so far reached the OS, with one
// write(2) per I/O-thread round for all the connections that need it (WAL
// flush rounds, connection.cc). Under appendfsync always the write also
// waits until the WAL is synced up to the last write of the batch.
//
// CLIENT PAUSE: a command the pause covers is left unparsed in the input and
// the connection waits on a timer until the pause ends (or CLIENT UNPAUSE
// wakes it); replies of earlier pipelined commands are held until then.
// After every command the connection publishes its ClientInfo for CLIENT
// LIST and the idle-timeout sweep (server/client_registry.h).
//
// PUB/SUB: messages arrive from any thread through Deliver, which queues
// them in inbox_ (in the order the registry hands them over: publish order)
// and posts one drain to this connection's executor (one post per batch;
// posting each message would not keep their order, as Asio runs posts made
// from the loop's own thread before earlier ones made from other threads).
// The drain appends them to the output and
// written at once, even while a read is outstanding (so at most one read and
// one write are in flight: read_pending_, write_pending_). While a command
// runs on the blocking pool, which owns the output, they wait in deferred_.
// A subscriber whose unsent output passes its class's
// client-output-buffer-limit is disconnected instead of growing without
// bound.
//
// BLOCKING COMMANDS (server/blocking.h): a command that sets ctx.block parks
// the connection (parked_): it registers a waiter, keeps reading (to see a
// disconnect) but runs nothing of its input, and arms block_timer_. The
// registry re-runs the command on a writer's thread (RetryBlocked, into
// wake_out_) and wakes the connection here (WakeBlocked -> Unpark), which
// appends the reply and resumes Process. After every command it ran, the
// connection serves the clients blocked on the keys the command wrote.
#pragma once

#include <asio.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/blocking.h"
#include "server/client_registry.h"
#include "server/client_state.h"
#include "server/pubsub.h"
#include "server/reply_builder.h"
#include "server/resp_parser.h"

namespace strata::server {

class Server;

class Connection : public std::enable_shared_from_this<Connection>,
                   public ClientHandle,
                   public Subscriber,
                   public BlockedTarget {
 public:
  Connection(Server& server, asio::ip::tcp::socket socket);
  ~Connection() override;
  void Start();
  asio::any_io_executor socket_executor() { return socket_.get_executor(); }
  // Releases the connections waiting in this thread's WAL flush round. An
  // I/O thread calls it when its loop has stopped: the round is thread-local
  // and would otherwise end them at thread exit, which for the main thread
  // is after the Server (and the client registry they leave) is gone.
  static void DropWalFlushRound();

  // ClientHandle (any thread).
  uint64_t id() const override { return client_.id; }
  ClientInfo Info() const override;
  void Kill() override;
  void Wake() override;
  // Subscriber (any thread).
  void Deliver(std::shared_ptr<const PushMessage> message) override;
  // BlockedTarget (any thread; see server/blocking.h).
  RetryOutcome RetryBlocked(std::string_view key, bool may_block) override;
  void WakeBlocked(bool served, UnblockReason reason) override;

 private:
  void Read();
  void OnRead(const asio::error_code& ec, size_t n);
  // Runs every complete command in the input, then flushes; stops early when
  // a command went to the blocking pool (which calls Process again).
  void Process();
  void RunBlocking(std::vector<std::string> argv, bool suppress_reply);
  void WaitForUnpause(uint64_t end_ms);
  // Parks the client on ctx.block's keys (after Dispatch set it).
  void Park(const CommandContext& ctx, bool suppress_reply);
  // On this thread, after WakeBlocked: the reply, then the rest of the input.
  void Unpark(bool served, UnblockReason reason);
  // Copies client_ and the buffer sizes into info_.
  void Publish();
  void Flush();
  // Flushes the WAL once for every connection of this thread that joined
  // the round, then sends their replies (see Flush in connection.cc).
  static void RunWalFlushRound();
  void OnWritten(const asio::error_code& ec);
  void Close();
  void CompactInput();
  void DrainInbox();
  // Whether the pending output breaks the client's output buffer limit.
  bool OverOutputLimit();
  // Drops the client's subscriptions and transaction (on close).
  void ReleaseClientState();

  Server& server_;
  asio::ip::tcp::socket socket_;
  RespParser parser_;
  std::string in_;
  size_t in_start_ = 0;  // first unconsumed byte
  size_t in_end_ = 0;    // end of received bytes
  std::string out_;
  std::string writing_;
  ReplyBuilder reply_;
  ClientState client_;
  uint64_t pending_seq_ = 0;  // last WAL seq written by replies in out_
  bool closed_ = false;
  bool paused_ = false;         // waiting on pause_timer_
  bool blocking_ = false;       // a command runs on the blocking pool and owns out_
  bool wal_round_ = false;      // waiting in this thread's WAL flush round
  bool read_pending_ = false;   // an async read is outstanding
  bool write_pending_ = false;  // an async write (or a wait for its WAL sync) is outstanding
  std::string deferred_;        // messages that arrived while blocking_
  bool parked_ = false;         // blocked in BLPOP & co. (waiter_ registered)
  std::shared_ptr<BlockedClients::Waiter> waiter_;
  std::vector<std::string> blocked_argv_;  // the parked command
  const CommandEntry* blocked_cmd_ = nullptr;
  bool blocked_suppress_ = false;     // CLIENT REPLY SKIP applied to it
  std::string wake_out_;              // its reply, written by RetryBlocked
  uint64_t wake_seq_ = 0;             // the WAL sequence that reply depends on
  uint64_t soft_limit_since_ms_ = 0;  // when the output first passed the soft limit (0: not over)
  asio::steady_timer pause_timer_;
  asio::steady_timer block_timer_;  // a blocked client's timeout
  mutable std::mutex info_mu_;
  ClientInfo info_;  // GUARDED_BY(info_mu_)
  std::mutex inbox_mu_;
  std::vector<std::shared_ptr<const PushMessage>> inbox_;  // GUARDED_BY(inbox_mu_)
  bool drain_posted_ = false;                              // GUARDED_BY(inbox_mu_)
};

// Starts accepting on the runtime's acceptors.
void StartAccepting(Server& server);

}  // namespace strata::server
