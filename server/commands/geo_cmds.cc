// Geospatial commands: GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH,
// GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and their _RO forms, with
// Redis 7.0's arguments, errors (and their order) and reply shapes. A geo
// key is a sorted set of codec/geohash.h scores: GEOADD is ZADD, the
// position reads are ZScores, the searches are engine/geo_ops.h.
#include <fmt/format.h>

#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "codec/geohash.h"
#include "common/numbers.h"
#include "common/text.h"
#include "engine/geo_ops.h"
#include "engine/keyspace_ops.h"
#include "engine/zset_ops.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/errors.h"

namespace strata::server {

namespace {

namespace geo = codec::geo;

constexpr std::string_view kUnsupportedUnit =
    "ERR unsupported unit provided. please use M, KM, FT, MI";
constexpr std::string_view kCouldNotDecode = "ERR could not decode requested zset member";

// "%.4f": Redis's addReplyDoubleDistance, a bulk string in both protocols.
void ReplyDistance(CommandContext& ctx, double d) {
  char buf[128];
  int n = std::snprintf(buf, sizeof(buf), "%.4f", d);
  ctx.reply->Bulk(std::string_view(buf, static_cast<size_t>(n)));
}

// extractUnitOrReply: meters per unit, or nullopt.
std::optional<double> UnitToMeters(std::string_view unit) {
  if (EqualsIgnoreCase(unit, "m")) return 1;
  if (EqualsIgnoreCase(unit, "km")) return 1000;
  if (EqualsIgnoreCase(unit, "ft")) return 0.3048;
  if (EqualsIgnoreCase(unit, "mi")) return 1609.34;
  return std::nullopt;
}

// extractLongLatOrReply: "" or the error text.
std::string ParseLonLat(std::string_view lon_arg, std::string_view lat_arg, double* lon,
                        double* lat) {
  if (!ParseDouble(lon_arg, lon) || !ParseDouble(lat_arg, lat))
    return std::string(errors::kNotFloat);
  if (!geo::ValidLonLat(*lon, *lat)) {
    // C's "%f" (all the digits of a huge value, "inf").
    return fmt::format("ERR invalid longitude,latitude pair {:f},{:f}", *lon, *lat);
  }
  return {};
}

// extractDistanceOrReply: <radius> <unit> into the shape.
std::string ParseRadius(std::string_view radius, std::string_view unit, geo::Shape* shape) {
  double r;
  if (!ParseDouble(radius, &r)) return "ERR need numeric radius";
  if (r < 0) return "ERR radius cannot be negative";
  shape->radius = r;
  auto meters = UnitToMeters(unit);
  if (!meters) return std::string(kUnsupportedUnit);
  shape->conversion = *meters;
  shape->type = geo::Shape::Type::kCircle;
  return {};
}

// extractBoxOrReply: <width> <height> <unit> into the shape.
std::string ParseBox(std::string_view width, std::string_view height, std::string_view unit,
                     geo::Shape* shape) {
  double w, h;
  if (!ParseDouble(width, &w)) return "ERR need numeric width";
  if (!ParseDouble(height, &h)) return "ERR need numeric height";
  if (h < 0 || w < 0) return "ERR height or width cannot be negative";
  shape->width = w;
  shape->height = h;
  auto meters = UnitToMeters(unit);
  if (!meters) return std::string(kUnsupportedUnit);
  shape->conversion = *meters;
  shape->type = geo::Shape::Type::kBox;
  return {};
}

// The variants of georadiusGeneric.
enum SearchFlags : unsigned {
  kFromCoords = 1,    // GEORADIUS: centre and radius are arguments 2-5
  kFromMember = 2,    // GEORADIUSBYMEMBER: member, radius and unit are arguments 2-4
  kNoStore = 4,       // the _RO forms
  kSearch = 8,        // GEOSEARCH's FROM*/BY* options
  kSearchStore = 16,  // GEOSEARCHSTORE: destination first, STOREDIST a flag
};

struct SearchRequest {
  engine::GeoQuery query;
  bool has_center = false;
  std::optional<std::string_view> store;
  bool store_dist = false;
  bool with_dist = false, with_hash = false, with_coord = false;
};

// Centre members are looked up while the options are parsed (Redis reports
// a missing one at its place among the parse errors). The first pass runs
// before the key is read: it assumes the key exists and each member is
// there, and records the members; the second replays the parse with what
// GeoProbe found for them, in the same order.
class CentreLookup {
 public:
  CentreLookup() = default;  // first pass
  explicit CentreLookup(const engine::GeoKeyProbe& probe) : probe_(&probe) {}

