// The two ways a script runs (declared keys / exclusive); see script_runner.h.
#include "scripting/script_runner.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

#include "engine/transaction.h"
#include "scripting/busy_scripts.h"
#include "scripting/lua_interp.h"
#include "scripting/script_cache.h"
#include "server/client_state.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/dispatcher.h"
#include "server/reply_builder.h"
#include "server/server.h"

namespace strata::scripting {

namespace {

using server::CommandContext;
using server::CommandEntry;

enum class Abort : unsigned char { kNone, kWouldBlock, kNeedExclusive, kTooLongInline };

// CPU time a script may spend on an I/O thread (whose other connections
// wait meanwhile) before it is stopped and re-run on the blocking pool. CPU
// time, not wall time: on a loaded machine a short script may be descheduled
// for longer than this, and must not be sent to the pool for that.
//
// The thread's CPU clock is read from the first count hook on, not when the
// script starts: CLOCK_THREAD_CPUTIME_ID is a system call (measured at 8 us
// on this project's VMs, more than the rest of a small EVALSHA), and a script
// that ends before its first hook (kHookInstructions) never needs it. The
// budget therefore starts after those first instructions, well under 1 ms.
constexpr int64_t kInlineBudgetNs = 10'000'000;

int64_t ThreadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Runs the commands a script calls (redis.call / redis.pcall).
class CommandCaller final : public ScriptHost {
 public:
  // `txn`: way 1 (declared keys in `declared`); null: way 2 (exclusive).
  CommandCaller(CommandContext& ctx, bool read_only, engine::Transaction* txn,
                std::span<const std::string_view> declared, bool function)
      : ctx_(ctx),
        read_only_(read_only),
        txn_(txn),
        declared_(declared),
        start_(std::chrono::steady_clock::now()),
        threshold_ms_(ctx.server->config().busy_reply_threshold) {
    // The script's own client: SELECT inside a script does not move the
    // caller (Redis 7), and MULTI state and subscriptions are not its.
    script_client_.id = ctx.client->id;
    script_client_.db = ctx.client->db;
    script_client_.authenticated = true;
    script_client_.name = ctx.client->name;
    script_client_.addr = ctx.client->addr;
    busy_.function = function;
  }

  ~CommandCaller() override {
    if (busy_registered_) LeaveBusy(&busy_);
  }

  bool Call(std::span<const std::string_view> argv, int resp, std::string* reply) override {
    if (busy_registered_ && busy_.kill_requested.load()) return Kill();
    server::ReplyBuilder out(reply);
    out.set_protocol(resp);
    script_client_.protocol = resp;
    const CommandEntry* cmd = server::LookupCommand(ctx_.server->commands(), argv);
    if (cmd == nullptr) {
      out.Error("ERR Unknown Redis command called from script");
      return true;
    }
    if (cmd->handler != nullptr && !cmd->ArityOk(argv.size())) {
      out.Error("ERR Wrong number of args calling Redis command from script");
      return true;
    }
    if (cmd->has(server::kCmdNoscript)) {
      out.Error("ERR This Redis command is not allowed from script");
      return true;
    }
    if (cmd->has(server::kCmdWrite) && read_only_) {
      out.Error("ERR Write commands are not allowed from read-only scripts.");
      return true;
    }
    if (txn_ != nullptr && !Covered(*cmd, argv)) {
      abort_ = Abort::kNeedExclusive;
      return false;
    }
    if (txn_ == nullptr && cmd->has(server::kCmdWrite)) {
      // Committed at once on this path: past here SCRIPT KILL cannot undo it.
      if (busy_registered_ && !wrote_ && !ClaimWrite(&busy_)) return Kill();
      wrote_ = true;
    }
    CommandContext sub;
    sub.argv = argv;
    sub.command = cmd;
    sub.reply = &out;
    sub.client = &script_client_;
    sub.server = ctx_.server;
    sub.mode = ctx_.mode;
    sub.in_exec = true;
    sub.script_caller = true;                // MONITOR shows it as "lua"
    sub.monitor_lines = ctx_.monitor_lines;  // fed after the EVAL line
    sub.op = ctx_.op;
    sub.op.db = script_client_.db;
    sub.op.write_seq = 0;
    sub.op.txn = nullptr;
    if (txn_ != nullptr) txn_->Attach(sub.op);
    server::Dispatch(sub);
    if (sub.retry_blocking) {
      abort_ = Abort::kWouldBlock;
      return false;
    }
    ctx_.op.write_seq = std::max(ctx_.op.write_seq, sub.op.write_seq);
    return true;
  }

  bool aborted() const override { return abort_ != Abort::kNone; }
  bool killed() const override { return killed_; }
  Abort abort_reason() const { return abort_; }

  bool Interrupt() override {
    int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - start_)
                     .count();
    if (ctx_.mode == server::ExecMode::kInline) {
      if (start_cpu_ns_ < 0) {
        start_cpu_ns_ = ThreadCpuNs();
      } else if (ThreadCpuNs() - start_cpu_ns_ >= kInlineBudgetNs) {
        abort_ = Abort::kTooLongInline;
        return true;
      }
    }
    if (!busy_registered_ && ms >= threshold_ms_) {
      // A declared-keys run can always be killed: its batch is dropped.
      busy_.killable.store(txn_ != nullptr || !wrote_);
      if (busy_.function) {
        busy_.name = ctx_.argv[1];
        busy_.command.assign(ctx_.argv.begin(), ctx_.argv.end());
        busy_.start = start_;
      }
      EnterBusy(&busy_);
      busy_registered_ = true;
    }
    if (busy_registered_ && busy_.kill_requested.load()) killed_ = true;
    return killed_;
  }

