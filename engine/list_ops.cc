// List operations over KeyAccess's sub-key API; see list_ops.h for the
// layout and the dense-index invariant.
#include "engine/list_ops.h"

#include <algorithm>

#include "codec/list_index.h"
#include "engine/key_access.h"

namespace strata::engine {

using codec::EncodeListIndex;
using codec::MetaValue;
using codec::ValueType;

namespace {

constexpr SubFamily kElements = SubFamily::kListElements;

// The live list at `key`: kNotFound, kWrongType, or its metadata.
StatusOr<const MetaValue*> FindList(KeyAccess& access, std::string_view key) {
  ASSIGN_OR_RETURN(const MetaValue* meta, access.Find(key));
  if (meta->type != ValueType::kList) return Status::WrongType();
  return meta;
}

// FindList where an absent key is not an error: nullopt.
StatusOr<std::optional<MetaValue>> FindListOrNull(KeyAccess& access, std::string_view key) {
  auto found = FindList(access, key);
  if (found.status().IsNotFound()) return std::optional<MetaValue>();
  if (!found.ok()) return found.status();
  return std::optional<MetaValue>(**found);
}

// Stages a new, empty list at `key` and returns its metadata.
StatusOr<MetaValue> CreateList(KeyAccess& access, std::string_view key) {
  MetaValue meta;
  meta.type = ValueType::kList;
  ASSIGN_OR_RETURN(meta.object_id, access.NewObjectId());
  meta.list_head = meta.list_tail = codec::kListInitialIndex;
  access.PutNew(key, meta);
  return meta;
}

// Stages the list's new metadata, or its deletion when it is empty (its
// sub-keys then go with its object id, engine/gc_filter.h).
void SaveList(KeyAccess& access, std::string_view key, const MetaValue& meta) {
  if (meta.count == 0) {
    access.DeleteEmpty(key);
  } else {
    access.Put(key, meta);
  }
}

uint64_t At(const MetaValue& meta, uint64_t pos) {
  return meta.list_head + pos;
}

// Redis's index rule (LINDEX, LSET): negative from the end; false when out of range.
bool ResolveIndex(const MetaValue& meta, int64_t index, uint64_t* pos) {
  int64_t len = static_cast<int64_t>(meta.count);
  if (index < 0) index += len;
  if (index < 0 || index >= len) return false;
  *pos = static_cast<uint64_t>(index);
  return true;
}

Status PushElements(KeyAccess& access, std::string_view key, MetaValue& meta, ListEnd end,
                    std::span<const std::string_view> elements) {
  for (std::string_view e : elements) {
    if (end == ListEnd::kLeft) {
      if (meta.list_head == 0) return Status::Internal("list head index exhausted");
      --meta.list_head;
      access.PutSub(key, kElements, EncodeListIndex(meta.list_head), e);
    } else {
      if (meta.list_tail == UINT64_MAX) return Status::Internal("list tail index exhausted");
      access.PutSub(key, kElements, EncodeListIndex(meta.list_tail), e);
      ++meta.list_tail;
    }
    ++meta.count;
  }
  return Status::Ok();
}

// The element at position `pos` (< count): one point read.
Status ReadAt(KeyAccess& access, std::string_view key, const MetaValue& meta, uint64_t pos,
              std::string* value) {
  Status s = access.GetSub(key, kElements, EncodeListIndex(At(meta, pos)), value);
  if (s.IsNotFound()) return Status::Corruption("list element missing");
  return s;
}

// Reads `n` elements starting at position `pos` walking toward the tail
// (or, with `reverse`, starting at `pos` walking toward the head).
Status ReadElements(KeyAccess& access, std::string_view key, const MetaValue& meta, uint64_t pos,
                    uint64_t n, bool reverse, std::vector<std::string>* out) {
  out->reserve(out->size() + n);
  if (n == 0) return Status::Ok();
  uint64_t seen = 0;
  return access.ScanSub(key, kElements, EncodeListIndex(At(meta, pos)), reverse,
                        [&](std::string_view, std::string_view value) {
                          out->emplace_back(value);
                          return ++seen < n;
                        });
}

// Pops up to `count` elements from `end`, in pop order.
Status PopElements(KeyAccess& access, std::string_view key, MetaValue& meta, ListEnd end,
                   uint64_t count, std::vector<std::string>* out) {
  count = std::min(count, meta.count);
  bool left = end == ListEnd::kLeft;
  if (count == 1) {
    // The common case: a point read (bloom filters, no iterator).
    std::string value;
    RETURN_IF_ERROR(ReadAt(access, key, meta, left ? 0 : meta.count - 1, &value));
    out->push_back(std::move(value));
  } else {
    RETURN_IF_ERROR(ReadElements(access, key, meta, left ? 0 : meta.count - 1, count, !left, out));
  }
  if (out->size() != count) return Status::Corruption("list shorter than its count");
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t index = left ? meta.list_head++ : --meta.list_tail;
    access.DeleteSub(key, kElements, EncodeListIndex(index));
  }
  meta.count -= count;
  return Status::Ok();
}

// Inserts `element` so that it becomes position `pos` (0..count), shifting
// the shorter side by one.
Status InsertAt(KeyAccess& access, std::string_view key, MetaValue& meta, uint64_t pos,
                std::string_view element) {
  std::vector<std::string> moved;
  if (pos <= meta.count - pos) {
    // Positions [0, pos) move one index toward the head.
    if (meta.list_head == 0) return Status::Internal("list head index exhausted");
    RETURN_IF_ERROR(ReadElements(access, key, meta, 0, pos, false, &moved));
    for (uint64_t j = 0; j < moved.size(); ++j) {
      access.PutSub(key, kElements, EncodeListIndex(At(meta, j) - 1), moved[j]);
    }
    access.PutSub(key, kElements, EncodeListIndex(At(meta, pos) - 1), element);
    --meta.list_head;
  } else {
    // Positions [pos, count) move one index toward the tail.
    if (meta.list_tail == UINT64_MAX) return Status::Internal("list tail index exhausted");
    RETURN_IF_ERROR(ReadElements(access, key, meta, pos, meta.count - pos, false, &moved));
    for (uint64_t j = 0; j < moved.size(); ++j) {
      access.PutSub(key, kElements, EncodeListIndex(At(meta, pos + j) + 1), moved[j]);
    }
    access.PutSub(key, kElements, EncodeListIndex(At(meta, pos)), element);
    ++meta.list_tail;
  }
  ++meta.count;
  return Status::Ok();
}

// Removes the elements at `positions` (ascending, distinct), keeping the
// indexes dense: the kept elements on the shorter side of the removed span
// slide over the holes, and that end moves by the number removed.
Status RemoveAt(KeyAccess& access, std::string_view key, MetaValue& meta,
                const std::vector<uint64_t>& positions) {
  if (positions.empty()) return Status::Ok();
  uint64_t k = positions.size();
  uint64_t first = positions.front(), last = positions.back();
  if (k == meta.count) {
    meta.count = 0;  // SaveList deletes the key; its sub-keys go with the object id
    return Status::Ok();
  }
  uint64_t kept_before_last = last + 1 - k;
  uint64_t kept_after_first = meta.count - first - k;
  std::vector<std::string> values;
  if (kept_before_last <= kept_after_first) {
    // Everything kept in [0, last] slides toward the tail; head moves up by k.
    RETURN_IF_ERROR(ReadElements(access, key, meta, last, last + 1, true, &values));
    size_t r = k;  // removed positions at or after the one visited
    for (uint64_t i = 0; i < values.size(); ++i) {
      uint64_t pos = last - i;
      if (r > 0 && positions[r - 1] == pos) {
        --r;
        continue;
      }
      access.PutSub(key, kElements, EncodeListIndex(At(meta, pos + (k - r))), values[i]);
    }
    for (uint64_t i = 0; i < k; ++i) access.DeleteSub(key, kElements, EncodeListIndex(At(meta, i)));
    meta.list_head += k;
  } else {
    // Everything kept in [first, count) slides toward the head; tail moves down by k.
    RETURN_IF_ERROR(ReadElements(access, key, meta, first, meta.count - first, false, &values));
    size_t r = 0;  // removed positions before the one visited
    for (uint64_t i = 0; i < values.size(); ++i) {
      uint64_t pos = first + i;
      if (r < k && positions[r] == pos) {
        ++r;
        continue;
      }
      access.PutSub(key, kElements, EncodeListIndex(At(meta, pos - r)), values[i]);
    }
    for (uint64_t i = 1; i <= k; ++i) {
      access.DeleteSub(key, kElements, EncodeListIndex(meta.list_tail - i));
    }
    meta.list_tail -= k;
  }
  meta.count -= k;
  return Status::Ok();
}

}  // namespace

