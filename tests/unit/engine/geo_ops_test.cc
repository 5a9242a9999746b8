// GeoSearch and GeoSearchStore against a brute-force model (every point
// tested against the shape): the nine-box scan finds exactly the points
// inside, sorts and truncates as Redis, stops early with ANY, and the STORE
// form writes geohashes or distances, deletes an empty result's destination
// and rejects a source of another type; GeoProbe reports existence and scores.
#include "engine/geo_ops.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "engine/engine.h"
#include "engine/string_ops.h"
#include "engine/zset_ops.h"
#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

namespace geo = codec::geo;

class GeoOpsTest : public EngineFixture {
 protected:
  GeoOpsTest() { options_.databases = 1; }

  // Adds `n` points around (lon, lat), within `spread` degrees.
  void AddPoints(const std::string& key, int n, double lon, double lat, double spread) {
    std::uniform_real_distribution<double> d(-spread, spread);
    std::vector<std::string> names;
    std::vector<ZAddPair> pairs;
    for (int i = 0; i < n; ++i) {
      std::string name("p");
      name.append(std::to_string(model_.size()));
      double score = static_cast<double>(geo::ScoreOf(lon + d(rng_), lat + d(rng_)));
      model_[name] = score;
      names.push_back(name);
    }
    for (const std::string& name : names) pairs.push_back({model_[name], name});
    OpContext op = Op();
    ASSERT_TRUE(ZAdd(*engine_, op, key, ZAddOptions{}, pairs).ok());
  }

  // The members the model puts inside the shape, with their distances.
  std::map<std::string, double> Inside(const geo::Shape& shape) const {
    std::map<std::string, double> out;
    for (const auto& [name, score] : model_) {
      double lon, lat, dist;
      if (geo::WithinShape(shape, score, &lon, &lat, &dist)) out[name] = dist / shape.conversion;
    }
    return out;
  }

  std::vector<GeoPoint> Search(const GeoQuery& q) {
    OpContext op = Op();
    auto r = GeoSearch(*engine_, op, "g", q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<GeoPoint>();
  }

  std::mt19937_64 rng_{11};
  std::map<std::string, double> model_;  // member -> score
};

TEST_F(GeoOpsTest, FindsExactlyThePointsInsideTheShape) {
  AddPoints("g", 3000, 13.5, 37.8, 3);
  AddPoints("g", 1000, 179.5, 0, 1);  // across the antimeridian
  std::uniform_real_distribution<double> unit(0, 1);
  int found = 0;
  for (int q = 0; q < 200; ++q) {
    GeoQuery query;
    geo::Shape& s = query.shape;
    bool east = q % 4 == 0;
    s.lon = east ? 179 + unit(rng_) * 2 - (unit(rng_) < 0.5 ? 0 : 360) : 13.5 + unit(rng_) * 4 - 2;
    s.lon = std::clamp(s.lon, -180.0, 180.0);
    s.lat = east ? unit(rng_) - 0.5 : 37.8 + unit(rng_) * 4 - 2;
    s.conversion = q % 3 == 0 ? 1609.34 : 1000;
    double size = 1 + unit(rng_) * 150;
    if (q % 2 == 0) {
      s.type = geo::Shape::Type::kCircle;
      s.radius = size;
    } else {
      s.type = geo::Shape::Type::kBox;
      s.width = size * 2;
      s.height = size * (0.5 + unit(rng_));
    }
    std::map<std::string, double> want = Inside(s);
    std::vector<GeoPoint> got = Search(query);
    std::map<std::string, double> got_map;
    for (const GeoPoint& p : got) got_map[p.member] = p.dist;
    EXPECT_EQ(got.size(), got_map.size()) << "no duplicates";
    EXPECT_EQ(got_map, want) << "query " << q;
    found += static_cast<int>(got.size());

    query.sort = GeoQuery::Sort::kDesc;
    got = Search(query);
    EXPECT_TRUE(std::is_sorted(got.begin(), got.end(), [](const GeoPoint& a, const GeoPoint& b) {
      return a.dist > b.dist;
    }));
    // COUNT without ANY keeps the nearest, ascending.
    query.sort = GeoQuery::Sort::kNone;
    query.count = 5;
    got = Search(query);
    ASSERT_EQ(got.size(), std::min<size_t>(5, want.size()));
    std::vector<double> dists;
    for (const auto& [name, d] : want) dists.push_back(d);
    std::sort(dists.begin(), dists.end());
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].dist, dists[i]);
    // ANY: any `count` points of the shape.
    query.any = true;
    got = Search(query);
    ASSERT_EQ(got.size(), std::min<size_t>(5, want.size()));
    for (const GeoPoint& p : got) EXPECT_TRUE(want.count(p.member)) << p.member;
  }
  EXPECT_GT(found, 10000);
}

TEST_F(GeoOpsTest, StoreWritesScoresOrDistancesAndDeletesEmptyResults) {
  AddPoints("g", 300, 2, 48, 0.5);
  GeoQuery query;
  query.shape.lon = 2;
  query.shape.lat = 48;
  query.shape.radius = 20;
  query.shape.conversion = 1000;
  std::map<std::string, double> want = Inside(query.shape);
  ASSERT_FALSE(want.empty());
  OpContext op = Op();
  auto n = GeoSearchStore(*engine_, op, "d", "g", query, false);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, want.size());
  std::vector<std::string_view> names;
  for (const auto& [name, d] : want) names.push_back(name);
  auto scores = ZScores(*engine_, op, "d", names);
  ASSERT_TRUE(scores.ok());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ((*scores)[i], model_[std::string(names[i])]) << names[i];
  }
  n = GeoSearchStore(*engine_, op, "d", "g", query, true);
  ASSERT_TRUE(n.ok());
  scores = ZScores(*engine_, op, "d", names);
  ASSERT_TRUE(scores.ok());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ((*scores)[i], want[std::string(names[i])]) << names[i];
  }
  // Nothing inside: the destination goes; a missing source does the same.
  query.shape.lon = -100;
  ASSERT_TRUE(GeoSearchStore(*engine_, op, "d", "g", query, false).ok());
  auto card = ZCard(*engine_, op, "d");
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(*card, 0u);
  ASSERT_TRUE(SetString(*engine_, op, "s", "v", SetOptions{}).ok());
  EXPECT_EQ(GeoSearchStore(*engine_, op, "d", "s", query, false).status().code(),
            StatusCode::kWrongType);
  EXPECT_EQ(GeoSearch(*engine_, op, "s", query).status().code(), StatusCode::kWrongType);
  auto missing = GeoSearchStore(*engine_, op, "s", "nokey", query, false);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(*missing, 0u);
}

TEST_F(GeoOpsTest, ProbeReportsExistenceAndScores) {
  AddPoints("g", 3, 0, 0, 1);
  OpContext op = Op();
  std::vector<std::string_view> members = {"p0", "nope", "p2"};
  auto probe = GeoProbe(*engine_, op, "g", members);
  ASSERT_TRUE(probe.ok());
  EXPECT_TRUE(probe->exists);
  EXPECT_EQ(probe->scores[0], model_["p0"]);
  EXPECT_FALSE(probe->scores[1].has_value());
  EXPECT_EQ(probe->scores[2], model_["p2"]);
  probe = GeoProbe(*engine_, op, "nokey", members);
  ASSERT_TRUE(probe.ok());
  EXPECT_FALSE(probe->exists);
  EXPECT_EQ(probe->scores.size(), 3u);
}

}  // namespace
}  // namespace strata::engine
