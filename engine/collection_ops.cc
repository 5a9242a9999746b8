// Shared building blocks of the collection operations; see collection_ops.h.
#include "engine/collection_ops.h"

#include <algorithm>
#include <unordered_set>

#include "engine/key_access.h"

namespace strata::engine {

using codec::MetaValue;
using codec::ValueType;

StatusOr<const MetaValue*> FindCollection(KeyAccess& access, std::string_view key, ValueType type) {
  ASSIGN_OR_RETURN(const MetaValue* meta, access.Find(key));
  if (meta->type != type) return Status::WrongType();
  return meta;
}

StatusOr<const MetaValue*> FindCollectionOrNull(KeyAccess& access, std::string_view key,
                                                ValueType type) {
  auto found = FindCollection(access, key, type);
  if (found.status().IsNotFound()) return static_cast<const MetaValue*>(nullptr);
  return found;
}

StatusOr<MetaValue> OpenForWrite(KeyAccess& access, std::string_view key, ValueType type,
                                 const MetaValue* existing) {
  if (existing != nullptr) return *existing;
  MetaValue meta;
  meta.type = type;
  ASSIGN_OR_RETURN(meta.object_id, access.NewObjectId());
  access.PutNew(key, meta);
  return meta;
}

void FinishWrite(KeyAccess& access, std::string_view key, MetaValue meta) {
  if (meta.count == 0) {
    access.DeleteEmpty(key);
  } else {
    access.Put(key, std::move(meta));
  }
}

StatusOr<SubEntries> ReadAll(KeyAccess& access, std::string_view key, SubFamily f) {
  SubEntries out;
  RETURN_IF_ERROR(access.ScanSub(key, f, "", false, [&](std::string_view k, std::string_view v) {
    out.emplace_back(k, v);
    return true;
  }));
  return out;
}

StatusOr<SubPage> ScanPage(KeyAccess& access, std::string_view key, const MetaValue& meta,
                           SubFamily f, std::string_view start, uint64_t count) {
  SubPage page;
  if (!meta.big_encoding) {
    ASSIGN_OR_RETURN(page.entries, ReadAll(access, key, f));
    page.done = true;
    return page;
  }
  page.done = true;
  RETURN_IF_ERROR(access.ScanSub(key, f, start, false, [&](std::string_view k, std::string_view v) {
    if (page.entries.size() == count) {
      page.next.assign(k);
      page.done = false;
      return false;
    }
    page.entries.emplace_back(k, v);
    return true;
  }));
  return page;
}

std::mt19937_64& SampleRng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

std::string RandomSubkeyBetween(std::string_view first, std::string_view last,
                                std::mt19937_64& rng) {
  size_t p = 0;
  while (p < first.size() && p < last.size() && first[p] == last[p]) ++p;
  // The alphabet of the differing tails: keys of digits get digits, keys of
  // letters letters, so a pick lands between elements, not past a group.
  unsigned alpha_lo = 255, alpha_hi = 0;
  for (std::string_view tail : {first.substr(p), last.substr(std::min(p, last.size()))}) {
    for (char ch : tail) {
      alpha_lo = std::min<unsigned>(alpha_lo, static_cast<unsigned char>(ch));
      alpha_hi = std::max<unsigned>(alpha_hi, static_cast<unsigned char>(ch));
    }
  }
  std::string out(first.substr(0, p));
  // While `low`/`high`, `out` equals that bound's prefix and must not pass it.
  bool low = true, high = true;
  size_t length = std::max(first.size(), last.size());
  for (size_t i = p; i < length; ++i) {
    if (low && i >= first.size()) low = false;  // already above `first`
    if (high && i >= last.size()) break;        // equal to `last`
    unsigned lo = low ? static_cast<unsigned char>(first[i]) : alpha_lo;
    unsigned hi = high ? static_cast<unsigned char>(last[i]) : alpha_hi;
    if (lo > hi) std::swap(lo, hi);  // cannot happen with tight bounds; keeps rng() % safe
    auto b = static_cast<unsigned char>(lo + rng() % (hi - lo + 1));
    out.push_back(static_cast<char>(b));
    if (low && b != static_cast<unsigned char>(first[i])) low = false;
    if (high && b != static_cast<unsigned char>(last[i])) high = false;
  }
  return out;
}

namespace {

// Picks are reserved up to this many; a larger count grows as it fills.
constexpr uint64_t kMaxReserve = 1 << 16;

// Exact sampling over a collection read whole.
SubEntries SampleFromAll(SubEntries all, uint64_t count, bool distinct, std::mt19937_64& rng) {
  SubEntries out;
  if (distinct) {
    uint64_t n = std::min<uint64_t>(count, all.size());
    for (uint64_t i = 0; i < n; ++i) {  // a partial Fisher-Yates shuffle
      std::swap(all[i], all[i + rng() % (all.size() - i)]);
    }
    all.resize(n);
    return all;
  }
  out.reserve(std::min<uint64_t>(count, kMaxReserve));  // `count` comes from the client
  for (uint64_t i = 0; i < count; ++i) out.push_back(all[rng() % all.size()]);
  return out;
}

// One pick by a seek (see the header): the element at or after a random
// sub-key between `first` and `last`, after a random short skip.
Status PickBySeek(KeyAccess& access, std::string_view key, SubFamily f, std::string_view first,
                  std::string_view last, std::mt19937_64& rng,
                  std::pair<std::string, std::string>* out) {
  std::string start = RandomSubkeyBetween(first, last, rng);
  uint64_t skip = rng() % (kSampleSkip + 1);
  return access.ScanSub(key, f, start, false, [&](std::string_view k, std::string_view v) {
    out->first.assign(k);
    out->second.assign(v);
    return skip-- > 0;
  });
}

}  // namespace

StatusOr<SubEntries> Sample(KeyAccess& access, std::string_view key, const MetaValue& meta,
                            SubFamily f, uint64_t count, bool distinct) {
  std::mt19937_64& rng = SampleRng();
  bool whole = distinct ? count >= meta.count || count * 3 > meta.count : count * 3 > meta.count;
  if (meta.count <= kSampleReadAll || whole) {
    ASSIGN_OR_RETURN(SubEntries all, ReadAll(access, key, f));
    if (all.empty()) return SubEntries{};
    return SampleFromAll(std::move(all), count, distinct, rng);
  }
  std::pair<std::string, std::string> first, last;
  auto take = [](std::pair<std::string, std::string>* to) {
    return [to](std::string_view k, std::string_view v) {
      to->first.assign(k);
      to->second.assign(v);
      return false;
    };
  };
  RETURN_IF_ERROR(access.ScanSub(key, f, "", false, take(&first)));
  RETURN_IF_ERROR(access.ScanSub(key, f, "", true, take(&last)));
  SubEntries out;
  out.reserve(std::min<uint64_t>(count, kMaxReserve));
  std::unordered_set<std::string> seen;
  uint64_t attempts = 0;
  while (out.size() < count && attempts++ < count * 8 + 64) {
    std::pair<std::string, std::string> pick;
    RETURN_IF_ERROR(PickBySeek(access, key, f, first.first, last.first, rng, &pick));
    if (distinct && !seen.insert(pick.first).second) continue;
    out.push_back(std::move(pick));
  }
  if (out.size() < count) {  // unlucky: complete with neighbours of a random start
    std::string start = RandomSubkeyBetween(first.first, last.first, rng);
    for (std::string_view from : {std::string_view(start), std::string_view()}) {
      if (out.size() >= count) break;
      RETURN_IF_ERROR(access.ScanSub(key, f, from, false, [&](auto k, auto v) {
        if (seen.insert(std::string(k)).second) out.emplace_back(k, v);
        return out.size() < count;
      }));
    }
  }
  return out;
}

}  // namespace strata::engine
