// The keyspace family's parts, registered together by RegisterKeyspaceCommands
// (server/commands/families.h).
#pragma once

namespace strata::server {

class CommandTable;

void RegisterScanCommands(CommandTable& table);    // SCAN KEYS RANDOMKEY
void RegisterObjectCommands(CommandTable& table);  // OBJECT ENCODING|REFCOUNT|HELP

}  // namespace strata::server
