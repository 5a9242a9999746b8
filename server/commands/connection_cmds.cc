// Connection commands: PING, ECHO, HELLO, QUIT, RESET, SELECT.
#include "server/arg_parser.h"
#include "server/client_state.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/server.h"
#include "server/version.h"

namespace strata::server {

namespace {

void Ping(CommandContext& ctx) {
  if (ctx.argv.size() > 2) return ctx.ReplyError(errors::WrongArity("ping"));
  if (ctx.argv.size() == 2) return ctx.reply->Bulk(ctx.argv[1]);
  ctx.reply->SimpleString("PONG");
}

void Echo(CommandContext& ctx) { ctx.reply->Bulk(ctx.argv[1]); }

bool ValidClientName(std::string_view name) {
  for (unsigned char c : name) {
    if (c < '!' || c > '~') return false;
  }
  return true;
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
  std::string_view new_name;
  bool set_name = false;
  while (!args.Done()) {
    if (args.remaining() >= 3 && args.EatFlag("AUTH")) {
      std::string_view user = args.Next();
      args.Next();  // password: the default user has no password until requirepass exists
      if (user != "default") {
        return ctx.ReplyError(
            "WRONGPASS invalid username-password pair or user is disabled.");
      }
    } else if (args.remaining() >= 2 && args.EatFlag("SETNAME")) {
      new_name = args.Next();
      if (!ValidClientName(new_name)) {
        return ctx.ReplyError(
            "ERR Client names cannot contain spaces, newlines or special characters.");
      }
      set_name = true;
    } else {
      return ctx.ReplyError("ERR Syntax error in HELLO option '" + std::string(args.Peek()) + "'");
    }
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
  ctx.client->db = 0;
  ctx.client->protocol = 2;
  ctx.client->name.clear();
  ctx.reply->set_protocol(2);
  ctx.reply->SimpleString("RESET");
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
  table.Register("quit", Quit);
  table.Register("reset", Reset);
  table.Register("select", Select);
}

}  // namespace strata::server
