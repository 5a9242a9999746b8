// MULTI/EXEC state changes other parts of the server need: Dispatch queues
// commands between MULTI and EXEC; RESET and disconnect drop a transaction.
#pragma once

namespace strata::server {

class Server;
class ClientState;
struct CommandContext;
struct CommandEntry;

// Between MULTI and EXEC, queues `cmd` (replying +QUEUED) or refuses a
// no-multi command (flagging the transaction for EXECABORT). Returns false,
// doing nothing, when the command runs now (no MULTI, or EXEC, DISCARD,
// MULTI, WATCH, QUIT, RESET).
bool QueueForExec(CommandContext& ctx, const CommandEntry& cmd);
// A command was refused before it ran: inside MULTI, EXEC will abort.
void FlagTransaction(ClientState& client);
// Drops the MULTI queue and every WATCH (DISCARD, EXEC, RESET, disconnect).
void DiscardTransaction(Server& server, ClientState& client);

}  // namespace strata::server
