// Geospatial search (GEOSEARCH, GEOSEARCHSTORE, GEORADIUS*) over a sorted
// set whose scores are Redis's 52-bit geohashes (codec/geohash.h). Adding
// points is plain ZADD (engine/zset_ops.h); reading positions is ZScores.
//
// THE SEARCH is Redis 7.0's: the shape's centre cell at the step estimated
// from its size and the eight neighbouring cells (minus those the shape
// cannot reach) are nine score ranges; each is one seek into the zset's
// score order and a walk to the end of the range, testing each point
// against the shape. Cost: the points inside those nine boxes, never the
// whole set. With COUNT ... ANY the walk stops at `count` matches.
//
// Results of every operation are Status-or-value: kWrongType for a key of
// another type, kWouldBlock (inline, not in memory) before any side effect.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "codec/geohash.h"
#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

struct GeoQuery {
  enum class Sort : unsigned char { kNone, kAsc, kDesc };
  codec::geo::Shape shape;
  Sort sort = Sort::kNone;
  uint64_t count = 0;  // 0: no limit
  bool any = false;    // stop at `count` matches instead of keeping the nearest
};

struct GeoPoint {
  std::string member;
  double score = 0;  // the stored geohash
  double dist = 0;   // from the centre, in the shape's unit
  double lon = 0, lat = 0;
};

// The matches in Redis's reply order: sorted by distance when the query
// sorts (COUNT without ANY sorts ascending), else in box-then-score order;
// at most `count`. Empty for an absent key.
StatusOr<std::vector<GeoPoint>> GeoSearch(Engine& engine, OpContext& ctx, std::string_view key,
                                          const GeoQuery& query);

// The STORE forms: replaces `dst` with the matches of `src` (scores their
// geohashes, or with `store_dist` their distances); deletes `dst` when
// there are none or `src` is absent. The number stored.
StatusOr<uint64_t> GeoSearchStore(Engine& engine, OpContext& ctx, std::string_view dst,
                                  std::string_view src, const GeoQuery& query, bool store_dist);

// What a search command must know before it parses its options (Redis
// checks the type first and looks centre members up while parsing):
// whether `key` exists, and the score of each of `members` (nullopt: not a
// member). kWrongType for a key of another type.
struct GeoKeyProbe {
  bool exists = false;
  std::vector<std::optional<double>> scores;
};
StatusOr<GeoKeyProbe> GeoProbe(Engine& engine, OpContext& ctx, std::string_view key,
                               std::span<const std::string_view> members);

}  // namespace strata::engine
