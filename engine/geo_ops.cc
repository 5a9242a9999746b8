// GEOSEARCH and its STORE form as walks of the nine geohash boxes of a
// shape over Zset's score order; see geo_ops.h.
#include "engine/geo_ops.h"

#include <algorithm>

#include "codec/zset_score.h"
#include "engine/key_access.h"
#include "engine/zset_object.h"

namespace strata::engine {

namespace {

namespace geo = codec::geo;

// Appends the points of `z` with scores in [min, max) that lie inside the
// shape (geoGetPointsInRange), stopping once `out` holds `limit` (0: none).
Status PointsInBox(Zset& z, double min, double max, const geo::Shape& shape, uint64_t limit,
                   std::vector<GeoPoint>* out) {
  return z.Walk(codec::EncodeScorePrefix(min), false, [&](double score, std::string_view member) {
    if (score >= max) return false;
    GeoPoint p;
    if (geo::WithinShape(shape, score, &p.lon, &p.lat, &p.dist)) {
      p.member = std::string(member);
      p.score = score;
      out->push_back(std::move(p));
    }
    return !(limit != 0 && out->size() >= limit);
  });
}

// membersOfAllNeighbors: the centre box, then N S E W NE NW SE SW, skipping
// excluded boxes and a box equal to the one scanned last (huge radii make
// neighbours coincide).
Status PointsInAreas(Zset& z, const geo::Shape& shape, uint64_t limit, std::vector<GeoPoint>* out) {
  geo::SearchAreas areas = geo::AreasForShape(shape);
  const geo::Neighbors& n = areas.neighbors;
  const geo::HashBits boxes[9] = {areas.hash,   n.north,      n.south,      n.east,      n.west,
                                  n.north_east, n.north_west, n.south_east, n.south_west};
  size_t last_processed = 0;
  for (size_t i = 0; i < 9; ++i) {
    if (boxes[i].IsZero()) continue;
    if (last_processed != 0 && boxes[i] == boxes[last_processed]) continue;
    if (limit != 0 && out->size() >= limit) break;
    geo::HashBits next = boxes[i];
    next.bits++;
    RETURN_IF_ERROR(PointsInBox(z, static_cast<double>(geo::Align52(boxes[i])),
                                static_cast<double>(geo::Align52(next)), shape, limit, out));
    last_processed = i;
  }
  return Status::Ok();
}

// The search on an open zset, in reply order (georadiusGeneric's sorting).
StatusOr<std::vector<GeoPoint>> Search(Zset& z, const GeoQuery& q) {
  std::vector<GeoPoint> points;
  RETURN_IF_ERROR(PointsInAreas(z, q.shape, q.any ? q.count : 0, &points));
  GeoQuery::Sort sort = q.sort;
  // COUNT keeps the nearest: it implies ascending order (not with ANY).
  if (q.count != 0 && sort == GeoQuery::Sort::kNone && !q.any) sort = GeoQuery::Sort::kAsc;
  if (sort == GeoQuery::Sort::kAsc) {
    std::stable_sort(points.begin(), points.end(),
                     [](const GeoPoint& a, const GeoPoint& b) { return a.dist < b.dist; });
  } else if (sort == GeoQuery::Sort::kDesc) {
    std::stable_sort(points.begin(), points.end(),
                     [](const GeoPoint& a, const GeoPoint& b) { return a.dist > b.dist; });
  }
  if (q.count != 0 && points.size() > q.count) points.resize(q.count);
  for (GeoPoint& p : points) p.dist /= q.shape.conversion;
  return points;
}

}  // namespace

StatusOr<std::vector<GeoPoint>> GeoSearch(Engine& engine, OpContext& ctx, std::string_view key,
                                          const GeoQuery& query) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  auto z = Zset::Open(access, key);
  if (z.status().IsNotFound()) return std::vector<GeoPoint>();
  if (!z.ok()) return z.status();
  return Search(*z, query);
}

StatusOr<uint64_t> GeoSearchStore(Engine& engine, OpContext& ctx, std::string_view dst,
                                  std::string_view src, const GeoQuery& query, bool store_dist) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  std::string_view keys[] = {dst, src};
  RETURN_IF_ERROR(access.Lock(keys));
  std::vector<GeoPoint> points;
  auto from = Zset::Open(access, src);
  if (from.ok()) {
    ASSIGN_OR_RETURN(points, Search(*from, query));
  } else if (from.status().IsNotFound()) {
    RaiseReadMiss(ctx.key_events, ctx.db, src);  // Redis's lookupKeyRead
  } else {
    return from.status();
  }
  auto old = access.Find(dst);
  if (!old.ok() && !old.status().IsNotFound()) return old.status();
  if (points.empty()) {
    if (old.ok()) access.DeleteEmpty(dst);
  } else {
    ASSIGN_OR_RETURN(Zset to, Zset::Create(access, dst));
    // Redis builds a skiplist and converts it when it is small enough (a
    // long member still converts it on insertion).
    to.set_big(points.size() > Zset::kMaxListpackEntries);
    for (const GeoPoint& p : points) {
      to.Insert(p.member, store_dist ? p.dist : p.score, std::nullopt);
    }
    to.Finish();
  }
  RETURN_IF_ERROR(access.Commit());
  return points.size();
}

StatusOr<GeoKeyProbe> GeoProbe(Engine& engine, OpContext& ctx, std::string_view key,
                               std::span<const std::string_view> members) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  GeoKeyProbe probe;
  probe.scores.resize(members.size());
  auto z = Zset::Open(access, key);
  if (z.status().IsNotFound()) return probe;
  if (!z.ok()) return z.status();
  probe.exists = true;
  for (size_t i = 0; i < members.size(); ++i) {
    ASSIGN_OR_RETURN(probe.scores[i], z->Score(members[i]));
  }
  return probe;
}

}  // namespace strata::engine
