// EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD/EXISTS/FLUSH/KILL/HELP.
// Handlers parse and look scripts up; scripting/script_runner.h runs them.
#include <string>
#include <vector>

#include "common/numbers.h"
#include "common/text.h"
#include "scripting/busy_scripts.h"
#include "scripting/lua_interp.h"
#include "scripting/script_cache.h"
#include "scripting/script_runner.h"
#include "scripting/sha1.h"
#include "scripting/shebang.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/errors.h"

namespace strata::server {

namespace {

using scripting::ScriptCache;

constexpr std::string_view kNoScript = "NOSCRIPT No matching script. Please use EVAL.";

// numkeys of EVAL-family argv: the KEYS and ARGV spans, or false after replying.
bool SplitKeys(CommandContext& ctx, scripting::ScriptRequest* req) {
  int64_t numkeys = 0;
  if (!ParseInt64(ctx.argv[2], &numkeys)) {
    ctx.ReplyError(errors::kNotInteger);
    return false;
  }
  if (numkeys < 0) {
    ctx.ReplyError("ERR Number of keys can't be negative");
    return false;
  }
  if (static_cast<uint64_t>(numkeys) > ctx.argv.size() - 3) {
    ctx.ReplyError("ERR Number of keys can't be greater than number of args");
    return false;
  }
  req->keys = ctx.argv.subspan(3, static_cast<size_t>(numkeys));
  req->args = ctx.argv.subspan(3 + static_cast<size_t>(numkeys));
  return true;
}

// Shebang flags, compilation (the script is cached once it compiles, as
// Redis's EVAL does, also when it then fails), then the run.
void Run(CommandContext& ctx, scripting::ScriptRequest& req, bool read_only) {
  auto flags = scripting::ParseShebang(req.body);
  if (!flags.ok()) return ctx.ReplyStatus(flags.status());
  Status st = scripting::Interpreter::ForThisThread().Load(req.sha, req.body);
  if (!st.ok()) return ctx.ReplyStatus(st);
  ScriptCache::Instance().Add(req.sha, req.body);
  req.read_only = read_only || flags->no_writes;
  scripting::RunScript(ctx, req);
}

void EvalGeneric(CommandContext& ctx, bool read_only) {
  scripting::ScriptRequest req;
  if (!SplitKeys(ctx, &req)) return;
  req.body = ctx.argv[1];
  req.sha = scripting::Sha1Hex(req.body);
  Run(ctx, req, read_only);
}

void Eval(CommandContext& ctx) {
  EvalGeneric(ctx, false);
}
void EvalRo(CommandContext& ctx) {
  EvalGeneric(ctx, true);
}

void EvalShaGeneric(CommandContext& ctx, bool read_only) {
  auto body = ScriptCache::Instance().Find(ctx.argv[1]);
  if (body == nullptr) return ctx.ReplyError(kNoScript);
  scripting::ScriptRequest req;
  if (!SplitKeys(ctx, &req)) return;
  req.body = *body;
  req.sha = ToLower(ctx.argv[1]);
  Run(ctx, req, read_only);
}

void EvalSha(CommandContext& ctx) {
  EvalShaGeneric(ctx, false);
}
void EvalShaRo(CommandContext& ctx) {
  EvalShaGeneric(ctx, true);
}

void ScriptLoad(CommandContext& ctx) {
  std::string_view body = ctx.argv[2];
  auto flags = scripting::ParseShebang(body);
  if (!flags.ok()) return ctx.ReplyStatus(flags.status());
  std::string sha = scripting::Sha1Hex(body);
  Status st = scripting::Interpreter::ForThisThread().Load(sha, body);
  if (!st.ok()) return ctx.ReplyStatus(st);
  ScriptCache::Instance().Add(sha, body);
  ctx.reply->Bulk(sha);
}

void ScriptExists(CommandContext& ctx) {
  ctx.reply->ArrayHeader(static_cast<int64_t>(ctx.argv.size() - 2));
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    ctx.reply->Integer(ScriptCache::Instance().Contains(ctx.argv[i]) ? 1 : 0);
  }
}

void ScriptFlush(CommandContext& ctx) {
  constexpr std::string_view kOption = "ERR SCRIPT FLUSH only support SYNC|ASYNC option";
  if (ctx.argv.size() > 3) return ctx.ReplyError(kOption);
  if (ctx.argv.size() == 3 && !EqualsIgnoreCase(ctx.argv[2], "sync") &&
      !EqualsIgnoreCase(ctx.argv[2], "async")) {
    return ctx.ReplyError(kOption);
  }
  ScriptCache::Instance().Flush();  // bodies are freed at once either way
  ctx.reply->Ok();
}

// Stops the scripts running past busy-reply-threshold (scripting/busy_scripts.h).
void ScriptKill(CommandContext& ctx) {
  switch (scripting::KillBusyScripts()) {
    case scripting::KillOutcome::kNotBusy:
      return ctx.ReplyError("NOTBUSY No scripts in execution right now.");
    case scripting::KillOutcome::kUnkillable:
      return ctx.ReplyError(
          "UNKILLABLE Sorry the script already executed write commands against the dataset. You "
          "can either wait the script termination or kill the server in a hard way using the "
          "SHUTDOWN NOSAVE command.");
    case scripting::KillOutcome::kWrongKind:
      return ctx.ReplyError(errors::kBusyFunction);
    case scripting::KillOutcome::kKilled:
      return ctx.reply->Ok();
  }
}

void ScriptHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DEBUG (YES|SYNC|NO)",
      "    Set the debug mode for subsequent scripts executed.",
      "EXISTS <sha1> [<sha1> ...]",
      "    Return information about the existence of the scripts in the script cache.",
      "FLUSH [ASYNC|SYNC]",
      "    Flush the Lua scripts cache. Very dangerous on replicas.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the scripts cache.",
      "    * SYNC: Synchronously flush the scripts cache.",
      "KILL",
      "    Kill the currently executing Lua script.",
      "LOAD <script>",
      "    Load a script into the scripts cache without executing it.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply->ArrayHeader(std::size(kLines));
  for (std::string_view line : kLines) ctx.reply->SimpleString(line);
}

}  // namespace

void RegisterScriptingCommands(CommandTable& table) {
  table.Register("eval", Eval);
  table.Register("eval_ro", EvalRo);
  table.Register("evalsha", EvalSha);
  table.Register("evalsha_ro", EvalShaRo);
  table.Register("script|load", ScriptLoad);
  table.Register("script|exists", ScriptExists);
  table.Register("script|flush", ScriptFlush);
  table.Register("script|kill", ScriptKill);
  table.Register("script|help", ScriptHelp);
}

}  // namespace strata::server
