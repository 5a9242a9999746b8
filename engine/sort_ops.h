// SORT and SORT_RO: the storage side (Redis 7.0.15's sort.c, rule for rule).
//
// WHAT IS SORTED. The elements of a list (head to tail), a set (intset order
// while Redis would keep an intset, else member order) or a sorted set; an
// absent key sorts as an empty list. Numeric by default (each sort value
// parsed with strtod; trailing garbage, NaN or ERANGE is kNotFloat, reported
// after sorting as Redis does), ties broken by the elements' bytes; ALPHA
// compares with strcoll (LC_COLLATE of the environment, set at start-up as
// redis-server does), or by bytes when STORE is given; DESC reverses the
// whole comparison. BY pattern: the sort value of element e is the string
// key (or hash field, "key->field") named by the pattern with its first '*'
// replaced by e; a missing key counts as 0 numerically and sorts first under
// ALPHA. A BY pattern without '*' means "do not sort": a list keeps its
// order and a sorted set its score order (both read only the LIMIT range,
// reversed by DESC); a set keeps its order, except with STORE, where it is
// sorted ALPHA by bytes (Redis does that so replicas store the same list).
// GET patterns ("#" is the element itself) replace each output element by
// the values they name (null when missing; "" when stored).
//
// KEYS READ BY PATTERN. The source is read in one KeyAccess; each pattern
// key is then read by its own engine operation (GetString / HashGet): a
// KeyAccess can only lock keys it knows up front, and the names derive from
// the elements. To stay atomic as in Redis, a SORT that reads pattern keys
// runs under the database gate held exclusively (engine/transaction.h's
// ExclusiveGate): no other command runs meanwhile, as in single-threaded
// Redis, and each per-key operation takes only its key's stripe. Inside an
// EXEC, SORT always runs on the transaction's exclusive path (the server's
// multi_cmds.cc), which holds that gate already. A SORT without such
// patterns takes no gate beyond the usual shared one.
//
// ENCODING. As Redis 7.0, SORT and SORT_RO leave a sorted set they read in
// its big encoding (OBJECT ENCODING "skiplist"), even when they then fail.
//
// STORE writes the output as a new list replacing the destination (any type,
// TTL cleared) in one batch, or deletes the destination when the output is
// empty; it is the operation's last engine call, so kWouldBlock from any
// read comes before any side effect.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

struct SortRequest {
  std::string_view key;
  std::optional<std::string_view> by;  // BY pattern, if given (the last one wins)
  // Some BY pattern had no '*': do not sort. As in Redis, a later BY with a
  // '*' does not undo it.
  bool nosort = false;
  std::vector<std::string_view> gets;  // GET patterns, in order
  bool desc = false;
  bool alpha = false;
  int64_t limit_offset = 0;  // LIMIT offset: negative reads as 0
  int64_t limit_count = -1;  // LIMIT count: negative means to the end
  std::optional<std::string_view> store;
};

struct SortResult {
  // Without STORE: the output (one entry per element, or per element and
  // GET pattern); nullopt is a missing GET value.
  std::vector<std::optional<std::string>> values;
  uint64_t stored = 0;  // with STORE: the destination's new length
};

// kWrongType when the source is not a list, set or sorted set; kNotFloat
// when a sort value is not a double (nothing stored then).
StatusOr<SortResult> Sort(Engine& engine, OpContext& ctx, const SortRequest& request);

// Pure helpers (unit-tested).
// A BY/GET pattern resolved for one element, as Redis's lookupKeyByPattern:
// kSelf for "#"; kNone when the pattern has no '*' (never a key); else the
// key with the first '*' replaced, and the hash field after the first "->"
// that follows it (when that field is not empty).
struct PatternTarget {
  enum class Kind : unsigned char { kSelf, kNone, kKey, kHashField };
  Kind kind = Kind::kNone;
  std::string key;
  std::string field;
};
PatternTarget ResolvePattern(std::string_view pattern, std::string_view element);
// A sort value as SORT parses it (strtod over the C string, rejecting
// trailing bytes, NaN and ERANGE); false when it is not a double.
bool ParseSortScore(std::string_view text, double* score);
// The [start, end] window of Redis's LIMIT rule over `size` elements
// (end < start: nothing).
void SortWindow(int64_t offset, int64_t count, int64_t size, int64_t* start, int64_t* end);

}  // namespace strata::engine
