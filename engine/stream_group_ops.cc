// Consumer groups over KeyAccess's sub-keys; see stream_group_ops.h.
#include "engine/stream_group_ops.h"

#include <optional>
#include <utility>

#include "engine/collection_ops.h"
#include "engine/key_access.h"

namespace strata::engine {

using codec::MetaValue;
using codec::StreamConsumer;
using codec::StreamGroup;
using codec::StreamPending;
using codec::ValueType;

namespace {

constexpr SubFamily kSub = SubFamily::kStreamEntries;

StreamId LastIdOf(const MetaValue& m) {
  return {m.stream.last_ms, m.stream.last_seq};
}

StatusOr<std::optional<StreamGroup>> LoadGroup(KeyAccess& access, std::string_view key,
                                               std::string_view group) {
  std::string v;
  Status s = access.GetSub(key, kSub, codec::StreamGroupKey(group), &v);
  if (s.IsNotFound()) return std::optional<StreamGroup>();
  RETURN_IF_ERROR(s);
  StreamGroup g;
  if (!codec::DecodeStreamGroup(v, &g)) return Status::Corruption("bad stream group");
  return std::optional<StreamGroup>(g);
}

void StoreGroup(KeyAccess& access, std::string_view key, std::string_view group,
                const StreamGroup& g) {
  access.PutSub(key, kSub, codec::StreamGroupKey(group), codec::EncodeStreamGroup(g));
}

StatusOr<std::optional<StreamConsumer>> LoadConsumer(KeyAccess& access, std::string_view key,
                                                     std::string_view group,
                                                     std::string_view consumer) {
  std::string v;
  Status s = access.GetSub(key, kSub, codec::StreamConsumerKey(group, consumer), &v);
  if (s.IsNotFound()) return std::optional<StreamConsumer>();
  RETURN_IF_ERROR(s);
  StreamConsumer c;
  if (!codec::DecodeStreamConsumer(v, &c)) return Status::Corruption("bad stream consumer");
  return std::optional<StreamConsumer>(c);
}

void StoreConsumer(KeyAccess& access, std::string_view key, std::string_view group,
                   std::string_view consumer, const StreamConsumer& c) {
  access.PutSub(key, kSub, codec::StreamConsumerKey(group, consumer),
                codec::EncodeStreamConsumer(c));
}

// Visits the records whose sub-keys start with `start`, passing the rest of
// the sub-key, until `visit` returns false or `count` were visited (0: all).
template <typename Visit>
Status ScanRecords(KeyAccess& access, std::string_view key, const std::string& start,
                   uint64_t count, Visit&& visit) {
  uint64_t seen = 0;
  Status inner;
  RETURN_IF_ERROR(
      access.ScanSub(key, kSub, start, false, [&](std::string_view k, std::string_view v) {
        std::string_view rest;
        if (!codec::StreamSuffixOf(k, start, &rest)) return false;
        inner = visit(rest, v);
        if (!inner.ok()) return false;
        return count == 0 || ++seen < count;
      }));
  return inner;
}

// The PEL of `group` (or of one consumer when `consumer` is given), at most
// `count` (0: all). A consumer's entries carry no consumer name.
StatusOr<std::vector<GroupPendingEntry>> ReadPel(KeyAccess& access, std::string_view key,
                                                 std::string_view group,
                                                 const std::string_view* consumer, uint64_t count) {
  std::vector<GroupPendingEntry> out;
  std::string start =
      consumer ? codec::StreamConsumerPelStart(group, *consumer) : codec::StreamPelStart(group);
  std::string value;
  RETURN_IF_ERROR(ScanRecords(
      access, key, start, count, [&](std::string_view rest, std::string_view v) -> Status {
        GroupPendingEntry e;
        if (!codec::DecodeStreamEntryKey(rest, &e.id)) return Status::Corruption("bad PEL key");
        if (consumer) {
          // The index holds IDs only: the delivery data is the group PEL's.
          RETURN_IF_ERROR(access.GetSub(key, kSub, codec::StreamPelKey(group, e.id), &value));
          v = value;
        }
        if (!codec::DecodeStreamPending(v, &e.pending)) return Status::Corruption("bad PEL");
        if (consumer) e.pending.consumer.clear();
        out.push_back(std::move(e));
        return Status::Ok();
      }));
  return out;
}

StatusOr<std::vector<ConsumerInfo>> ReadConsumers(KeyAccess& access, std::string_view key,
                                                  std::string_view group, bool with_pel,
                                                  uint64_t pel_count) {
  std::vector<ConsumerInfo> out;
  RETURN_IF_ERROR(ScanRecords(access, key, codec::StreamConsumersStart(group), 0,
                              [&](std::string_view name, std::string_view v) -> Status {
                                ConsumerInfo c;
                                c.name.assign(name);
                                if (!codec::DecodeStreamConsumer(v, &c.consumer)) {
                                  return Status::Corruption("bad stream consumer");
                                }
                                out.push_back(std::move(c));
                                return Status::Ok();
                              }));
  if (with_pel) {
    for (auto& c : out) {
      std::string_view name = c.name;
      ASSIGN_OR_RETURN(c.pel, ReadPel(access, key, group, &name, pel_count));
    }
  }
  return out;
}

// Deletes a consumer's pending entries (group PEL and its index); returns how many.
StatusOr<uint64_t> DropConsumerPel(KeyAccess& access, std::string_view key, std::string_view group,
                                   std::string_view consumer) {
  std::vector<StreamId> ids;
  RETURN_IF_ERROR(ScanRecords(access, key, codec::StreamConsumerPelStart(group, consumer), 0,
                              [&](std::string_view rest, std::string_view) -> Status {
                                StreamId id;
                                if (!codec::DecodeStreamEntryKey(rest, &id)) {
                                  return Status::Corruption("bad PEL key");
                                }
                                ids.push_back(id);
                                return Status::Ok();
                              }));
  for (StreamId id : ids) {
    access.DeleteSub(key, kSub, codec::StreamConsumerPelKey(group, consumer, id));
    access.DeleteSub(key, kSub, codec::StreamPelKey(group, id));
  }
  return static_cast<uint64_t>(ids.size());
}

// Deletes every sub-key starting with `start`.
Status DropRecords(KeyAccess& access, std::string_view key, const std::string& start) {
  std::vector<std::string> doomed;
  RETURN_IF_ERROR(ScanRecords(access, key, start, 0, [&](std::string_view rest, std::string_view) {
    doomed.push_back(start + std::string(rest));
    return Status::Ok();
  }));
  for (const auto& k : doomed) access.DeleteSub(key, kSub, k);
  return Status::Ok();
}

// Lock, find the stream (kWrongType), then `fn(access, meta-or-null)`.
template <typename Fn>
auto WithStream(Engine& engine, OpContext& ctx, std::string_view key, KeyAccess::Intent intent,
                Fn&& fn)
    -> decltype(fn(std::declval<KeyAccess&>(), static_cast<const MetaValue*>(nullptr))) {
  KeyAccess access(engine, ctx, intent);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindCollectionOrNull(access, key, ValueType::kStream));
  return fn(access, meta);
}

}  // namespace

