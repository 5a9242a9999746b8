// The COMMAND family (COMMAND, COUNT, INFO, DOCS, LIST, GETKEYS,
// GETKEYSANDFLAGS, HELP): introspection of the served command table, with
// Redis 7.0.15's replies in RESP2 and RESP3.
//
// Which table: a handler introspects the table installed with
// SetCommandTableForIntrospection() when there is one (unit tests, tools),
// otherwise the table of the running server (ctx.server->commands()). Both
// are built at start-up and read-only afterwards, so the handlers are safe on
// any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "server/command_spec.h"

namespace strata::server {

class CommandTable;
struct CommandEntry;

// Binds the COMMAND handlers ("command" and "command|...") into `table`.
void RegisterCommandCommands(CommandTable& table);

// Makes the COMMAND handlers introspect `table` instead of the running
// server's (nullptr: back to the server's). `table` must outlive its use.
void SetCommandTableForIntrospection(const CommandTable* table);

}  // namespace strata::server
