// The COMMAND family: COMMAND, COUNT, INFO, DOCS, LIST, GETKEYS,
// GETKEYSANDFLAGS, HELP; see command_cmd.h.
//
// Replies follow Redis 7.0.15's server.c (addReplyCommandInfo,
// addReplyCommandDocs, commandListCommand, getKeysSubcommandImpl) for the
// served commands only: a command without a handler does not exist for a
// client, and a container lists only its served subcommands. Redis walks its
// command dict in hash order; Strata lists commands sorted by name.
#include "server/commands/command_cmd.h"

#include <atomic>
#include <string>

#include "common/text.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/errors.h"
#include "server/resp3_transcode.h"
#include "server/server.h"

namespace strata::server {

namespace {

std::atomic<const CommandTable*> g_introspected{nullptr};

// "asking" is shown by COMMAND INFO but has no CommandFlag name yet; the
// generated specs use this bit (server/command_specs_generated.cc).

struct FlagName {
  uint64_t bit;
  std::string_view name;
};

// addReplyFlagsForCommand's order; may_replicate, sentinel, only_sentinel
// and protected are hidden on purpose, as in Redis.
constexpr FlagName kCommandFlagNames[] = {
    {kCmdWrite, "write"},
    {kCmdReadonly, "readonly"},
    {kCmdDenyOom, "denyoom"},
    {kCmdModule, "module"},
    {kCmdAdmin, "admin"},
    {kCmdPubsub, "pubsub"},
    {kCmdNoscript, "noscript"},
    {kCmdBlocking, "blocking"},
    {kCmdLoading, "loading"},
    {kCmdStale, "stale"},
    {kCmdSkipMonitor, "skip_monitor"},
    {kCmdSkipSlowlog, "skip_slowlog"},
    {kCmdAsking, "asking"},
    {kCmdFast, "fast"},
    {kCmdNoAuth, "no_auth"},
    {kCmdNoMandatoryKeys, "no_mandatory_keys"},
    {kCmdNoAsyncLoading, "no_async_loading"},
    {kCmdNoMulti, "no_multi"},
    {kCmdMovableKeys, "movablekeys"},
    {kCmdAllowBusy, "allow_busy"},
};

// ACLCommandCategories' order; COMMAND LIST FILTERBY ACLCAT takes the names
// without '@'.
constexpr FlagName kAclCategoryNames[] = {
    {kAclKeyspace, "@keyspace"},
    {kAclRead, "@read"},
    {kAclWrite, "@write"},
    {kAclSet, "@set"},
    {kAclSortedSet, "@sortedset"},
    {kAclList, "@list"},
    {kAclHash, "@hash"},
    {kAclString, "@string"},
    {kAclBitmap, "@bitmap"},
    {kAclHyperLogLog, "@hyperloglog"},
    {kAclGeo, "@geo"},
    {kAclStream, "@stream"},
    {kAclPubsub, "@pubsub"},
    {kAclAdmin, "@admin"},
    {kAclFast, "@fast"},
    {kAclSlow, "@slow"},
    {kAclBlocking, "@blocking"},
    {kAclDangerous, "@dangerous"},
    {kAclConnection, "@connection"},
    {kAclTransaction, "@transaction"},
    {kAclScripting, "@scripting"},
};

// addReplyFlagsForKeyArgs' order.
constexpr FlagName kKeySpecFlagNames[] = {
    {kKsRO, "RO"},
    {kKsRW, "RW"},
    {kKsOW, "OW"},
    {kKsRM, "RM"},
    {kKsAccess, "access"},
    {kKsUpdate, "update"},
    {kKsInsert, "insert"},
    {kKsDelete, "delete"},
    {kKsNotKey, "not_key"},
    {kKsIncomplete, "incomplete"},
    {kKsVariableFlags, "variable_flags"},
};

constexpr std::string_view kHelp[] = {
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
    "HELP",
    "    Prints this help.",
};

const CommandTable& TableOf(const CommandContext& ctx) {
  if (const CommandTable* t = g_introspected.load(std::memory_order_acquire)) return *t;
  return ctx.server->commands();
}

template <size_t N>
void ReplyFlagSet(ReplyBuilder& r, uint64_t bits, const FlagName (&names)[N]) {
  int64_t n = 0;
  for (const FlagName& f : names) n += (bits & f.bit) != 0;
  r.SetHeader(n);
  for (const FlagName& f : names) {
    if (bits & f.bit) r.SimpleString(f.name);
  }
}

void ReplyKeySpec(ReplyBuilder& r, const KeySpec& ks) {
  std::string_view notes = KeySpecNotes(ks);
  r.MapHeader(notes.empty() ? 3 : 4);
  if (!notes.empty()) {
    r.Bulk("notes");
    r.Bulk(notes);
  }
  r.Bulk("flags");
  ReplyFlagSet(r, ks.flags, kKeySpecFlagNames);

  r.Bulk("begin_search");
  r.MapHeader(2);
  r.Bulk("type");
  switch (ks.begin_search) {
    case KeySpec::BeginSearch::kIndex:
      r.Bulk("index");
      r.Bulk("spec");
      r.MapHeader(1);
      r.Bulk("index");
      r.Integer(ks.bs_index);
      break;
    case KeySpec::BeginSearch::kKeyword:
      r.Bulk("keyword");
      r.Bulk("spec");
      r.MapHeader(2);
      r.Bulk("keyword");
      r.Bulk(ks.bs_keyword);
      r.Bulk("startfrom");
      r.Integer(ks.bs_startfrom);
      break;
    case KeySpec::BeginSearch::kUnknown:
      r.Bulk("unknown");
      r.Bulk("spec");
      r.MapHeader(0);
      break;
  }

  r.Bulk("find_keys");
  r.MapHeader(2);
  r.Bulk("type");
  switch (ks.find_keys) {
    case KeySpec::FindKeys::kRange:
      r.Bulk("range");
      r.Bulk("spec");
      r.MapHeader(3);
      r.Bulk("lastkey");
      r.Integer(ks.fk_lastkey);
      r.Bulk("keystep");
      r.Integer(ks.fk_keystep);
      r.Bulk("limit");
      r.Integer(ks.fk_limit);
      break;
    case KeySpec::FindKeys::kKeynum:
      r.Bulk("keynum");
      r.Bulk("spec");
      r.MapHeader(3);
      r.Bulk("keynumidx");
      r.Integer(ks.fk_keynumidx);
      r.Bulk("firstkey");
      r.Integer(ks.fk_firstkey);
      r.Bulk("keystep");
      r.Integer(ks.fk_keystep);
      break;
    case KeySpec::FindKeys::kUnknown:
      r.Bulk("unknown");
      r.Bulk("spec");
      r.MapHeader(0);
      break;
  }
}

// addReplyCommandInfo.
void ReplyInfo(ReplyBuilder& r, const CommandEntry& e) {
  const CommandSpec& s = *e.spec;
  r.ArrayHeader(10);
  r.Bulk(s.name);
  r.Integer(s.arity);
  ReplyFlagSet(r, s.flags, kCommandFlagNames);
  r.Integer(s.first_key);
  r.Integer(s.last_key);
  r.Integer(s.key_step);
  ReplyFlagSet(r, s.acl_categories, kAclCategoryNames);
  r.SetHeader(static_cast<int64_t>(s.tips.size()));
  for (std::string_view tip : s.tips) r.Bulk(tip);
  r.SetHeader(static_cast<int64_t>(s.key_specs.size()));
  for (const KeySpec& ks : s.key_specs) ReplyKeySpec(r, ks);
  if (e.subcommands.empty()) {
    r.SetHeader(0);
  } else {
    r.ArrayHeader(static_cast<int64_t>(e.subcommands.size()));
    for (const CommandEntry* sub : e.subcommands) ReplyInfo(r, *sub);
  }
}

// Appends pre-encoded RESP3, transcoded for a RESP2 client.
void AppendResp3(ReplyBuilder& r, std::string_view resp3) {
  if (r.protocol() >= 3) {
    r.buffer()->append(resp3);
  } else if (!TranscodeResp3ToResp2(resp3, r.buffer())) {
    r.Error(errors::kInternal);  // the generated docs are checked by tests
  }
}

// addReplyCommandDocs: the spec's docs map, plus "subcommands" (the served
// ones) for a container, last as in Redis.
void ReplyDocs(ReplyBuilder& r, const CommandEntry& e) {
  std::string_view docs = e.spec->docs_resp3;
  if (e.subcommands.empty()) return AppendResp3(r, docs);
  Resp3Header h;
  if (!ParseResp3Header(docs, &h) || h.type != '%') return r.Error(errors::kInternal);
  r.MapHeader(h.count + 1);
  AppendResp3(r, docs.substr(h.size));
  r.Bulk("subcommands");
  r.MapHeader(static_cast<int64_t>(e.subcommands.size()));
  for (const CommandEntry* sub : e.subcommands) {
    r.Bulk(sub->name());
    ReplyDocs(r, *sub);
  }
}

// lookupCommandBySds: "name" or "container|sub"; nullptr for anything else.
const CommandEntry* LookupByFullName(const CommandTable& table, std::string_view name) {
  size_t bar = name.find('|');
  if (bar == std::string_view::npos) return table.Find(name);
  std::string_view sub = name.substr(bar + 1);
  if (sub.find('|') != std::string_view::npos) return nullptr;
  const CommandEntry* parent = table.Find(name.substr(0, bar));
  if (parent == nullptr || parent->subcommands.empty()) return nullptr;
  return table.FindSubcommand(*parent, sub);
}

// lookupCommand (not strict): argv[1] names a subcommand of a container.
const CommandEntry* LookupByArgv(const CommandTable& table,
                                 std::span<const std::string_view> argv) {
  const CommandEntry* base = table.Find(argv[0]);
  if (base == nullptr || argv.size() == 1 || base->subcommands.empty()) return base;
  return table.FindSubcommand(*base, argv[1]);
}

void CommandCmd(CommandContext& ctx) {
  if (ctx.argv.size() > 1) {
    return ctx.ReplyError(errors::UnknownSubcommand(ctx.argv[0], ctx.argv[1]));
  }
  const auto& all = TableOf(ctx).commands();
  ctx.reply->ArrayHeader(static_cast<int64_t>(all.size()));
  for (const CommandEntry* e : all) ReplyInfo(*ctx.reply, *e);
}

void CountCmd(CommandContext& ctx) {
  ctx.reply->Integer(static_cast<int64_t>(TableOf(ctx).commands().size()));
}

void InfoCmd(CommandContext& ctx) {
  const CommandTable& table = TableOf(ctx);
  if (ctx.argv.size() == 2) {
    ctx.reply->ArrayHeader(static_cast<int64_t>(table.commands().size()));
    for (const CommandEntry* e : table.commands()) ReplyInfo(*ctx.reply, *e);
    return;
  }
  ctx.reply->ArrayHeader(static_cast<int64_t>(ctx.argv.size() - 2));
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    const CommandEntry* e = LookupByFullName(table, ctx.argv[i]);
    if (e == nullptr) {
      ctx.reply->Null();
    } else {
      ReplyInfo(*ctx.reply, *e);
    }
  }
}

void DocsCmd(CommandContext& ctx) {
  const CommandTable& table = TableOf(ctx);
  std::vector<const CommandEntry*> found;
  if (ctx.argv.size() == 2) {
    found = table.commands();
  } else {
    for (size_t i = 2; i < ctx.argv.size(); ++i) {
      if (const CommandEntry* e = LookupByFullName(table, ctx.argv[i])) found.push_back(e);
    }
  }
  ctx.reply->MapHeader(static_cast<int64_t>(found.size()));
  for (const CommandEntry* e : found) {
    ctx.reply->Bulk(e->name());
    ReplyDocs(*ctx.reply, *e);
  }
}

struct ListFilter {
  enum class Type { kNone, kModule, kAclCat, kPattern } type = Type::kNone;
  std::string_view arg;
  uint64_t acl_category = 0;

