// SORT / SORT_RO over KeyAccess; see sort_ops.h for the rules and how the
// keys named by BY/GET patterns are read.
#include "engine/sort_ops.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>

#include "codec/list_index.h"
#include "engine/engine.h"
#include "engine/hash_ops.h"
#include "engine/key_access.h"
#include "engine/set_ops.h"
#include "engine/string_ops.h"
#include "engine/transaction.h"
#include "engine/zset_object.h"

namespace strata::engine {

using codec::MetaValue;
using codec::ValueType;

namespace {

// One element of the sort vector (Redis's redisSortObject).
struct Item {
  std::string element;
  double score = 0;                // numeric sort value
  std::optional<std::string> cmp;  // ALPHA ... BY: the value (nullopt: missing key)
};

// The source as loaded: the elements to sort, and the [start, end] window of
// them the output takes.
struct Loaded {
  ValueType type = ValueType::kList;
  bool small_zset = false;  // a sorted set Redis holds as a listpack
  std::vector<Item> items;
  int64_t start = 0;
  int64_t end = -1;
};

bool NeedsKeys(std::string_view pattern) {
  PatternTarget t = ResolvePattern(pattern, "");
  return t.kind == PatternTarget::Kind::kKey || t.kind == PatternTarget::Kind::kHashField;
}

void Append(Loaded* out, std::string element) {
  out->items.push_back(Item{std::move(element), 0, std::nullopt});
}

// Elements [pos, pos + n) of a list walking toward the tail, or with `desc`
// elements pos, pos-1, ... walking toward the head.
Status ReadListRange(KeyAccess& access, std::string_view key, const MetaValue& meta, uint64_t pos,
                     uint64_t n, bool desc, Loaded* out) {
  if (n == 0) return Status::Ok();
  uint64_t seen = 0;
  return access.ScanSub(key, SubFamily::kListElements, codec::EncodeListIndex(meta.list_head + pos),
                        desc, [&](std::string_view, std::string_view value) {
                          Append(out, std::string(value));
                          return ++seen < n;
                        });
}

// BY nosort on a list or sorted set: only the window, in stored order or
// (DESC) from the other end; the window then starts at 0.
Status ReadWindow(KeyAccess& access, const SortRequest& req, const MetaValue& meta, Loaded* out) {
  auto size = static_cast<int64_t>(meta.count);
  int64_t n = out->end - out->start + 1;
  if (n > 0 && meta.type == ValueType::kList) {
    auto pos = static_cast<uint64_t>(req.desc ? size - out->start - 1 : out->start);
    RETURN_IF_ERROR(
        ReadListRange(access, req.key, meta, pos, static_cast<uint64_t>(n), req.desc, out));
  } else if (n > 0) {
    ASSIGN_OR_RETURN(Zset zset, Zset::Open(access, req.key));
    auto from = static_cast<uint64_t>(req.desc ? size - 1 - out->end : out->start);
    auto to = static_cast<uint64_t>(req.desc ? size - 1 - out->start : out->end);
    ASSIGN_OR_RETURN(std::vector<ZEntry> entries, zset.AscendingRanks(from, to));
    if (req.desc) std::reverse(entries.begin(), entries.end());
    for (auto& e : entries) Append(out, std::move(e.member));
  }
  out->end -= out->start;
  out->start = 0;
  return Status::Ok();
}

// Every element: a list head to tail, a set in its canonical order, a
// sorted set in score order (any order would do: it is sorted next).
Status ReadAllElements(KeyAccess& access, std::string_view key, const MetaValue& meta,
                       Loaded* out) {
  out->items.reserve(meta.count);
  if (meta.type == ValueType::kList) {
    RETURN_IF_ERROR(ReadListRange(access, key, meta, 0, meta.count, false, out));
  } else if (meta.type == ValueType::kSet) {
    Members members;
    members.reserve(meta.count);
    RETURN_IF_ERROR(access.ScanSub(key, SubFamily::kSetMembers, "", false,
                                   [&](std::string_view member, std::string_view) {
                                     members.emplace_back(member);
                                     return true;
                                   }));
    if (!meta.big_encoding) CanonicalOrder(&members);
    for (auto& m : members) Append(out, std::move(m));
  } else {
    ASSIGN_OR_RETURN(Zset zset, Zset::Open(access, key));
    RETURN_IF_ERROR(zset.Walk("", false, [&](double, std::string_view member) {
      Append(out, std::string(member));
      return true;
    }));
  }
  if (out->items.size() != meta.count) {
    return Status::Corruption("collection shorter than its count");
  }
  return Status::Ok();
}

// Reads the source in one access. `dontsort`: BY without '*' (the output
// keeps the stored order, and lists and sorted sets read only the window).
StatusOr<Loaded> LoadSource(Engine& engine, OpContext& ctx, const SortRequest& req, bool dontsort) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(req.key));
  auto found = access.Find(req.key);
  if (!found.ok() && !found.status().IsNotFound()) return found.status();
  Loaded out;
  if (!found.ok()) return out;  // an absent key sorts as an empty list
  const MetaValue& meta = **found;
  if (meta.type != ValueType::kList && meta.type != ValueType::kSet &&
      meta.type != ValueType::kZset) {
    return Status::WrongType();
  }
  out.type = meta.type;
  out.small_zset = meta.type == ValueType::kZset && !meta.big_encoding;
  SortWindow(req.limit_offset, req.limit_count, static_cast<int64_t>(meta.count), &out.start,
             &out.end);
  if (dontsort && meta.type != ValueType::kSet) {
    RETURN_IF_ERROR(ReadWindow(access, req, meta, &out));
  } else {
    RETURN_IF_ERROR(ReadAllElements(access, req.key, meta, &out));
  }
  return out;
}

