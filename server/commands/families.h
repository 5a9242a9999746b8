// The Register functions of every command family; RegisterAllCommands
// (server/commands/families.cc) calls each once at start-up.
#pragma once

namespace strata::server {

class CommandTable;

void RegisterConnectionCommands(CommandTable& table);  // PING ECHO HELLO QUIT RESET SELECT
void RegisterStringCommands(CommandTable& table);      // GET SET INCR... MGET MSET APPEND LCS...
void RegisterBitCommands(CommandTable& table);         // SETBIT GETBIT BITCOUNT BITPOS BITOP...
void RegisterKeyspaceCommands(CommandTable& table);    // DEL EXISTS TYPE DBSIZE FLUSH*
void RegisterExpireCommands(CommandTable& table);      // EXPIRE* TTL* PERSIST
void RegisterServerCommands(CommandTable& table);      // CONFIG GET, INFO
void RegisterMemoryUsageCommand(CommandTable& table);  // MEMORY USAGE

}  // namespace strata::server
