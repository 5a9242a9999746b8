// Connection commands: PING (with its subscribed-state reply), ECHO, HELLO, AUTH, QUIT, RESET,
// SELECT, MONITOR.
//
// Authentication: until ACLs exist there is one user, "default", whose
// password is `requirepass` (none when empty: then any password is accepted
// for it, as Redis's nopass user). A client is authenticated when it
// connected while there was no password, or after AUTH / HELLO AUTH.
#include "server/arg_parser.h"
#include "server/client_state.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/commands/multi_cmds.h"
#include "server/pubsub.h"
#include "server/server.h"
#include "server/version.h"

namespace strata::server {

namespace {

void Ping(CommandContext& ctx) {
  if (ctx.argv.size() > 2) return ctx.ReplyError(errors::WrongArity("ping"));
  if (ctx.client->protocol == 2 && ctx.client->subscriptions() > 0) {
    // The subscribed state's reply: ["pong", message or ""].
    ctx.reply->ArrayHeader(2);
    ctx.reply->Bulk("pong");
    return ctx.reply->Bulk(ctx.argv.size() == 2 ? ctx.argv[1] : "");
  }
  if (ctx.argv.size() == 2) return ctx.reply->Bulk(ctx.argv[1]);
  ctx.reply->SimpleString("PONG");
}

void Echo(CommandContext& ctx) {
  ctx.reply->Bulk(ctx.argv[1]);
}

// Compares in time independent of where equal-length texts differ.
bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// Redis's ACLAuthenticateUser for the default user alone.
bool Authenticate(CommandContext& ctx, std::string_view user, std::string_view password) {
  const std::string& required = ctx.server->config().requirepass;
  if (user != "default" || (!required.empty() && !SameSecret(password, required))) return false;
  ctx.client->authenticated = true;
  return true;
}

void Auth(CommandContext& ctx) {
  if (ctx.argv.size() > 3) return ctx.ReplyError(errors::kSyntax);
  std::string_view user = "default", password;
  if (ctx.argv.size() == 2) {
    if (ctx.server->config().requirepass.empty()) {
      return ctx.ReplyError(
          "ERR AUTH <password> called without any password configured for the default user. "
          "Are you sure your configuration is correct?");
    }
    password = ctx.argv[1];
  } else {
    user = ctx.argv[1];
    password = ctx.argv[2];
  }
  if (!Authenticate(ctx, user, password)) return ctx.ReplyError(errors::kWrongPass);
  ctx.reply->Ok();
}

void Hello(CommandContext& ctx) {
  ArgParser args(ctx.argv, 1);
  int protocol = ctx.client->protocol;
  if (!args.Done()) {
    int64_t v = args.NextInt64("ERR Protocol version is not an integer or out of range");
    if (args.failed()) return ctx.ReplyError(args.error());
    if (v < 2 || v > 3) return ctx.ReplyError(errors::kNoProto);
    protocol = static_cast<int>(v);
  }
  std::string_view new_name, user, password;
  bool set_name = false, auth = false;
  while (!args.Done()) {
    if (args.remaining() >= 3 && args.EatFlag("AUTH")) {
      user = args.Next();
      password = args.Next();
      auth = true;
    } else if (args.remaining() >= 2 && args.EatFlag("SETNAME")) {
      new_name = args.Next();
      set_name = true;
    } else {
      return ctx.ReplyError("ERR Syntax error in HELLO option '" + std::string(args.Peek()) + "'");
    }
  }
  if (auth && !Authenticate(ctx, user, password)) return ctx.ReplyError(errors::kWrongPass);
  if (!ctx.client->authenticated && !ctx.server->config().requirepass.empty()) {
    return ctx.ReplyError(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
        "AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
        "protocol version at the same time");
  }
  if (set_name && !ValidClientName(new_name)) {
    return ctx.ReplyError(
        "ERR Client names cannot contain spaces, newlines or special characters.");
  }
  if (set_name) ctx.client->name.assign(new_name);
  ctx.client->protocol = protocol;
  ctx.reply->set_protocol(protocol);
  ReplyBuilder& r = *ctx.reply;
  r.MapHeader(7);
  r.Bulk("server");
  r.Bulk("redis");
  r.Bulk("version");
  r.Bulk(kRedisVersion);
  r.Bulk("proto");
  r.Integer(protocol);
  r.Bulk("id");
  r.Integer(static_cast<int64_t>(ctx.client->id));
  r.Bulk("mode");
  r.Bulk("standalone");
  r.Bulk("role");
  r.Bulk("master");
  r.Bulk("modules");
  r.ArrayHeader(0);
}

void Quit(CommandContext& ctx) {
  ctx.reply->Ok();
  ctx.client->close_after_reply = true;
}

void Reset(CommandContext& ctx) {
  DiscardTransaction(*ctx.server, *ctx.client);
  UnsubscribeAll(*ctx.server, *ctx.client);
  if (ctx.client->monitor) {
    ctx.server->monitors().Remove(ctx.client->id);
    ctx.client->monitor = false;
  }
  if (ctx.client->tracking.on) {
    ctx.server->tracking().Disable(ctx.client->id);
    ctx.client->tracking = {};
  }
  ctx.client->db = 0;
  ctx.client->protocol = 2;
  ctx.client->name.clear();
  ctx.client->reply_off = false;
  ctx.client->reply_skip_next = false;
  ctx.client->no_evict = false;
  ctx.client->authenticated = ctx.server->config().requirepass.empty();
  ctx.reply->set_protocol(2);
  ctx.reply->SimpleString("RESET");
}

// MONITOR: from now on the client is sent every command the server runs
// (server/monitor.h). Redis ignores a second MONITOR without replying.
void Monitor(CommandContext& ctx) {
  if (ctx.in_exec) return ctx.ReplyError(errors::kMonitorDenyBlocking);
  if (ctx.client->monitor) return;
  ctx.client->monitor = true;
  ctx.server->monitors().Add(ctx.client->id, ctx.client->subscriber);
  ctx.reply->Ok();
}

void Select(CommandContext& ctx) {
  int64_t db;
  if (!ParseInt64(ctx.argv[1], &db)) return ctx.ReplyError(errors::kNotInteger);
  if (db < INT32_MIN || db > INT32_MAX) return ctx.ReplyError(errors::kNotInt32);
  if (db < 0 || db >= ctx.server->config().databases) {
    return ctx.ReplyError(errors::kDbIndexOutOfRange);
  }
  ctx.client->db = static_cast<int>(db);
  ctx.reply->Ok();
}

}  // namespace

void RegisterConnectionCommands(CommandTable& table) {
  table.Register("ping", Ping);
  table.Register("echo", Echo);
  table.Register("hello", Hello);
  table.Register("auth", Auth);
  table.Register("quit", Quit);
  table.Register("reset", Reset);
  table.Register("monitor", Monitor);
  table.Register("select", Select);
}

}  // namespace strata::server
