// ScriptCache: the server-wide cache of script bodies by SHA-1, as Redis's
// lua_scripts dict: EVAL and SCRIPT LOAD add to it, EVALSHA and SCRIPT
// EXISTS read it, SCRIPT FLUSH empties it. Not persisted (Redis forgets
// scripts on restart too).
//
// Each thread that runs scripts has its own Lua interpreter
// (scripting/lua_interp.h) and compiles a body from here the first time it
// runs it. The cache's generation counts flushes: an interpreter that saw
// an older generation is rebuilt, so SCRIPT FLUSH also drops compiled code
// and whatever scripts left in the Lua heap.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace strata::scripting {

class ScriptCache {
 public:
  static ScriptCache& Instance();

  // Adds `body` under `sha` (its Sha1Hex); no-op when present.
  void Add(const std::string& sha, std::string_view body);
  // The body of `sha` (40 hex digits, any case), or null.
  std::shared_ptr<const std::string> Find(std::string_view sha) const;
  bool Contains(std::string_view sha) const { return Find(sha) != nullptr; }
  // What runs of a script taught (scripting/script_runner.h), so that its
  // next runs start where they will end up:
  enum Trait : unsigned {
    kUndeclaredKeys = 1,  // touched keys it did not declare: the exclusive path
    kLongRunning = 2,     // ran past the inline budget: straight to the blocking pool
  };
  void MarkTrait(const std::string& sha, Trait trait);
  unsigned Traits(const std::string& sha) const;
  // Forgets every script and starts a new generation.
  void Flush();
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  size_t size() const;

 private:
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> bodies_;
  std::unordered_map<std::string, unsigned> traits_;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace strata::scripting