StatusOr<GroupOutcome> StreamGroupCreate(Engine& engine, OpContext& ctx, std::string_view key,
                                         std::string_view group, GroupIdArg id, bool mkstream,
                                         int64_t entries_read, bool proceed) {
  return WithStream(engine, ctx, key, KeyAccess::Intent::kWrite,
                    [&](KeyAccess& access, const MetaValue* found) -> StatusOr<GroupOutcome> {
                      if (found == nullptr && !mkstream) return GroupOutcome::kNoKey;
                      if (!proceed) return GroupOutcome::kChecked;
                      if (found != nullptr) {
                        ASSIGN_OR_RETURN(auto existing, LoadGroup(access, key, group));
                        if (existing) return GroupOutcome::kBusyGroup;
                      }
                      ASSIGN_OR_RETURN(MetaValue meta,
                                       OpenForWrite(access, key, ValueType::kStream, found));
                      StreamGroup g;
                      g.last_id = id.last ? LastIdOf(meta) : id.id;
                      g.entries_read = entries_read;
                      StoreGroup(access, key, group, g);
                      ++meta.stream.groups;
                      access.Put(key, std::move(meta));
                      RETURN_IF_ERROR(access.Commit());
                      return GroupOutcome::kDone;
                    });
}

StatusOr<GroupOutcome> StreamGroupSetId(Engine& engine, OpContext& ctx, std::string_view key,
                                        std::string_view group, GroupIdArg id, int64_t entries_read,
                                        bool proceed) {
  return WithStream(engine, ctx, key, KeyAccess::Intent::kWrite,
                    [&](KeyAccess& access, const MetaValue* found) -> StatusOr<GroupOutcome> {
                      if (found == nullptr) return GroupOutcome::kNoKey;
                      ASSIGN_OR_RETURN(auto g, LoadGroup(access, key, group));
                      if (!g) return GroupOutcome::kNoGroup;
                      if (!proceed) return GroupOutcome::kChecked;
                      g->last_id = id.last ? LastIdOf(*found) : id.id;
                      g->entries_read = entries_read;
                      StoreGroup(access, key, group, *g);
                      RETURN_IF_ERROR(access.Commit());
                      return GroupOutcome::kDone;
                    });
}

