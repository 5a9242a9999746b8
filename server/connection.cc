// The connection cycle: read, parse, dispatch, write; see connection.h.
#include "server/connection.h"

#include <algorithm>
#include <optional>

#include "common/log.h"
#include "engine/engine.h"
#include "server/command_context.h"
#include "server/commands/multi_cmds.h"
#include "server/dispatcher.h"
#include "server/errors.h"
#include "server/server.h"
#include "server/server_runtime.h"

namespace strata::server {

namespace {

constexpr size_t kReadChunk = 16 * 1024;
// How far ahead of the bytes received the input buffer grows for a big bulk
// the parser announced. Growing straight to the announced length would make
// a bare "$536870912" header zero-fill (commit) 512 MB and stall this I/O
// thread's other clients meanwhile; growing as the data arrives costs one
// more copy of what is already buffered, per doubling.
constexpr size_t kMaxReadAhead = 4 * 1024 * 1024;

RespLimits LimitsFrom(const ConfigValues& c) {
  RespLimits l;
  l.max_bulk_len = c.proto_max_bulk_len;
  return l;
}

std::string Endpoint(const asio::ip::tcp::endpoint& ep) {
  auto addr = ep.address();
  return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" +
         std::to_string(ep.port());
}

}  // namespace

Connection::Connection(Server& server, asio::ip::tcp::socket socket)
    : server_(server),
      socket_(std::move(socket)),
      parser_(LimitsFrom(server.config())),
      reply_(&out_),
      pause_timer_(socket_.get_executor()),
      block_timer_(socket_.get_executor()) {
  client_.id = server_.stats().next_client_id.fetch_add(1);
  client_.created_ms = engine::NowMs();
  client_.last_interaction_ms = client_.created_ms;
  client_.authenticated = server_.config().requirepass.empty();
  server_.stats().connected_clients.fetch_add(1);
  server_.stats().total_connections.fetch_add(1);
}

Connection::~Connection() {
  if (waiter_) server_.blocking().Unblock(waiter_, UnblockReason::kDisconnected);
  ReleaseClientState();
  if (!closed_) {
    server_.clients().Remove(client_.id);
    server_.stats().connected_clients.fetch_sub(1);
  }
}

void Connection::Start() {
  asio::error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  auto remote = socket_.remote_endpoint(ec);
  if (!ec) client_.addr = Endpoint(remote);
  auto local = socket_.local_endpoint(ec);
  if (!ec) client_.laddr = Endpoint(local);
  {
    std::lock_guard lock(info_mu_);
    info_.fd = socket_.native_handle();
  }
  client_.subscriber = std::weak_ptr<Subscriber>(shared_from_this());
  Publish();
  server_.clients().Add(client_.id, std::weak_ptr<Connection>(shared_from_this()));
  Read();
}

void Connection::Publish() {
  // Asked before taking info_mu_: Tracking holds its lock while it reads
  // other connections' Info().
  bool broken = client_.tracking.on && server_.tracking().BrokenRedirect(client_.id);
  std::lock_guard lock(info_mu_);
  info_.CopyFrom(client_);
  info_.tracking_broken = broken;
  info_.blocked = paused_ || parked_;
  info_.argv_mem = parked_ ? ArgvLenSum(blocked_argv_) : 0;
  info_.qbuf = in_end_ - in_start_;
  info_.qbuf_free = in_.size() - in_end_;
  info_.rbs = in_.size();
  info_.obl = out_.size();
  info_.omem = out_.capacity() + writing_.capacity();
}

ClientInfo Connection::Info() const {
  std::lock_guard lock(info_mu_);
  return info_;
}

void Connection::Kill() {
  auto self = shared_from_this();
  asio::post(socket_.get_executor(), [self] { self->Close(); });
}

void Connection::Wake() {
  auto self = shared_from_this();
  asio::post(socket_.get_executor(), [self] {
    if (self->paused_) self->pause_timer_.cancel();
  });
}

void Connection::WaitForUnpause(uint64_t end_ms) {
  paused_ = true;
  Publish();
  uint64_t now = engine::NowMs();
  pause_timer_.expires_after(std::chrono::milliseconds(end_ms > now ? end_ms - now : 0));
  auto self = shared_from_this();
  pause_timer_.async_wait([self](const asio::error_code&) {
    self->paused_ = false;
    self->Process();
  });
}

void Connection::CompactInput() {
  if (in_start_ == 0) return;
  std::memmove(in_.data(), in_.data() + in_start_, in_end_ - in_start_);
  in_end_ -= in_start_;
  in_start_ = 0;
}

void Connection::Read() {
  if (read_pending_ || closed_) return;
  read_pending_ = true;
  if (in_start_ == in_end_) in_start_ = in_end_ = 0;
  size_t want = std::max(kReadChunk, std::min(parser_.bytes_wanted(), kMaxReadAhead));
  if (in_.size() - in_end_ < want) {
    CompactInput();
    if (in_.size() - in_end_ < want) in_.resize(std::max(in_.size() * 2, in_end_ + want));
  }
  auto self = shared_from_this();
  socket_.async_read_some(asio::buffer(in_.data() + in_end_, in_.size() - in_end_),
                          [self](const asio::error_code& ec, size_t n) { self->OnRead(ec, n); });
}

void Connection::OnRead(const asio::error_code& ec, size_t n) {
  read_pending_ = false;
  if (ec) return Close();
  in_end_ += n;
  server_.stats().net_input_bytes.fetch_add(n, std::memory_order_relaxed);
  server_.stats().reads_processed.fetch_add(1, std::memory_order_relaxed);
  if (static_cast<int64_t>(in_end_ - in_start_) > server_.config().client_query_buffer_limit) {
    LOG_WARNING("Closing client id={} addr={}: query buffer limit reached", client_.id,
                client_.addr);
    return Close();
  }
  Process();
}

void Connection::Process() {
  // A blocking command, a pause or a blocked client resumes Process itself
  // when it ends; a blocked client still reads, to see a disconnect.
  if (parked_ && !closed_) return Read();
  if (closed_ || blocking_ || paused_) return;
  while (!client_.close_after_reply && in_start_ < in_end_) {
    // Redis's tighter request limits hold until the client authenticates;
    // CONFIG SET proto-max-bulk-len applies to the next request.
    const ConfigValues& config = server_.config();
    parser_.set_auth_required(!client_.authenticated && !config.requirepass.empty());
    if (parser_.limits().max_bulk_len != config.proto_max_bulk_len) {
      parser_.set_limits(LimitsFrom(config));
    }
    std::string_view buf(in_.data() + in_start_, in_end_ - in_start_);
    RespParser::Result r = parser_.Parse(buf);
    if (r == RespParser::Result::kNeedMore) break;
    if (r == RespParser::Result::kError) {
      reply_.Error(parser_.error());
      client_.close_after_reply = true;
      break;
    }
    if (r == RespParser::Result::kEmpty) {
      in_start_ += parser_.consumed();
      continue;
    }
    uint64_t now = engine::NowMs();
    const CommandEntry* cmd = LookupCommand(server_.commands(), parser_.argv());
    uint64_t pause_end = 0;
    if (cmd != nullptr && server_.pause().Blocks(*cmd, now, &pause_end)) {
      return WaitForUnpause(pause_end);  // the command stays in the input
    }
    in_start_ += parser_.consumed();
    client_.last_interaction_ms = now;
    // CLIENT REPLY SKIP drops the reply of the command after it.
    bool suppress = client_.reply_skip_next;
    client_.reply_skip_next = false;
    size_t mark = reply_.Mark();

    CommandContext ctx;
    ctx.argv = parser_.argv();
    ctx.command = cmd;  // spares Dispatch a second lookup
    ctx.reply = &reply_;
    ctx.client = &client_;
    ctx.server = &server_;
    ctx.mode = ExecMode::kInline;
    ctx.op.db = client_.db;
    ctx.op.client_id = client_.id;
    ctx.op.may_block = false;
    ctx.op.now_ms = now;  // one clock read per command
    Dispatch(ctx);
    ServeReadyKeys(server_, false);  // the clients blocked on keys it wrote
    pending_seq_ = std::max(pending_seq_, ctx.op.write_seq);
    if (ctx.block) return Park(ctx, suppress);
    if (ctx.retry_blocking) {
      std::vector<std::string> owned(ctx.argv.begin(), ctx.argv.end());
      RunBlocking(std::move(owned), suppress);
      return;
    }
    if (suppress || client_.reply_off) reply_.Truncate(mark);
  }
  Publish();
  Flush();
}

void Connection::RunBlocking(std::vector<std::string> argv, bool suppress_reply) {
  server_.engine().CountInlineRetry();
  server_.stats().blocking_commands.fetch_add(1, std::memory_order_relaxed);
  blocking_ = true;
  auto self = shared_from_this();
  asio::post(*server_.runtime().workers, [self, argv = std::move(argv), suppress_reply] {
    std::vector<std::string_view> views(argv.begin(), argv.end());
    size_t mark = self->reply_.Mark();
    CommandContext ctx;
    ctx.argv = views;
    ctx.reply = &self->reply_;
    ctx.client = &self->client_;
    ctx.server = &self->server_;
    ctx.mode = ExecMode::kBlocking;
    ctx.op.db = self->client_.db;
    ctx.op.client_id = self->client_.id;
    ctx.op.may_block = true;
    ctx.op.now_ms = engine::NowMs();
    Dispatch(ctx);
    ServeReadyKeys(self->server_, true);
    if (ctx.retry_blocking) {
      LOG_WARNING("command '{}' asked to block while already blocking", argv[0]);
      self->reply_.Error("ERR internal error");
    }
    if (suppress_reply || self->client_.reply_off) self->reply_.Truncate(mark);
    uint64_t seq = ctx.op.write_seq;
    std::optional<BlockRequest> block = std::move(ctx.block);
    const CommandEntry* cmd = ctx.command;
    asio::post(self->socket_.get_executor(),
               [self, seq, block = std::move(block), cmd, argv, suppress_reply]() mutable {
                 self->blocking_ = false;
                 self->pending_seq_ = std::max(self->pending_seq_, seq);
                 if (self->closed_) return self->ReleaseClientState();
                 self->out_.append(self->deferred_);
                 self->deferred_.clear();
                 if (block) {
                   std::vector<std::string_view> views(argv.begin(), argv.end());
                   CommandContext parked;
                   parked.argv = views;
                   parked.command = cmd;
                   parked.block = std::move(block);
                   return self->Park(parked, suppress_reply);
                 }
                 self->Process();
               });
  });
}

namespace {

// WAL FLUSH ROUNDS. The replies may acknowledge writes, or show values other
// clients wrote: every WAL record written so far goes to the OS before they
// leave, so no reply ever reveals data a process crash could lose. Rather
// than one write(2) per connection, a connection that needs a flush joins
// its I/O thread's round. The first member posts the round, which runs after
// the handlers already queued on the loop (the other clients whose input
// arrived in the same poll), flushes the WAL once and sends every member's
// replies — as Redis writes its AOF buffer once per event-loop turn, before
// any reply of that turn.
struct WalFlushRound {
  std::vector<std::shared_ptr<Connection>> members;
  bool posted = false;
};
thread_local WalFlushRound wal_flush_round;

}  // namespace

void Connection::DropWalFlushRound() {
  WalFlushRound& round = wal_flush_round;
  round.posted = false;
  std::vector<std::shared_ptr<Connection>> members;
  members.swap(round.members);
  for (auto& conn : members) conn->wal_round_ = false;
}

void Connection::RunWalFlushRound() {
  WalFlushRound& round = wal_flush_round;
  round.posted = false;
  std::vector<std::shared_ptr<Connection>> members;
  members.swap(round.members);
  if (members.empty()) return;
  engine::Engine& engine = members.front()->server_.engine();
  Status st = engine.FlushWal(engine.LatestSequence());
  for (auto& conn : members) {
    conn->wal_round_ = false;
    if (!st.ok()) {
      LOG_WARNING("Closing client id={} without its replies: {}", conn->client_.id, st.ToString());
      conn->Close();
      continue;
    }
    conn->Flush();
  }
}

void Connection::Park(const CommandContext& ctx, bool suppress_reply) {
  parked_ = true;
  const BlockRequest& request = *ctx.block;
  if (request.argv.empty()) {
    blocked_argv_.assign(ctx.argv.begin(), ctx.argv.end());
  } else {
    blocked_argv_ = request.argv;
  }
  blocked_cmd_ = ctx.command;
  blocked_suppress_ = suppress_reply;
  auto self = shared_from_this();
  waiter_ = server_.blocking().Block(client_.id, client_.db, request.keys, request.timeout_ms > 0,
                                     std::weak_ptr<BlockedTarget>(self));
  if (request.timeout_ms > 0) {
    constexpr uint64_t kMaxMs = uint64_t{1} << 40;  // ~35 years: no chrono overflow
    block_timer_.expires_after(std::chrono::milliseconds(std::min(request.timeout_ms, kMaxMs)));
    block_timer_.async_wait([self, waiter = waiter_](const asio::error_code& ec) {
      if (!ec) self->server_.blocking().Unblock(waiter, UnblockReason::kTimeout);
    });
  }
  Publish();
  Flush();                         // earlier pipelined replies go out; the read stays open
  ServeReadyKeys(server_, false);  // a write that raced the registration
}

RetryOutcome Connection::RetryBlocked(std::string_view key, bool may_block) {
  return RetryBlockedCommand(server_, client_, *blocked_cmd_, blocked_argv_, key, may_block,
                             &wake_out_, &wake_seq_);
}

void Connection::WakeBlocked(bool served, UnblockReason reason) {
  auto self = weak_from_this().lock();
  if (self == nullptr) return;  // being destroyed
  asio::post(socket_.get_executor(), [self, served, reason] { self->Unpark(served, reason); });
}

void Connection::Unpark(bool served, UnblockReason reason) {
  parked_ = false;
  waiter_.reset();
  block_timer_.cancel();
  blocked_argv_.clear();
  std::string reply;
  reply.swap(wake_out_);
  pending_seq_ = std::max(pending_seq_, wake_seq_);
  wake_seq_ = 0;
  if (closed_) return ReleaseClientState();
  size_t mark = reply_.Mark();
  if (served) {
    out_.append(reply);
  } else if (reason == UnblockReason::kTimeout) {
    reply_.NullArray();  // as Redis's replyToBlockedClientTimedOut
  } else if (reason == UnblockReason::kError) {
    reply_.Error(errors::kUnblocked);
  }
  if (blocked_suppress_ || client_.reply_off) reply_.Truncate(mark);
  Process();
}

void Connection::Flush() {
  // The write in flight flushes again when it completes; a blocking
  // command's completion runs Process, which flushes; a round flushes its
  // members.
  if (closed_ || write_pending_ || blocking_ || wal_round_) return;
  if (out_.empty()) {
    if (client_.close_after_reply) return Close();
    return Read();
  }
  auto& engine = server_.engine();
  if (!engine.IsWalFlushed(std::max(pending_seq_, engine.LatestSequence()))) {
    wal_round_ = true;
    WalFlushRound& round = wal_flush_round;
    round.members.push_back(shared_from_this());
    if (!round.posted) {
      round.posted = true;
      asio::post(socket_.get_executor(), &Connection::RunWalFlushRound);
    }
    return;
  }
  if (pending_seq_ != 0 && engine.options().fsync == engine::FsyncPolicy::kAlways &&
      !engine.IsSynced(pending_seq_)) {
    auto self = shared_from_this();
    uint64_t seq = pending_seq_;
    pending_seq_ = 0;
    write_pending_ = true;  // nothing else leaves before these replies
    engine.WhenSynced(seq, [self] {
      asio::post(self->socket_.get_executor(), [self] {
        self->write_pending_ = false;
        self->Flush();
      });
    });
    return;
  }
  pending_seq_ = 0;
  writing_.swap(out_);
  out_.clear();
  write_pending_ = true;
  auto self = shared_from_this();
  asio::async_write(socket_, asio::buffer(writing_), [self](const asio::error_code& ec, size_t n) {
    ServerStats& stats = self->server_.stats();
    stats.net_output_bytes.fetch_add(n, std::memory_order_relaxed);
    stats.writes_processed.fetch_add(1, std::memory_order_relaxed);
    self->OnWritten(ec);
  });
}

void Connection::OnWritten(const asio::error_code& ec) {
  write_pending_ = false;
  if (ec) return Close();
  // Shrink a buffer that a huge reply grew, so idle clients stay small.
  if (writing_.capacity() > (1 << 20)) std::string().swap(writing_);
  writing_.clear();
  if (blocking_) return;  // the command's completion flushes
  if (client_.close_after_reply) return Close();
  if (!out_.empty()) return Flush();  // messages that arrived meanwhile
  Read();
}

void Connection::Deliver(std::shared_ptr<const PushMessage> message) {
  {
    std::lock_guard lock(inbox_mu_);
    inbox_.push_back(std::move(message));
    if (drain_posted_) return;
    drain_posted_ = true;
  }
  auto self = shared_from_this();
  asio::post(socket_.get_executor(), [self] { self->DrainInbox(); });
}

void Connection::DrainInbox() {
  std::vector<std::shared_ptr<const PushMessage>> messages;
  {
    std::lock_guard lock(inbox_mu_);
    messages.swap(inbox_);
    drain_posted_ = false;
  }
  if (closed_) return;
  std::string& target = blocking_ ? deferred_ : out_;  // a blocking command owns out_
  for (const auto& m : messages) target.append(m->For(client_.protocol));
  if (OverOutputLimit()) {
    LOG_WARNING("Client id={} addr={} closed for overcoming of output buffer limits.", client_.id,
                client_.addr);
    return Close();
  }
  Flush();
}

// As Redis's checkClientOutputBufferLimits: the hard limit at once, the soft
// one when passed continuously for more than its seconds.
bool Connection::OverOutputLimit() {
  auto cls = client_.subscriptions() > 0 ? ClientClass::kPubsub : ClientClass::kNormal;
  const OutputBufferLimit& limit =
      server_.config().client_output_buffer_limit[static_cast<int>(cls)];
  uint64_t used = out_.size() + deferred_.size() + writing_.size();
  if (limit.hard > 0 && used >= static_cast<uint64_t>(limit.hard)) return true;
  if (limit.soft == 0 || used < static_cast<uint64_t>(limit.soft)) {
    soft_limit_since_ms_ = 0;
    return false;
  }
  uint64_t now = engine::NowMs();
  if (soft_limit_since_ms_ == 0) {
    soft_limit_since_ms_ = now;
    return false;
  }
  return (now - soft_limit_since_ms_) / 1000 > static_cast<uint64_t>(limit.soft_seconds);
}

void Connection::ReleaseClientState() {
  if (client_.subscriptions() > 0) UnsubscribeAll(server_, client_);
  if (client_.monitor) server_.monitors().Remove(client_.id);
  if (client_.tracking.on) server_.tracking().Disable(client_.id);
  if (client_.multi.active || !client_.watched.empty()) DiscardTransaction(server_, client_);
}

void Connection::Close() {
  if (!closed_) {
    closed_ = true;
    server_.clients().Remove(client_.id);
    server_.stats().connected_clients.fetch_sub(1);
    pause_timer_.cancel();
    block_timer_.cancel();
    // A blocked client is released when its wake-up comes back (Unpark).
    if (waiter_) server_.blocking().Unblock(waiter_, UnblockReason::kDisconnected);
    if (!blocking_ && !parked_) ReleaseClientState();  // else when the command comes back
  }
  asio::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

namespace {

void AcceptNext(Server& server, asio::ip::tcp::acceptor& acceptor) {
  ServerRuntime& rt = server.runtime();
  asio::io_context& target = *rt.io[rt.next_io++ % rt.io.size()];
  acceptor.async_accept(
      target, [&server, &acceptor](const asio::error_code& ec, asio::ip::tcp::socket socket) {
        if (ec == asio::error::operation_aborted) return;
        if (!ec) {
          if (server.stats().connected_clients.load() >= server.config().maxclients) {
            server.stats().rejected_connections.fetch_add(1);
            static const char kMsg[] = "-ERR max number of clients reached\r\n";
            asio::error_code wec;
            asio::write(socket, asio::buffer(kMsg, sizeof(kMsg) - 1), wec);
            socket.close(wec);
          } else {
            auto conn = std::make_shared<Connection>(server, std::move(socket));
            asio::post(conn->socket_executor(), [conn] { conn->Start(); });
          }
        } else {
          LOG_WARNING("accept failed: {}", ec.message());
        }
        AcceptNext(server, acceptor);
      });
}

}  // namespace

void StartAccepting(Server& server) {
  for (auto& a : server.runtime().acceptors) AcceptNext(server, *a);
}

}  // namespace strata::server
