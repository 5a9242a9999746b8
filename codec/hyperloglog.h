// HyperLogLog in Redis's exact representation: the bytes of an HLL string
// value (what GET returns, what SET and RESTORE accept), its register
// updates and its cardinality estimate, bit for bit as Redis 7.0 computes
// them. Pure functions on the value's bytes, no I/O; engine/hll_ops.h does
// the storage, server/commands/hll_cmds.cc the commands.
//
// GRAMMAR (Redis's; P = 14, so 16384 registers of 6 bits, Q = 64 - P = 50):
//
//   hll       := header registers
//   header    := "HYLL" u8(encoding: 0 dense | 1 sparse) u8 u8 u8 (unused)
//                card[8]: cached cardinality, little-endian; the top bit of
//                card[7] set means "stale, recompute"
//   dense     := 12288 bytes: register i is the 6 bits starting at bit 6*i,
//                least significant bit first (so it may straddle two bytes)
//   sparse    := opcode*, run lengths adding up to exactly 16384 registers
//     ZERO    := 00xxxxxx            (x + 1) registers at 0, 1..64
//     XZERO   := 01xxxxxx yyyyyyyy   (x << 8 | y) + 1 registers at 0, 1..16384
//     VAL     := 1vvvvvxx            (x + 1) registers at (v + 1), 1..4 of 1..32
//
// An element goes to register (h & 16383) of its MurmurHash64A h (seed
// 0xadc83b19), with value 1 + the number of trailing zeros of (h >> 14),
// capped at Q + 1 = 51; a register only ever grows. A new HLL is sparse (one
// XZERO per 16384 registers); it is promoted to dense when a value above 32
// is stored or when an update would make it longer than `sparse_max_bytes`
// (the hll-sparse-max-bytes setting), and never goes back.
//
// The estimate is Ertl's improved estimator ("New cardinality estimation
// algorithms for HyperLogLog sketches", arXiv:1702.01284) over the histogram
// of register values, computed in double exactly as Redis 7.0 orders it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata::codec::hll {

inline constexpr int kP = 14;
inline constexpr int kQ = 64 - kP;
inline constexpr uint32_t kRegisters = 1u << kP;
inline constexpr int kBits = 6;
inline constexpr uint8_t kRegisterMax = (1 << kBits) - 1;
inline constexpr size_t kHeaderSize = 16;
inline constexpr size_t kRegisterBytes = (kRegisters * kBits + 7) / 8;
inline constexpr size_t kDenseSize = kHeaderSize + kRegisterBytes;
inline constexpr uint64_t kSeed = 0xadc83b19ULL;
inline constexpr int kSparseValMax = 32;

enum class Encoding : uint8_t { kDense = 0, kSparse = 1 };

// One byte per register: what PFCOUNT of several keys and PFMERGE build.
using RegisterArray = std::array<uint8_t, kRegisters>;

// Austin Appleby's MurmurHash64A as Redis uses it (little-endian words).
uint64_t MurmurHash64A(const void* key, int len, uint64_t seed);

// The register an element updates and the value it offers (1..Q + 1).
struct Pattern {
  uint32_t index;
  uint8_t count;
};
Pattern PatternOf(std::string_view element);

// Register `index` of the dense register area `regs` (kRegisterBytes long).
uint8_t GetDenseRegister(const uint8_t* regs, uint32_t index);
void SetDenseRegister(uint8_t* regs, uint32_t index, uint8_t value);

// Where a register lives in the dense area: its 6 bits start `shift` bits
// into byte `byte` and may continue in the next one (`width` is 1 or 2:
// how many bytes hold it). For editing a few registers of a value without
// reading it whole: read the bytes, use the pair functions, write them back.
struct RegisterPlace {
  size_t byte;
  unsigned shift;
  size_t width;
};
RegisterPlace PlaceOf(uint32_t index);
// `pair`: the `width` bytes at `byte` (a missing second byte reads as 0).
uint8_t GetRegisterInPair(const uint8_t pair[2], unsigned shift);
void SetRegisterInPair(uint8_t pair[2], unsigned shift, uint8_t value);

// The value of a new, empty HLL (sparse, cached cardinality 0).
std::string NewSparse();

// Whether `value` passes Redis's isHLLObjectOrReply check: at least a
// header, the magic, a known encoding, and exactly kDenseSize if dense.
// Everything below takes values that passed it.
bool IsHll(std::string_view value);
// The same check from the first kHeaderSize bytes and the length alone.
bool IsHllHeader(std::string_view header, uint64_t length);
Encoding EncodingOf(std::string_view hll);

// The cached cardinality, or nullopt when it is marked stale.
std::optional<uint64_t> CachedCardinality(std::string_view hll);
void SetCachedCardinality(std::string* hll, uint64_t card);
void InvalidateCache(std::string* hll);

enum class Update : uint8_t { kUnchanged, kUpdated, kCorrupt };

// Stores max(register, count) in register `index` (hllSparseSet /
// hllDenseSet), promoting a sparse value to dense as described above. A
// sparse update marks the cache stale; a dense one leaves that to the
// caller. kCorrupt: the sparse opcodes do not cover the register.
Update SetRegister(std::string* hll, uint32_t index, uint8_t count, uint64_t sparse_max_bytes);
// PFADD of one element.
Update Add(std::string* hll, std::string_view element, uint64_t sparse_max_bytes);

// Rewrites a sparse value as dense (header kept, encoding changed); a dense
// value is left alone. False when the sparse runs do not add up to 16384.
bool SparseToDense(std::string* hll);

// max[i] = max(max[i], register i of `hll`). False for a corrupt sparse value.
bool MergeInto(std::string_view hll, RegisterArray* max);

// The estimate of a value (ignoring the cache); nullopt for a sparse value
// whose runs do not add up to 16384 registers.
std::optional<uint64_t> Count(std::string_view hll);
// The estimate of registers held one per byte.
uint64_t CountRegisters(const RegisterArray& registers);

// PFDEBUG DECODE: the sparse opcodes as "z:len", "Z:len", "v:value,len",
// separated by spaces.
std::string DecodeSparse(std::string_view hll);

}  // namespace strata::codec::hll