StatusOr<GroupOutcome> StreamGroupDestroy(Engine& engine, OpContext& ctx, std::string_view key,
                                          std::string_view group) {
  return WithStream(
      engine, ctx, key, KeyAccess::Intent::kWrite,
      [&](KeyAccess& access, const MetaValue* found) -> StatusOr<GroupOutcome> {
        if (found == nullptr) return GroupOutcome::kNoKey;
        ASSIGN_OR_RETURN(auto g, LoadGroup(access, key, group));
        if (!g) return GroupOutcome::kNoGroup;
        ASSIGN_OR_RETURN(auto consumers, ReadConsumers(access, key, group, false, 0));
        for (const auto& c : consumers) {
          RETURN_IF_ERROR(DropRecords(access, key, codec::StreamConsumerPelStart(group, c.name)));
        }
        RETURN_IF_ERROR(DropRecords(access, key, codec::StreamConsumersStart(group)));
        RETURN_IF_ERROR(DropRecords(access, key, codec::StreamPelStart(group)));
        access.DeleteSub(key, kSub, codec::StreamGroupKey(group));
        MetaValue meta = *found;
        --meta.stream.groups;
        access.Put(key, std::move(meta));
        RETURN_IF_ERROR(access.Commit());
        return GroupOutcome::kDone;
      });
}

StatusOr<ConsumerResult> StreamCreateConsumer(Engine& engine, OpContext& ctx, std::string_view key,
                                              std::string_view group, std::string_view consumer) {
  return WithStream(engine, ctx, key, KeyAccess::Intent::kWrite,
                    [&](KeyAccess& access, const MetaValue* found) -> StatusOr<ConsumerResult> {
                      ConsumerResult r;
                      if (found == nullptr) return ConsumerResult{GroupOutcome::kNoKey, 0};
                      ASSIGN_OR_RETURN(auto g, LoadGroup(access, key, group));
                      if (!g) return ConsumerResult{GroupOutcome::kNoGroup, 0};
                      ASSIGN_OR_RETURN(auto c, LoadConsumer(access, key, group, consumer));
                      if (c) return r;
                      StoreConsumer(access, key, group, consumer,
                                    StreamConsumer{.seen_ms = NowMs()});
                      ++g->consumers;
                      StoreGroup(access, key, group, *g);
                      RETURN_IF_ERROR(access.Commit());
                      r.value = 1;
                      return r;
                    });
}

StatusOr<ConsumerResult> StreamDeleteConsumer(Engine& engine, OpContext& ctx, std::string_view key,
                                              std::string_view group, std::string_view consumer) {
  return WithStream(engine, ctx, key, KeyAccess::Intent::kWrite,
                    [&](KeyAccess& access, const MetaValue* found) -> StatusOr<ConsumerResult> {
                      ConsumerResult r;
                      if (found == nullptr) return ConsumerResult{GroupOutcome::kNoKey, 0};
                      ASSIGN_OR_RETURN(auto g, LoadGroup(access, key, group));
                      if (!g) return ConsumerResult{GroupOutcome::kNoGroup, 0};
                      ASSIGN_OR_RETURN(auto c, LoadConsumer(access, key, group, consumer));
                      if (!c) return r;
                      ASSIGN_OR_RETURN(uint64_t dropped,
                                       DropConsumerPel(access, key, group, consumer));
                      access.DeleteSub(key, kSub, codec::StreamConsumerKey(group, consumer));
                      g->pending -= dropped;
                      --g->consumers;
                      StoreGroup(access, key, group, *g);
                      RETURN_IF_ERROR(access.Commit());
                      r.value = c->pending;
                      return r;
                    });
}

StatusOr<GroupsInfo> StreamGroupsInfo(Engine& engine, OpContext& ctx, std::string_view key,
                                      bool full, uint64_t count) {
  return WithStream(
      engine, ctx, key, KeyAccess::Intent::kRead,
      [&](KeyAccess& access, const MetaValue* found) -> StatusOr<GroupsInfo> {
        if (found == nullptr) return Status::NotFound();
        GroupsInfo info;
        info.meta = *found;
        RETURN_IF_ERROR(ScanRecords(access, key, codec::StreamGroupsStart(), 0,
                                    [&](std::string_view name, std::string_view v) -> Status {
                                      GroupInfo g;
                                      g.name.assign(name);
                                      if (!codec::DecodeStreamGroup(v, &g.group)) {
                                        return Status::Corruption("bad stream group");
                                      }
                                      info.groups.push_back(std::move(g));
                                      return Status::Ok();
                                    }));
        if (full) {
          for (auto& g : info.groups) {
            ASSIGN_OR_RETURN(g.pel, ReadPel(access, key, g.name, nullptr, count));
            ASSIGN_OR_RETURN(g.consumers, ReadConsumers(access, key, g.name, true, count));
          }
        }
        return info;
      });
}

StatusOr<ConsumersInfo> StreamConsumersInfo(Engine& engine, OpContext& ctx, std::string_view key,
                                            std::string_view group) {
  return WithStream(engine, ctx, key, KeyAccess::Intent::kRead,
                    [&](KeyAccess& access, const MetaValue* found) -> StatusOr<ConsumersInfo> {
                      ConsumersInfo info;
                      if (found == nullptr) return ConsumersInfo{GroupOutcome::kNoKey, {}};
                      ASSIGN_OR_RETURN(auto g, LoadGroup(access, key, group));
                      if (!g) return ConsumersInfo{GroupOutcome::kNoGroup, {}};
                      ASSIGN_OR_RETURN(info.consumers, ReadConsumers(access, key, group, false, 0));
                      return info;
                    });
}

}  // namespace strata::engine