StatusOr<uint64_t> ListPush(Engine& engine, OpContext& ctx, std::string_view key, ListEnd end,
                            std::span<const std::string_view> elements, bool only_if_exists) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<MetaValue> meta, FindListOrNull(access, key));
  if (!meta) {
    if (only_if_exists) {
      RETURN_IF_ERROR(access.Commit());  // may carry a lazy-expiry delete
      return uint64_t{0};
    }
    ASSIGN_OR_RETURN(meta, CreateList(access, key));
  }
  RETURN_IF_ERROR(PushElements(access, key, *meta, end, elements));
  access.Put(key, *meta);
  RETURN_IF_ERROR(access.Commit());
  return meta->count;
}

StatusOr<std::vector<std::string>> ListPop(Engine& engine, OpContext& ctx, std::string_view key,
                                           ListEnd end, uint64_t count) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<MetaValue> meta, FindListOrNull(access, key));
  if (!meta) {
    RETURN_IF_ERROR(access.Commit());
    return Status::NotFound();
  }
  std::vector<std::string> out;
  RETURN_IF_ERROR(PopElements(access, key, *meta, end, count, &out));
  if (!out.empty()) SaveList(access, key, *meta);
  RETURN_IF_ERROR(access.Commit());
  return out;
}

StatusOr<uint64_t> ListLength(Engine& engine, OpContext& ctx, std::string_view key) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<MetaValue> meta, FindListOrNull(access, key));
  return meta ? meta->count : 0;
}

