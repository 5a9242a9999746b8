// DUMP, RESTORE and DEBUG OBJECT over KeyAccess; see dump_ops.h.
#include "engine/dump_ops.h"

#include <algorithm>

#include "codec/list_index.h"
#include "codec/stream_codec.h"
#include "codec/stream_group_codec.h"
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

// The records of `all` (sorted sub-keys) that start with `prefix`.
template <typename Fn>
Status ForPrefix(const SubEntries& all, const std::string& prefix, Fn&& fn) {
  auto it = std::lower_bound(all.begin(), all.end(), prefix,
                             [](const auto& e, const std::string& p) { return e.first < p; });
  for (; it != all.end() && it->first.starts_with(prefix); ++it) {
    RETURN_IF_ERROR(fn(std::string_view(it->first).substr(prefix.size()), it->second));
  }
  return Status::Ok();
}

// A stream's entries and consumer groups from its sub-keys
// (codec/stream_group_codec.h); the 'i' records (a consumer's pending IDs)
// are implied by the PEL's consumer names.
Status ReadStream(const SubEntries& all, codec::rdb::RdbStream* s) {
  const Status corrupt = Status::Corruption("stream record");
  for (const auto& [subkey, value] : all) {
    if (codec::IsStreamGroupSubkey(subkey)) break;  // groups sort after every entry
    codec::rdb::RdbStreamEntry e;
    if (!codec::DecodeStreamEntryKey(subkey, &e.id) ||
        !codec::DecodeStreamEntry(value, &e.fields)) {
      return corrupt;
    }
    s->entries.push_back(std::move(e));
  }
  return ForPrefix(
      all, codec::StreamGroupsStart(), [&](std::string_view name, std::string_view value) {
        codec::StreamGroup g;
        if (!codec::DecodeStreamGroup(value, &g)) return corrupt;
        codec::rdb::RdbStreamGroup group{
            .name = std::string(name), .last_id = g.last_id, .entries_read = g.entries_read};
        RETURN_IF_ERROR(ForPrefix(all, codec::StreamConsumersStart(name),
                                  [&](std::string_view consumer, std::string_view v) {
                                    codec::StreamConsumer c;
                                    if (!codec::DecodeStreamConsumer(v, &c)) return corrupt;
                                    group.consumers.push_back({std::string(consumer), c.seen_ms});
                                    return Status::Ok();
                                  }));
        RETURN_IF_ERROR(ForPrefix(all, codec::StreamPelStart(name),
                                  [&](std::string_view id, std::string_view v) {
                                    codec::rdb::RdbStreamPending p;
                                    codec::StreamPending pending;
                                    if (!codec::DecodeStreamEntryKey(id, &p.id) ||
                                        !codec::DecodeStreamPending(v, &pending)) {
                                      return corrupt;
                                    }
                                    p.delivery_ms = pending.delivery_ms;
                                    p.delivery_count = pending.delivery_count;
                                    p.consumer = std::move(pending.consumer);
                                    group.pel.push_back(std::move(p));
                                    return Status::Ok();
                                  }));
        s->groups.push_back(std::move(group));
        return Status::Ok();
      });
}

// Stages a stream's entries and group records under `key`.
void WriteStream(KeyAccess& access, std::string_view key, const codec::rdb::RdbStream& s) {
  constexpr SubFamily kEntries = SubFamily::kStreamEntries;
  std::vector<std::string_view> flat;
  for (const auto& e : s.entries) {
    flat.clear();
    for (const auto& [f, v] : e.fields) {
      flat.push_back(f);
      flat.push_back(v);
    }
    access.PutSub(key, kEntries, codec::EncodeStreamEntryKey(e.id), codec::EncodeStreamEntry(flat));
  }
  for (const auto& g : s.groups) {
    codec::StreamGroup group{.last_id = g.last_id,
                             .entries_read = g.entries_read,
                             .pending = g.pel.size(),
                             .consumers = g.consumers.size()};
    access.PutSub(key, kEntries, codec::StreamGroupKey(g.name), codec::EncodeStreamGroup(group));
    for (const auto& c : g.consumers) {
      uint64_t pending = 0;
      for (const auto& p : g.pel) pending += p.consumer == c.name;
      access.PutSub(key, kEntries, codec::StreamConsumerKey(g.name, c.name),
                    codec::EncodeStreamConsumer({.seen_ms = c.seen_ms, .pending = pending}));
    }
    for (const auto& p : g.pel) {
      codec::StreamPending pending{
          .delivery_ms = p.delivery_ms, .delivery_count = p.delivery_count, .consumer = p.consumer};
      access.PutSub(key, kEntries, codec::StreamPelKey(g.name, p.id),
                    codec::EncodeStreamPending(pending));
      access.PutSub(key, kEntries, codec::StreamConsumerPelKey(g.name, p.consumer, p.id), "");
    }
  }
}

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
    case ValueType::kStream: {
      ASSIGN_OR_RETURN(SubEntries all, ReadAll(access, key, SubFamily::kStreamEntries));
      v.stream.meta = meta.stream;
      RETURN_IF_ERROR(ReadStream(all, &v.stream));
      return v;
    }
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
    case ValueType::kStream:
      WriteStream(access, key, v.stream);
      meta.stream = v.stream.meta;
      meta.stream.groups = v.stream.groups.size();
      meta.count = v.stream.entries.size();
      break;
    case ValueType::kString:
      break;  // handled above
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

StatusOr<KeyValue> ReadKeyValue(Engine& engine, OpContext& ctx, std::string_view key) {
  return WithValue(engine, ctx, key, [](const MetaValue& meta, const RdbValue& v) {
    return StatusOr<KeyValue>(KeyValue{v, meta.expire_ms});
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
