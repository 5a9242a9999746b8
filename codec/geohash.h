// Geohash math of Redis 7.0's geohash.c and geohash_helper.c, as pure
// functions: the 52-bit interleaved score a GEOADD stores, its decoding to
// the cell centre, the haversine distance, and the nine geohash boxes whose
// score ranges cover a search shape (engine/geo_ops.cc scans them).
//
// THE SCORE. Longitude [-180, 180] and latitude [-85.05112878, 85.05112878]
// (the Web Mercator limits) are each cut into 2^26 cells; the two 26-bit
// cell numbers are interleaved, latitude in the even bits and longitude in
// the odd ones, into a 52-bit integer stored as the zset score (exact in a
// double). Points close together share a prefix, so a geohash box of `step`
// bits per axis is the score range [bits << (52 - 2 step), (bits + 1) << ...).
//
// Every function reproduces Redis's floating-point operations in Redis's
// order, so decoded coordinates, distances and the boxes searched are
// bit-for-bit Redis's (GEOSEARCH results and "%.4f" distances match).
#pragma once

#include <cstdint>
#include <string>

namespace strata::codec::geo {

inline constexpr double kLonMin = -180;
inline constexpr double kLonMax = 180;
inline constexpr double kLatMin = -85.05112878;
inline constexpr double kLatMax = 85.05112878;
inline constexpr uint8_t kStepMax = 26;
// Earth's quadratic mean radius for WGS-84, as Redis uses it.
inline constexpr double kEarthRadiusMeters = 6372797.560856;

// A geohash of `step` bits per axis; {0, 0} marks an excluded neighbour.
struct HashBits {
  uint64_t bits = 0;
  uint8_t step = 0;
  bool IsZero() const { return bits == 0 && step == 0; }
  bool operator==(const HashBits&) const = default;
};
struct Range {
  double min = 0, max = 0;
};
// The cell a hash stands for.
struct Area {
  Range lon, lat;
};
struct Neighbors {
  HashBits north, south, east, west, north_east, north_west, south_east, south_west;
};

// geohashEncode over the given ranges; false outside them (or outside the
// Mercator limits, which Redis checks whatever the ranges).
bool Encode(Range lon_range, Range lat_range, double lon, double lat, uint8_t step, HashBits* out);
// geohashDecode: the cell of `hash`; false for a zero hash.
bool Decode(Range lon_range, Range lat_range, HashBits hash, Area* out);
// The neighbours of a hash at its step (wrapping around at the edges).
Neighbors NeighborsOf(HashBits hash);
// The 52-bit score prefix of a box: bits << (52 - 2 step).
uint64_t Align52(HashBits hash);

// True when (lon, lat) is a valid GEOADD position.
bool ValidLonLat(double lon, double lat);
// The score GEOADD stores for a valid position.
uint64_t ScoreOf(double lon, double lat);
// The centre of the step-26 cell of `score` (as Redis's decodeGeohash,
// which converts the double to an integer first), clamped to the limits.
void DecodeScore(double score, double* lon, double* lat);
// GEOHASH: the 11-character standard geohash (latitude range -90..90) of
// the position a score decodes to.
std::string StandardGeohash(double score);

// Haversine great-circle distance in meters.
double Distance(double lon1, double lat1, double lon2, double lat2);

// A search shape (Redis's GeoShape): a circle of `radius` or a box of
// `width` x `height`, in units of `conversion` meters, around (lon, lat).
struct Shape {
  enum class Type : unsigned char { kCircle, kBox };
  Type type = Type::kCircle;
  double lon = 0, lat = 0;
  double radius = 0;
  double width = 0, height = 0;
  double conversion = 1;
};

// The boxes that cover a shape (Redis's GeoHashRadius): the centre's hash at
// the estimated step and its neighbours, with those that cannot hold a
// point of the shape zeroed.
struct SearchAreas {
  HashBits hash;
  Area area;
  Neighbors neighbors;
};
// geohashEstimateStepsByRadius.
uint8_t EstimateSteps(double range_meters, double lat);
// geohashCalculateAreasByShapeWGS84.
SearchAreas AreasForShape(const Shape& shape);

// geoWithinShape: decodes `score` into (*lon, *lat); true when it is inside
// the shape, with *dist its distance from the centre in meters.
bool WithinShape(const Shape& shape, double score, double* lon, double* lat, double* dist);

}  // namespace strata::codec::geo
