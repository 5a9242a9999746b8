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

namespace strata::scripting {

// One busy script's entry, owned by its run.
struct BusyScript {
  std::atomic<bool> kill_requested{false};
  // False once the script wrote outside a transaction it can drop (the
  // exclusive path commits command by command): SCRIPT KILL then answers
  // UNKILLABLE, as Redis does for a script that wrote.
  std::atomic<bool> killable{true};
};

void EnterBusy(BusyScript* script);
// Called by a busy script before a write it cannot take back: false when a
// kill came first (the script must stop without writing), else the script
// becomes unkillable.
bool ClaimWrite(BusyScript* script);
void LeaveBusy(BusyScript* script);
// Whether any script is busy now (one relaxed atomic load).
bool AnyScriptBusy();

enum class KillOutcome { kNotBusy, kUnkillable, kKilled };
// SCRIPT KILL: asks every busy script to stop, unless one is unkillable.
KillOutcome KillBusyScripts();

}  // namespace strata::scripting