 private:
  // Whether the declared-keys transaction covers everything `cmd` touches.
  bool Covered(const CommandEntry& cmd, std::span<const std::string_view> argv) const {
    std::string_view name = cmd.parent != nullptr ? cmd.parent->name() : cmd.name();
    if (name == "select" || name == "move" || name == "copy") return false;
    if (!server::CommandHasKeys(cmd)) {
      constexpr uint64_t kOutside = server::kCmdWrite | server::kCmdReadonly | server::kCmdPubsub |
                                    server::kCmdAdmin | server::kCmdMayReplicate;
      return (cmd.spec->flags & kOutside) == 0;
    }
    std::vector<int> positions;
    if (!server::ExtractKeyPositions(cmd, argv, &positions)) return false;
    for (int pos : positions) {
      if (std::find(declared_.begin(), declared_.end(), argv[pos]) == declared_.end()) {
        return false;
      }
    }
    return true;
  }

  bool Kill() {
    killed_ = true;
    return false;
  }

  CommandContext& ctx_;
  bool read_only_;
  engine::Transaction* txn_;
  std::span<const std::string_view> declared_;
  std::chrono::steady_clock::time_point start_;
  int64_t start_cpu_ns_ = -1;  // at the first hook (inline runs only)
  int64_t threshold_ms_;
  server::ClientState script_client_;
  Abort abort_ = Abort::kNone;
  bool killed_ = false;
  bool wrote_ = false;  // a write command ran (exclusive path only)
  BusyScript busy_;
  bool busy_registered_ = false;
};

}  // namespace

void RunScript(CommandContext& ctx, const ScriptRequest& req) {
  Interpreter& interp = Interpreter::ForThisThread();
  Status loaded =
      req.function != nullptr ? interp.EnsureLibrary(*req.library) : interp.Load(req.sha, req.body);
  if (!loaded.ok()) return ctx.ReplyStatus(loaded);
  auto invoke = [&](CommandCaller& caller) {
    if (req.function != nullptr) {
      interp.RunFunction(*req.library, req.function->name, req.keys, req.args, caller, ctx.reply);
    } else {
      interp.Run(req.sha, req.keys, req.args, caller, ctx.reply);
    }
  };
  ScriptCache& cache = ScriptCache::Instance();
  unsigned traits = cache.Traits(req.sha);
  bool inline_mode = ctx.mode == server::ExecMode::kInline;
  if (inline_mode && (traits & ScriptCache::kLongRunning) != 0) {
    return ctx.ReplyStatus(Status::WouldBlock());
  }
  size_t mark = ctx.reply->Mark();
  bool exclusive = ctx.op.gate_exclusive || (traits & ScriptCache::kUndeclaredKeys) != 0;
  if (!exclusive) {
    engine::Transaction txn(ctx.engine(), ctx.op);
    std::vector<engine::Transaction::Key> keys;
    keys.reserve(req.keys.size());
    for (std::string_view k : req.keys) keys.push_back({ctx.client->db, k});
    if (Status st = txn.Lock(keys); !st.ok()) return ctx.ReplyStatus(st);
    CommandCaller caller(ctx, req.read_only, &txn, req.keys, req.function != nullptr);
    invoke(caller);
    if (caller.killed()) return;  // replied "Script killed..."; the batch is dropped
    if (!caller.aborted()) {
      auto seq = txn.Commit();
      if (!seq.ok()) {
        ctx.reply->Truncate(mark);
        return ctx.ReplyStatus(seq.status());
      }
      ctx.op.write_seq = std::max(ctx.op.write_seq, *seq);
      return;
    }
    ctx.reply->Truncate(mark);
    switch (caller.abort_reason()) {
      case Abort::kTooLongInline:
        cache.MarkTrait(req.sha, ScriptCache::kLongRunning);
        return ctx.ReplyStatus(Status::WouldBlock());
      case Abort::kNeedExclusive:
        cache.MarkTrait(req.sha, ScriptCache::kUndeclaredKeys);
        break;
      default:
        return ctx.ReplyStatus(Status::WouldBlock());
    }
  }
  if (inline_mode) return ctx.ReplyStatus(Status::WouldBlock());
  std::optional<engine::ExclusiveGate> gate;
  if (!ctx.op.gate_exclusive) {
    gate.emplace(ctx.engine());
    if (Status st = gate->Acquire(ctx.op); !st.ok()) return ctx.ReplyStatus(st);
  }
  CommandCaller caller(ctx, req.read_only, nullptr, {}, req.function != nullptr);
  invoke(caller);
  if (caller.aborted()) {  // only kWouldBlock, which may_block rules out
    ctx.reply->Truncate(mark);
    ctx.ReplyStatus(Status::WouldBlock());
  }
}

}  // namespace strata::scripting
