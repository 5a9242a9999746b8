// Set operations over KeyAccess's sub-keys; see set_ops.h.
#include "engine/set_ops.h"

#include <algorithm>
#include <set>

#include "common/numbers.h"
#include "engine/collection_ops.h"
#include "engine/key_access.h"

namespace strata::engine {

using codec::MetaValue;
using codec::ValueType;

namespace {

constexpr SubFamily kMembers = SubFamily::kSetMembers;

StatusOr<const MetaValue*> FindSet(KeyAccess& access, std::string_view key) {
  return FindCollectionOrNull(access, key, ValueType::kSet);
}

StatusOr<bool> IsMember(KeyAccess& access, std::string_view key, std::string_view member) {
  std::string ignored;
  Status s = access.GetSub(key, kMembers, member, &ignored);
  if (s.IsNotFound()) return false;
  RETURN_IF_ERROR(s);
  return true;
}

// Adds a member not yet in the set, keeping the count and the encoding flag.
void AddNew(KeyAccess& access, std::string_view key, MetaValue* meta, std::string_view member) {
  access.PutSub(key, kMembers, member, "");
  ++meta->count;
  if (!IsIntsetMember(member) || meta->count > kSetMaxIntsetEntries) meta->big_encoding = true;
}

Members KeysOf(SubEntries entries) {
  Members out;
  out.reserve(entries.size());
  for (auto& e : entries) out.push_back(std::move(e.first));
  return out;
}

// Every member of a set (meta may be null: empty), in its canonical order.
StatusOr<Members> AllMembers(KeyAccess& access, std::string_view key, const MetaValue* meta) {
  if (meta == nullptr) return Members{};
  ASSIGN_OR_RETURN(SubEntries all, ReadAll(access, key, kMembers));
  Members out = KeysOf(std::move(all));
  if (!meta->big_encoding) CanonicalOrder(&out);
  return out;
}

// Read-only entry: locks, finds the set (nullptr when absent).
template <typename Fn>
auto WithSet(Engine& engine, OpContext& ctx, std::string_view key, Fn&& fn)
    -> decltype(fn(std::declval<KeyAccess&>(), static_cast<const MetaValue*>(nullptr))) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindSet(access, key));
  return fn(access, meta);
}

}  // namespace

bool IsIntsetMember(std::string_view member) {
  int64_t ignored;
  return ParseInt64(member, &ignored);
}

void CanonicalOrder(Members* members) {
  if (members->size() > kSetMaxIntsetEntries) return;
  std::vector<std::pair<int64_t, size_t>> numbers;
  numbers.reserve(members->size());
  for (size_t i = 0; i < members->size(); ++i) {
    int64_t v;
    if (!ParseInt64((*members)[i], &v)) return;
    numbers.emplace_back(v, i);
  }
  std::sort(numbers.begin(), numbers.end());
  Members sorted;
  sorted.reserve(members->size());
  for (const auto& [v, i] : numbers) sorted.push_back(std::move((*members)[i]));
  *members = std::move(sorted);
}

StatusOr<int64_t> SetAdd(Engine& engine, OpContext& ctx, std::string_view key,
                         std::span<const std::string_view> members) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* found, FindSet(access, key));
  ASSIGN_OR_RETURN(MetaValue meta, OpenForWrite(access, key, ValueType::kSet, found));
  int64_t added = 0;
  for (auto member : members) {
    ASSIGN_OR_RETURN(bool present, IsMember(access, key, member));
    if (present) continue;
    AddNew(access, key, &meta, member);
    ++added;
  }
  if (added == 0 && found != nullptr) return 0;
  FinishWrite(access, key, std::move(meta));
  RETURN_IF_ERROR(access.Commit());
  return added;
}

StatusOr<int64_t> SetRemove(Engine& engine, OpContext& ctx, std::string_view key,
                            std::span<const std::string_view> members) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* found, FindSet(access, key));
  if (found == nullptr) return 0;
  MetaValue meta = *found;
  int64_t removed = 0;
  for (auto member : members) {
    ASSIGN_OR_RETURN(bool present, IsMember(access, key, member));
    if (!present) continue;
    access.DeleteSub(key, kMembers, member);
    --meta.count;
    ++removed;
  }
  if (removed == 0) return 0;
  FinishWrite(access, key, std::move(meta));
  RETURN_IF_ERROR(access.Commit());
  return removed;
}

StatusOr<std::vector<bool>> SetContains(Engine& engine, OpContext& ctx, std::string_view key,
                                        std::span<const std::string_view> members) {
  return WithSet(engine, ctx, key,
                 [&](KeyAccess& access, const MetaValue* meta) -> StatusOr<std::vector<bool>> {
                   std::vector<bool> out(members.size(), false);
                   if (meta == nullptr) return out;
                   for (size_t i = 0; i < members.size(); ++i) {
                     ASSIGN_OR_RETURN(bool present, IsMember(access, key, members[i]));
                     out[i] = present;
                   }
                   return out;
                 });
}

