// HyperLogLog codec; see hyperloglog.h. Written from Redis's documented
// algorithm (hyperloglog.c's comments and the papers it cites); every
// branch that decides which bytes come out mirrors Redis's, since GET must
// return the same bytes for the same inputs.
#include "codec/hyperloglog.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace strata::codec::hll {

namespace {

constexpr size_t kCardOffset = 8;
constexpr uint8_t kStaleBit = 0x80;  // in card[7]
constexpr int kZeroMaxLen = 64;
constexpr int kXzeroMaxLen = 16384;
constexpr int kValMaxLen = 4;
// 0.5 / ln(2): alpha for m -> infinity.
constexpr double kAlphaInf = 0.721347520444481703680;

// ---- sparse opcodes ----
bool IsZero(uint8_t b) {
  return (b & 0xc0) == 0x00;
}
bool IsXzero(uint8_t b) {
  return (b & 0xc0) == 0x40;
}
bool IsVal(uint8_t b) {
  return (b & 0x80) != 0;
}
int ZeroLen(uint8_t b) {
  return (b & 0x3f) + 1;
}
int XzeroLen(uint8_t b0, uint8_t b1) {
  return (((b0 & 0x3f) << 8) | b1) + 1;
}
int ValValue(uint8_t b) {
  return ((b >> 2) & 0x1f) + 1;
}
int ValLen(uint8_t b) {
  return (b & 0x3) + 1;
}
uint8_t MakeVal(int value, int len) {
  return static_cast<uint8_t>(0x80 | ((value - 1) << 2) | (len - 1));
}
// Appends a ZERO run, or an XZERO when longer than a ZERO can say.
void AppendZeros(std::string* out, int len) {
  if (len > kZeroMaxLen) {
    out->push_back(static_cast<char>(0x40 | ((len - 1) >> 8)));
    out->push_back(static_cast<char>((len - 1) & 0xff));
  } else {
    out->push_back(static_cast<char>(len - 1));
  }
}

uint8_t ByteAt(std::string_view s, size_t i) {
  // Redis reads one byte past a truncated XZERO: its string's terminator.
  return i < s.size() ? static_cast<uint8_t>(s[i]) : 0;
}

// One opcode of a sparse body.
struct Op {
  enum Kind : uint8_t { kZero, kXzero, kVal } kind;
  int len;    // registers covered
  int value;  // kVal only
  size_t size;
};
Op ReadOp(std::string_view s, size_t pos) {
  uint8_t b = static_cast<uint8_t>(s[pos]);
  if (IsZero(b)) return {Op::kZero, ZeroLen(b), 0, 1};
  if (IsXzero(b)) return {Op::kXzero, XzeroLen(b, ByteAt(s, pos + 1)), 0, 2};
  return {Op::kVal, ValLen(b), ValValue(b), 1};
}

uint8_t* Registers(std::string* hll) {
  return reinterpret_cast<uint8_t*>(hll->data()) + kHeaderSize;
}
const uint8_t* Registers(std::string_view hll) {
  return reinterpret_cast<const uint8_t*>(hll.data()) + kHeaderSize;
}

using Histogram = std::array<int, 64>;

void DenseHistogram(const uint8_t* regs, Histogram* h) {
  for (uint32_t i = 0; i < kRegisters; ++i) (*h)[GetDenseRegister(regs, i)]++;
}

// False when the runs do not add up to kRegisters.
bool SparseHistogram(std::string_view hll, Histogram* h) {
  int64_t idx = 0;
  for (size_t pos = kHeaderSize; pos < hll.size();) {
    Op op = ReadOp(hll, pos);
    idx += op.len;
    (*h)[op.value] += op.len;
    pos += op.size;
  }
  return idx == kRegisters;
}

// Ertl's tau and sigma, iterated to a fixed point as Redis does.
double Tau(double x) {
  if (x == 0. || x == 1.) return 0.;
  double z_prime;
  double y = 1.0;
  double z = 1 - x;
  do {
    x = std::sqrt(x);
    z_prime = z;
    y *= 0.5;
    z -= std::pow(1 - x, 2) * y;
  } while (z_prime != z);
  return z / 3;
}

double Sigma(double x) {
  if (x == 1.) return INFINITY;
  double z_prime;
  double y = 1;
  double z = x;
  do {
    x *= x;
    z_prime = z;
    z += x * y;
    y += y;
  } while (z_prime != z);
  return z;
}

uint64_t Estimate(const Histogram& h) {
  double m = kRegisters;
  double z = m * Tau((m - h[kQ + 1]) / m);
  for (int j = kQ; j >= 1; --j) {
    z += h[j];
    z *= 0.5;
  }
  z += m * Sigma(h[0] / m);
  return static_cast<uint64_t>(std::llround(kAlphaInf * m * m / z));
}

Update DenseSet(uint8_t* regs, uint32_t index, uint8_t count) {
  if (count <= GetDenseRegister(regs, index)) return Update::kUnchanged;
  SetDenseRegister(regs, index, count);
  return Update::kUpdated;
}

// Merges adjacent VAL opcodes of equal value, scanning up to five opcodes
// from `pos` (Redis's step 4 of hllSparseSet).
void MergeAdjacentVals(std::string* hll, size_t pos) {
  for (int scan = 5; pos < hll->size() && scan-- > 0;) {
    uint8_t b = static_cast<uint8_t>((*hll)[pos]);
    if (IsXzero(b)) {
      pos += 2;
      continue;
    }
    if (IsZero(b)) {
      pos += 1;
      continue;
    }
    if (pos + 1 < hll->size() && IsVal(static_cast<uint8_t>((*hll)[pos + 1]))) {
      uint8_t next = static_cast<uint8_t>((*hll)[pos + 1]);
      int len = ValLen(b) + ValLen(next);
      if (ValValue(b) == ValValue(next) && len <= kValMaxLen) {
        (*hll)[pos + 1] = static_cast<char>(MakeVal(ValValue(b), len));
        hll->erase(pos, 1);
        continue;  // try the merged opcode with the one on its right
      }
    }
    pos += 1;
  }
}

Update Promote(std::string* hll, uint32_t index, uint8_t count) {
  if (!SparseToDense(hll)) return Update::kCorrupt;
  return DenseSet(Registers(hll), index, count);
}

Update SparseSet(std::string* hll, uint32_t index, uint8_t count, uint64_t sparse_max_bytes) {
  if (count > kSparseValMax) return Promote(hll, index, count);

  // Step 1: find the opcode covering `index`.
  size_t end = hll->size();
  size_t pos = kHeaderSize;
  std::optional<size_t> prev;
  int64_t first = 0;  // first register the opcode at `pos` covers
  Op op{Op::kZero, 0, 0, 1};
  while (pos < end) {
    op = ReadOp(*hll, pos);
    if (index <= first + op.len - 1) break;
    prev = pos;
    pos += op.size;
    first += op.len;
  }
  if (op.len == 0 || pos >= end) return Update::kCorrupt;
  size_t next = pos + op.size;
  bool has_next = next < end;

  // Step 2: the trivial cases, updated in place.
  uint8_t* p = reinterpret_cast<uint8_t*>(hll->data()) + pos;
  if (op.kind == Op::kVal) {
    if (op.value >= count) return Update::kUnchanged;
    if (op.len == 1) {
      *p = MakeVal(count, 1);
      MergeAdjacentVals(hll, prev.value_or(kHeaderSize));
      InvalidateCache(hll);
      return Update::kUpdated;
    }
  } else if (op.kind == Op::kZero && op.len == 1) {
    *p = MakeVal(count, 1);
    MergeAdjacentVals(hll, prev.value_or(kHeaderSize));
    InvalidateCache(hll);
    return Update::kUpdated;
  }

  // Step 3: split the opcode into up to three (at most five bytes).
  std::string seq;
  int64_t last = first + op.len - 1;
  int before = static_cast<int>(index - first);
  int after = static_cast<int>(last - index);
  if (op.kind == Op::kVal) {
    if (before > 0) seq.push_back(static_cast<char>(MakeVal(op.value, before)));
    seq.push_back(static_cast<char>(MakeVal(count, 1)));
    if (after > 0) seq.push_back(static_cast<char>(MakeVal(op.value, after)));
  } else {
    if (before > 0) AppendZeros(&seq, before);
    seq.push_back(static_cast<char>(MakeVal(count, 1)));
    if (after > 0) AppendZeros(&seq, after);
  }
  int64_t delta = static_cast<int64_t>(seq.size()) - static_cast<int64_t>(op.size);
  if (delta > 0 && end + delta > sparse_max_bytes) return Promote(hll, index, count);
  std::string rebuilt = hll->substr(0, pos) + seq;
  if (has_next) rebuilt.append(*hll, next, std::string::npos);
  rebuilt.resize(end + delta);  // as Redis, also for an XZERO cut short at the end
  *hll = std::move(rebuilt);

  // Step 4.
  MergeAdjacentVals(hll, prev.value_or(kHeaderSize));
  InvalidateCache(hll);
  return Update::kUpdated;
}

}  // namespace

