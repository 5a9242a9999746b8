// Building blocks shared by the hash and set operations (engine/hash_ops.h,
// engine/set_ops.h): finding a collection of a type, creating one, finishing
// a write (an emptied collection is deleted, as Redis never keeps an empty
// one), reading one whole, a *SCAN page, and random sampling for HRANDFIELD,
// SRANDMEMBER and SPOP. Everything goes through KeyAccess's sub-key calls.
//
// RANDOM SAMPLING. Sub-keys are ordered bytes, not an array, so there is no
// O(1) "element i". A collection of at most kSampleReadAll elements (or a
// request for a large share of one) is read whole and sampled exactly
// uniformly. A larger one is sampled by seeks: a random sub-key between the
// first and the last (RandomSubkeyBetween) is generated, the element at or
// after it is taken after skipping a random 0..kSampleSkip further elements
// (smoothing the bias toward elements that follow large gaps). Each pick is
// one seek plus a short scan; picks are not exactly uniform, which Redis does
// not promise either (its dictGetFairRandomKey is approximately fair).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codec/layout.h"
#include "common/status.h"
#include "engine/hot_tier.h"

namespace strata::engine {

class KeyAccess;

using SubEntries = std::vector<std::pair<std::string, std::string>>;

// The live collection `key` of type `type`: kNotFound, kWrongType or its metadata.
StatusOr<const codec::MetaValue*> FindCollection(KeyAccess& access, std::string_view key,
                                                 codec::ValueType type);
// As FindCollection, but an absent key is nullptr.
StatusOr<const codec::MetaValue*> FindCollectionOrNull(KeyAccess& access, std::string_view key,
                                                       codec::ValueType type);

// The metadata to update: a copy of `existing`, or (existing == nullptr) a
// new empty collection of `type` staged with PutNew under a fresh object id.
// REQUIRES: `key` was Find()-ed by this access.
StatusOr<codec::MetaValue> OpenForWrite(KeyAccess& access, std::string_view key,
                                        codec::ValueType type, const codec::MetaValue* existing);
// Stages the final metadata: Put, or Delete when the collection is empty.
void FinishWrite(KeyAccess& access, std::string_view key, codec::MetaValue meta);

// Every sub-key of family `f` with its value, in byte order.
StatusOr<SubEntries> ReadAll(KeyAccess& access, std::string_view key, SubFamily f);

// One *SCAN page: up to `count` entries from `start` (inclusive; "" = the
// first). A collection Redis would still hold in its small encoding
// (!meta.big_encoding) is returned whole in one page, as Redis does.
struct SubPage {
  SubEntries entries;
  std::string next;   // the sub-key to resume at, when !done
  bool done = false;  // the end was reached
};
StatusOr<SubPage> ScanPage(KeyAccess& access, std::string_view key, const codec::MetaValue& meta,
                           SubFamily f, std::string_view start, uint64_t count);

// Random elements. `distinct`: min(count, size) different elements;
// otherwise exactly `count` picks, repetitions allowed. REQUIRES: meta.count > 0.
inline constexpr uint64_t kSampleReadAll = 1024;
inline constexpr uint64_t kSampleSkip = 16;
StatusOr<SubEntries> Sample(KeyAccess& access, std::string_view key, const codec::MetaValue& meta,
                            SubFamily f, uint64_t count, bool distinct);

// The thread's random generator for sampling.
std::mt19937_64& SampleRng();

// A random byte string s with first <= s <= last (REQUIRES: first <= last),
// as long as the longer of the two: the common prefix, then byte by byte a
// value within the bounds while s still equals a bound's prefix, and within
// the range of bytes the two tails use once it does not (so numeric members
// get digits, not bytes that jump past a whole group of elements, which
// would make every pick land on a few elements). Pure; used to seek to a
// random element.
std::string RandomSubkeyBetween(std::string_view first, std::string_view last,
                                std::mt19937_64& rng);

}  // namespace strata::engine
