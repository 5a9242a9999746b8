// Every Redis error text Strata sends, in one place, and the mapping from an
// engine Status to the text a client sees. A storage error's own text is
// logged, never sent.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace strata::server::errors {

inline constexpr std::string_view kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kNotInteger = "ERR value is not an integer or out of range";
// getIntFromObjectOrReply's range error.
inline constexpr std::string_view kNotInt32 =
    "ERR value is out of range, value must between -2147483648 and 2147483647";
inline constexpr std::string_view kNotFloat = "ERR value is not a valid float";
inline constexpr std::string_view kOverflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view kSyntax = "ERR syntax error";
inline constexpr std::string_view kDbIndexOutOfRange = "ERR DB index is out of range";
inline constexpr std::string_view kNoSuchKey = "ERR no such key";
inline constexpr std::string_view kSameObject = "ERR source and destination objects are the same";
inline constexpr std::string_view kInvalidFirstDb = "ERR invalid first DB index";
inline constexpr std::string_view kInvalidSecondDb = "ERR invalid second DB index";
inline constexpr std::string_view kInvalidCursor = "ERR invalid cursor";
inline constexpr std::string_view kTimeoutNotInteger =
    "ERR timeout is not an integer or out of range";
inline constexpr std::string_view kTimeoutNegative = "ERR timeout is negative";
// Blocking commands and CLIENT UNBLOCK (server/blocking.h).
inline constexpr std::string_view kTimeoutNotFloat = "ERR timeout is not a float or out of range";
inline constexpr std::string_view kUnblocked = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
inline constexpr std::string_view kUnblockReason =
    "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR";
inline constexpr std::string_view kNoProto = "NOPROTO unsupported protocol version";
inline constexpr std::string_view kOutOfRange = "ERR index out of range";
inline constexpr std::string_view kInternal = "ERR internal error";
// MULTI/EXEC (server/commands/multi_cmds.cc).
inline constexpr std::string_view kMultiNested = "ERR MULTI calls can not be nested";
inline constexpr std::string_view kWatchInsideMulti = "ERR WATCH inside MULTI is not allowed";
inline constexpr std::string_view kExecWithoutMulti = "ERR EXEC without MULTI";
inline constexpr std::string_view kDiscardWithoutMulti = "ERR DISCARD without MULTI";
inline constexpr std::string_view kExecAbort =
    "EXECABORT Transaction discarded because of previous errors.";
inline constexpr std::string_view kNotAllowedInMulti =
    "ERR Command not allowed inside a transaction";
// A script ran past busy-reply-threshold (scripting/busy_scripts.h).
inline constexpr std::string_view kBusyScript =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
inline constexpr std::string_view kBusyFunction =
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
// String and bit commands.
inline constexpr std::string_view kNanOrInfinity = "ERR increment would produce NaN or Infinity";
inline constexpr std::string_view kStringTooLong =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr std::string_view kOffsetOutOfRange = "ERR offset is out of range";
inline constexpr std::string_view kLcsNotStrings =
    "ERR The specified keys must contain string values";
inline constexpr std::string_view kLcsLenAndIdx =
    "ERR If you want both the length and indexes, please just use IDX.";
inline constexpr std::string_view kLcsTooLong = "ERR String too long for LCS";
inline constexpr std::string_view kLcsTooMuchMemory =
    "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
inline constexpr std::string_view kBitOffset = "ERR bit offset is not an integer or out of range";
inline constexpr std::string_view kBitValue = "ERR bit is not an integer or out of range";
inline constexpr std::string_view kBitposBit = "ERR The bit argument must be 1 or 0.";
inline constexpr std::string_view kBitopNot =
    "ERR BITOP NOT must be called with a single source key.";
inline constexpr std::string_view kBitfieldType =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 "
    "is.";
inline constexpr std::string_view kBitfieldOverflow = "ERR Invalid OVERFLOW type specified";
inline constexpr std::string_view kBitfieldRo = "ERR BITFIELD_RO only supports the GET subcommand";
// List commands (LMPOP's two are also ZMPOP's).
inline constexpr std::string_view kMustBePositive = "ERR value is out of range, must be positive";
inline constexpr std::string_view kLposRankZero =
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
    "negative to start from the end of the list";