uint64_t MurmurHash64A(const void* key, int len, uint64_t seed) {
  const uint64_t m = 0xc6a4a7935bd1e995ULL;
  const int r = 47;
  uint64_t h = seed ^ (static_cast<uint64_t>(len) * m);
  const uint8_t* data = static_cast<const uint8_t*>(key);
  const uint8_t* end = data + (len - (len & 7));
  for (; data != end; data += 8) {
    uint64_t k = 0;
    for (int i = 7; i >= 0; --i) k = (k << 8) | data[i];  // little-endian word
    k *= m;
    k ^= k >> r;
    k *= m;
    h ^= k;
    h *= m;
  }
  int tail = len & 7;
  if (tail != 0) {
    for (int i = tail - 1; i >= 0; --i) h ^= static_cast<uint64_t>(data[i]) << (8 * i);
    h *= m;
  }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

Pattern PatternOf(std::string_view element) {
  uint64_t hash = MurmurHash64A(element.data(), static_cast<int>(element.size()), kSeed);
  uint32_t index = static_cast<uint32_t>(hash & (kRegisters - 1));
  hash >>= kP;
  hash |= uint64_t{1} << kQ;  // the run ends by bit Q: count <= Q + 1
  return {index, static_cast<uint8_t>(std::countr_zero(hash) + 1)};
}

RegisterPlace PlaceOf(uint32_t index) {
  size_t bit = static_cast<size_t>(index) * kBits;
  size_t byte = bit / 8;
  unsigned shift = bit & 7;
  size_t width = shift + kBits > 8 ? 2 : 1;
  return {byte, shift, width};
}

uint8_t GetRegisterInPair(const uint8_t pair[2], unsigned shift) {
  unsigned b0 = pair[0], b1 = pair[1];
  return static_cast<uint8_t>(((b0 >> shift) | (b1 << (8 - shift))) & kRegisterMax);
}

void SetRegisterInPair(uint8_t pair[2], unsigned shift, uint8_t value) {
  unsigned v = value;
  pair[0] = static_cast<uint8_t>((pair[0] & ~(kRegisterMax << shift)) | (v << shift));
  pair[1] = static_cast<uint8_t>((pair[1] & ~(kRegisterMax >> (8 - shift))) | (v >> (8 - shift)));
}

uint8_t GetDenseRegister(const uint8_t* regs, uint32_t index) {
  RegisterPlace at = PlaceOf(index);
  uint8_t pair[2] = {regs[at.byte], at.width == 2 ? regs[at.byte + 1] : uint8_t{0}};
  return GetRegisterInPair(pair, at.shift);
}

void SetDenseRegister(uint8_t* regs, uint32_t index, uint8_t value) {
  RegisterPlace at = PlaceOf(index);
  uint8_t pair[2] = {regs[at.byte], at.width == 2 ? regs[at.byte + 1] : uint8_t{0}};
  SetRegisterInPair(pair, at.shift, value);
  regs[at.byte] = pair[0];
  if (at.width == 2) regs[at.byte + 1] = pair[1];
}

std::string NewSparse() {
  std::string out("HYLL", 4);
  out.push_back(static_cast<char>(Encoding::kSparse));
  out.append(kHeaderSize - out.size(), '\0');
  for (uint32_t left = kRegisters; left > 0;) {
    int run = static_cast<int>(std::min<uint32_t>(left, kXzeroMaxLen));
    out.push_back(static_cast<char>(0x40 | ((run - 1) >> 8)));
    out.push_back(static_cast<char>((run - 1) & 0xff));
    left -= run;
  }
  return out;
}

bool IsHll(std::string_view value) {
  return IsHllHeader(value.substr(0, kHeaderSize), value.size());
}

bool IsHllHeader(std::string_view header, uint64_t length) {
  if (length < kHeaderSize || header.size() < kHeaderSize || header.substr(0, 4) != "HYLL") {
    return false;
  }
  uint8_t encoding = static_cast<uint8_t>(header[4]);
  if (encoding > static_cast<uint8_t>(Encoding::kSparse)) return false;
  return encoding != static_cast<uint8_t>(Encoding::kDense) || length == kDenseSize;
}

Encoding EncodingOf(std::string_view hll) {
  return static_cast<Encoding>(hll[4]);
}

std::optional<uint64_t> CachedCardinality(std::string_view hll) {
  if (static_cast<uint8_t>(hll[kCardOffset + 7]) & kStaleBit) return std::nullopt;
  uint64_t card = 0;
  for (int i = 7; i >= 0; --i) card = (card << 8) | static_cast<uint8_t>(hll[kCardOffset + i]);
  return card;
}

void SetCachedCardinality(std::string* hll, uint64_t card) {
  for (int i = 0; i < 8; ++i) (*hll)[kCardOffset + i] = static_cast<char>((card >> (8 * i)) & 0xff);
}

void InvalidateCache(std::string* hll) {
  (*hll)[kCardOffset + 7] = static_cast<char>((*hll)[kCardOffset + 7] | kStaleBit);
}

Update SetRegister(std::string* hll, uint32_t index, uint8_t count, uint64_t sparse_max_bytes) {
  if (EncodingOf(*hll) == Encoding::kDense) return DenseSet(Registers(hll), index, count);
  return SparseSet(hll, index, count, sparse_max_bytes);
}

Update Add(std::string* hll, std::string_view element, uint64_t sparse_max_bytes) {
  Pattern p = PatternOf(element);
  return SetRegister(hll, p.index, p.count, sparse_max_bytes);
}

bool SparseToDense(std::string* hll) {
  if (EncodingOf(*hll) == Encoding::kDense) return true;
  std::string dense(kDenseSize, '\0');
  dense.replace(0, kHeaderSize, *hll, 0, kHeaderSize);  // magic and cache kept
  dense[4] = static_cast<char>(Encoding::kDense);
  uint8_t* regs = Registers(&dense);
  int64_t idx = 0;
  for (size_t pos = kHeaderSize; pos < hll->size();) {
    Op op = ReadOp(*hll, pos);
    if (op.kind == Op::kVal) {
      if (op.len + idx > kRegisters) break;
      for (int i = 0; i < op.len; ++i) {
        SetDenseRegister(regs, static_cast<uint32_t>(idx++), static_cast<uint8_t>(op.value));
      }
    } else {
      idx += op.len;
    }
    pos += op.size;
  }
  if (idx != kRegisters) return false;
  *hll = std::move(dense);
  return true;
}

bool MergeInto(std::string_view hll, RegisterArray* max) {
  if (EncodingOf(hll) == Encoding::kDense) {
    const uint8_t* regs = Registers(hll);
    for (uint32_t i = 0; i < kRegisters; ++i) {
      (*max)[i] = std::max((*max)[i], GetDenseRegister(regs, i));
    }
    return true;
  }
  int64_t idx = 0;
  for (size_t pos = kHeaderSize; pos < hll.size();) {
    Op op = ReadOp(hll, pos);
    if (op.kind == Op::kVal) {
      if (op.len + idx > kRegisters) break;
      for (int i = 0; i < op.len; ++i, ++idx) {
        uint8_t& reg = (*max)[idx];
        reg = std::max(reg, static_cast<uint8_t>(op.value));
      }
    } else {
      idx += op.len;
    }
    pos += op.size;
  }
  return idx == kRegisters;
}

std::optional<uint64_t> Count(std::string_view hll) {
  Histogram h{};
  if (EncodingOf(hll) == Encoding::kDense) {
    DenseHistogram(Registers(hll), &h);
  } else if (!SparseHistogram(hll, &h)) {
    return std::nullopt;
  }
  return Estimate(h);
}

uint64_t CountRegisters(const RegisterArray& registers) {
  Histogram h{};
  for (uint8_t r : registers) h[r & 63]++;
  return Estimate(h);
}

std::string DecodeSparse(std::string_view hll) {
  std::string out;
  for (size_t pos = kHeaderSize; pos < hll.size();) {
    Op op = ReadOp(hll, pos);
    if (!out.empty()) out.push_back(' ');
    switch (op.kind) {
      case Op::kZero:
        out += "z:" + std::to_string(op.len);
        break;
      case Op::kXzero:
        out += "Z:" + std::to_string(op.len);
        break;
      case Op::kVal:
        out += "v:" + std::to_string(op.value) + "," + std::to_string(op.len);
        break;
    }
    pos += op.size;
  }
  return out;
}

}  // namespace strata::codec::hll
