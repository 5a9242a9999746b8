// Client-side caching commands: CLIENT TRACKING, CLIENT CACHING, CLIENT
// GETREDIR, CLIENT TRACKINGINFO. The invalidation machinery is
// server/tracking.h; Dispatch remembers the keys (server/dispatcher.cc).
// Option checks and their error texts follow Redis 7.0.15, in its order.
#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "server/arg_parser.h"
#include "server/client_state.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/server.h"

namespace strata::server {
namespace {

constexpr std::string_view kSwitchBcast =
    "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then "
    "re-enabling it with a different mode.";
constexpr std::string_view kSwitchOptMode =
    "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then "
    "re-enabling it with a different mode.";

bool Overlap(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  return a.substr(0, n) == b.substr(0, n);
}

// Redis's checkPrefixCollisionsOrReply: no new prefix may be a prefix of an
// existing one or of another new one, nor the reverse.
bool CheckPrefixes(CommandContext& ctx, const std::vector<std::string>& existing,
                   const std::vector<std::string>& added) {
  for (size_t i = 0; i < added.size(); ++i) {
    for (const std::string& old : existing) {
      if (Overlap(old, added[i])) {
        ctx.ReplyError(
            fmt::format("ERR Prefix '{}' overlaps with an existing prefix '{}'. "
                        "Prefixes for a single client must not overlap.",
                        added[i], old));
        return false;
      }
    }
    for (size_t j = i + 1; j < added.size(); ++j) {
      if (Overlap(added[i], added[j])) {
        ctx.ReplyError(
            fmt::format("ERR Prefix '{}' overlaps with another provided prefix '{}'. "
                        "Prefixes for a single client must not overlap.",
                        added[i], added[j]));
        return false;
      }
    }
  }
  return true;
}

void TrackingCmd(CommandContext& ctx) {
  ClientState& c = *ctx.client;
  TrackingMode mode;
  bool optin = false, optout = false;
  for (size_t j = 3; j < ctx.argv.size(); ++j) {
    std::string_view opt = ctx.argv[j];
    bool more = j + 1 < ctx.argv.size();
    if (EqualsIgnoreCase(opt, "redirect") && more) {
      ++j;
      if (mode.redirect != 0) {
        return ctx.ReplyError("ERR A client can only redirect to a single other client");
      }
      int64_t id;
      if (!ParseInt64(ctx.argv[j], &id)) return ctx.ReplyError(errors::kNotInteger);
      if (id <= 0 || ctx.server->clients().Find(static_cast<uint64_t>(id)) == nullptr) {
        return ctx.ReplyError("ERR The client ID you want redirect to does not exist");
      }
      mode.redirect = static_cast<uint64_t>(id);
    } else if (EqualsIgnoreCase(opt, "bcast")) {
      mode.bcast = true;
    } else if (EqualsIgnoreCase(opt, "optin")) {
      optin = true;
    } else if (EqualsIgnoreCase(opt, "optout")) {
      optout = true;
    } else if (EqualsIgnoreCase(opt, "noloop")) {
      mode.noloop = true;
    } else if (EqualsIgnoreCase(opt, "prefix") && more) {
      mode.prefixes.emplace_back(ctx.argv[++j]);
    } else {
      return ctx.ReplyError(errors::kSyntax);
    }
  }
  Tracking& tracking = ctx.server->tracking();
  if (EqualsIgnoreCase(ctx.argv[2], "off")) {
    if (c.tracking.on) tracking.Disable(c.id);
    c.tracking = {};
    return ctx.reply->Ok();
  }
  if (!EqualsIgnoreCase(ctx.argv[2], "on")) return ctx.ReplyError(errors::kSyntax);
  if (!mode.bcast && !mode.prefixes.empty()) {
    return ctx.ReplyError("ERR PREFIX option requires BCAST mode to be enabled");
  }
  if (c.tracking.on && c.tracking.bcast != mode.bcast) return ctx.ReplyError(kSwitchBcast);
  if (mode.bcast && (optin || optout)) {
    return ctx.ReplyError("ERR OPTIN and OPTOUT are not compatible with BCAST");
  }
  if (optin && optout) {
    return ctx.ReplyError("ERR You can't specify both OPTIN mode and OPTOUT mode");
  }
  if ((optin && c.tracking.optout) || (optout && c.tracking.optin)) {
    return ctx.ReplyError(kSwitchOptMode);
  }
  if (mode.bcast && !CheckPrefixes(ctx, tracking.Prefixes(c.id), mode.prefixes)) return;
  tracking.Enable(c.id, c.subscriber, mode);
  bool caching = c.tracking.caching;
  c.tracking = {.on = true,
                .bcast = mode.bcast,
                .optin = optin,
                .optout = optout,
                .noloop = mode.noloop,
                .caching = caching,
                .redirect = mode.redirect};
  ctx.reply->Ok();
}

void Caching(CommandContext& ctx) {
  ClientState::Tracking& t = ctx.client->tracking;
  if (!t.on) {
    return ctx.ReplyError(
        "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
        "OPTOUT mode enabled");
  }
  if (EqualsIgnoreCase(ctx.argv[2], "yes")) {
    if (!t.optin) {
      return ctx.ReplyError(
          "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
    }
  } else if (EqualsIgnoreCase(ctx.argv[2], "no")) {
    if (!t.optout) {
      return ctx.ReplyError(
          "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
    }
  } else {
    return ctx.ReplyError(errors::kSyntax);
  }
  t.caching = true;  // spent by the next command (server/dispatcher.cc)
  ctx.reply->Ok();
}

void GetRedir(CommandContext& ctx) {
  const ClientState::Tracking& t = ctx.client->tracking;
  ctx.reply->Integer(t.on ? static_cast<int64_t>(t.redirect) : -1);
}

void TrackingInfo(CommandContext& ctx) {
  const ClientState::Tracking& t = ctx.client->tracking;
  std::vector<std::string_view> flags;
  if (!t.on) {
    flags.push_back("off");
  } else {
    flags.push_back("on");
    if (t.bcast) flags.push_back("bcast");
    if (t.optin) {
      flags.push_back("optin");
      if (t.caching) flags.push_back("caching-yes");
    }
    if (t.optout) {
      flags.push_back("optout");
      if (t.caching) flags.push_back("caching-no");
    }
    if (t.noloop) flags.push_back("noloop");
    if (ctx.server->tracking().BrokenRedirect(ctx.client->id)) flags.push_back("broken_redirect");
  }
  std::vector<std::string> prefixes;
  if (t.on && t.bcast) prefixes = ctx.server->tracking().Prefixes(ctx.client->id);
  ctx.reply->MapHeader(3);
  ctx.reply->Bulk("flags");
  ctx.reply->SetHeader(static_cast<int64_t>(flags.size()));
  for (std::string_view f : flags) ctx.reply->Bulk(f);
  ctx.reply->Bulk("redirect");
  ctx.reply->Integer(t.on ? static_cast<int64_t>(t.redirect) : -1);
  ctx.reply->Bulk("prefixes");
  ctx.reply->ArrayHeader(static_cast<int64_t>(prefixes.size()));
  for (const std::string& p : prefixes) ctx.reply->Bulk(p);
}

}  // namespace

void RegisterTrackingCommands(CommandTable& table) {
  table.Register("client|tracking", TrackingCmd);
  table.Register("client|caching", Caching);
  table.Register("client|getredir", GetRedir);
  table.Register("client|trackinginfo", TrackingInfo);
}

}  // namespace strata::server
