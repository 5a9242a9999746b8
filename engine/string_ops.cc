// String operations over KeyAccess; see string_ops.h.
#include "engine/string_ops.h"

#include "common/numbers.h"
#include "engine/key_access.h"

namespace strata::engine {

using codec::MetaValue;
using codec::ValueType;

namespace {

// The live string value of `key`: kNotFound, kWrongType, or the value.
StatusOr<const MetaValue*> FindString(KeyAccess& access, std::string_view key) {
  ASSIGN_OR_RETURN(const MetaValue* meta, access.Find(key));
  if (meta->type != ValueType::kString) return Status::WrongType();
  return meta;
}

MetaValue StringValue(std::string_view value, uint64_t expire_ms) {
  MetaValue v;
  v.type = ValueType::kString;
  v.value.assign(value);
  v.expire_ms = expire_ms;
  return v;
}

}  // namespace

StatusOr<std::string> GetString(Engine& engine, OpContext& ctx, std::string_view key) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindString(access, key));
  return meta->value;
}

StatusOr<SetResult> SetString(Engine& engine, OpContext& ctx, std::string_view key,
                              std::string_view value, const SetOptions& options) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  auto found = access.Find(key);
  if (!found.ok() && !found.status().IsNotFound()) return found.status();
  const MetaValue* old = found.ok() ? *found : nullptr;

  SetResult result;
  if (options.get_old && old != nullptr) {
    if (old->type != ValueType::kString) return Status::WrongType();
    result.old_value = old->value;
  }
  bool exists = old != nullptr;
  if ((options.condition == SetOptions::Condition::kIfAbsent && exists) ||
      (options.condition == SetOptions::Condition::kIfPresent && !exists)) {
    RETURN_IF_ERROR(access.Commit());  // may still carry a lazy-expiry delete
    return result;
  }
  uint64_t expire = options.expire_at_ms;
  if (options.keep_ttl && old != nullptr) expire = old->expire_ms;
  access.Put(key, StringValue(value, expire));
  RETURN_IF_ERROR(access.Commit());
  result.written = true;
  return result;
}

StatusOr<int64_t> IncrBy(Engine& engine, OpContext& ctx, std::string_view key, int64_t delta) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  auto found = FindString(access, key);
  if (!found.ok() && !found.status().IsNotFound()) return found.status();
  int64_t current = 0;
  uint64_t expire = 0;
  if (found.ok()) {
    if (!ParseInt64((*found)->value, &current)) return Status(StatusCode::kNotInteger);
    expire = (*found)->expire_ms;
  }
  if ((delta < 0 && current < 0 && delta < INT64_MIN - current) ||
      (delta > 0 && current > 0 && delta > INT64_MAX - current)) {
    return Status(StatusCode::kOverflow);
  }
  int64_t next = current + delta;
  access.Put(key, StringValue(FormatInt64(next), expire));
  RETURN_IF_ERROR(access.Commit());
  return next;
}

StatusOr<std::vector<std::optional<std::string>>> MultiGet(
    Engine& engine, OpContext& ctx, std::span<const std::string_view> keys) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(keys));
  std::vector<std::optional<std::string>> out;
  out.reserve(keys.size());
  for (auto key : keys) {
    auto found = access.Find(key);
    if (found.ok() && (*found)->type == ValueType::kString) {
      out.emplace_back((*found)->value);
    } else if (found.ok() || found.status().IsNotFound()) {
      out.emplace_back(std::nullopt);
    } else {
      return found.status();
    }
  }
  return out;
}

Status MultiSet(Engine& engine, OpContext& ctx,
                std::span<const std::pair<std::string_view, std::string_view>> pairs) {
  std::vector<std::string_view> keys;
  keys.reserve(pairs.size());
  for (const auto& p : pairs) keys.push_back(p.first);
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(keys));
  for (auto key : keys) {
    auto found = access.Find(key);
    if (!found.ok() && !found.status().IsNotFound()) return found.status();
  }
  for (const auto& [key, value] : pairs) access.Put(key, StringValue(value, 0));
  return access.Commit();
}

}  // namespace strata::engine
