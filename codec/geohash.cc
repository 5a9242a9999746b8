// Redis's geohash encoding, neighbours, distances and search boxes; see
// geohash.h. The arithmetic follows Redis 7.0 operation for operation.
#include "codec/geohash.h"

#include <cmath>

namespace strata::codec::geo {

namespace {

constexpr double kDegToRad = M_PI / 180.0;
constexpr double kMercatorMax = 20037726.37;

double DegRad(double ang) {
  return ang * kDegToRad;
}
double RadDeg(double ang) {
  return ang / kDegToRad;
}

constexpr Range kLonRange{kLonMin, kLonMax};
constexpr Range kLatRange{kLatMin, kLatMax};

// Interleaves the low 32 bits of x (even positions) and y (odd positions).
uint64_t Interleave64(uint32_t xlo, uint32_t ylo) {
  static constexpr uint64_t B[] = {0x5555555555555555ULL, 0x3333333333333333ULL,
                                   0x0F0F0F0F0F0F0F0FULL, 0x00FF00FF00FF00FFULL,
                                   0x0000FFFF0000FFFFULL};
  static constexpr unsigned S[] = {1, 2, 4, 8, 16};
  uint64_t x = xlo;
  uint64_t y = ylo;
  for (int i = 4; i >= 0; --i) {
    x = (x | (x << S[i])) & B[i];
    y = (y | (y << S[i])) & B[i];
  }
  return x | (y << 1);
}

// The inverse: even bits in the low half, odd bits in the high half.
uint64_t Deinterleave64(uint64_t interleaved) {
  static constexpr uint64_t B[] = {0x5555555555555555ULL, 0x3333333333333333ULL,
                                   0x0F0F0F0F0F0F0F0FULL, 0x00FF00FF00FF00FFULL,
                                   0x0000FFFF0000FFFFULL, 0x00000000FFFFFFFFULL};
  static constexpr unsigned S[] = {0, 1, 2, 4, 8, 16};
  uint64_t x = interleaved;
  uint64_t y = interleaved >> 1;
  for (int i = 0; i < 6; ++i) {
    x = (x | (x >> S[i])) & B[i];
    y = (y | (y >> S[i])) & B[i];
  }
  return x | (y << 32);
}

// geohash_move_x / geohash_move_y: one cell east/west (longitude, odd bits)
// or north/south (latitude, even bits), wrapping.
void MoveX(HashBits* hash, int d) {
  if (d == 0) return;
  uint64_t x = hash->bits & 0xaaaaaaaaaaaaaaaaULL;
  uint64_t y = hash->bits & 0x5555555555555555ULL;
  uint64_t zz = 0x5555555555555555ULL >> (64 - hash->step * 2);
  if (d > 0) {
    x = x + (zz + 1);
  } else {
    x = x | zz;
    x = x - (zz + 1);
  }
  x &= (0xaaaaaaaaaaaaaaaaULL >> (64 - hash->step * 2));
  hash->bits = x | y;
}

void MoveY(HashBits* hash, int d) {
  if (d == 0) return;
  uint64_t x = hash->bits & 0xaaaaaaaaaaaaaaaaULL;
  uint64_t y = hash->bits & 0x5555555555555555ULL;
  uint64_t zz = 0xaaaaaaaaaaaaaaaaULL >> (64 - hash->step * 2);
  if (d > 0) {
    y = y + (zz + 1);
  } else {
    y = y | zz;
    y = y - (zz + 1);
  }
  y &= (0x5555555555555555ULL >> (64 - hash->step * 2));
  hash->bits = x | y;
}

HashBits Moved(HashBits hash, int dx, int dy) {
  MoveX(&hash, dx);
  MoveY(&hash, dy);
  return hash;
}

// C's (uint64_t) conversion of a score as x86-64 performs it (Redis's
// decodeGeohash casts the double): truncation, negative values through int64.
uint64_t ScoreBits(double score) {
  constexpr double kTwo63 = 9223372036854775808.0;
  if (!(score > -kTwo63 && score < 2 * kTwo63)) return uint64_t{1} << 63;
  if (score < kTwo63) return static_cast<uint64_t>(static_cast<int64_t>(score));
  return static_cast<uint64_t>(static_cast<int64_t>(score - kTwo63)) ^ (uint64_t{1} << 63);
}

// geohashBoundingBox: [min lon, min lat, max lon, max lat] of the shape,
// taking the wider edge of the spherical trapezoid as Redis 7.0 does.
void BoundingBox(const Shape& s, double bounds[4]) {
  bool circle = s.type == Shape::Type::kCircle;
  double height = s.conversion * (circle ? s.radius : s.height / 2);
  double width = s.conversion * (circle ? s.radius : s.width / 2);
  const double lat_delta = RadDeg(height / kEarthRadiusMeters);
  const double long_delta_top = RadDeg(width / kEarthRadiusMeters / cos(DegRad(s.lat + lat_delta)));
  const double long_delta_bottom =
      RadDeg(width / kEarthRadiusMeters / cos(DegRad(s.lat - lat_delta)));
  bool southern = s.lat < 0;
  bounds[0] = southern ? s.lon - long_delta_bottom : s.lon - long_delta_top;
  bounds[2] = southern ? s.lon + long_delta_bottom : s.lon + long_delta_top;
  bounds[1] = s.lat - lat_delta;
  bounds[3] = s.lat + lat_delta;
}

}  // namespace

bool Encode(Range lon_range, Range lat_range, double lon, double lat, uint8_t step, HashBits* out) {
  if (step > 32 || step == 0) return false;
  if (lat_range.min == 0 && lat_range.max == 0) return false;
  if (lon_range.min == 0 && lon_range.max == 0) return false;
  if (lon > 180 || lon < -180 || lat > kLatMax || lat < kLatMin) return false;
  out->bits = 0;
  out->step = step;
  if (lat < lat_range.min || lat > lat_range.max || lon < lon_range.min || lon > lon_range.max) {
    return false;
  }
  double lat_offset = (lat - lat_range.min) / (lat_range.max - lat_range.min);
  double long_offset = (lon - lon_range.min) / (lon_range.max - lon_range.min);
  lat_offset *= static_cast<double>(uint64_t{1} << step);
  long_offset *= static_cast<double>(uint64_t{1} << step);
  out->bits = Interleave64(static_cast<uint32_t>(lat_offset), static_cast<uint32_t>(long_offset));
  return true;
}

bool Decode(Range lon_range, Range lat_range, HashBits hash, Area* out) {
  if (hash.IsZero()) return false;
  uint8_t step = hash.step;
  uint64_t hash_sep = Deinterleave64(hash.bits);
  double lat_scale = lat_range.max - lat_range.min;
  double long_scale = lon_range.max - lon_range.min;
  auto ilato = static_cast<uint32_t>(hash_sep);
  auto ilono = static_cast<uint32_t>(hash_sep >> 32);
  double cells = static_cast<double>(uint64_t{1} << step);
  out->lat.min = lat_range.min + (ilato * 1.0 / cells) * lat_scale;
  out->lat.max = lat_range.min + ((ilato + 1) * 1.0 / cells) * lat_scale;
  out->lon.min = lon_range.min + (ilono * 1.0 / cells) * long_scale;
  out->lon.max = lon_range.min + ((ilono + 1) * 1.0 / cells) * long_scale;
  return true;
}

Neighbors NeighborsOf(HashBits hash) {
  Neighbors n;
  n.east = Moved(hash, 1, 0);
  n.west = Moved(hash, -1, 0);
  n.south = Moved(hash, 0, -1);
  n.north = Moved(hash, 0, 1);
  n.north_west = Moved(hash, -1, 1);
  n.north_east = Moved(hash, 1, 1);
  n.south_east = Moved(hash, 1, -1);
  n.south_west = Moved(hash, -1, -1);
  return n;
}

uint64_t Align52(HashBits hash) {
  return hash.bits << (52 - hash.step * 2);
}

bool ValidLonLat(double lon, double lat) {
  return !(lon < kLonMin || lon > kLonMax || lat < kLatMin || lat > kLatMax);
}

uint64_t ScoreOf(double lon, double lat) {
  HashBits hash;
  if (!Encode(kLonRange, kLatRange, lon, lat, kStepMax, &hash)) return 0;
  return Align52(hash);
}

void DecodeScore(double score, double* lon, double* lat) {
  Area area;
  Decode(kLonRange, kLatRange, HashBits{ScoreBits(score), kStepMax}, &area);
  *lon = (area.lon.min + area.lon.max) / 2;
  if (*lon > kLonMax) *lon = kLonMax;
  if (*lon < kLonMin) *lon = kLonMin;
  *lat = (area.lat.min + area.lat.max) / 2;
  if (*lat > kLatMax) *lat = kLatMax;
  if (*lat < kLatMin) *lat = kLatMin;
}

std::string StandardGeohash(double score) {
  static constexpr char kAlphabet[] = "0123456789bcdefghjkmnpqrstuvwxyz";
  double lon, lat;
  DecodeScore(score, &lon, &lat);
  HashBits hash;
  Encode(Range{-180, 180}, Range{-90, 90}, lon, lat, kStepMax, &hash);
  std::string out(11, '0');
  // 52 bits make ten characters; the eleventh is '0', as Redis emits it.
  for (int i = 0; i < 10; ++i) out[i] = kAlphabet[(hash.bits >> (52 - (i + 1) * 5)) & 0x1f];
  return out;
}

double Distance(double lon1d, double lat1d, double lon2d, double lat2d) {
  double lat1r = DegRad(lat1d);
  double lon1r = DegRad(lon1d);
  double lat2r = DegRad(lat2d);
  double lon2r = DegRad(lon2d);
  double u = sin((lat2r - lat1r) / 2);
  double v = sin((lon2r - lon1r) / 2);
  return 2.0 * kEarthRadiusMeters * asin(sqrt(u * u + cos(lat1r) * cos(lat2r) * v * v));
}

uint8_t EstimateSteps(double range_meters, double lat) {
  if (range_meters == 0) return 26;
  int step = 1;
  while (range_meters < kMercatorMax) {
    range_meters *= 2;
    step++;
  }
  step -= 2;  // make sure the range is included in most of the base cases
  // Wider range towards the poles.
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return static_cast<uint8_t>(step);
}

SearchAreas AreasForShape(const Shape& shape) {
  double bounds[4];
  BoundingBox(shape, bounds);
  double min_lon = bounds[0], min_lat = bounds[1], max_lon = bounds[2], max_lat = bounds[3];
  double radius_meters =
      shape.type == Shape::Type::kCircle
          ? shape.radius
          : sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radius_meters *= shape.conversion;

  int steps = EstimateSteps(radius_meters, shape.lat);
  SearchAreas out;
  Encode(kLonRange, kLatRange, shape.lon, shape.lat, static_cast<uint8_t>(steps), &out.hash);
  out.neighbors = NeighborsOf(out.hash);
  Decode(kLonRange, kLatRange, out.hash, &out.area);

  // Near the edge of its cell the estimated step may leave part of the
  // shape outside the nine boxes: then use boxes twice as large.
  Area north, south, east, west;
  Decode(kLonRange, kLatRange, out.neighbors.north, &north);
  Decode(kLonRange, kLatRange, out.neighbors.south, &south);
  Decode(kLonRange, kLatRange, out.neighbors.east, &east);
  Decode(kLonRange, kLatRange, out.neighbors.west, &west);
  bool decrease_step = north.lat.max < max_lat || south.lat.min > min_lat ||
                       east.lon.max < max_lon || west.lon.min > min_lon;
  if (steps > 1 && decrease_step) {
    steps--;
    Encode(kLonRange, kLatRange, shape.lon, shape.lat, static_cast<uint8_t>(steps), &out.hash);
    out.neighbors = NeighborsOf(out.hash);
    Decode(kLonRange, kLatRange, out.hash, &out.area);
  }

  // Exclude the boxes that cannot hold a point of the shape.
  if (steps >= 2) {
    Neighbors& n = out.neighbors;
    if (out.area.lat.min < min_lat) n.south = n.south_west = n.south_east = HashBits{};
    if (out.area.lat.max > max_lat) n.north = n.north_east = n.north_west = HashBits{};
    if (out.area.lon.min < min_lon) n.west = n.south_west = n.north_west = HashBits{};
    if (out.area.lon.max > max_lon) n.east = n.south_east = n.north_east = HashBits{};
  }
  return out;
}

bool WithinShape(const Shape& shape, double score, double* lon, double* lat, double* dist) {
  DecodeScore(score, lon, lat);
  if (shape.type == Shape::Type::kCircle) {
    *dist = Distance(shape.lon, shape.lat, *lon, *lat);
    return *dist <= shape.radius * shape.conversion;
  }
  // geohashGetDistanceIfInRectangle: the east-west and north-south legs
  // against half the width and height.
  double width_m = shape.width * shape.conversion;
  double height_m = shape.height * shape.conversion;
  double lon_distance = Distance(*lon, *lat, shape.lon, *lat);
  double lat_distance = Distance(*lon, *lat, *lon, shape.lat);
  if (lon_distance > width_m / 2 || lat_distance > height_m / 2) return false;
  *dist = Distance(shape.lon, shape.lat, *lon, *lat);
  return true;
}

}  // namespace strata::codec::geo
