// The server-wide function libraries; see function_registry.h.
#include "scripting/function_registry.h"

#include <cctype>

#include "common/text.h"

namespace strata::scripting {

const FunctionInfo* Library::Find(std::string_view fn) const {
  for (const FunctionInfo& f : functions) {
    if (f.name == fn) return &f;
  }
  return nullptr;
}

bool ValidFunctionName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') return false;
  }
  return true;
}

StatusOr<std::string> ParseLibraryName(std::string_view code) {
  if (!code.starts_with("#!")) return Status::ClientError("ERR Missing library metadata");
  size_t eol = code.find('\n');
  if (eol == std::string_view::npos) return Status::ClientError("ERR Invalid library metadata");
  std::string_view line = code.substr(0, eol);
  std::vector<std::string_view> parts;
  for (size_t i = 0; i < line.size();) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])) != 0) ++i;
    size_t start = i;
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])) == 0) ++i;
    if (i > start) parts.push_back(line.substr(start, i - start));
  }
  if (parts.empty()) return Status::ClientError("ERR Invalid library metadata");
  std::string_view engine = parts[0].substr(2);
  std::optional<std::string> name;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].size() >= 5 && EqualsIgnoreCase(parts[i].substr(0, 5), "name=")) {
      if (name) {
        return Status::ClientError(
            "ERR Invalid metadata value, name argument was given multiple times");
      }
      name = std::string(parts[i].substr(5));
      continue;
    }
    return Status::ClientError("ERR Invalid metadata value given: " + std::string(parts[i]));
  }
  if (!name) return Status::ClientError("ERR Library name was not given");
  if (!EqualsIgnoreCase(engine, "lua")) {
    return Status::ClientError("ERR Engine '" + std::string(engine) + "' not found");
  }
  if (!ValidFunctionName(*name)) {
    return Status::ClientError(
        "ERR Library names can only contain letters, numbers, or underscores(_) and must be at "
        "least one character long");
  }
  return *name;
}

FunctionRegistry& FunctionRegistry::Instance() {
  static FunctionRegistry registry;
  return registry;
}

std::optional<FunctionRegistry::Found> FunctionRegistry::FindFunction(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto owner = owners_.find(name);
  if (owner == owners_.end()) return std::nullopt;
  auto lib = libraries_.find(owner->second);
  if (lib == libraries_.end()) return std::nullopt;
  return Found{lib->second, lib->second->Find(name)};
}

LibraryMap FunctionRegistry::Libraries() const {
  std::shared_lock lock(mu_);
  return libraries_;
}

void FunctionRegistry::Install(LibraryMap libraries) {
  std::map<std::string, std::string, std::less<>> owners;
  for (const auto& [name, lib] : libraries) {
    for (const FunctionInfo& f : lib->functions) owners[f.name] = name;
  }
  std::unique_lock lock(mu_);
  libraries_ = std::move(libraries);
  owners_ = std::move(owners);
}

}  // namespace strata::scripting
