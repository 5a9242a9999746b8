// RegisterAllCommands: the list of command families.
#include "server/commands/families.h"

#include "server/commands/command_cmd.h"
#include "server/server.h"

namespace strata::server {

void RegisterAllCommands(CommandTable& table) {
  RegisterConnectionCommands(table);
  RegisterStringCommands(table);
  RegisterBitCommands(table);
  RegisterKeyspaceCommands(table);
  RegisterExpireCommands(table);
  RegisterServerCommands(table);
  RegisterInfoCommand(table);
  RegisterClientCommands(table);
  RegisterTrackingCommands(table);
  RegisterConfigCommands(table);
  RegisterSlowlogCommands(table);
  RegisterLatencyCommands(table);
  RegisterMemoryCommands(table);
  RegisterDebugCommands(table);
  RegisterDumpCommands(table);
  RegisterLolwutCommand(table);
  RegisterListCommands(table);
  RegisterMemoryUsageCommand(table);
  RegisterHashCommands(table);
  RegisterSetCommands(table);
  RegisterZsetCommands(table);
  RegisterSortCommands(table);
  RegisterGeoCommands(table);
  RegisterMultiCommands(table);
  RegisterBlockingCommands(table);
  RegisterPubsubCommands(table);
  RegisterHllCommands(table);
  RegisterStreamCommands(table);
  RegisterStreamReadCommands(table);
  RegisterStreamGroupCommands(table);
  RegisterStreamGroupReadCommands(table);
  RegisterScriptingCommands(table);
  RegisterFunctionCommands(table);
  RegisterCommandCommands(table);
}

}  // namespace strata::server
