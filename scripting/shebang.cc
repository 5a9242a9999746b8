// Shebang parsing; see shebang.h.
#include "scripting/shebang.h"

#include <string>

namespace strata::scripting {

namespace {

// Splits on spaces, dropping empty words (sdssplitargs without quoting).
template <typename F>
void ForEachWord(std::string_view s, char sep, F f) {
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t end = s.find(sep, pos);
    if (end == std::string_view::npos) end = s.size();
    if (end > pos) f(s.substr(pos, end - pos));
    pos = end + 1;
  }
}

}  // namespace

StatusOr<ScriptFlags> ParseShebang(std::string_view body) {
  ScriptFlags flags;
  if (!body.starts_with("#!")) return flags;
  flags.shebang = true;
  size_t eol = body.find('\n');
  if (eol == std::string_view::npos) return Status::ClientError("ERR Invalid script shebang");
  std::string_view line = body.substr(0, eol);
  std::string error;
  bool first = true;
  ForEachWord(line, ' ', [&](std::string_view word) {
    if (!error.empty()) return;
    if (first) {
      first = false;
      if (word != "#!lua") error = "ERR Unexpected engine in script shebang: " + std::string(word);
      return;
    }
    if (!word.starts_with("flags=")) {
      error = "ERR Unknown lua shebang option: " + std::string(word);
      return;
    }
    ForEachWord(word.substr(6), ',', [&](std::string_view flag) {
      if (!error.empty()) return;
      if (flag == "no-writes") {
        flags.no_writes = true;
      } else if (flag == "allow-oom") {
        flags.allow_oom = true;
      } else if (flag == "allow-stale") {
        flags.allow_stale = true;
      } else if (flag == "no-cluster") {
        flags.no_cluster = true;
      } else if (flag == "allow-cross-slot-keys") {
        flags.allow_cross_slot_keys = true;
      } else {
        error = "ERR Unexpected flag in script shebang: " + std::string(flag);
      }
    });
  });
  if (!error.empty()) return Status::ClientError(std::move(error));
  return flags;
}

}  // namespace strata::scripting
