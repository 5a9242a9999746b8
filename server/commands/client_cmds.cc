// CLIENT: ID, SETNAME, GETNAME, LIST, INFO, KILL, PAUSE, UNPAUSE, UNBLOCK, REPLY,
// NO-EVICT, HELP. Other clients are reached through the client registry
// (server/client_registry.h); pauses through server/client_pause.h.
#include <fmt/format.h>

#include "engine/op_context.h"
#include "server/arg_parser.h"
#include "server/client_registry.h"
#include "server/client_state.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/server.h"

namespace strata::server {

namespace {

constexpr std::string_view kHelp[] = {
    "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CACHING (YES|NO)",
    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
    "GETREDIR",
    "    Return the client ID we are redirecting to when tracking is enabled.",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Unblock the specified blocked client.",
    "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
    "         [OPTIN] [OPTOUT] [NOLOOP]",
    "    Control server assisted client side caching.",
    "TRACKINGINFO",
    "    Report tracking status for the current connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
    "HELP",
    "    Prints this help.",
};

// Client types as Redis names them. Strata has only normal clients so far
// (replicas, a master and pub/sub clients come with their issues).
enum class ClientType { kNormal, kReplica, kPubsub, kMaster, kUnknown };

ClientType ParseClientType(std::string_view name) {
  if (EqualsIgnoreCase(name, "normal")) return ClientType::kNormal;
  if (EqualsIgnoreCase(name, "slave") || EqualsIgnoreCase(name, "replica")) {
    return ClientType::kReplica;
  }
  if (EqualsIgnoreCase(name, "pubsub")) return ClientType::kPubsub;
  if (EqualsIgnoreCase(name, "master")) return ClientType::kMaster;
  return ClientType::kUnknown;
}

std::string UnknownType(std::string_view name) {
  return fmt::format("ERR Unknown client type '{}'", name);
}

// A client's info; for the calling client, its live state (so cmd= names
// the running command, as in Redis).
ClientInfo InfoOf(CommandContext& ctx, const ClientHandle& c) {
  ClientInfo info = c.Info();
  if (c.id() == ctx.client->id) {
    info.CopyFrom(*ctx.client);
    info.argv_mem = ArgvLenSum(ctx.argv);
  }
  return info;
}

void Id(CommandContext& ctx) {
  ctx.reply->Integer(static_cast<int64_t>(ctx.client->id));
}

void SetName(CommandContext& ctx) {
  if (!ValidClientName(ctx.argv[2])) {
    return ctx.ReplyError(
        "ERR Client names cannot contain spaces, newlines or special characters.");
  }
  ctx.client->name.assign(ctx.argv[2]);
  ctx.reply->Ok();
}

void GetName(CommandContext& ctx) {
  if (ctx.client->name.empty()) return ctx.reply->Null();
  ctx.reply->Bulk(ctx.client->name);
}

void List(CommandContext& ctx) {
  ClientType type = ClientType::kNormal;
  std::vector<uint64_t> ids;
  bool by_id = false;
  if (ctx.argv.size() == 4 && EqualsIgnoreCase(ctx.argv[2], "type")) {
    type = ParseClientType(ctx.argv[3]);
    if (type == ClientType::kUnknown) return ctx.ReplyError(UnknownType(ctx.argv[3]));
  } else if (ctx.argv.size() > 3 && EqualsIgnoreCase(ctx.argv[2], "id")) {
    by_id = true;
    for (size_t i = 3; i < ctx.argv.size(); ++i) {
      int64_t id;
      if (!ParseInt64(ctx.argv[i], &id)) return ctx.ReplyError("ERR Invalid client ID");
      if (id > 0) ids.push_back(static_cast<uint64_t>(id));
    }
  } else if (ctx.argv.size() != 2) {
    return ctx.ReplyError(errors::kSyntax);
  }
  uint64_t now = engine::NowMs();
  std::string text;
  auto add = [&](const ClientHandle& c) {
    text += InfoOf(ctx, c).Format(now);
    text += '\n';
  };
  if (by_id) {
    for (uint64_t id : ids) {
      if (auto c = ctx.server->clients().Find(id)) add(*c);
    }
  } else if (type == ClientType::kNormal) {
    for (const auto& c : ctx.server->clients().All()) add(*c);
  }
  ctx.reply->Verbatim(text);
}

void Info(CommandContext& ctx) {
  ClientInfo info;
  if (auto self = ctx.server->clients().Find(ctx.client->id)) info = self->Info();
  info.CopyFrom(*ctx.client);
  info.argv_mem = ArgvLenSum(ctx.argv);
  ctx.reply->Verbatim(info.Format(engine::NowMs()) + "\n");
}

// The filters of CLIENT KILL's new form; a client must match all given.
struct KillFilter {
  uint64_t id = 0;
  std::string addr, laddr;
  bool has_type = false;
  ClientType type = ClientType::kNormal;
  bool skipme = true;

