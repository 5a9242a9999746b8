// CommandTable: the served commands — each a CommandSpec (server/command_spec.h)
// bound to its handler — looked up by name at dispatch.
//
// Families bind handlers by name in their Register function
// (RegisterStringCommands, ...); binding a name that has no spec is a bug and
// aborts at start-up. A container command (CONFIG, CLIENT, COMMAND, OBJECT)
// is served when one of its subcommands is; dispatch looks up "parent|sub"
// from argv[1].
//
// Built once at start-up, read-only afterwards: safe to read from any thread.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/command_spec.h"

namespace strata::server {

struct CommandContext;
using CommandHandler = void (*)(CommandContext&);

struct CommandEntry {
  const CommandSpec* spec = nullptr;
  CommandHandler handler = nullptr;              // null for a pure container
  std::vector<const CommandEntry*> subcommands;  // served subcommands, by name
  const CommandEntry* parent = nullptr;
  int arity = 0;  // non-zero: accepted instead of spec->arity (a later Redis's, e.g. ZRANK)

  std::string_view name() const { return spec->name; }
  bool has(CommandFlag f) const { return (spec->flags & f) != 0; }
  // Arity check as Redis does it: exact for arity >= 0, at least -arity otherwise.
  bool ArityOk(size_t argc) const {
    int a = arity != 0 ? arity : spec->arity;
    return a >= 0 ? argc == static_cast<size_t>(a) : argc >= static_cast<size_t>(-a);
  }
};

class CommandTable {
 public:
  CommandTable();
  CommandTable(const CommandTable&) = delete;
  CommandTable& operator=(const CommandTable&) = delete;

  // Binds `handler` to the spec named `name` ("get", "config|get").
  // `arity`, when non-zero, is what dispatch accepts instead of the spec's
  // (a command served with a later Redis's extra arguments); COMMAND INFO
  // keeps reporting 7.0's.
  void Register(std::string_view name, CommandHandler handler, int arity = 0);

  // Case-insensitive lookup of a top-level command; nullptr when not served.
  const CommandEntry* Find(std::string_view name) const;
  // Case-insensitive lookup of a served subcommand of `parent`.
  const CommandEntry* FindSubcommand(const CommandEntry& parent, std::string_view sub) const;
  // Top-level served commands, in no particular order.
  const std::vector<const CommandEntry*>& commands() const { return top_level_; }

 private:
  CommandEntry* EntryFor(std::string_view full_name);

  std::unordered_map<std::string, std::unique_ptr<CommandEntry>> entries_;  // by full name
  std::vector<const CommandEntry*> top_level_;
};

// The key positions (indexes into argv) of a command's keys, from its key
// specs, as COMMAND GETKEYS reports them. Returns false when argv is not a
// valid invocation for key extraction ("Invalid arguments specified for
// command" in COMMAND GETKEYS).
bool ExtractKeyPositions(const CommandEntry& cmd, std::span<const std::string_view> argv,
                         std::vector<int>* positions);

// One key of a command invocation: its argv position and its key-spec flags
// (KeySpecFlag bits; 0 where Redis's native getkeys function reports none).
struct KeyReference {
  int pos = 0;
  uint32_t flags = 0;
};

// ExtractKeyPositions (command_table.h) with each key's flags, as COMMAND
// GETKEYSANDFLAGS reports them. Same return value.
bool ExtractKeys(const CommandEntry& cmd, std::span<const std::string_view> argv,
                 std::vector<KeyReference>* keys);

// Redis's doesCommandHaveKeys: whether the command can have key arguments at
// all (a key spec not marked not_key, or a native getkeys function).
bool CommandHasKeys(const CommandEntry& cmd);

}  // namespace strata::server
