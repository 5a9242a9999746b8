// FunctionRegistry: the server-wide set of function libraries (FUNCTION
// LOAD/DELETE/FLUSH/RESTORE change it, FCALL and FUNCTION LIST read it), as
// Redis 7.0's functions_lib_ctx. A library is immutable once built; a change
// installs a new map, so readers hold a shared_ptr and never lock for long.
//
// Each thread's Lua interpreter compiles a library the first time it calls
// one of its functions (scripting/lua_interp.h LoadLibrary), keyed by the
// library's id, which is new for every load: a replaced library is
// recompiled, never confused with its predecessor.
//
// Thread-safe. Mutations are serialized by the caller holding mutation_mu()
// across validate + persist + Install, so the persisted set and the
// installed set never diverge.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "scripting/shebang.h"

namespace strata::scripting {

struct FunctionInfo {
  std::string name;
  std::optional<std::string> description;
  ScriptFlags flags;  // `shebang` unused
};

struct Library {
  std::string name;
  std::string code;  // as loaded, "#!lua name=..." line included
  uint64_t id = 0;   // unique per load
  std::vector<FunctionInfo> functions;

  const FunctionInfo* Find(std::string_view fn) const;
};

using LibraryMap = std::map<std::string, std::shared_ptr<const Library>, std::less<>>;

// The library name in `code`'s "#!<engine> name=<lib>" line, checked as
// Redis's functionExtractLibMetaData and functionsVerifyName do (client
// errors with Redis's texts).
StatusOr<std::string> ParseLibraryName(std::string_view code);
// Letters, digits and underscores, at least one.
bool ValidFunctionName(std::string_view name);

class FunctionRegistry {
 public:
  static FunctionRegistry& Instance();

  struct Found {
    std::shared_ptr<const Library> library;
    const FunctionInfo* function = nullptr;
  };
  std::optional<Found> FindFunction(std::string_view name) const;
  LibraryMap Libraries() const;
  void Install(LibraryMap libraries);
  uint64_t NextLibraryId() { return next_id_.fetch_add(1) + 1; }
  std::mutex& mutation_mu() { return mutation_mu_; }

 private:
  mutable std::shared_mutex mu_;
  LibraryMap libraries_;                                    // guarded by mu_
  std::map<std::string, std::string, std::less<>> owners_;  // function -> library
  std::mutex mutation_mu_;
  std::atomic<uint64_t> next_id_{0};
};

}  // namespace strata::scripting