// The value a pattern names for `element`: nullopt when the key is missing
// or of another type, or the field is missing (as lookupKeyByPattern).
StatusOr<std::optional<std::string>> Lookup(Engine& engine, OpContext& ctx,
                                            std::string_view pattern, std::string_view element) {
  PatternTarget t = ResolvePattern(pattern, element);
  StatusOr<std::string> value = Status::NotFound();
  switch (t.kind) {
    case PatternTarget::Kind::kSelf:
      return std::optional<std::string>(std::string(element));
    case PatternTarget::Kind::kNone:
      return std::optional<std::string>();
    case PatternTarget::Kind::kKey:
      value = GetString(engine, ctx, t.key);
      break;
    case PatternTarget::Kind::kHashField:
      value = HashGet(engine, ctx, t.key, t.field);
      break;
  }
  if (value.ok()) return std::optional<std::string>(std::move(*value));
  if (value.status().IsNotFound() || value.status().code() == StatusCode::kWrongType) {
    return std::optional<std::string>();
  }
  return value.status();
}

int CompareBytes(const std::string& a, const std::string& b) {
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// Redis's sortCompare.
struct Comparator {
  bool alpha, by_pattern, store, desc;
  bool operator()(const Item& a, const Item& b) const { return Compare(a, b) < 0; }
  int Compare(const Item& a, const Item& b) const {
    int cmp;
    if (!alpha) {
      if (a.score > b.score) {
        cmp = 1;
      } else if (a.score < b.score) {
        cmp = -1;
      } else {
        cmp = CompareBytes(a.element, b.element);
      }
    } else if (by_pattern) {
      if (!a.cmp || !b.cmp) {
        cmp = (!a.cmp && !b.cmp) ? 0 : (!a.cmp ? -1 : 1);
      } else {
        cmp = store ? CompareBytes(*a.cmp, *b.cmp) : std::strcoll(a.cmp->c_str(), b.cmp->c_str());
      }
    } else {
      cmp = store ? CompareBytes(a.element, b.element)
                  : std::strcoll(a.element.c_str(), b.element.c_str());
    }
    return desc ? -cmp : cmp;
  }
};

// Redis 7.0's SORT converts a listpack sorted set to a skiplist before
// reading it (sort.c's zsetConvert), for good: OBJECT ENCODING reports it.
// A small zset holds no -0 score (engine/zset_object.cc), so nothing else
// changes. A no-op if `key` no longer holds a small zset.
Status MarkZsetBig(Engine& engine, OpContext& ctx, std::string_view key) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  auto found = access.Find(key);
  if (found.status().IsNotFound()) return Status::Ok();
  RETURN_IF_ERROR(found.status());
  if ((*found)->type != ValueType::kZset || (*found)->big_encoding) return Status::Ok();
  MetaValue meta = **found;
  meta.big_encoding = true;
  access.Put(key, std::move(meta));
  return access.Commit();
}

