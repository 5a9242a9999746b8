// CONFIG: GET, SET, RESETSTAT, REWRITE, HELP. The settings themselves (names,
// validation, mutability) live in server/config.h; a change is published by
// Server::ChangeConfig.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/log.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/config.h"
#include "server/errors.h"
#include "server/server.h"

namespace strata::server {

namespace {

constexpr std::string_view kHelp[] = {
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
    "HELP",
    "    Prints this help.",
};

// CONFIG GET pattern [pattern ...]: each matching setting once, in table order.
void Get(CommandContext& ctx) {
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string> seen;
  const ConfigValues& config = ctx.server->config();
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    for (auto& kv : Config::Get(config, ctx.argv[i])) {
      if (seen.insert(kv.first).second) out.push_back(std::move(kv));
    }
  }
  ctx.reply->MapHeader(static_cast<int64_t>(out.size()));
  for (const auto& [name, value] : out) {
    ctx.reply->Bulk(name);
    ctx.reply->Bulk(value);
  }
}

void Set(CommandContext& ctx) {
  if (ctx.argv.size() % 2 != 0) return ctx.ReplyError(errors::kSyntax);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 2; i < ctx.argv.size(); i += 2) {
    pairs.emplace_back(std::string(ctx.argv[i]), std::string(ctx.argv[i + 1]));
  }
  Status s = ctx.server->ChangeConfig([&](ConfigValues* v) { return Config::Set(pairs, v); });
  if (!s.ok()) return ctx.ReplyError(s.message());
  ctx.reply->Ok();
}

void ResetStat(CommandContext& ctx) {
  ctx.server->stats().Reset();
  ctx.server->command_stats().Reset();
  ctx.reply->Ok();
}

// Writes `text` to `path` through a temporary file and a rename, so a crash
// leaves the old file or the new one, never half of one.
Status WriteFileAtomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp-" + std::to_string(getpid());
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << text;
    f.flush();
    if (!f) return Status::IOError(std::strerror(errno));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Status::IOError(ec.message());
  }
  return Status::Ok();
}

void Rewrite(CommandContext& ctx) {
  const ConfigValues& config = ctx.server->config();
  if (config.config_file.empty()) {
    return ctx.ReplyError("ERR The server is running without a config file");
  }
  std::string old_text;
  {
    std::ifstream f(config.config_file);
    std::stringstream ss;
    ss << f.rdbuf();
    old_text = ss.str();  // a missing file is rewritten from nothing, as Redis
  }
  Status s = WriteFileAtomically(config.config_file, Config::Rewrite(old_text, config));
  if (!s.ok()) {
    LOG_WARNING("CONFIG REWRITE failed: {}", s.message());
    return ctx.ReplyError("ERR Rewriting config file: " + s.message());
  }
  LOG_NOTICE("CONFIG REWRITE executed with success.");
  ctx.reply->Ok();
}

void Help(CommandContext& ctx) {
  ctx.reply->ArrayHeader(static_cast<int64_t>(std::size(kHelp)));
  for (std::string_view line : kHelp) ctx.reply->SimpleString(line);
}

}  // namespace

void RegisterConfigCommands(CommandTable& table) {
  table.Register("config|get", Get);
  table.Register("config|set", Set);
  table.Register("config|resetstat", ResetStat);
  table.Register("config|rewrite", Rewrite);
  table.Register("config|help", Help);
}

}  // namespace strata::server