StatusOr<Members> SetMembers(Engine& engine, OpContext& ctx, std::string_view key) {
  return WithSet(engine, ctx, key, [&](KeyAccess& access, const MetaValue* meta) {
    return AllMembers(access, key, meta);
  });
}

StatusOr<uint64_t> SetCard(Engine& engine, OpContext& ctx, std::string_view key) {
  return WithSet(engine, ctx, key, [](KeyAccess&, const MetaValue* meta) -> StatusOr<uint64_t> {
    return meta == nullptr ? 0 : meta->count;
  });
}

StatusOr<std::optional<Members>> SetPop(Engine& engine, OpContext& ctx, std::string_view key,
                                        uint64_t count) {
  using Result = std::optional<Members>;
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* found, FindSet(access, key));
  if (found == nullptr) return Result();
  if (count == 0) return Result(Members{});
  MetaValue meta = *found;
  if (count >= meta.count) {  // all of it: deleting the key is O(1)
    ASSIGN_OR_RETURN(Members all, AllMembers(access, key, &meta));
    access.DeleteEmpty(key);
    RETURN_IF_ERROR(access.Commit());
    return Result(std::move(all));
  }
  ASSIGN_OR_RETURN(SubEntries picks, Sample(access, key, meta, kMembers, count, true));
  Members out = KeysOf(std::move(picks));
  for (const auto& member : out) access.DeleteSub(key, kMembers, member);
  meta.count -= out.size();
  FinishWrite(access, key, std::move(meta));
  RETURN_IF_ERROR(access.Commit());
  return Result(std::move(out));
}

StatusOr<std::optional<Members>> SetRandomMembers(Engine& engine, OpContext& ctx,
                                                  std::string_view key, uint64_t count,
                                                  bool distinct) {
  using Result = std::optional<Members>;
  return WithSet(
      engine, ctx, key, [&](KeyAccess& access, const MetaValue* meta) -> StatusOr<Result> {
        if (meta == nullptr) return Result();
        if (count == 0) return Result(Members{});
        if (distinct && count >= meta->count) {
          ASSIGN_OR_RETURN(Members all, AllMembers(access, key, meta));
          return Result(std::move(all));
        }
        ASSIGN_OR_RETURN(SubEntries picks, Sample(access, key, *meta, kMembers, count, distinct));
        return Result(KeysOf(std::move(picks)));
      });
}

StatusOr<bool> SetMove(Engine& engine, OpContext& ctx, std::string_view source,
                       std::string_view destination, std::string_view member, bool* added) {
  if (added != nullptr) *added = false;
  std::string_view keys[] = {source, destination};
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(keys));
  auto src_found = access.Find(source);
  if (src_found.status().IsNotFound()) return false;
  RETURN_IF_ERROR(src_found.status());
  auto dst_found = access.Find(destination);
  if (!dst_found.ok() && !dst_found.status().IsNotFound()) return dst_found.status();
  const MetaValue* dst = dst_found.ok() ? *dst_found : nullptr;
  if ((*src_found)->type != ValueType::kSet || (dst != nullptr && dst->type != ValueType::kSet)) {
    return Status::WrongType();
  }
  if (source == destination) return IsMember(access, source, member);
  MetaValue src = **src_found;
  ASSIGN_OR_RETURN(bool present, IsMember(access, source, member));
  if (!present) return false;
  access.DeleteSub(source, kMembers, member);
  --src.count;
  FinishWrite(access, source, std::move(src));
  ASSIGN_OR_RETURN(MetaValue to, OpenForWrite(access, destination, ValueType::kSet, dst));
  ASSIGN_OR_RETURN(bool already, IsMember(access, destination, member));
  if (!already) AddNew(access, destination, &to, member);
  FinishWrite(access, destination, std::move(to));
  RETURN_IF_ERROR(access.Commit());
  if (added != nullptr) *added = !already;
  return true;
}

namespace {

// The sets named by `keys` (nullptr for a missing key), type-checked all.
StatusOr<std::vector<const MetaValue*>> FindSets(KeyAccess& access,
                                                 std::span<const std::string_view> keys) {
  std::vector<const MetaValue*> sets;
  sets.reserve(keys.size());
  for (auto key : keys) {
    ASSIGN_OR_RETURN(const MetaValue* meta, FindSet(access, key));
    sets.push_back(meta);
  }
  return sets;
}

// The intersection, stopping after `limit` members (0: no limit): the
// smallest set read whole, each member looked up in the others.
StatusOr<Members> Intersect(KeyAccess& access, std::span<const std::string_view> keys,
                            const std::vector<const MetaValue*>& sets, uint64_t limit) {
  for (const auto* s : sets) {
    if (s == nullptr) return Members{};
  }
  std::vector<size_t> order(keys.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return sets[a]->count < sets[b]->count; });
  ASSIGN_OR_RETURN(SubEntries smallest, ReadAll(access, keys[order[0]], kMembers));
  Members out;
  for (auto& [member, unused] : smallest) {
    bool everywhere = true;
    for (size_t j = 1; j < order.size() && everywhere; ++j) {
      if (keys[order[j]] == keys[order[0]]) continue;
      ASSIGN_OR_RETURN(everywhere, IsMember(access, keys[order[j]], member));
    }
    if (!everywhere) continue;
    out.push_back(std::move(member));
    if (limit != 0 && out.size() >= limit) break;
  }
  return out;
}

