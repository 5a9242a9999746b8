// String operations over KeyAccess; see string_ops.h.
#include "engine/string_ops.h"

#include <cmath>

#include "common/numbers.h"
#include "engine/bit_logic.h"
#include "engine/chunked_string.h"
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

// FindString where an absent key is not an error: nullptr.
StatusOr<const MetaValue*> FindStringOrNull(KeyAccess& access, std::string_view key) {
  auto found = FindString(access, key);
  if (found.status().IsNotFound()) return static_cast<const MetaValue*>(nullptr);
  return found;
}

// Any live key (of any type) or nullptr.
StatusOr<const MetaValue*> FindAnyOrNull(KeyAccess& access, std::string_view key) {
  auto found = access.Find(key);
  if (found.status().IsNotFound()) return static_cast<const MetaValue*>(nullptr);
  return found;
}

}  // namespace

StatusOr<std::string> GetString(Engine& engine, OpContext& ctx, std::string_view key) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindString(access, key));
  return ReadWholeString(access, *meta);
}

StatusOr<SetResult> SetString(Engine& engine, OpContext& ctx, std::string_view key,
                              std::string_view value, const SetOptions& options) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* old, FindAnyOrNull(access, key));

  SetResult result;
  if (options.get_old && old != nullptr) {
    if (old->type != ValueType::kString) return Status::WrongType();
    ASSIGN_OR_RETURN(result.old_value, ReadWholeString(access, *old));
  }
  bool exists = old != nullptr;
  if ((options.condition == SetOptions::Condition::kIfAbsent && exists) ||
      (options.condition == SetOptions::Condition::kIfPresent && !exists)) {
    RETURN_IF_ERROR(access.Commit());  // may still carry a lazy-expiry delete
    return result;
  }
  uint64_t expire = options.expire_at_ms;
  if (options.keep_ttl && old != nullptr) expire = old->expire_ms;
  RETURN_IF_ERROR(PutString(access, key, value, expire));
  RETURN_IF_ERROR(access.Commit());
  result.written = true;
  return result;
}

StatusOr<std::string> GetAndUpdate(Engine& engine, OpContext& ctx, std::string_view key,
                                   const GetUpdate& update) {
  using Action = GetUpdate::Action;
  KeyAccess access(
      engine, ctx,
      update.action == Action::kKeep ? KeyAccess::Intent::kRead : KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  auto found = FindString(access, key);
  if (!found.ok()) {
    RETURN_IF_ERROR(access.Commit());  // a lazy-expiry delete
    return found.status();
  }
  const MetaValue* meta = *found;
  ASSIGN_OR_RETURN(std::string value, ReadWholeString(access, *meta));
  bool remove = update.action == Action::kDelete ||
                (update.action == Action::kExpireAt && update.expire_at_ms <= ctx.now_ms);
  if (update.persisted != nullptr) *update.persisted = false;
  if (remove) {
    access.Delete(key);
  } else if (update.action == Action::kExpireAt ||
             (update.action == Action::kPersist && meta->expire_ms != 0)) {
    MetaValue updated = *meta;
    updated.expire_ms = update.action == Action::kPersist ? 0 : update.expire_at_ms;
    access.Put(key, std::move(updated));
    if (update.persisted != nullptr) *update.persisted = update.action == Action::kPersist;
  }
  RETURN_IF_ERROR(access.Commit());
  return value;
}

StatusOr<int64_t> IncrBy(Engine& engine, OpContext& ctx, std::string_view key, int64_t delta) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindStringOrNull(access, key));
  int64_t current = 0;
  uint64_t expire = 0;
  if (meta != nullptr) {
    // A chunked string is far longer than any integer.
    if (meta->chunked || !ParseInt64(meta->value, &current)) {
      return Status(StatusCode::kNotInteger);
    }
    expire = meta->expire_ms;
  }
  if ((delta < 0 && current < 0 && delta < INT64_MIN - current) ||
      (delta > 0 && current > 0 && delta > INT64_MAX - current)) {
    return Status(StatusCode::kOverflow);
  }
  int64_t next = current + delta;
  RETURN_IF_ERROR(PutString(access, key, FormatInt64(next), expire));
  RETURN_IF_ERROR(access.Commit());
  return next;
}

StatusOr<std::string> IncrByFloat(Engine& engine, OpContext& ctx, std::string_view key,
                                  std::string_view increment) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindStringOrNull(access, key));
  long double current = 0, incr = 0;
  uint64_t expire = 0;
  if (meta != nullptr) {
    // A chunked string is longer than the 5 KiB Redis accepts as a number.
    if (meta->chunked || !ParseLongDouble(meta->value, &current)) {
      return Status(StatusCode::kNotFloat);
    }
    expire = meta->expire_ms;
  }
  if (!ParseLongDouble(increment, &incr)) return Status(StatusCode::kNotFloat);
  long double next = current + incr;
  if (std::isnan(next) || std::isinf(next)) return Status(StatusCode::kOverflow);
  std::string text = FormatLongDouble(next);
  RETURN_IF_ERROR(PutString(access, key, text, expire, codec::StringRepr::kNoInt));
  RETURN_IF_ERROR(access.Commit());
  return text;
}