StatusOr<std::string> ListIndex(Engine& engine, OpContext& ctx, std::string_view key,
                                int64_t index) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindList(access, key));
  uint64_t pos;
  if (!ResolveIndex(*meta, index, &pos)) return Status::NotFound();
  std::string value;
  RETURN_IF_ERROR(ReadAt(access, key, *meta, pos, &value));
  return value;
}

Status ListSet(Engine& engine, OpContext& ctx, std::string_view key, int64_t index,
               std::string_view element) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  auto found = FindList(access, key);
  if (!found.ok()) {
    RETURN_IF_ERROR(access.Commit());
    return found.status();
  }
  uint64_t pos;
  if (!ResolveIndex(**found, index, &pos)) return Status(StatusCode::kOutOfRange);
  access.PutSub(key, kElements, EncodeListIndex(At(**found, pos)), element);
  return access.Commit();
}

namespace {

// LRANGE's and LTRIM's clamping: the positions [*from, *to] of start..stop,
// false when the range is empty.
bool ResolveRange(uint64_t count, int64_t start, int64_t stop, uint64_t* from, uint64_t* to) {
  int64_t len = static_cast<int64_t>(count);
  if (start < 0) start = len + start;
  if (stop < 0) stop = len + stop;
  if (start < 0) start = 0;
  if (start > stop || start >= len) return false;
  if (stop >= len) stop = len - 1;
  *from = static_cast<uint64_t>(start);
  *to = static_cast<uint64_t>(stop);
  return true;
}

}  // namespace

