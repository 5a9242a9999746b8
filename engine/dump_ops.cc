// DUMP, RESTORE and DEBUG OBJECT over KeyAccess; see dump_ops.h.
#include "engine/dump_ops.h"

#include <algorithm>

#include "codec/list_index.h"
#include "codec/zset_score.h"
#include "engine/chunked_string.h"
#include "engine/collection_ops.h"
#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/hash_ops.h"
#include "engine/key_access.h"
#include "engine/set_ops.h"
#include "engine/zset_object.h"

namespace strata::engine {

using codec::MetaValue;
using codec::ValueType;
using codec::rdb::RdbValue;

namespace {

// The whole value of a live key, as the RDB model holds it.
StatusOr<RdbValue> ReadValue(KeyAccess& access, std::string_view key, const MetaValue& meta) {
  RdbValue v;
  v.type = meta.type;
  v.big_encoding = meta.big_encoding;
  switch (meta.type) {
    case ValueType::kString: {
      ASSIGN_OR_RETURN(v.string, ReadWholeString(access, meta));
      return v;
    }
    case ValueType::kList: {
      ASSIGN_OR_RETURN(SubEntries all, ReadAll(access, key, SubFamily::kListElements));
      v.elements.reserve(all.size());
      for (auto& [index, element] : all) v.elements.push_back(std::move(element));
      return v;
    }
    case ValueType::kSet: {
      ASSIGN_OR_RETURN(SubEntries all, ReadAll(access, key, SubFamily::kSetMembers));
      v.elements.reserve(all.size());
      for (auto& [member, unused] : all) v.elements.push_back(std::move(member));
      return v;
    }
    case ValueType::kHash: {
      ASSIGN_OR_RETURN(v.pairs, ReadAll(access, key, SubFamily::kHashFields));
      return v;
    }
    case ValueType::kZset: {
      // Exact scores (a skiplist keeps -0) from the members family, in
      // Redis's order: score (-0 as 0), then member bytes.
      ASSIGN_OR_RETURN(SubEntries all, ReadAll(access, key, SubFamily::kZsetMembers));
      v.scored.reserve(all.size());
      for (auto& [member, value] : all) {
        double score;
        if (!codec::DecodeScoreValue(value, &score)) {
          return Status::Corruption("zset member value");
        }
        v.scored.emplace_back(std::move(member), score);
      }
      std::stable_sort(v.scored.begin(), v.scored.end(), [](const auto& a, const auto& b) {
        return codec::NormalizeZero(a.second) < codec::NormalizeZero(b.second);
      });
      return v;
    }
    case ValueType::kStream:
      return Status(StatusCode::kNotSupported, "streams are not serialised yet");
  }
  return Status::Corruption("value type");
}

// Finds `key` and reads its value (kNotFound when absent).
template <typename Fn>
auto WithValue(Engine& engine, OpContext& ctx, std::string_view key, Fn&& fn)
    -> decltype(fn(std::declval<const MetaValue&>(), std::declval<const RdbValue&>())) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, access.Find(key));
  ASSIGN_OR_RETURN(RdbValue value, ReadValue(access, key, *meta));
  return fn(*meta, value);
}

// Whether Redis 7.0's loader leaves the value in its big encoding. Past the
// entry limits it is always big. Below them, a value that came in the big
// encoding (v.big_encoding: hashtable, skiplist) is converted to the small
// one only if every element fits it; one that came small (listpack, ziplist,
// intset) stays small whatever its element lengths, as Redis checks only the
// count when it loads those.
bool BigEncoding(const RdbValue& v) {
  auto long_pair = [](const auto& p) {
    return p.first.size() > kHashMaxListpackValue || p.second.size() > kHashMaxListpackValue;
  };
  auto long_member = [](const auto& p) { return p.first.size() > Zset::kMaxListpackValue; };
  switch (v.type) {
    case ValueType::kSet:
      return v.elements.size() > kSetMaxIntsetEntries ||
             !std::all_of(v.elements.begin(), v.elements.end(), IsIntsetMember);
    case ValueType::kHash:
      return v.pairs.size() > kHashMaxListpackEntries ||
             (v.big_encoding && std::any_of(v.pairs.begin(), v.pairs.end(), long_pair));
    case ValueType::kZset:
      return v.scored.size() > Zset::kMaxListpackEntries ||
             (v.big_encoding && std::any_of(v.scored.begin(), v.scored.end(), long_member));
    default:
      return false;
  }
}