// Replaces `destination` with a list of `values` (deletes it when empty).
Status StoreList(Engine& engine, OpContext& ctx, std::string_view destination,
                 const std::vector<std::string>& values) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(destination));
  auto old = access.Find(destination);
  if (!old.ok() && !old.status().IsNotFound()) return old.status();
  if (values.empty()) {
    if (old.ok()) access.DeleteEmpty(destination);
  } else {
    MetaValue meta;
    meta.type = ValueType::kList;
    ASSIGN_OR_RETURN(meta.object_id, access.NewObjectId());
    meta.list_head = meta.list_tail = codec::kListInitialIndex;
    access.PutNew(destination, meta);
    for (const auto& v : values) {
      access.PutSub(destination, SubFamily::kListElements, codec::EncodeListIndex(meta.list_tail),
                    v);
      ++meta.list_tail;
    }
    meta.count = values.size();
    access.Put(destination, std::move(meta));
  }
  return access.Commit();
}

StatusOr<SortResult> SortWith(Engine& engine, OpContext& ctx, const SortRequest& req, bool dontsort,
                              bool sort_by_pattern, bool alpha) {
  ASSIGN_OR_RETURN(Loaded loaded, LoadSource(engine, ctx, req, dontsort));
  std::vector<Item>& items = loaded.items;
  if (dontsort && loaded.type == ValueType::kSet && req.store) {
    // A set keeps no order of its own: with STORE Redis sorts it (ALPHA, by
    // bytes) so that the stored list is the same everywhere.
    dontsort = false;
    alpha = true;
    sort_by_pattern = false;
  }
  if (!dontsort) {
    bool not_double = false;
    for (Item& item : items) {
      std::optional<std::string> by;
      if (sort_by_pattern) {
        ASSIGN_OR_RETURN(by, Lookup(engine, ctx, *req.by, item.element));
        if (!by) continue;  // a missing key: score 0, no compare value
      }
      const std::string& value = sort_by_pattern ? *by : item.element;
      if (alpha) {
        if (sort_by_pattern) item.cmp = std::move(by);
      } else if (!ParseSortScore(value, &item.score)) {
        not_double = true;
      }
    }
    Comparator cmp{alpha, sort_by_pattern, req.store.has_value(), req.desc};
    // Stable, as glibc's qsort (a merge sort) Redis calls: ALPHA BY ties
    // keep the stored order.
    std::stable_sort(items.begin(), items.end(), cmp);
    if (not_double) {
      if (loaded.small_zset) RETURN_IF_ERROR(MarkZsetBig(engine, ctx, req.key));
      return Status(StatusCode::kNotFloat);
    }
  }

  SortResult result;
  std::vector<std::string> stored;
  auto emit = [&](std::optional<std::string> v) {
    if (req.store) {
      stored.push_back(v ? std::move(*v) : std::string());
    } else {
      result.values.push_back(std::move(v));
    }
  };
  for (int64_t j = loaded.start; j <= loaded.end; ++j) {
    Item& item = items[static_cast<size_t>(j)];
    if (req.gets.empty()) {
      emit(std::move(item.element));
      continue;
    }
    for (std::string_view pattern : req.gets) {
      ASSIGN_OR_RETURN(auto v, Lookup(engine, ctx, pattern, item.element));
      emit(std::move(v));
    }
  }
  if (req.store) {
    RETURN_IF_ERROR(StoreList(engine, ctx, *req.store, stored));
    result.stored = stored.size();
  }
  // Last, after every read that may return kWouldBlock (it is idempotent).
  if (loaded.small_zset) RETURN_IF_ERROR(MarkZsetBig(engine, ctx, req.key));
  return result;
}

}  // namespace

