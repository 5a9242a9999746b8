// Consumer groups over KeyAccess's sub-keys; see stream_group_ops.h.
#include "engine/stream_group_ops.h"

#include <map>
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
// `seek` (default: `start`) is where the scan begins, at or after `start`.
template <typename Visit>
Status ScanRecords(KeyAccess& access, std::string_view key, const std::string& start,
                   uint64_t count, Visit&& visit, const std::string* seek = nullptr) {
  uint64_t seen = 0;
  Status inner;
  RETURN_IF_ERROR(access.ScanSub(key, kSub, seek != nullptr ? *seek : start, false,
                                 [&](std::string_view k, std::string_view v) {
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

// One group's records as a command changes them: the group record and the
// consumers it touched (loaded once), written back by Flush.
class GroupState {
 public:
  GroupState(KeyAccess& access, std::string_view key, std::string_view group, StreamGroup g)
      : access_(access), key_(key), group_(group), g_(g) {}

  StreamGroup& group() { return g_; }
  // Whether Consumer() created a consumer (Redis notifies
  // "xgroup-createconsumer").
  bool created_consumer() const { return created_consumer_; }

  // The consumer record, created (Redis's streamCreateConsumer) when `create`;
  // nullptr when absent and not created.
  StatusOr<StreamConsumer*> Consumer(std::string_view name, bool create, uint64_t now) {
    auto it = consumers_.find(name);
    if (it == consumers_.end()) {
      ASSIGN_OR_RETURN(auto c, LoadConsumer(access_, key_, group_, name));
      it = consumers_.emplace(std::string(name), c).first;
    }
    if (!it->second && create) {
      it->second = StreamConsumer{.seen_ms = now, .pending = 0};
      ++g_.consumers;
      created_consumer_ = true;
    }
    return it->second ? &*it->second : nullptr;
  }

  // Delivers `id` to `consumer` (REQUIRES: loaded): a new pending entry, or
  // one reassigned from its previous owner, with delivery count 1.
  Status Deliver(StreamId id, std::string_view consumer, uint64_t now) {
    std::string v;
    Status s = access_.GetSub(key_, kSub, codec::StreamPelKey(group_, id), &v);
    if (s.ok()) {
      StreamPending old;
      if (!codec::DecodeStreamPending(v, &old)) return Status::Corruption("bad PEL");
      ASSIGN_OR_RETURN(StreamConsumer * prev, Consumer(old.consumer, false, now));
      if (prev != nullptr) --prev->pending;
      access_.DeleteSub(key_, kSub, codec::StreamConsumerPelKey(group_, old.consumer, id));
    } else if (s.IsNotFound()) {
      ++g_.pending;
    } else {
      return s;
    }
    ASSIGN_OR_RETURN(StreamConsumer * c, Consumer(consumer, false, now));
    ++c->pending;
    StreamPending p{.delivery_ms = now, .delivery_count = 1, .consumer = std::string(consumer)};
    access_.PutSub(key_, kSub, codec::StreamPelKey(group_, id), codec::EncodeStreamPending(p));
    access_.PutSub(key_, kSub, codec::StreamConsumerPelKey(group_, consumer, id), "");
    return Status::Ok();
  }

  // Removes `id` from the PEL; false when it was not pending.
  StatusOr<bool> Ack(StreamId id) {
    std::string v;
    Status s = access_.GetSub(key_, kSub, codec::StreamPelKey(group_, id), &v);
    if (s.IsNotFound()) return false;
    RETURN_IF_ERROR(s);
    StreamPending p;
    if (!codec::DecodeStreamPending(v, &p)) return Status::Corruption("bad PEL");
    ASSIGN_OR_RETURN(StreamConsumer * c, Consumer(p.consumer, false, 0));
    if (c != nullptr) --c->pending;
    --g_.pending;
    access_.DeleteSub(key_, kSub, codec::StreamPelKey(group_, id));
    access_.DeleteSub(key_, kSub, codec::StreamConsumerPelKey(group_, p.consumer, id));
    return true;
  }

  // The PEL record of `id`, if pending.
  StatusOr<std::optional<StreamPending>> Pending(StreamId id) {
    std::string v;
    Status s = access_.GetSub(key_, kSub, codec::StreamPelKey(group_, id), &v);
    if (s.IsNotFound()) return std::optional<StreamPending>();
    RETURN_IF_ERROR(s);
    StreamPending p;
    if (!codec::DecodeStreamPending(v, &p)) return Status::Corruption("bad PEL");
    return std::optional<StreamPending>(std::move(p));
  }

  // Gives pending entry `id` (`had`: its record, nullopt for a new one) to
  // `consumer` (REQUIRES: loaded) with the given delivery time and count.
  Status Transfer(StreamId id, const std::optional<StreamPending>& had, std::string_view consumer,
                  uint64_t delivery_ms, uint64_t delivery_count) {
    if (!had) {
      ++g_.pending;
    } else if (had->consumer != consumer) {
      ASSIGN_OR_RETURN(StreamConsumer * prev, Consumer(had->consumer, false, 0));
      if (prev != nullptr) --prev->pending;
      access_.DeleteSub(key_, kSub, codec::StreamConsumerPelKey(group_, had->consumer, id));
    }
    if (!had || had->consumer != consumer) {
      ASSIGN_OR_RETURN(StreamConsumer * c, Consumer(consumer, false, 0));
      ++c->pending;
      access_.PutSub(key_, kSub, codec::StreamConsumerPelKey(group_, consumer, id), "");
    }
    StreamPending p{.delivery_ms = delivery_ms,
                    .delivery_count = delivery_count,
                    .consumer = std::string(consumer)};
    access_.PutSub(key_, kSub, codec::StreamPelKey(group_, id), codec::EncodeStreamPending(p));
    return Status::Ok();
  }

  void Flush() {
    StoreGroup(access_, key_, group_, g_);
    for (const auto& [name, c] : consumers_) {
      if (c) StoreConsumer(access_, key_, group_, name, *c);
    }
  }

 private:
  KeyAccess& access_;
  std::string_view key_, group_;
  StreamGroup g_;
  std::map<std::string, std::optional<StreamConsumer>, std::less<>> consumers_;
  bool created_consumer_ = false;
};

// The entries of `meta`'s stream after `after`, at most `count` (0: all).
StatusOr<StreamEntries> EntriesAfter(KeyAccess& access, std::string_view key, StreamId after,
                                     uint64_t count) {
  StreamEntries out;
  if (!codec::IncrStreamId(&after)) return out;
  Status inner;
  RETURN_IF_ERROR(access.ScanSub(key, kSub, codec::EncodeStreamEntryKey(after), false,
                                 [&](std::string_view k, std::string_view v) {
                                   if (codec::IsStreamGroupSubkey(k)) return false;
                                   StreamEntry e;
                                   if (!codec::DecodeStreamEntryKey(k, &e.id) ||
                                       !codec::DecodeStreamEntry(v, &e.fields)) {
                                     inner = Status::Corruption("bad stream entry");
                                     return false;
                                   }
                                   out.push_back(std::move(e));
                                   return count == 0 || out.size() < count;
                                 }));
  RETURN_IF_ERROR(inner);
  return out;
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

// As WithStream, also loading `group`: `fn(access, meta-or-null, group)`,
// the group nullopt when it or the stream is absent.
template <typename Fn>
auto WithGroup(Engine& engine, OpContext& ctx, std::string_view key, std::string_view group,
               KeyAccess::Intent intent, Fn&& fn)
    -> decltype(fn(std::declval<KeyAccess&>(), static_cast<const MetaValue*>(nullptr),
                   std::declval<std::optional<StreamGroup>&>())) {
  using Result = decltype(fn(std::declval<KeyAccess&>(), static_cast<const MetaValue*>(nullptr),
                             std::declval<std::optional<StreamGroup>&>()));
  return WithStream(engine, ctx, key, intent,
                    [&](KeyAccess& access, const MetaValue* found) -> Result {
                      std::optional<StreamGroup> g;
                      if (found != nullptr) {
                        ASSIGN_OR_RETURN(g, LoadGroup(access, key, group));
                      }
                      return fn(access, found, g);
                    });
}

// What is missing when WithGroup found no group.
GroupOutcome Missing(const MetaValue* found) {
  return found == nullptr ? GroupOutcome::kNoKey : GroupOutcome::kNoGroup;
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
  return WithGroup(engine, ctx, key, group, KeyAccess::Intent::kWrite,
                   [&](KeyAccess& access, const MetaValue* found,
                       std::optional<StreamGroup>& g) -> StatusOr<GroupOutcome> {
                     if (!g) return Missing(found);
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
  return WithGroup(
      engine, ctx, key, group, KeyAccess::Intent::kWrite,
      [&](KeyAccess& access, const MetaValue* found,
          std::optional<StreamGroup>& g) -> StatusOr<GroupOutcome> {
        if (!g) return Missing(found);
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

namespace {

// XGROUP CREATECONSUMER (`create`) and DELCONSUMER: one lookup, then the
// consumer record added, or removed with its pending entries.
StatusOr<ConsumerResult> ChangeConsumer(Engine& engine, OpContext& ctx, std::string_view key,
                                        std::string_view group, std::string_view consumer,
                                        bool create) {
  return WithGroup(
      engine, ctx, key, group, KeyAccess::Intent::kWrite,
      [&](KeyAccess& access, const MetaValue* found,
          std::optional<StreamGroup>& g) -> StatusOr<ConsumerResult> {
        ConsumerResult r;
        if (!g) return ConsumerResult{Missing(found), 0};
        ASSIGN_OR_RETURN(auto c, LoadConsumer(access, key, group, consumer));
        if (c.has_value() == create) return r;  // exists already / no such consumer
        if (create) {
          StoreConsumer(access, key, group, consumer, StreamConsumer{.seen_ms = NowMs()});
          ++g->consumers;
          r.value = 1;
        } else {
          ASSIGN_OR_RETURN(uint64_t dropped, DropConsumerPel(access, key, group, consumer));
          access.DeleteSub(key, kSub, codec::StreamConsumerKey(group, consumer));
          g->pending -= dropped;
          --g->consumers;
          r.value = c->pending;
        }
        StoreGroup(access, key, group, *g);
        RETURN_IF_ERROR(access.Commit());
        r.changed = true;
        return r;
      });
}

}  // namespace

StatusOr<ConsumerResult> StreamCreateConsumer(Engine& engine, OpContext& ctx, std::string_view key,
                                              std::string_view group, std::string_view consumer) {
  return ChangeConsumer(engine, ctx, key, group, consumer, true);
}

StatusOr<ConsumerResult> StreamDeleteConsumer(Engine& engine, OpContext& ctx, std::string_view key,
                                              std::string_view group, std::string_view consumer) {
  return ChangeConsumer(engine, ctx, key, group, consumer, false);
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
          ASSIGN_OR_RETURN(info.entries, EntriesAfter(access, key, StreamId{}, count));
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
  return WithGroup(engine, ctx, key, group, KeyAccess::Intent::kRead,
                   [&](KeyAccess& access, const MetaValue* found,
                       std::optional<StreamGroup>& g) -> StatusOr<ConsumersInfo> {
                     ConsumersInfo info;
                     if (!g) return ConsumersInfo{Missing(found), {}};
                     ASSIGN_OR_RETURN(info.consumers, ReadConsumers(access, key, group, false, 0));
                     return info;
                   });
}

namespace {

// The ID of the stream's last entry (not its last generated ID), if any.
StatusOr<std::optional<StreamId>> LastEntryId(KeyAccess& access, std::string_view key) {
  std::optional<StreamId> out;
  RETURN_IF_ERROR(access.ScanSub(key, kSub, codec::EncodeStreamEntryKey(StreamId::Max()), true,
                                 [&](std::string_view k, std::string_view) {
                                   StreamId id;
                                   if (codec::DecodeStreamEntryKey(k, &id)) out = id;
                                   return false;
                                 }));
  return out;
}

// One stream of XREADGROUP (the group exists): new entries or history.
// *created: whether the group gained the consumer.
StatusOr<std::optional<std::vector<GroupEntry>>> ReadOne(KeyAccess& access, const MetaValue& meta,
                                                         const GroupReadFrom& from,
                                                         const GroupReadArgs& args, StreamGroup g,
                                                         bool* created) {
  std::string_view key = from.key;
  uint64_t now = NowMs();
  GroupState state(access, key, args.group, g);
  std::vector<GroupEntry> out;
  if (from.new_entries) {
    ASSIGN_OR_RETURN(auto top, LastEntryId(access, key));
    if (meta.count == 0 || !top || *top <= g.last_id)
      return std::optional<std::vector<GroupEntry>>();
    ASSIGN_OR_RETURN(StreamConsumer * c, state.Consumer(args.consumer, true, now));
    c->seen_ms = now;
    ASSIGN_OR_RETURN(auto entries, EntriesAfter(access, key, g.last_id, args.count));
    for (auto& e : entries) {
      StreamGroup& sg = state.group();
      if (e.id > sg.last_id) {
        if (sg.entries_read != codec::kEntriesReadInvalid &&
            !codec::StreamHasTombstonesFrom(meta.stream, meta.count, e.id)) {
          ++sg.entries_read;
        } else if (meta.stream.entries_added != 0) {
          sg.entries_read = codec::StreamEstimateEntriesRead(meta.stream, meta.count, e.id);
        }
        sg.last_id = e.id;
      }
      if (!args.noack) RETURN_IF_ERROR(state.Deliver(e.id, args.consumer, now));
      out.push_back(GroupEntry{std::move(e), false});
    }
  } else {
    ASSIGN_OR_RETURN(StreamConsumer * c, state.Consumer(args.consumer, true, now));
    c->seen_ms = now;
    StreamId after = from.after;
    if (codec::IncrStreamId(&after)) {
      std::string start = codec::StreamConsumerPelStart(args.group, args.consumer);
      std::vector<StreamId> ids;
      RETURN_IF_ERROR(access.ScanSub(key, kSub, start + codec::EncodeStreamEntryKey(after), false,
                                     [&](std::string_view k, std::string_view) {
                                       StreamId id;
                                       if (!codec::StreamIdSuffixOf(k, start, &id)) return false;
                                       ids.push_back(id);
                                       return args.count == 0 || ids.size() < args.count;
                                     }));
      std::string v;
      for (StreamId id : ids) {
        GroupEntry ge;
        ge.entry.id = id;
        Status s = access.GetSub(key, kSub, codec::EncodeStreamEntryKey(id), &v);
        if (s.IsNotFound()) {
          ge.deleted = true;
        } else {
          RETURN_IF_ERROR(s);
          if (!codec::DecodeStreamEntry(v, &ge.entry.fields)) {
            return Status::Corruption("bad stream entry");
          }
          std::string pk = codec::StreamPelKey(args.group, id);
          RETURN_IF_ERROR(access.GetSub(key, kSub, pk, &v));
          StreamPending p;
          if (!codec::DecodeStreamPending(v, &p)) return Status::Corruption("bad PEL");
          p.delivery_ms = now;
          ++p.delivery_count;
          access.PutSub(key, kSub, pk, codec::EncodeStreamPending(p));
        }
        out.push_back(std::move(ge));
      }
    }
  }
  state.Flush();
  *created = state.created_consumer();
  return std::optional<std::vector<GroupEntry>>(std::move(out));
}

}  // namespace

StatusOr<GroupReadResult> StreamGroupRead(Engine& engine, OpContext& ctx,
                                          std::span<const GroupReadFrom> from,
                                          const GroupReadArgs& args) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  std::vector<std::string_view> keys;
  for (const auto& f : from) keys.push_back(f.key);
  RETURN_IF_ERROR(access.Lock(keys));
  GroupReadResult result;
  std::vector<const MetaValue*> metas;
  std::vector<StreamGroup> groups;
  for (size_t i = 0; i < from.size(); ++i) {
    ASSIGN_OR_RETURN(const MetaValue* meta,
                     FindCollectionOrNull(access, from[i].key, ValueType::kStream));
    std::optional<StreamGroup> g;
    if (meta != nullptr) {
      ASSIGN_OR_RETURN(g, LoadGroup(access, from[i].key, args.group));
    }
    if (!g) {
      result.no_group = i;
      return result;
    }
    if (from[i].bad_id) {
      result.bad_id = i;
      return result;
    }
    metas.push_back(meta);
    groups.push_back(*g);
  }
  for (size_t i = 0; i < from.size(); ++i) {
    bool created = false;
    ASSIGN_OR_RETURN(auto served, ReadOne(access, *metas[i], from[i], args, groups[i], &created));
    if (served) result.streams.emplace_back(i, std::move(*served));
    if (created) result.consumer_created.push_back(i);
  }
  if (!result.streams.empty()) RETURN_IF_ERROR(access.Commit());
  return result;
}

StatusOr<AckResult> StreamAck(Engine& engine, OpContext& ctx, std::string_view key,
                              std::string_view group, std::span<const StreamId> ids) {
  return WithGroup(engine, ctx, key, group, KeyAccess::Intent::kWrite,
                   [&](KeyAccess& access, const MetaValue*,
                       std::optional<StreamGroup>& g) -> StatusOr<AckResult> {
                     AckResult r;
                     if (!g) return r;
                     r.found = true;
                     GroupState state(access, key, group, *g);
                     for (StreamId id : ids) {
                       ASSIGN_OR_RETURN(bool was, state.Ack(id));
                       r.acked += was ? 1 : 0;
                     }
                     if (r.acked == 0) return r;
                     state.Flush();
                     RETURN_IF_ERROR(access.Commit());
                     return r;
                   });
}

StatusOr<PendingResult> StreamPendingInfo(Engine& engine, OpContext& ctx, std::string_view key,
                                          std::string_view group,
                                          const std::optional<PendingRange>& range) {
  return WithGroup(
      engine, ctx, key, group, KeyAccess::Intent::kRead,
      [&](KeyAccess& access, const MetaValue*,
          std::optional<StreamGroup>& g) -> StatusOr<PendingResult> {
        PendingResult r;
        if (!g) {
          r.no_group = true;
          return r;
        }
        std::string pel = codec::StreamPelStart(group);
        if (!range) {
          r.total = g->pending;
          if (r.total == 0) return r;
          for (bool reverse : {false, true}) {
            std::string start = pel + (reverse ? codec::EncodeStreamEntryKey(StreamId::Max()) : "");
            RETURN_IF_ERROR(access.ScanSub(
                key, kSub, start, reverse, [&](std::string_view k, std::string_view) {
                  codec::StreamIdSuffixOf(k, pel, reverse ? &r.last : &r.first);
                  return false;
                }));
          }
          ASSIGN_OR_RETURN(auto consumers, ReadConsumers(access, key, group, false, 0));
          for (auto& c : consumers) {
            if (c.consumer.pending > 0) r.consumers.emplace_back(c.name, c.consumer.pending);
          }
          return r;
        }
        if (range->consumer) {
          ASSIGN_OR_RETURN(auto c, LoadConsumer(access, key, group, *range->consumer));
          if (!c) return r;
        }
        std::string start =
            range->consumer ? codec::StreamConsumerPelStart(group, *range->consumer) : pel;
        uint64_t now = NowMs();
        std::string v;
        Status inner;
        if (range->count == 0) return r;
        RETURN_IF_ERROR(access.ScanSub(
            key, kSub, start + codec::EncodeStreamEntryKey(range->start), false,
            [&](std::string_view k, std::string_view value) {
              GroupPendingEntry e;
              if (!codec::StreamIdSuffixOf(k, start, &e.id) || e.id > range->end) return false;
              if (range->consumer) {
                inner = access.GetSub(key, kSub, codec::StreamPelKey(group, e.id), &v);
                if (!inner.ok()) return false;
                value = v;
              }
              if (!codec::DecodeStreamPending(value, &e.pending)) {
                inner = Status::Corruption("bad PEL");
                return false;
              }
              int64_t idle =
                  static_cast<int64_t>(now) - static_cast<int64_t>(e.pending.delivery_ms);
              if (range->min_idle != 0 && idle < range->min_idle) return true;
              r.entries.push_back(std::move(e));
              return r.entries.size() < range->count;
            }));
        RETURN_IF_ERROR(inner);
        return r;
      });
}

namespace {

// The entry `id` (fields only when `with_fields`), or nullopt when it is gone.
StatusOr<std::optional<StreamEntry>> EntryAt(KeyAccess& access, std::string_view key, StreamId id,
                                             bool with_fields) {
  std::string v;
  Status s = access.GetSub(key, kSub, codec::EncodeStreamEntryKey(id), &v);
  if (s.IsNotFound()) return std::optional<StreamEntry>();
  RETURN_IF_ERROR(s);
  StreamEntry e{.id = id, .fields = {}};
  if (with_fields && !codec::DecodeStreamEntry(v, &e.fields)) {
    return Status::Corruption("bad stream entry");
  }
  return std::optional<StreamEntry>(std::move(e));
}

}  // namespace

StatusOr<ClaimResult> StreamClaim(Engine& engine, OpContext& ctx, std::string_view key,
                                  const ClaimArgs& args, std::span<const StreamId> ids,
                                  bool proceed) {
  return WithGroup(
      engine, ctx, key, args.group, KeyAccess::Intent::kWrite,
      [&](KeyAccess& access, const MetaValue*,
          std::optional<StreamGroup>& g) -> StatusOr<ClaimResult> {
        ClaimResult r;
        if (!g) {
          r.no_group = true;
          return r;
        }
        if (!proceed) return r;
        uint64_t now = NowMs();
        GroupState state(access, key, args.group, *g);
        if (args.last_id > state.group().last_id) state.group().last_id = args.last_id;
        bool consumer_ready = false;
        for (StreamId id : ids) {
          ASSIGN_OR_RETURN(auto had, state.Pending(id));
          ASSIGN_OR_RETURN(auto entry, EntryAt(access, key, id, !args.justid));
          if (!entry) {
            // The entry is gone: drop it from the PEL.
            if (had) RETURN_IF_ERROR(state.Ack(id).status());
            continue;
          }
          if (!had && !args.force) continue;
          uint64_t count = had ? had->delivery_count : 1;  // FORCE creates a fresh one
          if (had && args.min_idle != 0 &&
              static_cast<int64_t>(now) - static_cast<int64_t>(had->delivery_ms) < args.min_idle) {
            continue;
          }
          if (!consumer_ready) {
            ASSIGN_OR_RETURN(StreamConsumer * c, state.Consumer(args.consumer, true, now));
            c->seen_ms = now;
            consumer_ready = true;
          }
          if (args.retry_count >= 0) {
            count = static_cast<uint64_t>(args.retry_count);
          } else if (!args.justid) {
            ++count;
          }
          RETURN_IF_ERROR(state.Transfer(id, had, args.consumer, args.delivery_ms, count));
          r.claimed.push_back(std::move(*entry));
        }
        state.Flush();
        RETURN_IF_ERROR(access.Commit());
        r.consumer_created = state.created_consumer();
        return r;
      });
}

StatusOr<AutoClaimResult> StreamAutoClaim(Engine& engine, OpContext& ctx, std::string_view key,
                                          const AutoClaimArgs& args) {
  return WithGroup(
      engine, ctx, key, args.group, KeyAccess::Intent::kWrite,
      [&](KeyAccess& access, const MetaValue*,
          std::optional<StreamGroup>& g) -> StatusOr<AutoClaimResult> {
        AutoClaimResult r;
        if (!g) {
          r.no_group = true;
          return r;
        }
        uint64_t now = NowMs();
        GroupState state(access, key, args.group, *g);
        // The PEL from `start`: count * 10 attempts, plus one more ID for the cursor.
        uint64_t attempts = args.count * 10;
        std::string pel = codec::StreamPelStart(args.group);
        std::vector<std::pair<StreamId, StreamPending>> scanned;
        std::string seek = pel + codec::EncodeStreamEntryKey(args.start);
        RETURN_IF_ERROR(ScanRecords(
            access, key, pel, attempts + 1,
            [&](std::string_view rest, std::string_view v) -> Status {
              std::pair<StreamId, StreamPending> e;
              if (!codec::DecodeStreamEntryKey(rest, &e.first) ||
                  !codec::DecodeStreamPending(v, &e.second)) {
                return Status::Corruption("bad PEL");
              }
              scanned.push_back(std::move(e));
              return Status::Ok();
            },
            &seek));
        uint64_t count = args.count;
        size_t i = 0;
        bool consumer_ready = false;
        for (; i < scanned.size() && attempts > 0 && count > 0; ++i, --attempts) {
          auto& [id, had] = scanned[i];
          ASSIGN_OR_RETURN(auto entry, EntryAt(access, key, id, !args.justid));
          if (!entry) {
            RETURN_IF_ERROR(state.Ack(id).status());
            r.deleted.push_back(id);
            --count;
            continue;
          }
          if (args.min_idle != 0 &&
              static_cast<int64_t>(now) - static_cast<int64_t>(had.delivery_ms) < args.min_idle) {
            continue;
          }
          if (!consumer_ready) {
            ASSIGN_OR_RETURN(StreamConsumer * c, state.Consumer(args.consumer, true, now));
            c->seen_ms = now;
            consumer_ready = true;
          }
          uint64_t deliveries = had.delivery_count + (args.justid ? 0 : 1);
          RETURN_IF_ERROR(state.Transfer(id, had, args.consumer, now, deliveries));
          r.claimed.push_back(std::move(*entry));
          --count;
        }
        r.cursor = i < scanned.size() ? scanned[i].first : StreamId{};
        state.Flush();
        RETURN_IF_ERROR(access.Commit());
        r.consumer_created = state.created_consumer();
        return r;
      });
}

}  // namespace strata::engine