StatusOr<Members> Union(KeyAccess& access, std::span<const std::string_view> keys,
                        const std::vector<const MetaValue*>& sets) {
  std::set<std::string> all;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (sets[i] == nullptr) continue;
    RETURN_IF_ERROR(access.ScanSub(keys[i], kMembers, "", false, [&](auto member, auto) {
      all.emplace(member);
      return true;
    }));
  }
  return Members(all.begin(), all.end());
}

// The first set minus the others: each other set is either scanned or
// probed member by member, whichever touches fewer members.
StatusOr<Members> Difference(KeyAccess& access, std::span<const std::string_view> keys,
                             const std::vector<const MetaValue*>& sets) {
  if (sets[0] == nullptr) return Members{};
  ASSIGN_OR_RETURN(SubEntries first, ReadAll(access, keys[0], kMembers));
  std::set<std::string> left;
  for (auto& e : first) left.insert(std::move(e.first));
  for (size_t i = 1; i < keys.size() && !left.empty(); ++i) {
    if (sets[i] == nullptr) continue;
    if (sets[i]->count < left.size()) {
      RETURN_IF_ERROR(access.ScanSub(keys[i], kMembers, "", false, [&](auto member, auto) {
        left.erase(std::string(member));
        return !left.empty();
      }));
      continue;
    }
    for (auto it = left.begin(); it != left.end();) {
      ASSIGN_OR_RETURN(bool present, IsMember(access, keys[i], *it));
      it = present ? left.erase(it) : std::next(it);
    }
  }
  return Members(left.begin(), left.end());
}

StatusOr<Members> Compute(KeyAccess& access, SetOp op, std::span<const std::string_view> keys) {
  ASSIGN_OR_RETURN(auto sets, FindSets(access, keys));
  Members out;
  switch (op) {
    case SetOp::kInter: {
      ASSIGN_OR_RETURN(out, Intersect(access, keys, sets, 0));
      break;
    }
    case SetOp::kUnion: {
      ASSIGN_OR_RETURN(out, Union(access, keys, sets));
      break;
    }
    case SetOp::kDiff: {
      ASSIGN_OR_RETURN(out, Difference(access, keys, sets));
      break;
    }
  }
  CanonicalOrder(&out);
  return out;
}

}  // namespace

StatusOr<Members> SetCompute(Engine& engine, OpContext& ctx, SetOp op,
                             std::span<const std::string_view> keys) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(keys));
  return Compute(access, op, keys);
}

StatusOr<uint64_t> SetStore(Engine& engine, OpContext& ctx, SetOp op, std::string_view destination,
                            std::span<const std::string_view> keys) {
  std::vector<std::string_view> locked(keys.begin(), keys.end());
  locked.push_back(destination);
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(locked));
  ASSIGN_OR_RETURN(Members result, Compute(access, op, keys));
  auto old = access.Find(destination);
  if (!old.ok() && !old.status().IsNotFound()) return old.status();
  if (result.empty()) {
    if (old.ok()) access.DeleteEmpty(destination);
  } else {
    ASSIGN_OR_RETURN(MetaValue meta, OpenForWrite(access, destination, ValueType::kSet, nullptr));
    for (const auto& member : result) AddNew(access, destination, &meta, member);
    FinishWrite(access, destination, std::move(meta));
  }
  RETURN_IF_ERROR(access.Commit());
  return result.size();
}

StatusOr<uint64_t> SetInterCard(Engine& engine, OpContext& ctx,
                                std::span<const std::string_view> keys, uint64_t limit) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(keys));
  ASSIGN_OR_RETURN(auto sets, FindSets(access, keys));
  ASSIGN_OR_RETURN(Members members, Intersect(access, keys, sets, limit));
  return members.size();
}

StatusOr<SetScanPage> SetScan(Engine& engine, OpContext& ctx, std::string_view key,
                              std::string_view start, uint64_t count) {
  return WithSet(
      engine, ctx, key, [&](KeyAccess& access, const MetaValue* meta) -> StatusOr<SetScanPage> {
        SetScanPage out;
        if (meta == nullptr) return out;
        ASSIGN_OR_RETURN(SubPage page, ScanPage(access, key, *meta, kMembers, start, count));
        out.members = KeysOf(std::move(page.entries));
        if (!meta->big_encoding) CanonicalOrder(&out.members);
        out.next = std::move(page.next);
        out.done = page.done;
        return out;
      });
}

}  // namespace strata::engine
