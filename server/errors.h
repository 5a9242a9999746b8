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
inline constexpr std::string_view kNoProto = "NOPROTO unsupported protocol version";
inline constexpr std::string_view kOutOfRange = "ERR index out of range";
inline constexpr std::string_view kInternal = "ERR internal error";
inline constexpr std::string_view kNoAuth = "NOAUTH Authentication required.";
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

}  // namespace strata::server::errors
