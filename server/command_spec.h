// CommandSpec: the declarative description of one command — the single
// source for dispatch (arity, flags), key extraction (first/last/step and key
// specs), ACL categories, and the replies of COMMAND, COMMAND INFO, COMMAND
// DOCS, COMMAND COUNT, COMMAND LIST and COMMAND GETKEYS.
//
// The specs of Redis's own commands are generated from Redis 7.0.15's own
// metadata (tools/gen_command_specs.py reads Debian's redis-server and writes
// tools/redis-commands.json and server/command_specs_generated.cc); they are
// facts, checked in with their generator. Strata's own commands, if any, are
// declared in the same form in server/command_specs_strata.cc. Handlers are
// bound to specs by name in each family's Register function
// (server/commands/*.cc); a command is served and listed only when it has a
// handler.
//
// Everything here is plain constant data: no allocation, no start-up parsing.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace strata::server {

// Command flags as COMMAND INFO reports them (Redis 7.0 names in comments).
enum CommandFlag : uint64_t {
  kCmdWrite = 1ULL << 0,             // write
  kCmdReadonly = 1ULL << 1,          // readonly
  kCmdDenyOom = 1ULL << 2,           // denyoom
  kCmdModule = 1ULL << 3,            // module
  kCmdAdmin = 1ULL << 4,             // admin
  kCmdPubsub = 1ULL << 5,            // pubsub
  kCmdNoscript = 1ULL << 6,          // noscript
  kCmdBlocking = 1ULL << 7,          // blocking
  kCmdLoading = 1ULL << 8,           // loading
  kCmdStale = 1ULL << 9,             // stale
  kCmdSkipMonitor = 1ULL << 10,      // skip_monitor
  kCmdSkipSlowlog = 1ULL << 11,      // skip_slowlog
  kCmdFast = 1ULL << 12,             // fast
  kCmdNoAuth = 1ULL << 13,           // no_auth
  kCmdMayReplicate = 1ULL << 14,     // may_replicate
  kCmdSentinel = 1ULL << 15,         // sentinel
  kCmdOnlySentinel = 1ULL << 16,     // only_sentinel
  kCmdNoMandatoryKeys = 1ULL << 17,  // no_mandatory_keys
  kCmdProtected = 1ULL << 18,        // protected
  kCmdNoAsyncLoading = 1ULL << 19,   // no_async_loading
  kCmdNoMulti = 1ULL << 20,          // no_multi
  kCmdMovableKeys = 1ULL << 21,      // movablekeys
  kCmdAllowBusy = 1ULL << 22,        // allow_busy
  kCmdAsking = 1ULL << 23,           // asking
};

// ACL categories (COMMAND INFO shows them as "@read", ...).
enum AclCategory : uint64_t {
  kAclKeyspace = 1ULL << 0,
  kAclRead = 1ULL << 1,
  kAclWrite = 1ULL << 2,
  kAclSet = 1ULL << 3,
  kAclSortedSet = 1ULL << 4,
  kAclList = 1ULL << 5,
  kAclHash = 1ULL << 6,
  kAclString = 1ULL << 7,
  kAclBitmap = 1ULL << 8,
  kAclHyperLogLog = 1ULL << 9,
  kAclGeo = 1ULL << 10,
  kAclStream = 1ULL << 11,
  kAclPubsub = 1ULL << 12,
  kAclAdmin = 1ULL << 13,
  kAclFast = 1ULL << 14,
  kAclSlow = 1ULL << 15,
  kAclBlocking = 1ULL << 16,
  kAclDangerous = 1ULL << 17,
  kAclConnection = 1ULL << 18,
  kAclTransaction = 1ULL << 19,
  kAclScripting = 1ULL << 20,
};

// Key-spec flags (Redis 7.0 names).
enum KeySpecFlag : uint32_t {
  kKsRO = 1U << 0,
  kKsRW = 1U << 1,
  kKsOW = 1U << 2,
  kKsRM = 1U << 3,
  kKsAccess = 1U << 4,
  kKsUpdate = 1U << 5,
  kKsInsert = 1U << 6,
  kKsDelete = 1U << 7,
  kKsNotKey = 1U << 8,
  kKsIncomplete = 1U << 9,
  kKsVariableFlags = 1U << 10,
};

// One Redis 7.0 key specification: where the search for keys begins and how
// the keys are found from there.
struct KeySpec {
  enum class BeginSearch : uint8_t { kUnknown, kIndex, kKeyword };
  enum class FindKeys : uint8_t { kUnknown, kRange, kKeynum };

  uint32_t flags = 0;
  BeginSearch begin_search = BeginSearch::kUnknown;
  int bs_index = 0;             // kIndex: argv position of the first key
  std::string_view bs_keyword;  // kKeyword: the keyword ...
  int bs_startfrom = 0;         // ... searched from this position (negative: from the end)
  FindKeys find_keys = FindKeys::kUnknown;
  int fk_lastkey = 0;    // kRange: last key relative to the start (-1: end)
  int fk_keystep = 0;    // kRange and kKeynum: step between keys
  int fk_limit = 0;      // kRange: when lastkey is -1, 0 or 1/limit of the rest
  int fk_keynumidx = 0;  // kKeynum: where the key count is, relative to the start
  int fk_firstkey = 0;   // kKeynum: first key, relative to the start
};

struct CommandSpec {
  std::string_view name;        // lower case; a subcommand is "parent|sub"
  int arity = 0;                // Redis arity: n exact, -n at least n
  uint64_t flags = 0;           // CommandFlag bits
  uint64_t acl_categories = 0;  // AclCategory bits
  int first_key = 0;            // legacy key range for COMMAND INFO / GETKEYS
  int last_key = 0;
  int key_step = 0;
  std::span<const KeySpec> key_specs;
  std::span<const std::string_view> tips;  // e.g. "nondeterministic_output"
  // The command's COMMAND DOCS entry (the map value, without subcommands),
  // RESP3-encoded as Redis 7.0 sends it; transcoded for RESP2 clients.
  std::string_view docs_resp3;
  std::string_view group;  // "string", "generic", "server", ...
};

// The "notes" of a key spec of RedisCommandSpecs() (empty when it has none,
// or when `spec` is not one of theirs).
std::string_view KeySpecNotes(const KeySpec& spec);

// All specs of Redis 7.0's commands and subcommands (generated).
std::span<const CommandSpec> RedisCommandSpecs();

}  // namespace strata::server