  bool Matches(const ClientInfo& c) const {
    if (id != 0 && c.id != id) return false;
    if (!addr.empty() && c.addr != addr) return false;
    if (!laddr.empty() && c.laddr != laddr) return false;
    if (has_type && type != ClientType::kNormal) return false;
    return true;
  }
};

void Kill(CommandContext& ctx) {
  KillFilter f;
  bool old_form = ctx.argv.size() == 3;
  if (old_form) {
    f.addr.assign(ctx.argv[2]);
    f.skipme = false;  // the old form may kill the caller
  } else if (ctx.argv.size() % 2 == 0) {
    for (size_t i = 2; i < ctx.argv.size(); i += 2) {
      std::string_view opt = ctx.argv[i], value = ctx.argv[i + 1];
      if (EqualsIgnoreCase(opt, "id")) {
        int64_t id;
        if (!ParseInt64(value, &id) || id < 1) {
          return ctx.ReplyError("ERR client-id should be greater than 0");
        }
        f.id = static_cast<uint64_t>(id);
      } else if (EqualsIgnoreCase(opt, "type")) {
        f.type = ParseClientType(value);
        if (f.type == ClientType::kUnknown) return ctx.ReplyError(UnknownType(value));
        f.has_type = true;
      } else if (EqualsIgnoreCase(opt, "addr")) {
        f.addr.assign(value);
      } else if (EqualsIgnoreCase(opt, "laddr")) {
        f.laddr.assign(value);
      } else if (EqualsIgnoreCase(opt, "user")) {
        // Only the default user exists until ACLs; every client is it.
        if (value != "default") return ctx.ReplyError(fmt::format("ERR No such user '{}'", value));
      } else if (EqualsIgnoreCase(opt, "skipme")) {
        if (EqualsIgnoreCase(value, "yes"))
          f.skipme = true;
        else if (EqualsIgnoreCase(value, "no"))
          f.skipme = false;
        else
          return ctx.ReplyError(errors::kSyntax);
      } else {
        return ctx.ReplyError(errors::kSyntax);
      }
    }
  } else {
    return ctx.ReplyError(errors::kSyntax);
  }
  int64_t killed = 0;
  for (const auto& c : ctx.server->clients().All()) {
    bool self = c->id() == ctx.client->id;
    if (!f.Matches(InfoOf(ctx, *c)) || (self && f.skipme)) continue;
    if (self) {
      ctx.client->close_after_reply = true;  // the reply still goes out
    } else {
      c->Kill();
    }
    ++killed;
  }
  if (!old_form) return ctx.reply->Integer(killed);
  if (killed == 0) return ctx.ReplyError("ERR No such client");
  ctx.reply->Ok();
}

void Pause(CommandContext& ctx) {
  PauseType type = PauseType::kAll;
  if (ctx.argv.size() == 4) {
    if (EqualsIgnoreCase(ctx.argv[3], "write"))
      type = PauseType::kWrite;
    else if (EqualsIgnoreCase(ctx.argv[3], "all"))
      type = PauseType::kAll;
    else
      return ctx.ReplyError("ERR CLIENT PAUSE mode must be WRITE or ALL");
  } else if (ctx.argv.size() != 3) {
    return ctx.ReplyError(fmt::format(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try CLIENT HELP.",
        ctx.argv[1]));
  }
  int64_t ms;
  if (!ParseInt64(ctx.argv[2], &ms)) {
    return ctx.ReplyError("ERR timeout is not an integer or out of range");
  }
  if (ms < 0) return ctx.ReplyError("ERR timeout is negative");
  uint64_t now = engine::NowMs();
  if (static_cast<uint64_t>(ms) > UINT64_MAX - now) {
    return ctx.ReplyError("ERR timeout is out of range");
  }
  ctx.server->pause().Pause(type, now + static_cast<uint64_t>(ms), now);
  ctx.reply->Ok();
}

void Unpause(CommandContext& ctx) {
  ctx.server->pause().Unpause();
  for (const auto& c : ctx.server->clients().All()) c->Wake();
  ctx.reply->Ok();
}

// CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 if that client was blocked in a
// blocking command (it gets a timeout's reply, or -UNBLOCKED), else 0.
void Unblock(CommandContext& ctx) {
  if (ctx.argv.size() > 4) {
    return ctx.ReplyError(fmt::format(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try CLIENT HELP.",
        ctx.argv[1]));
  }
  int64_t id;
  if (!ParseInt64(ctx.argv[2], &id)) return ctx.ReplyError(errors::kNotInteger);
  UnblockReason reason = UnblockReason::kTimeout;
  if (ctx.argv.size() == 4) {
    if (EqualsIgnoreCase(ctx.argv[3], "error")) {
      reason = UnblockReason::kError;
    } else if (!EqualsIgnoreCase(ctx.argv[3], "timeout")) {
      return ctx.ReplyError(errors::kUnblockReason);
    }
  }
  bool unblocked =
      id > 0 && ctx.server->blocking().UnblockClient(static_cast<uint64_t>(id), reason);
  ctx.reply->Integer(unblocked ? 1 : 0);
}

void Reply(CommandContext& ctx) {
  std::string_view mode = ctx.argv[2];
  if (EqualsIgnoreCase(mode, "on")) {
    ctx.client->reply_off = false;
    ctx.client->reply_skip_next = false;
    ctx.reply->Ok();
  } else if (EqualsIgnoreCase(mode, "off")) {
    ctx.client->reply_off = true;  // and this command's OK is dropped too
  } else if (EqualsIgnoreCase(mode, "skip")) {
    if (!ctx.client->reply_off) ctx.client->reply_skip_next = true;
  } else {
    ctx.ReplyError(errors::kSyntax);
  }
}

void NoEvict(CommandContext& ctx) {
  std::string_view mode = ctx.argv[2];
  if (EqualsIgnoreCase(mode, "on"))
    ctx.client->no_evict = true;
  else if (EqualsIgnoreCase(mode, "off"))
    ctx.client->no_evict = false;
  else
    return ctx.ReplyError(errors::kSyntax);
  ctx.reply->Ok();
}

void Help(CommandContext& ctx) {
  ctx.reply->ArrayHeader(static_cast<int64_t>(std::size(kHelp)));
  for (std::string_view line : kHelp) ctx.reply->SimpleString(line);
}

}  // namespace

void RegisterClientCommands(CommandTable& table) {
  table.Register("client|id", Id);
  table.Register("client|setname", SetName);
  table.Register("client|getname", GetName);
  table.Register("client|list", List);
  table.Register("client|info", Info);
  table.Register("client|kill", Kill);
  table.Register("client|pause", Pause);
  table.Register("client|unpause", Unpause);
  table.Register("client|unblock", Unblock);
  table.Register("client|reply", Reply);
  table.Register("client|no-evict", NoEvict);
  table.Register("client|help", Help);
}

}  // namespace strata::server