StatusOr<std::vector<std::string>> ListRange(Engine& engine, OpContext& ctx, std::string_view key,
                                             int64_t start, int64_t stop) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<MetaValue> meta, FindListOrNull(access, key));
  std::vector<std::string> out;
  uint64_t from, to;
  if (!meta || !ResolveRange(meta->count, start, stop, &from, &to)) return out;
  RETURN_IF_ERROR(ReadElements(access, key, *meta, from, to - from + 1, false, &out));
  return out;
}

StatusOr<bool> ListTrim(Engine& engine, OpContext& ctx, std::string_view key, int64_t start,
                        int64_t stop) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<MetaValue> meta, FindListOrNull(access, key));
  if (!meta) {
    RETURN_IF_ERROR(access.Commit());
    return false;
  }
  uint64_t from, to;
  if (!ResolveRange(meta->count, start, stop, &from, &to)) {
    access.DeleteEmpty(key);  // sub-keys go with the object id
    RETURN_IF_ERROR(access.Commit());
    return true;
  }
  uint64_t drop_tail = meta->count - 1 - to;
  for (uint64_t i = 0; i < from; ++i) {
    access.DeleteSub(key, kElements, EncodeListIndex(meta->list_head + i));
  }
  for (uint64_t i = 1; i <= drop_tail; ++i) {
    access.DeleteSub(key, kElements, EncodeListIndex(meta->list_tail - i));
  }
  if (from + drop_tail > 0) {
    meta->list_head += from;
    meta->list_tail -= drop_tail;
    meta->count -= from + drop_tail;
    access.Put(key, *meta);
  }
  RETURN_IF_ERROR(access.Commit());
  return true;
}

StatusOr<int64_t> ListInsert(Engine& engine, OpContext& ctx, std::string_view key, bool after,
                             std::string_view pivot, std::string_view element) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<MetaValue> meta, FindListOrNull(access, key));
  if (!meta) {
    RETURN_IF_ERROR(access.Commit());
    return int64_t{0};
  }
  std::optional<uint64_t> found;
  uint64_t pos = 0;
  RETURN_IF_ERROR(access.ScanSub(key, kElements, EncodeListIndex(meta->list_head), false,
                                 [&](std::string_view, std::string_view value) {
                                   if (value == pivot) {
                                     found = pos;
                                     return false;
                                   }
                                   return ++pos < meta->count;
                                 }));
  if (!found) return int64_t{-1};
  RETURN_IF_ERROR(InsertAt(access, key, *meta, *found + (after ? 1 : 0), element));
  access.Put(key, *meta);
  RETURN_IF_ERROR(access.Commit());
  return static_cast<int64_t>(meta->count);
}

StatusOr<uint64_t> ListRemove(Engine& engine, OpContext& ctx, std::string_view key, int64_t count,
                              std::string_view element) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<MetaValue> meta, FindListOrNull(access, key));
  if (!meta) {
    RETURN_IF_ERROR(access.Commit());
    return uint64_t{0};
  }
  bool reverse = count < 0;
  // |count| without overflow for INT64_MIN; 0 means no limit.
  uint64_t limit = reverse ? uint64_t{0} - static_cast<uint64_t>(count) : uint64_t(count);
  std::vector<uint64_t> positions;
  uint64_t visited = 0;
  uint64_t start = reverse ? meta->list_tail - 1 : meta->list_head;
  RETURN_IF_ERROR(access.ScanSub(key, kElements, EncodeListIndex(start), reverse,
                                 [&](std::string_view, std::string_view value) {
                                   uint64_t pos = reverse ? meta->count - 1 - visited : visited;
                                   if (value == element) positions.push_back(pos);
                                   ++visited;
                                   return visited < meta->count &&
                                          (limit == 0 || positions.size() < limit);
                                 }));
  if (positions.empty()) return uint64_t{0};
  if (reverse) std::reverse(positions.begin(), positions.end());
  RETURN_IF_ERROR(RemoveAt(access, key, *meta, positions));
  SaveList(access, key, *meta);
  RETURN_IF_ERROR(access.Commit());
  return static_cast<uint64_t>(positions.size());
}

