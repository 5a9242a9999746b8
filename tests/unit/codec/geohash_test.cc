// Redis's geohash math: scores and decoded positions of known places, the
// standard geohash strings, neighbours, step estimates, distances, and the
// property the search relies on — every point inside a shape lies in one of
// the nine boxes AreasForShape returns.
#include "codec/geohash.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace strata::codec::geo {
namespace {

TEST(GeohashTest, ScoresAndPositionsOfRedisDocumentationExamples) {
  EXPECT_EQ(ScoreOf(13.361389, 38.115556), 3479099956230698u);
  EXPECT_EQ(ScoreOf(15.087269, 37.502669), 3479447370796909u);
  double lon, lat;
  DecodeScore(3479099956230698.0, &lon, &lat);
  // GEOPOS replies 13.36138933897018433 38.11555639549629859.
  EXPECT_EQ(lon, 13.361389338970184);
  EXPECT_EQ(lat, 38.115556395496299);
  EXPECT_EQ(StandardGeohash(3479099956230698.0), "sqc8b49rny0");
  EXPECT_EQ(StandardGeohash(3479447370796909.0), "sqdtr74hyu0");
}

TEST(GeohashTest, LimitsOverflowAndDecodeClamped) {
  EXPECT_TRUE(ValidLonLat(180, 85.05112878));
  EXPECT_TRUE(ValidLonLat(-180, -85.05112878));
  EXPECT_FALSE(ValidLonLat(180.0000001, 0));
  EXPECT_FALSE(ValidLonLat(0, -85.05112879));
  EXPECT_EQ(ScoreOf(-180, -85.05112878), 0u);
  EXPECT_EQ(ScoreOf(0, 0), 3377699720527872u);
  // At the maximum the 26-bit cell numbers overflow, as in Redis.
  EXPECT_EQ(ScoreOf(180, 85.05112878), 13510798882111488u);
  double lon, lat;
  DecodeScore(13510798882111488.0, &lon, &lat);
  EXPECT_EQ(lon, kLonMax);
  EXPECT_EQ(lat, kLatMax);
}

TEST(GeohashTest, EncodeDecodeRoundTripStaysInTheCell) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> lon_d(kLonMin, kLonMax), lat_d(kLatMin, kLatMax);
  for (int i = 0; i < 10000; ++i) {
    double lon = lon_d(rng), lat = lat_d(rng);
    uint64_t score = ScoreOf(lon, lat);
    ASSERT_LT(score, uint64_t{1} << 52);
    double dlon, dlat;
    DecodeScore(static_cast<double>(score), &dlon, &dlat);
    EXPECT_NEAR(dlon, lon, 360.0 / (1 << 26));
    EXPECT_NEAR(dlat, lat, 170.2 / (1 << 26));
    EXPECT_EQ(ScoreOf(dlon, dlat), score);  // the centre encodes to its own cell
  }
}

TEST(GeohashTest, NeighboursMoveOneCellAndWrap) {
  HashBits h;
  ASSERT_TRUE(Encode({-180, 180}, {-90, 90}, 10, 20, 5, &h));
  Neighbors n = NeighborsOf(h);
  Area centre, east, north, south_west;
  ASSERT_TRUE(Decode({-180, 180}, {-90, 90}, h, &centre));
  ASSERT_TRUE(Decode({-180, 180}, {-90, 90}, n.east, &east));
  ASSERT_TRUE(Decode({-180, 180}, {-90, 90}, n.north, &north));
  ASSERT_TRUE(Decode({-180, 180}, {-90, 90}, n.south_west, &south_west));
  EXPECT_EQ(east.lon.min, centre.lon.max);
  EXPECT_EQ(east.lat.min, centre.lat.min);
  EXPECT_EQ(north.lat.min, centre.lat.max);
  EXPECT_EQ(south_west.lon.max, centre.lon.min);
  EXPECT_EQ(south_west.lat.max, centre.lat.min);
  // The westernmost cell's west neighbour is the easternmost one.
  ASSERT_TRUE(Encode({-180, 180}, {-90, 90}, -179.9, 0, 3, &h));
  Area west;
  ASSERT_TRUE(Decode({-180, 180}, {-90, 90}, NeighborsOf(h).west, &west));
  EXPECT_EQ(west.lon.max, 180);
  EXPECT_EQ(Align52(HashBits{1, 1}), uint64_t{1} << 50);
  EXPECT_FALSE(Decode({-180, 180}, {-90, 90}, HashBits{}, &west));
}