  // shouldFilterFromCommandList, inverted.
  bool Keeps(const CommandEntry& e) const {
    switch (type) {
      case Type::kNone:
        return true;
      case Type::kModule:
        return false;  // no modules
      case Type::kAclCat:
        return (e.spec->acl_categories & acl_category) != 0;
      case Type::kPattern:
        return GlobMatch(arg, e.name(), /*nocase=*/true);
    }
    return false;
  }
};

void ListInto(const std::vector<const CommandEntry*>& entries, const ListFilter& filter,
              std::vector<std::string_view>* names) {
  for (const CommandEntry* e : entries) {
    if (filter.Keeps(*e)) names->push_back(e->name());
    ListInto(e->subcommands, filter, names);
  }
}

void ListCmd(CommandContext& ctx) {
  ListFilter filter;
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    size_t more = ctx.argv.size() - 1 - i;
    if (!EqualsIgnoreCase(ctx.argv[i], "filterby") || more != 2) {
      return ctx.ReplyError(errors::kSyntax);
    }
    std::string_view type = ctx.argv[i + 1];
    if (EqualsIgnoreCase(type, "module")) {
      filter.type = ListFilter::Type::kModule;
    } else if (EqualsIgnoreCase(type, "aclcat")) {
      filter.type = ListFilter::Type::kAclCat;
    } else if (EqualsIgnoreCase(type, "pattern")) {
      filter.type = ListFilter::Type::kPattern;
    } else {
      return ctx.ReplyError(errors::kSyntax);
    }
    filter.arg = ctx.argv[i + 2];
    i += 2;
  }
  if (filter.type == ListFilter::Type::kAclCat) {
    for (const FlagName& c : kAclCategoryNames) {
      if (EqualsIgnoreCase(c.name.substr(1), filter.arg)) filter.acl_category = c.bit;
    }
  }
  std::vector<std::string_view> names;
  ListInto(TableOf(ctx).commands(), filter, &names);
  ctx.reply->ArrayHeader(static_cast<int64_t>(names.size()));
  for (std::string_view n : names) ctx.reply->Bulk(n);
}

