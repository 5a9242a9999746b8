// Hash operations over KeyAccess's sub-keys; see hash_ops.h.
#include "engine/hash_ops.h"

#include <cmath>

#include "common/numbers.h"
#include "engine/collection_ops.h"
#include "engine/key_access.h"

namespace strata::engine {

using codec::MetaValue;
using codec::ValueType;

namespace {

constexpr SubFamily kFields = SubFamily::kHashFields;

StatusOr<const MetaValue*> FindHash(KeyAccess& access, std::string_view key) {
  return FindCollectionOrNull(access, key, ValueType::kHash);
}

bool TooLongForListpack(std::string_view s) {
  return s.size() > kHashMaxListpackValue;
}

// Writes one field, keeping the count and the encoding flag; returns whether
// the field is new. `exists` says whether it was there before.
void WriteField(KeyAccess& access, std::string_view key, MetaValue* meta, std::string_view field,
                std::string_view value, bool exists) {
  access.PutSub(key, kFields, field, value);
  if (!exists) ++meta->count;
  if (TooLongForListpack(field) || TooLongForListpack(value)) meta->big_encoding = true;
  if (meta->count > kHashMaxListpackEntries) meta->big_encoding = true;
}

// The stored value of `field` (nullopt when absent) of a hash that may be null.
StatusOr<std::optional<std::string>> ReadField(KeyAccess& access, std::string_view key,
                                               const MetaValue* meta, std::string_view field) {
  if (meta == nullptr) return std::optional<std::string>();
  std::string value;
  Status s = access.GetSub(key, kFields, field, &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  RETURN_IF_ERROR(s);
  return std::optional<std::string>(std::move(value));
}

// Read-only entry: locks, finds the hash (nullptr when absent).
template <typename Fn>
auto WithHash(Engine& engine, OpContext& ctx, std::string_view key, Fn&& fn)
    -> decltype(fn(std::declval<KeyAccess&>(), static_cast<const MetaValue*>(nullptr))) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindHash(access, key));
  return fn(access, meta);
}

}  // namespace

StatusOr<int64_t> HashSet(Engine& engine, OpContext& ctx, std::string_view key,
                          FieldValueViews pairs) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* found, FindHash(access, key));
  ASSIGN_OR_RETURN(MetaValue meta, OpenForWrite(access, key, ValueType::kHash, found));
  int64_t created = 0;
  for (const auto& [field, value] : pairs) {
    ASSIGN_OR_RETURN(auto old, ReadField(access, key, &meta, field));
    WriteField(access, key, &meta, field, value, old.has_value());
    created += old.has_value() ? 0 : 1;
  }
  FinishWrite(access, key, std::move(meta));
  RETURN_IF_ERROR(access.Commit());
  return created;
}

StatusOr<bool> HashSetIfAbsent(Engine& engine, OpContext& ctx, std::string_view key,
                               std::string_view field, std::string_view value) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* found, FindHash(access, key));
  ASSIGN_OR_RETURN(auto old, ReadField(access, key, found, field));
  if (old.has_value()) return false;
  ASSIGN_OR_RETURN(MetaValue meta, OpenForWrite(access, key, ValueType::kHash, found));
  WriteField(access, key, &meta, field, value, false);
  FinishWrite(access, key, std::move(meta));
  RETURN_IF_ERROR(access.Commit());
  return true;
}

StatusOr<std::string> HashGet(Engine& engine, OpContext& ctx, std::string_view key,
                              std::string_view field) {
  return WithHash(engine, ctx, key,
                  [&](KeyAccess& access, const MetaValue* meta) -> StatusOr<std::string> {
                    ASSIGN_OR_RETURN(auto value, ReadField(access, key, meta, field));
                    if (!value) return Status::NotFound();
                    return std::move(*value);
                  });
}

StatusOr<std::vector<std::optional<std::string>>> HashMultiGet(
    Engine& engine, OpContext& ctx, std::string_view key,
    std::span<const std::string_view> fields) {
  using Values = std::vector<std::optional<std::string>>;
  return WithHash(engine, ctx, key,
                  [&](KeyAccess& access, const MetaValue* meta) -> StatusOr<Values> {
                    Values out;
                    out.reserve(fields.size());
                    for (auto field : fields) {
                      ASSIGN_OR_RETURN(auto value, ReadField(access, key, meta, field));
                      out.push_back(std::move(value));
                    }
                    return out;
                  });
}

StatusOr<FieldValues> HashGetAll(Engine& engine, OpContext& ctx, std::string_view key) {
  return WithHash(engine, ctx, key,
                  [&](KeyAccess& access, const MetaValue* meta) -> StatusOr<FieldValues> {
                    if (meta == nullptr) return FieldValues{};
                    return ReadAll(access, key, kFields);
                  });
}

