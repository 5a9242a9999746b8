// FUNCTION LOAD/DELETE/FLUSH/LIST/DUMP/RESTORE/STATS/KILL/HELP, FCALL and
// FCALL_RO, with Redis 7.0.15's replies and error texts. A change to the
// libraries is validated (compiled and loaded in this thread's interpreter),
// written durably (engine/function_store.h), then installed; FCALL runs a
// function through scripting/script_runner.h like an EVAL script.
#include <string>
#include <vector>

#include "common/numbers.h"
#include "common/text.h"
#include "engine/function_store.h"
#include "scripting/busy_scripts.h"
#include "scripting/function_dump.h"
#include "scripting/function_registry.h"
#include "scripting/functions.h"
#include "scripting/lua_interp.h"
#include "scripting/script_runner.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/errors.h"

namespace strata::scripting {

namespace {

// Builds a library from its code: metadata, then a load in this thread's interpreter.
StatusOr<std::shared_ptr<const Library>> BuildLibrary(std::string_view code) {
  auto name = ParseLibraryName(code);
  if (!name.ok()) return name.status();
  auto lib = std::make_shared<Library>();
  lib->name = std::move(*name);
  lib->code = std::string(code);
  lib->id = FunctionRegistry::Instance().NextLibraryId();
  auto functions = Interpreter::ForThisThread().LoadLibrary(*lib);
  if (!functions.ok()) return functions.status();
  lib->functions = std::move(*functions);
  return std::shared_ptr<const Library>(std::move(lib));
}

// Adds `lib` to `libs`, replacing its namesake only when `replace`; fails as
// Redis does when the name (RESTORE's wording, without quotes) or one of its
// functions is taken.
Status AddLibrary(LibraryMap& libs, std::shared_ptr<const Library> lib, bool replace) {
  auto it = libs.find(lib->name);
  if (it != libs.end() && !replace) {
    return Status::ClientError("ERR Library " + lib->name + " already exists");
  }
  for (const auto& [name, other] : libs) {
    if (name == lib->name) continue;
    for (const FunctionInfo& f : lib->functions) {
      if (other->Find(f.name) != nullptr) {
        return Status::ClientError("ERR Function " + f.name + " already exists");
      }
    }
  }
  libs[lib->name] = std::move(lib);
  return Status::Ok();
}

std::string DumpLibraries(const LibraryMap& libs) {
  std::vector<std::string> codes;
  codes.reserve(libs.size());
  for (const auto& [name, lib] : libs) codes.push_back(lib->code);
  return EncodeFunctionDump(codes);
}

// Persists then installs `libs`. REQUIRES: mutation_mu held.
Status Commit(server::CommandContext& ctx, LibraryMap libs) {
  std::string payload = libs.empty() ? std::string() : DumpLibraries(libs);
  if (Status st = engine::SaveFunctionLibraries(ctx.engine(), payload); !st.ok()) return st;
  FunctionRegistry::Instance().Install(std::move(libs));
  return Status::Ok();
}

// Changes go to disk: run them on the blocking pool.
bool MustBlock(server::CommandContext& ctx) {
  if (ctx.mode != server::ExecMode::kInline) return false;
  ctx.ReplyStatus(Status::WouldBlock());
  return true;
}

void FunctionLoad(server::CommandContext& ctx) {
  bool replace = false;
  size_t pos = 2;
  for (; pos < ctx.argv.size() - 1; ++pos) {
    if (!EqualsIgnoreCase(ctx.argv[pos], "replace")) {
      return ctx.ReplyError("ERR Unknown option given: " + std::string(ctx.argv[pos]));
    }
    replace = true;
  }
  if (pos >= ctx.argv.size()) return ctx.ReplyError("ERR Function code is missing");
  if (MustBlock(ctx)) return;
  FunctionRegistry& registry = FunctionRegistry::Instance();
  std::lock_guard lock(registry.mutation_mu());
  // The name is checked before the code runs, as Redis does.
  auto name = ParseLibraryName(ctx.argv[pos]);
  if (!name.ok()) return ctx.ReplyStatus(name.status());
  LibraryMap libs = registry.Libraries();
  if (!replace && libs.contains(*name)) {
    return ctx.ReplyError("ERR Library '" + *name + "' already exists");
  }
  auto lib = BuildLibrary(ctx.argv[pos]);
  if (!lib.ok()) return ctx.ReplyStatus(lib.status());
  if (Status st = AddLibrary(libs, *lib, true); !st.ok()) return ctx.ReplyStatus(st);
  if (Status st = Commit(ctx, std::move(libs)); !st.ok()) return ctx.ReplyStatus(st);
  ctx.reply->Bulk((*lib)->name);
}

void FunctionDelete(server::CommandContext& ctx) {
  if (MustBlock(ctx)) return;
  FunctionRegistry& registry = FunctionRegistry::Instance();
  std::lock_guard lock(registry.mutation_mu());
  LibraryMap libs = registry.Libraries();
  auto it = libs.find(ctx.argv[2]);
  if (it == libs.end()) return ctx.ReplyError("ERR Library not found");
  libs.erase(it);
  if (Status st = Commit(ctx, std::move(libs)); !st.ok()) return ctx.ReplyStatus(st);
  ctx.reply->Ok();
}

void FunctionFlush(server::CommandContext& ctx) {
  if (ctx.argv.size() > 3 || (ctx.argv.size() == 3 && !EqualsIgnoreCase(ctx.argv[2], "sync") &&
                              !EqualsIgnoreCase(ctx.argv[2], "async"))) {
    return ctx.ReplyError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
  }
  if (MustBlock(ctx)) return;
  FunctionRegistry& registry = FunctionRegistry::Instance();
  std::lock_guard lock(registry.mutation_mu());
  if (Status st = Commit(ctx, LibraryMap()); !st.ok()) return ctx.ReplyStatus(st);
  ctx.reply->Ok();
}

void ReplyFlags(server::ReplyBuilder* out, const ScriptFlags& flags) {
  std::vector<std::string_view> names;
  if (flags.no_writes) names.push_back("no-writes");
  if (flags.allow_oom) names.push_back("allow-oom");
  if (flags.allow_stale) names.push_back("allow-stale");
  if (flags.no_cluster) names.push_back("no-cluster");
  if (flags.allow_cross_slot_keys) names.push_back("allow-cross-slot-keys");
  out->SetHeader(static_cast<int64_t>(names.size()));
  for (std::string_view n : names) out->Bulk(n);
}

void FunctionList(server::CommandContext& ctx) {
  bool with_code = false;
  std::optional<std::string_view> pattern;
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    std::string_view arg = ctx.argv[i];
    if (!with_code && EqualsIgnoreCase(arg, "withcode")) {
      with_code = true;
      continue;
    }
    if (!pattern && EqualsIgnoreCase(arg, "libraryname")) {
      if (i >= ctx.argv.size() - 1) {
        return ctx.ReplyError("ERR library name argument was not given");
      }
      pattern = ctx.argv[++i];
      continue;
    }
    return ctx.ReplyError("ERR Unknown argument " + std::string(arg));
  }
  LibraryMap libs = FunctionRegistry::Instance().Libraries();
  std::vector<const Library*> shown;
  for (const auto& [name, lib] : libs) {
    if (!pattern || GlobMatch(*pattern, name, /*nocase=*/true)) shown.push_back(lib.get());
  }
  server::ReplyBuilder* out = ctx.reply;
  out->ArrayHeader(static_cast<int64_t>(shown.size()));
  for (const Library* lib : shown) {
    out->MapHeader(with_code ? 4 : 3);
    out->Bulk("library_name");
    out->Bulk(lib->name);
    out->Bulk("engine");
    out->Bulk("LUA");
    out->Bulk("functions");
    out->ArrayHeader(static_cast<int64_t>(lib->functions.size()));
    for (const FunctionInfo& f : lib->functions) {
      out->MapHeader(3);
      out->Bulk("name");
      out->Bulk(f.name);
      out->Bulk("description");
      if (f.description) {
        out->Bulk(*f.description);
      } else {
        out->Null();
      }
      out->Bulk("flags");
      ReplyFlags(out, f.flags);
    }
    if (with_code) {
      out->Bulk("library_code");
      out->Bulk(lib->code);
    }
  }
}

void FunctionDump(server::CommandContext& ctx) {
  ctx.reply->Bulk(DumpLibraries(FunctionRegistry::Instance().Libraries()));
}

void FunctionRestore(server::CommandContext& ctx) {
  if (ctx.argv.size() > 4) {
    return ctx.ReplyError(server::errors::SubcommandSyntax("FUNCTION", ctx.argv[1]));
  }
  enum { kAppend, kReplace, kFlush } policy = kAppend;
  if (ctx.argv.size() == 4) {
    if (EqualsIgnoreCase(ctx.argv[3], "flush")) {
      policy = kFlush;
    } else if (EqualsIgnoreCase(ctx.argv[3], "append")) {
      policy = kAppend;
    } else if (EqualsIgnoreCase(ctx.argv[3], "replace")) {
      policy = kReplace;
    } else {
      return ctx.ReplyError(
          "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
    }
  }
  auto codes = DecodeFunctionDump(ctx.argv[2]);
  if (!codes.ok()) return ctx.ReplyStatus(codes.status());
  if (MustBlock(ctx)) return;
  FunctionRegistry& registry = FunctionRegistry::Instance();
  std::lock_guard lock(registry.mutation_mu());
  // The payload's libraries must stand together before they meet the
  // existing ones (Redis loads them into a fresh context first).
  LibraryMap restored;
  for (const std::string& code : *codes) {
    auto lib = BuildLibrary(code);
    if (!lib.ok()) return ctx.ReplyStatus(lib.status());
    if (Status st = AddLibrary(restored, *lib, false); !st.ok()) return ctx.ReplyStatus(st);
  }
  LibraryMap libs = policy == kFlush ? LibraryMap() : registry.Libraries();
  for (auto& [name, lib] : restored) {
    if (policy == kReplace) libs.erase(name);
    if (Status st = AddLibrary(libs, lib, false); !st.ok()) return ctx.ReplyStatus(st);
  }
  if (Status st = Commit(ctx, std::move(libs)); !st.ok()) return ctx.ReplyStatus(st);
  ctx.reply->Ok();
}

void FunctionStats(server::CommandContext& ctx) {
  // Busy with an EVAL script: Redis refuses, naming SCRIPT KILL.
  if (AnyScriptBusy() && !BusyScriptIsFunction()) {
    return ctx.ReplyError(server::errors::kBusyScript);
  }
  LibraryMap libs = FunctionRegistry::Instance().Libraries();
  int64_t functions = 0;
  for (const auto& [name, lib] : libs) functions += static_cast<int64_t>(lib->functions.size());
  server::ReplyBuilder* out = ctx.reply;
  out->MapHeader(2);
  out->Bulk("running_script");
  std::optional<BusyFunction> running = CurrentBusyFunction();
  if (running) {
    out->MapHeader(3);
    out->Bulk("name");
    out->Bulk(running->name);
    out->Bulk("command");
    out->ArrayHeader(static_cast<int64_t>(running->command.size()));
    for (const std::string& arg : running->command) out->Bulk(arg);
    out->Bulk("duration_ms");
    out->Integer(running->duration_ms);
  } else {
    out->Null();
  }
  out->Bulk("engines");
  out->MapHeader(1);
  out->Bulk("LUA");
  out->MapHeader(2);
  out->Bulk("libraries_count");
  out->Integer(static_cast<int64_t>(libs.size()));
  out->Bulk("functions_count");
  out->Integer(functions);
}

void FunctionKill(server::CommandContext& ctx) {
  switch (KillBusyScripts(/*functions=*/true)) {
    case KillOutcome::kNotBusy:
      return ctx.ReplyError("NOTBUSY No scripts in execution right now.");
    case KillOutcome::kUnkillable:
      return ctx.ReplyError(
          "UNKILLABLE Sorry the script already executed write commands against the dataset. You "
          "can either wait the script termination or kill the server in a hard way using the "
          "SHUTDOWN NOSAVE command.");
    case KillOutcome::kWrongKind:
      return ctx.ReplyError(server::errors::kBusyScript);
    case KillOutcome::kKilled:
      return ctx.reply->Ok();
  }
}

void FunctionHelp(server::CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "LOAD [REPLACE] <FUNCTION CODE>",
      "    Create a new library with the given library name and code.",
      "DELETE <LIBRARY NAME>",
      "    Delete the given library.",
      "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
      "    Return general information on all the libraries:",
      "    * Library name",
      "    * The engine used to run the Library",
      "    * Library description",
      "    * Functions list",
      "    * Library code (if WITHCODE is given)",
      "    It also possible to get only function that matches a pattern using LIBRARYNAME "
      "argument.",
      "STATS",
      "    Return information about the current function running:",
      "    * Function name",
      "    * Command used to run the function",
      "    * Duration in MS that the function is running",
      "    If no function is running, return nil",
      "    In addition, returns a list of available engines.",
      "KILL",
      "    Kill the current running function.",
      "FLUSH [ASYNC|SYNC]",
      "    Delete all the libraries.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the libraries.",
      "    * SYNC: Synchronously flush the libraries.",
      "DUMP",
      "    Return a serialized payload representing the current libraries, can be restored "
      "using FUNCTION RESTORE command",
      "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
      "    Restore the libraries represented by the given payload, it is possible to give a "
      "restore policy to",
      "    control how to handle existing libraries (default APPEND):",
      "    * FLUSH: delete all existing libraries.",
      "    * APPEND: appends the restored libraries to the existing libraries. On collision, "
      "abort.",
      "    * REPLACE: appends the restored libraries to the existing libraries, On collision, "
      "replace the old",
      "      libraries with the new libraries (notice that even on this option there is a "
      "chance of failure",
      "      in case of functions name collision with another library).",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply->ArrayHeader(std::size(kLines));
  for (std::string_view line : kLines) ctx.reply->SimpleString(line);
}

void FcallGeneric(server::CommandContext& ctx, bool read_only) {
  auto found = FunctionRegistry::Instance().FindFunction(ctx.argv[1]);
  if (!found) return ctx.ReplyError("ERR Function not found");
  int64_t numkeys = 0;
  if (!ParseInt64(ctx.argv[2], &numkeys)) return ctx.ReplyError("ERR Bad number of keys provided");
  if (numkeys < 0) return ctx.ReplyError("ERR Number of keys can't be negative");
  if (static_cast<uint64_t>(numkeys) > ctx.argv.size() - 3) {
    return ctx.ReplyError("ERR Number of keys can't be greater than number of args");
  }
  const FunctionInfo& fn = *found->function;
  if (read_only && !fn.flags.no_writes) {
    return ctx.ReplyError("ERR Can not execute a script with write flag using *_ro command.");
  }
  ScriptRequest req;
  req.sha = "function:" + fn.name;
  req.keys = ctx.argv.subspan(3, static_cast<size_t>(numkeys));
  req.args = ctx.argv.subspan(3 + static_cast<size_t>(numkeys));
  req.read_only = read_only || fn.flags.no_writes;
  req.library = found->library.get();
  req.function = &fn;
  RunScript(ctx, req);
}

void Fcall(server::CommandContext& ctx) {
  FcallGeneric(ctx, false);
}
void FcallRo(server::CommandContext& ctx) {
  FcallGeneric(ctx, true);
}

}  // namespace

Status LoadStoredFunctions(engine::Engine& engine) {
  auto payload = engine::LoadFunctionLibraries(engine);
  if (!payload.ok()) return payload.status();
  if (payload->empty()) return Status::Ok();
  auto codes = DecodeFunctionDump(*payload);
  if (!codes.ok())
    return Status::Corruption("stored function libraries: " + codes.status().message());
  LibraryMap libs;
  for (const std::string& code : *codes) {
    auto lib = BuildLibrary(code);
    if (!lib.ok()) return Status::Corruption("stored function library: " + lib.status().message());
    if (Status st = AddLibrary(libs, *lib, false); !st.ok()) return st;
  }
  FunctionRegistry::Instance().Install(std::move(libs));
  return Status::Ok();
}

}  // namespace strata::scripting

namespace strata::server {

void RegisterFunctionCommands(CommandTable& table) {
  using namespace scripting;  // NOLINT: the handlers above
  table.Register("fcall", Fcall);
  table.Register("fcall_ro", FcallRo);
  table.Register("function|load", FunctionLoad);
  table.Register("function|delete", FunctionDelete);
  table.Register("function|flush", FunctionFlush);
  table.Register("function|list", FunctionList);
  table.Register("function|dump", FunctionDump);
  table.Register("function|restore", FunctionRestore);
  table.Register("function|stats", FunctionStats);
  table.Register("function|kill", FunctionKill);
  table.Register("function|help", FunctionHelp);
}

}  // namespace strata::server
