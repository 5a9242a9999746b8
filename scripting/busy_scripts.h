// BusyScripts: the scripts that have run longer than busy-reply-threshold
// (alias lua-time-limit), as Redis's "busy" state. While one exists, other
// clients' commands are refused with BUSY (server/dispatcher.cc) unless they
// are flagged allow_busy (SCRIPT KILL, SHUTDOWN, ...), and SCRIPT KILL may
// stop it. Scripts register themselves from their Lua count hook once past
// the threshold, so a script that ends in time never touches the registry.
//
// Thread-safe: a script runs on one thread, SCRIPT KILL on another.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace strata::scripting {

// One busy script's entry, owned by its run.
struct BusyScript {
  std::atomic<bool> kill_requested{false};
  // False once the script wrote outside a transaction it can drop (the
  // exclusive path commits command by command): SCRIPT KILL then answers
  // UNKILLABLE, as Redis does for a script that wrote.
  std::atomic<bool> killable{true};
  bool function = false;  // an FCALL (FUNCTION KILL stops it), else an EVAL (SCRIPT KILL)
  // For FUNCTION STATS; set before EnterBusy, constant after.
  std::string name;
  std::vector<std::string> command;
  std::chrono::steady_clock::time_point start;
};

// FUNCTION STATS' running_script.
struct BusyFunction {
  std::string name;
  std::vector<std::string> command;
  int64_t duration_ms = 0;
};
std::optional<BusyFunction> CurrentBusyFunction();

void EnterBusy(BusyScript* script);
// Called by a busy script before a write it cannot take back: false when a
// kill came first (the script must stop without writing), else the script
// becomes unkillable.
bool ClaimWrite(BusyScript* script);
void LeaveBusy(BusyScript* script);
// Whether any script is busy now (one relaxed atomic load).
bool AnyScriptBusy();
// Whether the busy script is an FCALL (the BUSY error then names FUNCTION KILL).
bool BusyScriptIsFunction();

// kWrongKind: the busy script is a function and SCRIPT KILL was called, or
// an EVAL script and FUNCTION KILL was (Redis then answers BUSY).
enum class KillOutcome { kNotBusy, kUnkillable, kWrongKind, kKilled };
// SCRIPT KILL (functions = false) or FUNCTION KILL: asks every busy script
// to stop, unless one is unkillable or of the other kind.
KillOutcome KillBusyScripts(bool functions = false);

}  // namespace strata::scripting