// Stages `v` as a new key `key` (which the access found absent or deleted).
Status WriteValue(KeyAccess& access, std::string_view key, const RdbValue& v, uint64_t expire_ms) {
  if (v.type == ValueType::kString) return PutString(access, key, v.string, expire_ms);
  MetaValue meta;
  meta.type = v.type;
  meta.expire_ms = expire_ms;
  meta.big_encoding = BigEncoding(v);
  ASSIGN_OR_RETURN(meta.object_id, access.NewObjectId());
  access.PutNew(key, meta);
  switch (v.type) {
    case ValueType::kList:
      meta.list_head = meta.list_tail = codec::kListInitialIndex;
      for (const std::string& e : v.elements) {
        access.PutSub(key, SubFamily::kListElements, codec::EncodeListIndex(meta.list_tail++), e);
      }
      meta.count = v.elements.size();
      break;
    case ValueType::kSet:
      for (const std::string& m : v.elements) access.PutSub(key, SubFamily::kSetMembers, m, "");
      meta.count = v.elements.size();
      break;
    case ValueType::kHash:
      for (const auto& [f, value] : v.pairs) access.PutSub(key, SubFamily::kHashFields, f, value);
      meta.count = v.pairs.size();
      break;
    case ValueType::kZset:
      for (auto [member, score] : v.scored) {
        if (!meta.big_encoding) score = codec::NormalizeZero(score);  // as Zset::Insert
        access.PutSub(key, SubFamily::kZsetMembers, member, codec::EncodeScoreValue(score));
        access.PutSub(key, SubFamily::kZsetScores, codec::EncodeScoreKey(score, member), "");
      }
      meta.count = v.scored.size();
      break;
    default:
      return Status(StatusCode::kNotSupported, "streams are not restored yet");
  }
  access.Put(key, std::move(meta));
  return Status::Ok();
}

}  // namespace

StatusOr<std::string> DumpKey(Engine& engine, OpContext& ctx, std::string_view key) {
  return WithValue(engine, ctx, key,
                   [](const MetaValue&, const RdbValue& v) { return codec::rdb::EncodeDump(v); });
}

StatusOr<SerializedInfo> DescribeSerialized(Engine& engine, OpContext& ctx, std::string_view key) {
  return WithValue(engine, ctx, key,
                   [](const MetaValue& meta, const RdbValue& v) -> StatusOr<SerializedInfo> {
                     SerializedInfo info;
                     ASSIGN_OR_RETURN(info.object, DescribeValue(meta));
                     ASSIGN_OR_RETURN(std::string object,
                                      codec::rdb::EncodeObject(v, /*compress=*/true, &info.list));
                     info.serialized_length = object.size() - 1;  // without the type byte
                     return info;
                   });
}

StatusOr<RestoreOutcome> RestoreKey(Engine& engine, OpContext& ctx, std::string_view key,
                                    const RdbValue& value, const RestoreRequest& req) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  auto found = access.Find(key);
  if (!found.ok() && !found.status().IsNotFound()) return found.status();
  const bool exists = found.ok();
  if (exists && !req.replace) {
    RETURN_IF_ERROR(access.Commit());
    return RestoreOutcome::kBusyKey;
  }
  if (exists) access.Delete(key);
  RestoreOutcome outcome = RestoreOutcome::kRestored;
  if (req.expire_ms != 0 && req.expire_ms <= ctx.now_ms) {
    outcome = exists ? RestoreOutcome::kExpiredDeleted : RestoreOutcome::kExpired;
  } else {
    RETURN_IF_ERROR(WriteValue(access, key, value, req.expire_ms));
  }
  RETURN_IF_ERROR(access.Commit());
  if (outcome == RestoreOutcome::kRestored && (req.set_idle || req.lfu_freq >= 0)) {
    // Still under the key's lock: Commit installed the object in the tier.
    uint64_t last = req.set_idle && req.idle_ms < ctx.now_ms ? ctx.now_ms - req.idle_ms
                    : req.set_idle                           ? 0
                                                             : ctx.now_ms;
    engine.impl().tier->SetAccess(codec::EncodeMetaKey(access.physical_db(), key), last,
                                  req.lfu_freq);
  }
  return outcome;
}

}  // namespace strata::engine