StatusOr<std::vector<std::optional<std::string>>> MultiGet(Engine& engine, OpContext& ctx,
                                                           std::span<const std::string_view> keys) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(keys));
  std::vector<std::optional<std::string>> out;
  out.reserve(keys.size());
  for (auto key : keys) {
    ASSIGN_OR_RETURN(const MetaValue* meta, FindAnyOrNull(access, key));
    if (meta != nullptr && meta->type == ValueType::kString) {
      ASSIGN_OR_RETURN(std::string value, ReadWholeString(access, *meta));
      out.emplace_back(std::move(value));
    } else {
      out.emplace_back(std::nullopt);
    }
  }
  return out;
}

StatusOr<bool> MultiSet(Engine& engine, OpContext& ctx,
                        std::span<const std::pair<std::string_view, std::string_view>> pairs,
                        bool only_if_none_exist) {
  std::vector<std::string_view> keys;
  keys.reserve(pairs.size());
  for (const auto& p : pairs) keys.push_back(p.first);
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(keys));
  bool any_exists = false;
  for (auto key : keys) {
    ASSIGN_OR_RETURN(const MetaValue* meta, FindAnyOrNull(access, key));
    any_exists |= meta != nullptr;
  }
  if (only_if_none_exist && any_exists) {
    RETURN_IF_ERROR(access.Commit());  // lazy-expiry deletes
    return false;
  }
  for (const auto& [key, value] : pairs) RETURN_IF_ERROR(PutString(access, key, value, 0));
  RETURN_IF_ERROR(access.Commit());
  return true;
}

StatusOr<uint64_t> StringLength(Engine& engine, OpContext& ctx, std::string_view key) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindString(access, key));
  return meta->string_length();
}

StatusOr<uint64_t> Append(Engine& engine, OpContext& ctx, std::string_view key,
                          std::string_view value, uint64_t max_length) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindStringOrNull(access, key));
  if (meta == nullptr) {
    // As Redis: a new key takes the value as is (no length check).
    RETURN_IF_ERROR(PutString(access, key, value, 0));
    RETURN_IF_ERROR(access.Commit());
    return value.size();
  }
  uint64_t length = meta->string_length();
  if (length + value.size() > max_length) return Status(StatusCode::kOutOfRange);
  StringEditor editor(access, key, meta);
  RETURN_IF_ERROR(editor.Write(length, value));
  RETURN_IF_ERROR(editor.Stage());
  RETURN_IF_ERROR(access.Commit());
  return editor.length();
}

StatusOr<std::string> GetRange(Engine& engine, OpContext& ctx, std::string_view key, int64_t start,
                               int64_t end) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindStringOrNull(access, key));
  if (meta == nullptr) return std::string();
  bits::ByteSpan span = bits::GetRangeSpan(start, end, meta->string_length());
  if (span.length == 0) return std::string();
  return ReadString(access, *meta, span.offset, span.length);
}

StatusOr<uint64_t> SetRange(Engine& engine, OpContext& ctx, std::string_view key, uint64_t offset,
                            std::string_view value, uint64_t max_length) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindStringOrNull(access, key));
  if (value.empty()) {
    RETURN_IF_ERROR(access.Commit());  // a lazy-expiry delete
    return meta == nullptr ? 0 : meta->string_length();
  }
  if (offset > max_length || value.size() > max_length - offset) {
    return Status(StatusCode::kOutOfRange);
  }
  StringEditor editor(access, key, meta);
  RETURN_IF_ERROR(editor.Write(offset, value));
  RETURN_IF_ERROR(editor.Stage());
  RETURN_IF_ERROR(access.Commit());
  return editor.length();
}

StatusOr<std::pair<std::string, std::string>> GetTwoStrings(Engine& engine, OpContext& ctx,
                                                            std::string_view key1,
                                                            std::string_view key2) {
  std::string_view keys[] = {key1, key2};
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(keys));
  ASSIGN_OR_RETURN(const MetaValue* meta1, FindStringOrNull(access, key1));
  ASSIGN_OR_RETURN(const MetaValue* meta2, FindStringOrNull(access, key2));
  std::pair<std::string, std::string> values;
  if (meta1 != nullptr) {
    ASSIGN_OR_RETURN(values.first, ReadWholeString(access, *meta1));
  }
  if (meta2 != nullptr) {
    ASSIGN_OR_RETURN(values.second, ReadWholeString(access, *meta2));
  }
  return values;
}

}  // namespace strata::engine
