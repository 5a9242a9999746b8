// MonitorFeed and the MONITOR line format; see monitor.h.
#include "server/monitor.h"

#include <vector>

#include "server/pubsub.h"

namespace strata::server {

void MonitorFeed::Add(uint64_t client_id, std::weak_ptr<Subscriber> monitor) {
  std::lock_guard lock(mu_);
  monitors_[client_id] = std::move(monitor);
  count_.store(monitors_.size(), std::memory_order_relaxed);
}

void MonitorFeed::Remove(uint64_t client_id) {
  std::lock_guard lock(mu_);
  monitors_.erase(client_id);
  count_.store(monitors_.size(), std::memory_order_relaxed);
}

void MonitorFeed::Feed(std::string lines) {
  auto message = std::make_shared<PushMessage>();
  message->resp3 = lines;  // a simple string in both protocols, as Redis sends it
  message->resp2 = std::move(lines);
  std::lock_guard lock(mu_);  // delivering under the lock keeps one feed order
  for (const auto& [id, weak] : monitors_) {
    if (auto monitor = weak.lock()) monitor->Deliver(message);
  }
}

namespace {

// Redis's sdscatrepr: printable bytes as they are, the usual escapes, the
// rest as \xHH (lower-case hex).
void AppendQuoted(std::string* out, std::string_view arg) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (unsigned char c : arg) {
    switch (c) {
      case '\\':
        out->append("\\\\");
        break;
      case '"':
        out->append("\\\"");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\a':
        out->append("\\a");
        break;
      case '\b':
        out->append("\\b");
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out->push_back(static_cast<char>(c));
        } else {
          out->append("\\x");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        }
    }
  }
  out->push_back('"');
}

}  // namespace

void AppendMonitorLine(std::string* out, uint64_t now_us, int db, std::string_view origin,
                       std::span<const std::string_view> argv) {
  char stamp[64];
  int n = snprintf(stamp, sizeof stamp, "+%llu.%06llu [%d ",
                   static_cast<unsigned long long>(now_us / 1000000),
                   static_cast<unsigned long long>(now_us % 1000000), db);
  out->append(stamp, static_cast<size_t>(n));
  out->append(origin);
  out->push_back(']');
  for (std::string_view arg : argv) {
    out->push_back(' ');
    AppendQuoted(out, arg);
  }
  out->append("\r\n");
}

}  // namespace strata::server
