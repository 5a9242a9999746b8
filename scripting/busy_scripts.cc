// The registry of busy scripts; see busy_scripts.h.
#include "scripting/busy_scripts.h"

#include <algorithm>
#include <mutex>
#include <vector>

namespace strata::scripting {

namespace {

std::mutex mu;
std::vector<BusyScript*> busy;  // guarded by mu
std::atomic<int> busy_count{0};

}  // namespace

void EnterBusy(BusyScript* script) {
  std::lock_guard lock(mu);
  busy.push_back(script);
  busy_count.fetch_add(1, std::memory_order_relaxed);
}

bool ClaimWrite(BusyScript* script) {
  std::lock_guard lock(mu);
  if (script->kill_requested.load()) return false;
  script->killable.store(false);
  return true;
}

void LeaveBusy(BusyScript* script) {
  std::lock_guard lock(mu);
  busy.erase(std::remove(busy.begin(), busy.end(), script), busy.end());
  busy_count.fetch_sub(1, std::memory_order_relaxed);
}

bool AnyScriptBusy() {
  return busy_count.load(std::memory_order_relaxed) != 0;
}

bool BusyScriptIsFunction() {
  std::lock_guard lock(mu);
  return !busy.empty() && busy.front()->function;
}

std::optional<BusyFunction> CurrentBusyFunction() {
  std::lock_guard lock(mu);
  for (BusyScript* s : busy) {
    if (!s->function) continue;
    auto elapsed = std::chrono::steady_clock::now() - s->start;
    return BusyFunction{s->name, s->command,
                        std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()};
  }
  return std::nullopt;
}

KillOutcome KillBusyScripts(bool functions) {
  std::lock_guard lock(mu);
  if (busy.empty()) return KillOutcome::kNotBusy;
  for (BusyScript* s : busy) {
    if (!s->killable.load()) return KillOutcome::kUnkillable;
  }
  for (BusyScript* s : busy) {
    if (s->function != functions) return KillOutcome::kWrongKind;
  }
  for (BusyScript* s : busy) s->kill_requested.store(true);
  return KillOutcome::kKilled;
}

}  // namespace strata::scripting