inline constexpr std::string_view kLposCountNegative = "ERR COUNT can't be negative";
inline constexpr std::string_view kLposMaxlenNegative = "ERR MAXLEN can't be negative";
inline constexpr std::string_view kNumkeysNotPositive = "ERR numkeys should be greater than 0";
inline constexpr std::string_view kCountNotPositive = "ERR count should be greater than 0";
// OBJECT FREQ / OBJECT IDLETIME under the wrong kind of maxmemory-policy.
inline constexpr std::string_view kFreqNeedsLfu =
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
    "when switching between policies at runtime LRU and LFU data will take some time to adjust.";
inline constexpr std::string_view kIdleTimeUnderLfu =
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
    "switching between policies at runtime LRU and LFU data will take some time to adjust.";
// Hash and set commands.
inline constexpr std::string_view kHashNotInteger = "ERR hash value is not an integer";
inline constexpr std::string_view kHashNotFloat = "ERR hash value is not a float";
inline constexpr std::string_view kNanOrInfinityValue = "ERR value is NaN or Infinity";
inline constexpr std::string_view kValueOutOfRange = "ERR value is out of range";
// getRangeLongFromObjectOrReply's error for [-LONG_MAX, LONG_MAX].
inline constexpr std::string_view kNotLongRange =
    "ERR value is out of range, value must between -9223372036854775807 and "
    "9223372036854775807";
// Sorted-set commands.
inline constexpr std::string_view kZaddXxNx =
    "ERR XX and NX options at the same time are not compatible";
inline constexpr std::string_view kZaddGtLtNx =
    "ERR GT, LT, and/or NX options at the same time are not compatible";
inline constexpr std::string_view kZaddIncrPair =
    "ERR INCR option supports a single increment-element pair";
inline constexpr std::string_view kZsetMinMaxNotFloat = "ERR min or max is not a float";
inline constexpr std::string_view kZsetMinMaxNotLex = "ERR min or max not valid string range item";
inline constexpr std::string_view kZrangeLimit =
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
inline constexpr std::string_view kZrangeLexScores =
    "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
inline constexpr std::string_view kWeightNotFloat = "ERR weight value is not a float";
inline constexpr std::string_view kLimitNegative = "ERR LIMIT can't be negative";
// "ERR at least 1 input key is needed for 'zunion' command"
inline std::string NeedsInputKey(std::string_view command) {
  return "ERR at least 1 input key is needed for '" + std::string(command) + "' command";
}
// Stream commands.
inline constexpr std::string_view kStreamInvalidId =
    "ERR Invalid stream ID specified as stream command argument";
inline constexpr std::string_view kStreamIdTooSmall =
    "ERR The ID specified in XADD is equal or smaller than the target stream top item";
inline constexpr std::string_view kStreamIdZero =
    "ERR The ID specified in XADD must be greater than 0-0";
inline constexpr std::string_view kStreamExhausted =
    "ERR The stream has exhausted the last possible ID, unable to add more items";
inline constexpr std::string_view kStreamMaxlenNegative = "ERR The MAXLEN argument must be >= 0.";
inline constexpr std::string_view kStreamLimitNegative = "ERR The LIMIT argument must be >= 0.";
inline constexpr std::string_view kStreamMaxlenAndMinid =
    "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";
inline constexpr std::string_view kStreamLimitWithoutTrim =
    "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy";
inline constexpr std::string_view kStreamLimitWithoutApprox =
    "ERR syntax error, LIMIT cannot be used without the special ~ option";
inline constexpr std::string_view kStreamXtrimNoStrategy =
    "ERR syntax error, XTRIM must be called with a trimming strategy";
inline constexpr std::string_view kStreamBadStart = "ERR invalid start ID for the interval";
inline constexpr std::string_view kStreamBadEnd = "ERR invalid end ID for the interval";
inline constexpr std::string_view kStreamEntriesAddedNegative =
    "ERR entries_added must be positive";