TEST(GeohashTest, StepEstimates) {
  EXPECT_EQ(EstimateSteps(0, 0), 26);
  EXPECT_EQ(EstimateSteps(1000, 0), 14);
  EXPECT_EQ(EstimateSteps(1000, 70), 13);
  EXPECT_EQ(EstimateSteps(1000, -85), 12);
  EXPECT_EQ(EstimateSteps(5e7, 0), 1);
  EXPECT_EQ(EstimateSteps(0.001, 0), 26);
}

TEST(GeohashTest, HaversineDistance) {
  double lon1, lat1, lon2, lat2;
  DecodeScore(3479099956230698.0, &lon1, &lat1);
  DecodeScore(3479447370796909.0, &lon2, &lat2);
  EXPECT_NEAR(Distance(lon1, lat1, lon2, lat2), 166274.1516, 5e-5);
  EXPECT_EQ(Distance(lon1, lat1, lon1, lat1), 0);
  // Half the circumference between antipodes on the equator.
  EXPECT_NEAR(Distance(0, 0, 180, 0), M_PI * kEarthRadiusMeters, 1e-6);
}

// Every point inside a shape has a score inside one of the nine boxes.
TEST(GeohashTest, NineBoxesCoverTheShape) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> lon_d(-180, 180), lat_d(-85, 85), unit(0, 1);
  int inside = 0;
  for (int q = 0; q < 300; ++q) {
    Shape s;
    s.lon = lon_d(rng);
    s.lat = lat_d(rng);
    s.conversion = 1000;
    double size = std::pow(10, unit(rng) * 3);  // 1 km .. 1000 km
    if (q % 2 == 0) {
      s.type = Shape::Type::kCircle;
      s.radius = size;
    } else {
      s.type = Shape::Type::kBox;
      s.width = size;
      s.height = size * (0.3 + unit(rng));
    }
    SearchAreas areas = AreasForShape(s);
    const Neighbors& n = areas.neighbors;
    const HashBits boxes[9] = {areas.hash,   n.north,      n.south,      n.east,      n.west,
                               n.north_east, n.north_west, n.south_east, n.south_west};
    for (int i = 0; i < 200; ++i) {
      // Points near the centre, at up to the shape's extent (the maxima
      // themselves overflow their cell numbers, as in Redis, so stay below).
      double dlat = (unit(rng) * 2 - 1) * size * 1000 / kEarthRadiusMeters * 180 / M_PI;
      double dlon = dlat / std::max(0.05, std::cos(s.lat * M_PI / 180)) * (unit(rng) * 2);
      double lon = s.lon + dlon;
      if (lon >= 180) lon -= 360;  // across the antimeridian
      if (lon < -180) lon += 360;
      double lat = std::clamp(s.lat + dlat, -85.0, 85.0);
      double score = static_cast<double>(ScoreOf(lon, lat));
      double plon, plat, dist;
      if (!WithinShape(s, score, &plon, &plat, &dist)) continue;
      ++inside;
      bool covered = false;
      for (const HashBits& b : boxes) {
        if (b.IsZero()) continue;
        HashBits next = b;
        next.bits++;
        if (score >= static_cast<double>(Align52(b)) && score < static_cast<double>(Align52(next)))
          covered = true;
      }
      EXPECT_TRUE(covered) << "centre " << s.lon << "," << s.lat << " size " << size << " point "
                           << lon << "," << lat;
    }
  }
  EXPECT_GT(inside, 5000);
}

TEST(GeohashTest, BoxTestUsesHalfWidthAndHalfHeight) {
  Shape box;
  box.type = Shape::Type::kBox;
  box.lon = 0;
  box.lat = 0;
  box.width = 200;  // km: 100 each side
  box.height = 100;
  box.conversion = 1000;
  double lon, lat, dist;
  double degrees_per_km = 180 / M_PI / kEarthRadiusMeters * 1000;
  EXPECT_TRUE(
      WithinShape(box, static_cast<double>(ScoreOf(99 * degrees_per_km, 0)), &lon, &lat, &dist));
  EXPECT_NEAR(dist, 99000, 10);
  EXPECT_FALSE(
      WithinShape(box, static_cast<double>(ScoreOf(101 * degrees_per_km, 0)), &lon, &lat, &dist));
  EXPECT_TRUE(
      WithinShape(box, static_cast<double>(ScoreOf(0, 49 * degrees_per_km)), &lon, &lat, &dist));
  EXPECT_FALSE(
      WithinShape(box, static_cast<double>(ScoreOf(0, 51 * degrees_per_km)), &lon, &lat, &dist));
}

}  // namespace
}  // namespace strata::codec::geo
