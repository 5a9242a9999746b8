// The Register functions of every command family; RegisterAllCommands
// (server/commands/families.cc) calls each once at start-up.
#pragma once

namespace strata::server {

class CommandTable;

void RegisterConnectionCommands(
    CommandTable& table);                          // PING ECHO HELLO AUTH QUIT RESET SELECT MONITOR
void RegisterStringCommands(CommandTable& table);  // GET SET INCR... MGET MSET APPEND LCS...
void RegisterBitCommands(CommandTable& table);     // SETBIT GETBIT BITCOUNT BITPOS BITOP...
void RegisterKeyspaceCommands(CommandTable& table);  // DEL EXISTS TYPE DBSIZE FLUSH*
void RegisterExpireCommands(CommandTable& table);    // EXPIRE* TTL* PERSIST
void RegisterServerCommands(CommandTable& table);    // TIME LASTSAVE SHUTDOWN
void RegisterInfoCommand(CommandTable& table);       // INFO
void RegisterClientCommands(CommandTable& table);    // CLIENT *
void RegisterTrackingCommands(
    CommandTable& table);                           // CLIENT TRACKING CACHING GETREDIR TRACKINGINFO
void RegisterConfigCommands(CommandTable& table);   // CONFIG *
void RegisterSlowlogCommands(CommandTable& table);  // SLOWLOG *
void RegisterLatencyCommands(CommandTable& table);  // LATENCY *
void RegisterMemoryCommands(CommandTable& table);   // MEMORY (all but USAGE)
void RegisterDebugCommands(CommandTable& table);    // DEBUG
void RegisterDumpCommands(CommandTable& table);     // DUMP RESTORE RESTORE-ASKING
void RegisterLolwutCommand(CommandTable& table);    // LOLWUT
void RegisterListCommands(CommandTable& table);     // LPUSH LPOP LRANGE LINSERT LMOVE LMPOP...
void RegisterMemoryUsageCommand(CommandTable& table);  // MEMORY USAGE
void RegisterHashCommands(CommandTable& table);        // HSET HGET HDEL HINCRBY HSCAN...
void RegisterSetCommands(CommandTable& table);         // SADD SREM SINTER SPOP SSCAN...

// Sorted sets: RegisterZsetCommands registers the other two.
void RegisterZsetCommands(CommandTable& table);         // ZADD ZREM ZSCORE ZRANK ZPOP* ZSCAN...
void RegisterZsetRangeCommands(CommandTable& table);    // ZRANGE* ZCOUNT ZREMRANGEBY*...
void RegisterZsetCombineCommands(CommandTable& table);  // ZUNION* ZINTER* ZDIFF*
void RegisterSortCommands(CommandTable& table);         // SORT SORT_RO
void RegisterMultiCommands(CommandTable& table);        // MULTI EXEC DISCARD WATCH UNWATCH
void RegisterPubsubCommands(CommandTable& table);  // (P|S)SUBSCRIBE (P|S)UNSUBSCRIBE PUBLISH...

// Geo keys are sorted sets of geohash scores.
void RegisterGeoCommands(CommandTable& table);     // GEOADD GEOPOS GEODIST GEOSEARCH* GEORADIUS*...
void RegisterHllCommands(CommandTable& table);     // PFADD PFCOUNT PFMERGE PFDEBUG PFSELFTEST
void RegisterStreamCommands(CommandTable& table);  // XADD XLEN XRANGE XDEL XTRIM XSETID...
void RegisterStreamReadCommands(CommandTable& table);       // XREAD XINFO STREAM
void RegisterStreamGroupCommands(CommandTable& table);      // XGROUP XINFO GROUPS/CONSUMERS
void RegisterStreamGroupReadCommands(CommandTable& table);  // XREADGROUP XACK XPENDING
// BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX BZMPOP (server/blocking.h).
void RegisterBlockingCommands(CommandTable& table);
void RegisterScriptingCommands(
    CommandTable& table);  // EVAL* SCRIPT * (scripting/scripting_cmds.cc)
void RegisterFunctionCommands(
    CommandTable& table);  // FCALL* FUNCTION * (scripting/function_cmds.cc)

}  // namespace strata::server
