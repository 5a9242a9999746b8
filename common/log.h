// Leveled logging in Redis's line format:
//   <pid>:M 24 Nov 2026 23:36:00.123 * message
// to stdout or to the configured logfile. Thread-safe (one write per line).
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace strata::log {

enum class Level : int { kDebug = 0, kVerbose = 1, kNotice = 2, kWarning = 3 };

// Returns false for an unknown level name ("debug", "verbose", "notice", "warning").
bool ParseLevel(std::string_view name, Level* out);
void SetLevel(Level level);
bool Enabled(Level level);
// Sends log lines to `path` (appending), or to stdout when empty. False on failure.
bool SetFile(const std::string& path);
void Write(Level level, std::string_view message);

template <typename... Args>
void Log(Level level, fmt::format_string<Args...> format, Args&&... args) {
  if (Enabled(level)) Write(level, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace strata::log

#define LOG_DEBUG(...) ::strata::log::Log(::strata::log::Level::kDebug, __VA_ARGS__)
#define LOG_VERBOSE(...) ::strata::log::Log(::strata::log::Level::kVerbose, __VA_ARGS__)
#define LOG_NOTICE(...) ::strata::log::Log(::strata::log::Level::kNotice, __VA_ARGS__)
#define LOG_WARNING(...) ::strata::log::Log(::strata::log::Level::kWarning, __VA_ARGS__)