inline constexpr std::string_view kStreamSetIdBelowArgMaxDeleted =
    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id";
inline constexpr std::string_view kStreamSetIdBelowTop =
    "ERR The ID specified in XSETID is smaller than the target stream top item";
inline constexpr std::string_view kStreamSetIdEntriesAdded =
    "ERR The entries_added specified in XSETID is smaller than the target stream length";
inline constexpr std::string_view kXreadUnbalanced =
    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.";
inline constexpr std::string_view kXreadGroupOption =
    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.";
inline constexpr std::string_view kXreadNoackOption =
    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.";
inline constexpr std::string_view kXreadGtId =
    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
    "<consumer> option.";
// Stream consumer groups.
inline constexpr std::string_view kXgroupNoKey =
    "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to "
    "use the MKSTREAM option to create an empty stream automatically.";
inline constexpr std::string_view kBusyGroup = "BUSYGROUP Consumer Group name already exists";
inline constexpr std::string_view kEntriesReadRange =
    "ERR value for ENTRIESREAD must be positive or -1";
inline constexpr std::string_view kXreadgroupDollar =
    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of "
    "this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would "
    "just return an empty result set.";
inline constexpr std::string_view kXreadgroupMissingGroup =
    "ERR Missing GROUP option for XREADGROUP";
inline constexpr std::string_view kXreadgroupGroupGone =
    "NOGROUP the consumer group this client was blocked on no longer exists";
// "NOGROUP No such key 'k' or consumer group 'g'" + `suffix`
inline std::string NoKeyOrGroup(std::string_view key, std::string_view group,
                                std::string_view suffix = "") {
  return "NOGROUP No such key '" + std::string(key) + "' or consumer group '" + std::string(group) +
         "'" + std::string(suffix);
}
// "NOGROUP No such consumer group 'g' for key name 'k'"
inline std::string NoGroup(std::string_view key, std::string_view group) {
  return "NOGROUP No such consumer group '" + std::string(group) + "' for key name '" +
         std::string(key) + "'";
}
// "ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO HELP."
std::string SubcommandSyntax(std::string_view command_upper, std::string_view sub);
inline constexpr std::string_view kNoAuth = "NOAUTH Authentication required.";
// A MONITOR client (Redis flags it as a replica) sent a read or write command.
inline constexpr std::string_view kReplicaKeyspace = "ERR Replica can't interact with the keyspace";
inline constexpr std::string_view kMonitorDenyBlocking =
    "ERR MONITOR isn't allowed for DENY BLOCKING client";
// DUMP / RESTORE (server/commands/dump_cmds.cc).
inline constexpr std::string_view kBusyKey = "BUSYKEY Target key name already exists.";
inline constexpr std::string_view kRestoreTtl = "ERR Invalid TTL value, must be >= 0";
inline constexpr std::string_view kRestoreIdleTime = "ERR Invalid IDLETIME value, must be >= 0";
inline constexpr std::string_view kRestoreFreq = "ERR Invalid FREQ value, must be >= 0 and <= 255";
inline constexpr std::string_view kWrongPass =
    "WRONGPASS invalid username-password pair or user is disabled.";

// "ERR wrong number of arguments for 'get' command"
std::string WrongArity(std::string_view command_full_name);
// "ERR unknown command 'foo', with args beginning with: 'a' 'b' "
std::string UnknownCommand(std::span<const std::string_view> argv);
// "ERR unknown subcommand 'foo'. Try CONFIG HELP."
std::string UnknownSubcommand(std::string_view command, std::string_view sub);
// "ERR invalid expire time in 'set' command"
std::string InvalidExpireTime(std::string_view command);
// The text for a failed engine status (never for kWouldBlock / kOk).
std::string FromStatus(const Status& s);
// A RESP2 client in the subscribed state ran something else.
std::string NotAllowedWhenSubscribed(std::string_view command_full_name);

}  // namespace strata::server::errors
