// The logger behind common/log.h.
#include "common/log.h"

#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace strata::log {

namespace {
std::atomic<int> g_level{static_cast<int>(Level::kNotice)};
std::mutex g_mu;
FILE* g_out = nullptr;  // null: stdout
}  // namespace

bool ParseLevel(std::string_view name, Level* out) {
  if (name == "debug") *out = Level::kDebug;
  else if (name == "verbose") *out = Level::kVerbose;
  else if (name == "notice") *out = Level::kNotice;
  else if (name == "warning") *out = Level::kWarning;
  else return false;
  return true;
}

void SetLevel(Level level) { g_level = static_cast<int>(level); }
bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed); }

bool SetFile(const std::string& path) {
  std::lock_guard lock(g_mu);
  if (path.empty()) {
    g_out = nullptr;
    return true;
  }
  FILE* f = std::fopen(path.c_str(), "a");
  if (f == nullptr) return false;
  if (g_out != nullptr) std::fclose(g_out);
  g_out = f;
  return true;
}

void Write(Level level, std::string_view message) {
  static const char kMarks[] = ".-*#";
  timeval tv;
  gettimeofday(&tv, nullptr);
  tm t;
  localtime_r(&tv.tv_sec, &t);
  char when[64];
  size_t n = std::strftime(when, sizeof(when), "%d %b %Y %H:%M:%S", &t);
  std::snprintf(when + n, sizeof(when) - n, ".%03d", static_cast<int>(tv.tv_usec / 1000));
  std::lock_guard lock(g_mu);
  FILE* out = g_out != nullptr ? g_out : stdout;
  std::fprintf(out, "%d:M %s %c %.*s\n", static_cast<int>(getpid()), when,
               kMarks[static_cast<int>(level)], static_cast<int>(message.size()), message.data());
  std::fflush(out);
}

}  // namespace strata::log