PatternTarget ResolvePattern(std::string_view pattern, std::string_view element) {
  PatternTarget t;
  // Redis reads the pattern as a C string here (strchr, strstr).
  std::string_view c = pattern.substr(0, std::min(pattern.find('\0'), pattern.size()));
  if (c == "#") {
    t.kind = PatternTarget::Kind::kSelf;
    return t;
  }
  size_t star = c.find('*');
  if (star == std::string_view::npos) return t;
  size_t arrow = c.find("->", star + 1);
  size_t field_len = 0;
  if (arrow != std::string_view::npos && arrow + 2 < c.size()) {
    field_len = pattern.size() - arrow - 2;
    t.field.assign(pattern.substr(arrow + 2));
  }
  size_t postfix_len = pattern.size() - (star + 1) - (field_len != 0 ? field_len + 2 : 0);
  t.key.reserve(star + element.size() + postfix_len);
  t.key.append(pattern.substr(0, star));
  t.key.append(element);
  t.key.append(pattern.substr(star + 1, postfix_len));
  t.kind = field_len != 0 ? PatternTarget::Kind::kHashField : PatternTarget::Kind::kKey;
  return t;
}

bool ParseSortScore(std::string_view text, double* score) {
  std::string s(text);  // NUL-terminated: strtod stops at the first NUL, as in Redis
  char* end = nullptr;
  errno = 0;
  *score = std::strtod(s.c_str(), &end);
  return end[0] == '\0' && errno != ERANGE && !std::isnan(*score);
}

void SortWindow(int64_t offset, int64_t count, int64_t size, int64_t* start, int64_t* end) {
  *start = offset < 0 ? 0 : offset;
  if (count < 0) {
    *end = size - 1;
  } else if (*start > std::numeric_limits<int64_t>::max() - count) {
    *end = std::numeric_limits<int64_t>::max();  // Redis's sum overflows; saturate
  } else {
    *end = *start + count - 1;
  }
  if (*start >= size) {
    *start = size - 1;
    *end = size - 2;
  }
  if (*end >= size) *end = size - 1;
}

StatusOr<SortResult> Sort(Engine& engine, OpContext& ctx, const SortRequest& request) {
  bool dontsort = request.nosort;
  bool alpha = request.alpha;
  bool sort_by_pattern = request.by.has_value() && !dontsort;
  bool reads_keys = sort_by_pattern && NeedsKeys(*request.by);
  for (std::string_view g : request.gets) reads_keys = reads_keys || NeedsKeys(g);
  if (!reads_keys || ctx.gate_exclusive || ctx.txn != nullptr) {
    return SortWith(engine, ctx, request, dontsort, sort_by_pattern, alpha);
  }
  // Pattern keys are read under the exclusive gate (see sort_ops.h).
  OpContext exclusive = ctx;
  ExclusiveGate gate(engine);
  RETURN_IF_ERROR(gate.Acquire(exclusive));
  auto result = SortWith(engine, exclusive, request, dontsort, sort_by_pattern, alpha);
  ctx.write_seq = std::max(ctx.write_seq, exclusive.write_seq);
  return result;
}

}  // namespace strata::engine