StatusOr<std::vector<uint64_t>> ListPositions(Engine& engine, OpContext& ctx, std::string_view key,
                                              std::string_view element,
                                              const ListPosOptions& options) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<MetaValue> meta, FindListOrNull(access, key));
  std::vector<uint64_t> out;
  if (!meta) return out;
  bool reverse = options.rank < 0;
  // Matches to skip before reporting; INT64_MIN counts as -1 (see list_ops.h).
  uint64_t skip = options.rank == INT64_MIN
                      ? 0
                      : static_cast<uint64_t>(reverse ? -options.rank : options.rank) - 1;
  uint64_t want = static_cast<uint64_t>(options.count);
  uint64_t scan =
      options.maxlen == 0 ? meta->count : std::min(meta->count, uint64_t(options.maxlen));
  if (scan == 0) return out;
  uint64_t visited = 0, matches = 0;
  uint64_t start = reverse ? meta->list_tail - 1 : meta->list_head;
  RETURN_IF_ERROR(access.ScanSub(key, kElements, EncodeListIndex(start), reverse,
                                 [&](std::string_view, std::string_view value) {
                                   uint64_t pos = reverse ? meta->count - 1 - visited : visited;
                                   ++visited;
                                   if (value == element && matches++ >= skip) {
                                     out.push_back(pos);
                                     if (want != 0 && out.size() >= want) return false;
                                   }
                                   return visited < scan;
                                 }));
  return out;
}

StatusOr<std::string> ListMove(Engine& engine, OpContext& ctx, std::string_view source,
                               std::string_view destination, ListEnd from, ListEnd to) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  std::string_view keys[] = {source, destination};
  RETURN_IF_ERROR(access.Lock(keys));
  ASSIGN_OR_RETURN(std::optional<MetaValue> src, FindListOrNull(access, source));
  if (!src) {
    RETURN_IF_ERROR(access.Commit());
    return Status::NotFound();
  }
  bool same = source == destination;
  std::optional<MetaValue> dst;
  if (!same) {
    ASSIGN_OR_RETURN(dst, FindListOrNull(access, destination));
  }
  std::vector<std::string> popped;
  RETURN_IF_ERROR(PopElements(access, source, *src, from, 1, &popped));
  if (popped.size() != 1) return Status::Corruption("empty list");
  std::string_view element = popped[0];
  if (same) {
    RETURN_IF_ERROR(PushElements(access, source, *src, to, std::span(&element, 1)));
  } else {
    if (!dst) {
      ASSIGN_OR_RETURN(dst, CreateList(access, destination));
    }
    RETURN_IF_ERROR(PushElements(access, destination, *dst, to, std::span(&element, 1)));
    access.Put(destination, *dst);
  }
  SaveList(access, source, *src);
  RETURN_IF_ERROR(access.Commit());
  return std::move(popped[0]);
}

StatusOr<std::pair<size_t, std::vector<std::string>>> ListMultiPop(
    Engine& engine, OpContext& ctx, std::span<const std::string_view> keys, ListEnd end,
    uint64_t count) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(keys));
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSIGN_OR_RETURN(std::optional<MetaValue> meta, FindListOrNull(access, keys[i]));
    if (!meta) continue;
    std::vector<std::string> out;
    RETURN_IF_ERROR(PopElements(access, keys[i], *meta, end, count, &out));
    SaveList(access, keys[i], *meta);
    RETURN_IF_ERROR(access.Commit());
    return std::make_pair(i, std::move(out));
  }
  RETURN_IF_ERROR(access.Commit());
  return Status::NotFound();
}

}  // namespace strata::engine