  bool key_exists() const { return probe_ == nullptr || probe_->exists; }
  const std::vector<std::string_view>& members() const { return members_; }

  // Sets the shape's centre to `member`'s position; false when it is missing.
  bool Centre(std::string_view member, geo::Shape* shape) {
    if (probe_ == nullptr) {
      members_.push_back(member);
      return true;
    }
    if (next_ >= probe_->scores.size() || !probe_->scores[next_]) return false;
    geo::DecodeScore(*probe_->scores[next_++], &shape->lon, &shape->lat);
    return true;
  }

 private:
  const engine::GeoKeyProbe* probe_ = nullptr;
  std::vector<std::string_view> members_;
  size_t next_ = 0;
};

// georadiusGeneric's argument handling, in its order: "" or the error text.
std::string ParseSearch(CommandContext& ctx, unsigned flags, CentreLookup& centre,
                        SearchRequest* req) {
  std::span<const std::string_view> argv = ctx.argv;
  geo::Shape& shape = req->query.shape;
  std::string error;
  size_t base;
  if (flags & kFromCoords) {
    base = 6;
    error = ParseLonLat(argv[2], argv[3], &shape.lon, &shape.lat);
    if (error.empty()) error = ParseRadius(argv[4], argv[5], &shape);
    if (!error.empty()) return error;
    req->has_center = true;
  } else if (flags & kFromMember) {
    base = 5;
    // Without a key Redis parses the options only (the radius is unread).
    if (centre.key_exists()) {
      if (!centre.Centre(argv[2], &shape)) return std::string(kCouldNotDecode);
      error = ParseRadius(argv[3], argv[4], &shape);
      if (!error.empty()) return error;
      req->has_center = true;
    }
  } else {
    base = 2;
    if (flags & kSearchStore) {
      base = 3;
      req->store = argv[1];
    }
  }

  bool from_member = false, from_lonlat = false, by_radius = false, by_box = false;
  int64_t count = 0;
  for (size_t i = base; i < argv.size(); ++i) {
    std::string_view arg = argv[i];
    size_t left = argv.size() - i - 1;
    bool search = flags & kSearch;
    bool store_ok = !(flags & (kNoStore | kSearch));
    if (EqualsIgnoreCase(arg, "withdist")) {
      req->with_dist = true;
    } else if (EqualsIgnoreCase(arg, "withhash")) {
      req->with_hash = true;
    } else if (EqualsIgnoreCase(arg, "withcoord")) {
      req->with_coord = true;
    } else if (EqualsIgnoreCase(arg, "any")) {
      req->query.any = true;
    } else if (EqualsIgnoreCase(arg, "asc")) {
      req->query.sort = engine::GeoQuery::Sort::kAsc;
    } else if (EqualsIgnoreCase(arg, "desc")) {
      req->query.sort = engine::GeoQuery::Sort::kDesc;
    } else if (EqualsIgnoreCase(arg, "count") && left >= 1) {
      if (!ParseInt64(argv[++i], &count)) return std::string(errors::kNotInteger);
      if (count <= 0) return "ERR COUNT must be > 0";
    } else if ((EqualsIgnoreCase(arg, "store") || EqualsIgnoreCase(arg, "storedist")) &&
               left >= 1 && store_ok) {
      req->store = argv[++i];
      req->store_dist = EqualsIgnoreCase(arg, "storedist");
    } else if (EqualsIgnoreCase(arg, "storedist") && (flags & kSearchStore)) {
      req->store_dist = true;
    } else if (EqualsIgnoreCase(arg, "frommember") && left >= 1 && search && !from_lonlat) {
      std::string_view member = argv[++i];
      if (centre.key_exists()) {
        if (!centre.Centre(member, &shape)) return std::string(kCouldNotDecode);
        req->has_center = true;
      }
      from_member = true;
    } else if (EqualsIgnoreCase(arg, "fromlonlat") && left >= 2 && search && !from_member) {
      error = ParseLonLat(argv[i + 1], argv[i + 2], &shape.lon, &shape.lat);
      if (!error.empty()) return error;
      req->has_center = true;
      from_lonlat = true;
      i += 2;
    } else if (EqualsIgnoreCase(arg, "byradius") && left >= 2 && search && !by_box) {
      error = ParseRadius(argv[i + 1], argv[i + 2], &shape);
      if (!error.empty()) return error;
      by_radius = true;
      i += 2;
    } else if (EqualsIgnoreCase(arg, "bybox") && left >= 3 && search && !by_radius) {
      error = ParseBox(argv[i + 1], argv[i + 2], argv[i + 3], &shape);
      if (!error.empty()) return error;
      by_box = true;
      i += 3;
    } else {
      return std::string(errors::kSyntax);
    }
  }
  req->query.count = static_cast<uint64_t>(count);

  if (req->store && (req->with_dist || req->with_hash || req->with_coord)) {
    return std::string("ERR ") +
           ((flags & kSearchStore) ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS") +
           " is not compatible with WITHDIST, WITHHASH and WITHCOORD options";
  }
  if ((flags & kSearch) && !(from_member || from_lonlat)) {
    return "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " +
           std::string(argv[0]);
  }
  if ((flags & kSearch) && !(by_radius || by_box)) {
    return "ERR exactly one of BYRADIUS and BYBOX can be specified for " + std::string(argv[0]);
  }
  if (req->query.any && count == 0) return "ERR the ANY argument requires COUNT argument";
  return {};
}

void ReplyPoints(CommandContext& ctx, const SearchRequest& req,
                 const std::vector<engine::GeoPoint>& points) {
  int options = int{req.with_dist} + int{req.with_hash} + int{req.with_coord};
  ctx.reply->ArrayHeader(static_cast<int64_t>(points.size()));
  for (const engine::GeoPoint& p : points) {
    if (options > 0) ctx.reply->ArrayHeader(options + 1);
    ctx.reply->Bulk(p.member);
    if (req.with_dist) ReplyDistance(ctx, p.dist);
    if (req.with_hash) ctx.reply->Integer(static_cast<int64_t>(p.score));
    if (req.with_coord) {
      ctx.reply->ArrayHeader(2);
      ctx.reply->HumanLongDouble(p.lon);
      ctx.reply->HumanLongDouble(p.lat);
    }
  }
}

// georadiusGeneric: parse (reading the key first when the parse depends on
// it), then search or store.
void SearchGeneric(CommandContext& ctx, unsigned flags) {
  std::string_view key = ctx.argv[(flags & kSearchStore) ? 2 : 1];
  SearchRequest req;
  CentreLookup first_pass;
  std::string error = ParseSearch(ctx, flags, first_pass, &req);
  bool exists = true;
  if (!error.empty() || !first_pass.members().empty()) {
    // Redis checks the key's type before any argument, and looks the
    // centre members up as it meets them.
    auto probe = engine::GeoProbe(ctx.engine(), ctx.op, key, first_pass.members());
    if (!probe.ok()) return ctx.ReplyStatus(probe.status());
    req = SearchRequest{};
    CentreLookup second_pass(*probe);
    error = ParseSearch(ctx, flags, second_pass, &req);
    if (!error.empty()) return ctx.ReplyError(error);
    exists = probe->exists;
  }
  if (!exists || !req.has_center) {  // no source key: empty, and STORE deletes
    if (!req.store) return ctx.reply->ArrayHeader(0);
    auto deleted = engine::DeleteKeys(ctx.engine(), ctx.op, std::span(&*req.store, 1));
    if (!deleted.ok()) return ctx.ReplyStatus(deleted.status());
    if (*deleted > 0) ctx.Notify(engine::kNotifyGeneric, "del", *req.store);
    return ctx.reply->Integer(0);
  }
  if (req.store) {
    auto stored =
        engine::GeoSearchStore(ctx.engine(), ctx.op, *req.store, key, req.query, req.store_dist);
    if (!stored.ok()) return ctx.ReplyStatus(stored.status());
    // An empty result deletes the destination: the engine raises that "del".
    if (*stored > 0) {
      ctx.Notify(engine::kNotifyZset, (flags & kSearch) ? "geosearchstore" : "georadiusstore",
                 *req.store);
    }
    return ctx.reply->Integer(static_cast<int64_t>(*stored));
  }
  auto points = engine::GeoSearch(ctx.engine(), ctx.op, key, req.query);
  if (!points.ok()) return ctx.ReplyStatus(points.status());
  ReplyPoints(ctx, req, *points);
}

void GeoRadius(CommandContext& ctx) {
  SearchGeneric(ctx, kFromCoords);
}
void GeoRadiusRo(CommandContext& ctx) {
  SearchGeneric(ctx, kFromCoords | kNoStore);
}
void GeoRadiusByMember(CommandContext& ctx) {
  SearchGeneric(ctx, kFromMember);
}
void GeoRadiusByMemberRo(CommandContext& ctx) {
  SearchGeneric(ctx, kFromMember | kNoStore);
}
void GeoSearch(CommandContext& ctx) {
  SearchGeneric(ctx, kSearch);
}
void GeoSearchStore(CommandContext& ctx) {
  SearchGeneric(ctx, kSearch | kSearchStore);
}

// GEOADD key [NX|XX] [CH] lon lat member [lon lat member ...]: ZADD of the
// positions' geohashes, every position validated first.
void GeoAdd(CommandContext& ctx) {
  engine::ZAddOptions o;
  bool ch = false;
  size_t i = 2;
  for (; i < ctx.argv.size(); ++i) {
    std::string_view opt = ctx.argv[i];
    if (EqualsIgnoreCase(opt, "nx")) {
      o.nx = true;
    } else if (EqualsIgnoreCase(opt, "xx")) {
      o.xx = true;
    } else if (EqualsIgnoreCase(opt, "ch")) {
      ch = true;
    } else {
      break;
    }
  }
  size_t args = ctx.argv.size() - i;
  if (args % 3 != 0 || (o.nx && o.xx) || args == 0) return ctx.ReplyError(errors::kSyntax);
  std::vector<engine::ZAddPair> pairs;
  pairs.reserve(args / 3);
  for (; i < ctx.argv.size(); i += 3) {
    double lon, lat;
    std::string error = ParseLonLat(ctx.argv[i], ctx.argv[i + 1], &lon, &lat);
    if (!error.empty()) return ctx.ReplyError(error);
    pairs.push_back({static_cast<double>(geo::ScoreOf(lon, lat)), ctx.argv[i + 2]});
  }
  auto result = engine::ZAdd(ctx.engine(), ctx.op, ctx.argv[1], o, pairs);
  if (!result.ok()) return ctx.ReplyStatus(result.status());
  // Redis runs GEOADD as a ZADD: its event.
  if (result->added + result->updated > 0) ctx.Notify(engine::kNotifyZset, "zadd", ctx.argv[1]);
  ctx.reply->Integer(static_cast<int64_t>(result->added + (ch ? result->updated : 0)));
}

// GEOPOS key member...: [lon, lat] per member, a null array when missing.
void GeoPos(CommandContext& ctx) {
  auto scores = engine::ZScores(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv.subspan(2));
  if (!scores.ok()) return ctx.ReplyStatus(scores.status());
  ctx.reply->ArrayHeader(static_cast<int64_t>(scores->size()));
  for (const std::optional<double>& score : *scores) {
    if (!score) {
      ctx.reply->NullArray();
      continue;
    }
    double lon, lat;
    geo::DecodeScore(*score, &lon, &lat);
    ctx.reply->ArrayHeader(2);
    ctx.reply->HumanLongDouble(lon);
    ctx.reply->HumanLongDouble(lat);
  }
}

// GEOHASH key member...: the 11-character standard geohash, or null.
void GeoHash(CommandContext& ctx) {
  auto scores = engine::ZScores(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv.subspan(2));
  if (!scores.ok()) return ctx.ReplyStatus(scores.status());
  ctx.reply->ArrayHeader(static_cast<int64_t>(scores->size()));
  for (const std::optional<double>& score : *scores) {
    if (!score) {
      ctx.reply->Null();
      continue;
    }
    ctx.reply->Bulk(geo::StandardGeohash(*score));
  }
}

// GEODIST key member1 member2 [unit]: the unit is checked before the key.
void GeoDist(CommandContext& ctx) {
  double to_meters = 1;
  if (ctx.argv.size() == 5) {
    auto meters = UnitToMeters(ctx.argv[4]);
    if (!meters) return ctx.ReplyError(kUnsupportedUnit);
    to_meters = *meters;
  } else if (ctx.argv.size() > 5) {
    return ctx.ReplyError(errors::kSyntax);
  }
  auto scores = engine::ZScores(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv.subspan(2, 2));
  if (!scores.ok()) return ctx.ReplyStatus(scores.status());
  if (!(*scores)[0] || !(*scores)[1]) return ctx.reply->Null();
  double lon1, lat1, lon2, lat2;
  geo::DecodeScore(*(*scores)[0], &lon1, &lat1);
  geo::DecodeScore(*(*scores)[1], &lon2, &lat2);
  ReplyDistance(ctx, geo::Distance(lon1, lat1, lon2, lat2) / to_meters);
}

}  // namespace

void RegisterGeoCommands(CommandTable& table) {
  table.Register("geoadd", GeoAdd);
  table.Register("geopos", GeoPos);
  table.Register("geohash", GeoHash);
  table.Register("geodist", GeoDist);
  table.Register("georadius", GeoRadius);
  table.Register("georadius_ro", GeoRadiusRo);
  table.Register("georadiusbymember", GeoRadiusByMember);
  table.Register("georadiusbymember_ro", GeoRadiusByMemberRo);
  table.Register("geosearch", GeoSearch);
  table.Register("geosearchstore", GeoSearchStore);
}

}  // namespace strata::server