// getKeysSubcommandImpl.
void GetKeys(CommandContext& ctx, bool with_flags) {
  std::span<const std::string_view> argv = ctx.argv.subspan(2);
  const CommandEntry* cmd = LookupByArgv(TableOf(ctx), argv);
  if (cmd == nullptr) return ctx.ReplyError("ERR Invalid command specified");
  if (!CommandHasKeys(*cmd)) return ctx.ReplyError("ERR The command has no key arguments");
  if (!cmd->ArityOk(argv.size())) {
    return ctx.ReplyError("ERR Invalid number of arguments specified for command");
  }
  std::vector<KeyReference> keys;
  if (!ExtractKeys(*cmd, argv, &keys)) {
    return ctx.ReplyError("ERR Invalid arguments specified for command");
  }
  ReplyBuilder& r = *ctx.reply;
  r.ArrayHeader(static_cast<int64_t>(keys.size()));
  for (const KeyReference& k : keys) {
    if (!with_flags) {
      r.Bulk(argv[k.pos]);
      continue;
    }
    r.ArrayHeader(2);
    r.Bulk(argv[k.pos]);
    ReplyFlagSet(r, k.flags, kKeySpecFlagNames);
  }
}

void GetKeysCmd(CommandContext& ctx) {
  GetKeys(ctx, false);
}
void GetKeysAndFlagsCmd(CommandContext& ctx) {
  GetKeys(ctx, true);
}

void HelpCmd(CommandContext& ctx) {
  ctx.reply->ArrayHeader(static_cast<int64_t>(std::size(kHelp)));
  for (std::string_view line : kHelp) ctx.reply->SimpleString(line);
}

}  // namespace

void SetCommandTableForIntrospection(const CommandTable* table) {
  g_introspected.store(table, std::memory_order_release);
}

void RegisterCommandCommands(CommandTable& table) {
  table.Register("command", CommandCmd);
  table.Register("command|count", CountCmd);
  table.Register("command|docs", DocsCmd);
  table.Register("command|getkeys", GetKeysCmd);
  table.Register("command|getkeysandflags", GetKeysAndFlagsCmd);
  table.Register("command|help", HelpCmd);
  table.Register("command|info", InfoCmd);
  table.Register("command|list", ListCmd);
}

}  // namespace strata::server
