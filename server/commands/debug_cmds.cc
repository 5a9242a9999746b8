// DEBUG: CHANGE-REPL-ID, DIGEST, DIGEST-VALUE, ERROR, LOG, OBJECT, PROTOCOL, RELOAD, SLEEP,
// SET-ACTIVE-EXPIRE and HELP; every other DEBUG subcommand gets Redis's unknown-subcommand error.
// Allowed only as `enable-debug-command` says (no, yes, local), as in Redis 7.0.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "common/log.h"
#include "common/text.h"
#include "engine/access_ops.h"
#include "engine/dump_ops.h"
#include "engine/engine.h"
#include "engine/eviction.h"
#include "engine/keyspace_ops.h"
#include "engine/scan_ops.h"
#include "server/client_state.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/debug_digest.h"
#include "server/errors.h"
#include "server/reply_builder.h"
#include "server/server.h"
#include "ttl/active_expiry.h"

namespace strata::server {

namespace {

constexpr std::string_view kHelp[] = {
    "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANGE-REPL-ID",
    "    Change the replication IDs of the instance.",
    "    Dangerous: should be used only for testing the replication subsystem.",
    "DIGEST",
    "    Output a hex signature representing the current DB content.",
    "DIGEST-VALUE <key> [<key> ...]",
    "    Output a hex signature of the values of all the specified keys.",
    "ERROR <string>",
    "    Return a Redis protocol error with <string> as message. Useful for clients",
    "    unit tests to simulate Redis errors.",
    "LOG <message>",
    "    Write <message> to the server log.",
    "OBJECT <key>",
    "    Show low level info about `key` and associated value.",
    "PROTOCOL <type>",
    "    Reply with a test value of the specified type. <type> can be: string,",
    "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
    "    true, false.",
    "RELOAD [option ...]",
    "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
    "    * MERGE: conflicting keys will be loaded from RDB.",
    "    * NOFLUSH: the existing database will not be removed before load, but",
    "      conflicting keys will generate an exception and kill the server.",
    "    * NOSAVE: the database will be loaded from an existing RDB file.",
    "    Examples:",
    "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
    "      the database.",
    "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
    "      existing RDB file.",
    "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
    "      file to the database.",
    "SET-ACTIVE-EXPIRE <0|1>",
    "    Setting it to 0 disables expiring keys in background when they are not",
    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
    "    default.",
    "SLEEP <seconds>",
    "    Stop the server for <seconds>. Decimals allowed.",
    "HELP",
    "    Prints this help.",
};

bool IsLocal(const ClientState& c) {
  return c.addr.rfind("127.", 0) == 0 || c.addr.rfind("[::1]", 0) == 0;
}

// DEBUG OBJECT key, as Redis 7.0's line. There is no object address to
// show: "Value at" prints a pseudo-address derived from the key. `lru` is Redis's 24-bit LRU
// clock at the last access (seconds), or under an LFU policy its LFU field
// (minutes << 8 | counter); serializedlength is the RDB body's length.
void DebugObject(CommandContext& ctx) {
  std::string_view key = ctx.argv[2];
  engine::HotTier::NoTouchScope no_touch;
  ctx.NoKeyspaceEvents();
  auto info = engine::DescribeSerialized(ctx.engine(), ctx.op, key);
  if (info.status().IsNotFound()) return ctx.ReplyError(errors::kNoSuchKey);
  if (!info.ok()) return ctx.ReplyStatus(info.status());
  auto usage = engine::InspectKey(ctx.engine(), ctx.op, key);
  if (!usage.ok()) return ctx.ReplyStatus(usage.status());
  const uint64_t now = ctx.op.now_ms;
  const uint64_t last_access = now > usage->idle_ms ? now - usage->idle_ms : 0;
  uint64_t lru = (last_access / 1000) & 0xFFFFFF;
  if (engine::IsLfu(ctx.server->evictor().settings().policy)) {
    lru = ((last_access / 60000) & 0xFFFF) << 8 | usage->lfu_freq;
  }
  std::string line = fmt::format(
      "Value at:0x{:x} refcount:{} encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}",
      0x7f0000000000 | (std::hash<std::string_view>()(key) & 0xffffffff0), info->object.refcount,
      info->object.encoding, info->serialized_length, lru, usage->idle_ms / 1000);
  if (info->object.encoding == "quicklist") {
    const auto& ql = info->list;
    const double avg = ql.list_nodes == 0 ? 0 : static_cast<double>(ql.elements) / ql.list_nodes;
    line += fmt::format(
        " ql_nodes:{} ql_avg_node:{:.2f} ql_listpack_max:-2 ql_compressed:0 "
        "ql_uncompressed_size:{}",
        ql.list_nodes, avg, ql.list_bytes);
  }
  ctx.reply->SimpleString(line);
}

// DEBUG PROTOCOL <type>: Redis's sample reply of each RESP type, for client
// tests. ReplyBuilder has no attribute or big-number form (no command sends
// them), so those two are written raw here, as Redis's addReplyAttributeLen
// and addReplyBigNum write them; RESP2 gets no attribute, a bignum as a bulk.
void DebugProtocol(CommandContext& ctx) {
  ReplyBuilder& out = *ctx.reply;
  const bool resp3 = out.protocol() >= 3;
  std::string_view name = ctx.argv[2];
  auto is = [&](std::string_view n) { return EqualsIgnoreCase(name, n); };
  if (is("string")) {
    out.Bulk("Hello World");
  } else if (is("integer")) {
    out.Integer(12345);
  } else if (is("double")) {
    out.Double(3.141);
  } else if (is("bignum")) {
    constexpr std::string_view kBig = "1234567999999999999999999999999999999";
    if (resp3) {
      out.buffer()->append(fmt::format("({}\r\n", kBig));
    } else {
      out.Bulk(kBig);
    }
  } else if (is("null")) {
    out.Null();
  } else if (is("array") || is("set")) {
    is("array") ? out.ArrayHeader(3) : out.SetHeader(3);
    for (int j = 0; j < 3; j++) out.Integer(j);
  } else if (is("map")) {
    out.MapHeader(3);
    for (int j = 0; j < 3; j++) {
      out.Integer(j);
      out.Bool(j == 1);
    }
  } else if (is("attrib")) {
    if (resp3) {
      out.buffer()->append("|1\r\n");
      out.Bulk("key-popularity");
      out.ArrayHeader(2);
      out.Bulk("key:123");
      out.Integer(90);
    }
    // An attribute is not a reply: a real one follows it.
    out.Bulk("Some real reply following the attribute");
  } else if (is("push")) {
    if (!resp3) return ctx.ReplyError("ERR RESP2 is not supported by this command");
    out.PushHeader(2);
    out.Bulk("server-cpu-usage");
    out.Integer(42);
    // A push is not the command's reply: the real one follows it.
    out.Bulk("Some real reply following the push reply");
  } else if (is("true") || is("false")) {
    out.Bool(is("true"));
  } else if (is("verbatim")) {
    out.Verbatim("This is a verbatim\nstring", "txt");
  } else {
    ctx.ReplyError(
        "ERR Wrong protocol type name. Please use one of the following: "
        "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
  }
}

// DEBUG ERROR <string>: "-<string>" exactly as given (Redis adds no "ERR"
// and no check for a leading '-'; CR and LF become spaces). Like Redis's
// addReplySds, it is not counted as an error reply (errorstats).
void DebugError(CommandContext& ctx) {
  std::string text(ctx.argv[2]);
  for (char& ch : text) {
    if (ch == '\r' || ch == '\n') ch = ' ';
  }
  ctx.reply->buffer()->append("-" + text + "\r\n");
}

// DEBUG DIGEST: every database's keys (server/debug_digest.h). Reads all
// values, then replies (a re-run on the blocking pool starts over).
// Differs from Redis only in that a key whose TTL has passed but that is
// not yet deleted is left out (Redis still counts it).
void DebugDigest(CommandContext& ctx) {
  engine::HotTier::NoTouchScope no_touch;  // as Redis's dictFind: no access recorded
  Digest dataset{};
  const int current_db = ctx.op.db;
  Status status = Status::Ok();
  for (int db = 0; db < ctx.server->config().databases && status.ok(); ++db) {
    ctx.op.db = db;
    auto keys = engine::ListKeys(ctx.engine(), ctx.op, engine::KeyFilter{});
    if (!keys.ok()) {
      status = keys.status();
      break;
    }
    if (keys->empty()) continue;
    AddDatabaseDigest(&dataset, db);
    for (const std::string& key : *keys) {
      auto kv = engine::ReadKeyValue(ctx.engine(), ctx.op, key);
      if (kv.status().IsNotFound()) continue;  // deleted since listed
      if (!kv.ok()) {
        status = kv.status();
        break;
      }
      AddKeyDigest(&dataset, key, kv->value, kv->expire_ms != 0);
    }
  }
  ctx.op.db = current_db;
  if (!status.ok()) return ctx.ReplyStatus(status);
  ctx.reply->SimpleString(DigestHex(dataset));
}

// DEBUG DIGEST-VALUE key...: each value's digest, forty zeros for a missing key.
void DebugDigestValue(CommandContext& ctx) {
  engine::HotTier::NoTouchScope no_touch;
  std::vector<Digest> digests;
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    Digest d{};
    auto kv = engine::ReadKeyValue(ctx.engine(), ctx.op, ctx.argv[i]);
    if (kv.ok()) {
      AddValueDigest(&d, kv->value, kv->expire_ms != 0);
    } else if (!kv.status().IsNotFound()) {
      return ctx.ReplyStatus(kv.status());
    }
    digests.push_back(d);
  }
  ctx.reply->ArrayHeader(static_cast<int64_t>(digests.size()));
  for (const Digest& d : digests) ctx.reply->SimpleString(DigestHex(d));
}

// DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]. Redis saves an RDB, empties
// memory and loads the file back; Strata's data already lives in RocksDB, so
// the equivalent is to make RocksDB's files the only copy: sync the WAL,
// flush the memtables and drop the hot tier, after which every read comes
// from disk. The options change nothing here (there is no separate file to
// merge or skip saving), but are accepted as Redis accepts them.
void DebugReload(CommandContext& ctx) {
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    std::string_view opt = ctx.argv[i];
    if (!EqualsIgnoreCase(opt, "merge") && !EqualsIgnoreCase(opt, "noflush") &&
        !EqualsIgnoreCase(opt, "nosave")) {
      return ctx.ReplyError(
          "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
    }
  }
  Status s = engine::ReloadFromDisk(ctx.engine(), ctx.op);
  if (!s.ok()) return ctx.ReplyStatus(s);
  LOG_WARNING("DB reloaded by DEBUG RELOAD");
  ctx.reply->Ok();
}

void Debug(CommandContext& ctx) {
  const std::string& mode = ctx.server->config().enable_debug_command;
  if (mode == "no" || (mode == "local" && !IsLocal(*ctx.client))) {
    return ctx.ReplyError(
        "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
        "you can run it from a local connection, otherwise you need to set this option in the "
        "configuration file, and then restart the server.");
  }
  std::string_view sub = ctx.argv[1];
  if (EqualsIgnoreCase(sub, "help") && ctx.argv.size() == 2) {
    ctx.reply->ArrayHeader(static_cast<int64_t>(std::size(kHelp)));
    for (std::string_view line : kHelp) ctx.reply->SimpleString(line);
  } else if (EqualsIgnoreCase(sub, "digest") && ctx.argv.size() == 2) {
    DebugDigest(ctx);
  } else if (EqualsIgnoreCase(sub, "digest-value")) {
    DebugDigestValue(ctx);
  } else if (EqualsIgnoreCase(sub, "reload")) {
    DebugReload(ctx);
  } else if (EqualsIgnoreCase(sub, "protocol") && ctx.argv.size() == 3) {
    DebugProtocol(ctx);
  } else if (EqualsIgnoreCase(sub, "error") && ctx.argv.size() == 3) {
    DebugError(ctx);
  } else if (EqualsIgnoreCase(sub, "log") && ctx.argv.size() == 3) {
    LOG_WARNING("DEBUG LOG: {}", ctx.argv[2]);
    ctx.reply->Ok();
  } else if (EqualsIgnoreCase(sub, "change-repl-id") && ctx.argv.size() == 2) {
    // Strata has no replication yet: the id INFO reports is all there is to
    // change (master_replid2 is always cleared, as clearReplicationId2 leaves it).
    LOG_WARNING("Changing replication IDs after receiving DEBUG change-repl-id");
    ctx.server->ChangeReplId();
    ctx.reply->Ok();
  } else if (EqualsIgnoreCase(sub, "object") && ctx.argv.size() == 3) {
    DebugObject(ctx);
  } else if (EqualsIgnoreCase(sub, "sleep") && ctx.argv.size() == 3) {
    // As Redis: strtod without checks ("x" sleeps 0 s). The connection's I/O
    // thread sleeps, as Redis's one thread does: that is what tests use it for.
    double seconds = std::strtod(std::string(ctx.argv[2]).c_str(), nullptr);
    if (seconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    ctx.reply->Ok();
  } else if (EqualsIgnoreCase(sub, "set-active-expire") && ctx.argv.size() == 3) {
    ctx.server->expiry().SetEnabled(std::atoi(std::string(ctx.argv[2]).c_str()) != 0);
    ctx.reply->Ok();
  } else {
    ctx.ReplyError(fmt::format(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try DEBUG HELP.", sub));
  }
}

}  // namespace

void RegisterDebugCommands(CommandTable& table) {
  table.Register("debug", Debug);
}

}  // namespace strata::server