StatusOr<int64_t> HashDelete(Engine& engine, OpContext& ctx, std::string_view key,
                             std::span<const std::string_view> fields) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* found, FindHash(access, key));
  if (found == nullptr) return 0;
  MetaValue meta = *found;
  int64_t removed = 0;
  for (auto field : fields) {
    ASSIGN_OR_RETURN(auto old, ReadField(access, key, &meta, field));
    if (!old) continue;
    access.DeleteSub(key, kFields, field);
    --meta.count;
    ++removed;
  }
  if (removed == 0) return 0;
  FinishWrite(access, key, std::move(meta));
  RETURN_IF_ERROR(access.Commit());
  return removed;
}

StatusOr<bool> HashExists(Engine& engine, OpContext& ctx, std::string_view key,
                          std::string_view field) {
  return WithHash(engine, ctx, key,
                  [&](KeyAccess& access, const MetaValue* meta) -> StatusOr<bool> {
                    ASSIGN_OR_RETURN(auto value, ReadField(access, key, meta, field));
                    return value.has_value();
                  });
}

StatusOr<uint64_t> HashLength(Engine& engine, OpContext& ctx, std::string_view key) {
  return WithHash(engine, ctx, key, [](KeyAccess&, const MetaValue* meta) -> StatusOr<uint64_t> {
    return meta == nullptr ? 0 : meta->count;
  });
}

StatusOr<uint64_t> HashValueLength(Engine& engine, OpContext& ctx, std::string_view key,
                                   std::string_view field) {
  return WithHash(engine, ctx, key,
                  [&](KeyAccess& access, const MetaValue* meta) -> StatusOr<uint64_t> {
                    ASSIGN_OR_RETURN(auto value, ReadField(access, key, meta, field));
                    return value ? value->size() : 0;
                  });
}

namespace {

// HINCRBY and HINCRBYFLOAT: reads the field, lets `next` compute the new
// text from the old value (nullopt when absent), writes it.
template <typename Next>
StatusOr<std::string> UpdateField(Engine& engine, OpContext& ctx, std::string_view key,
                                  std::string_view field, Next&& next) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* found, FindHash(access, key));
  ASSIGN_OR_RETURN(auto old, ReadField(access, key, found, field));
  ASSIGN_OR_RETURN(std::string text, next(old));
  ASSIGN_OR_RETURN(MetaValue meta, OpenForWrite(access, key, ValueType::kHash, found));
  WriteField(access, key, &meta, field, text, old.has_value());
  FinishWrite(access, key, std::move(meta));
  RETURN_IF_ERROR(access.Commit());
  return text;
}

}  // namespace

StatusOr<int64_t> HashIncrBy(Engine& engine, OpContext& ctx, std::string_view key,
                             std::string_view field, int64_t delta) {
  int64_t result = 0;
  auto text = UpdateField(engine, ctx, key, field,
                          [&](const std::optional<std::string>& old) -> StatusOr<std::string> {
                            int64_t current = 0;
                            if (old && !ParseInt64(*old, &current)) {
                              return Status(StatusCode::kNotInteger);
                            }
                            if ((delta < 0 && current < 0 && delta < INT64_MIN - current) ||
                                (delta > 0 && current > 0 && delta > INT64_MAX - current)) {
                              return Status(StatusCode::kOverflow);
                            }
                            result = current + delta;
                            return FormatInt64(result);
                          });
  RETURN_IF_ERROR(text.status());
  return result;
}

StatusOr<std::string> HashIncrByFloat(Engine& engine, OpContext& ctx, std::string_view key,
                                      std::string_view field, long double delta) {
  return UpdateField(engine, ctx, key, field,
                     [&](const std::optional<std::string>& old) -> StatusOr<std::string> {
                       long double current = 0;
                       if (old && !ParseLongDouble(*old, &current)) {
                         return Status(StatusCode::kNotFloat);
                       }
                       long double next = current + delta;
                       if (std::isnan(next) || std::isinf(next)) {
                         return Status(StatusCode::kOverflow);
                       }
                       return FormatLongDouble(next);
                     });
}

StatusOr<std::optional<FieldValues>> HashRandomFields(Engine& engine, OpContext& ctx,
                                                      std::string_view key, uint64_t count,
                                                      bool distinct) {
  using Result = std::optional<FieldValues>;
  return WithHash(
      engine, ctx, key, [&](KeyAccess& access, const MetaValue* meta) -> StatusOr<Result> {
        if (meta == nullptr) return Result();
        if (count == 0) return Result(FieldValues{});
        ASSIGN_OR_RETURN(FieldValues picks, Sample(access, key, *meta, kFields, count, distinct));
        return Result(std::move(picks));
      });
}

StatusOr<HashScanPage> HashScan(Engine& engine, OpContext& ctx, std::string_view key,
                                std::string_view start, uint64_t count) {
  return WithHash(
      engine, ctx, key, [&](KeyAccess& access, const MetaValue* meta) -> StatusOr<HashScanPage> {
        HashScanPage out;
        if (meta == nullptr) return out;
        ASSIGN_OR_RETURN(SubPage page, ScanPage(access, key, *meta, kFields, start, count));
        out.entries = std::move(page.entries);
        out.next = std::move(page.next);
        out.done = page.done;
        return out;
      });
}

}  // namespace strata::engine
