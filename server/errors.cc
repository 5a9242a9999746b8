// Error texts and Status -> error mapping; see errors.h.
#include "server/errors.h"

#include <fmt/format.h>

#include "common/log.h"
#include "common/text.h"

namespace strata::server::errors {

std::string WrongArity(std::string_view name) {
  return fmt::format("ERR wrong number of arguments for '{}' command", name);
}

std::string UnknownCommand(std::span<const std::string_view> argv) {
  // As Redis: the name cut at 128 bytes, then args while the list is under 128 bytes.
  std::string args;
  for (size_t i = 1; i < argv.size() && args.size() < 128; ++i) {
    size_t room = 128 - args.size();
    args += "'";
    args += argv[i].substr(0, room);
    args += "' ";
  }
  return fmt::format("ERR unknown command '{}', with args beginning with: {}",
                     argv[0].substr(0, 128), args);
}

std::string SubcommandSyntax(std::string_view command_upper, std::string_view sub) {
  return fmt::format("ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
                     sub.substr(0, 128), command_upper);
}

std::string UnknownSubcommand(std::string_view command, std::string_view sub) {
  std::string upper(command);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return fmt::format("ERR unknown subcommand '{}'. Try {} HELP.", sub.substr(0, 128), upper);
}

std::string InvalidExpireTime(std::string_view command) {
  return fmt::format("ERR invalid expire time in '{}' command", command);
}

std::string FromStatus(const Status& s) {
  switch (s.code()) {
    case StatusCode::kWrongType:
      return std::string(kWrongType);
    case StatusCode::kNotInteger:
      return std::string(kNotInteger);
    case StatusCode::kNotFloat:
      return std::string(kNotFloat);
    case StatusCode::kOverflow:
      return std::string(kOverflow);
    case StatusCode::kSyntax:
      return std::string(kSyntax);
    case StatusCode::kOutOfRange:
      return std::string(kOutOfRange);
    case StatusCode::kInvalidArgument:
      return s.message().empty() ? std::string(kSyntax) : s.message();
    default:
      LOG_WARNING("command failed: {}", s.ToString());
      return std::string(kInternal);
  }
}

std::string NotAllowedWhenSubscribed(std::string_view command_full_name) {
  return fmt::format(
      "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are "
      "allowed in this context",
      command_full_name);
}

}  // namespace strata::server::errors
