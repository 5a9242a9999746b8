// Stream operations over KeyAccess's sub-keys; see stream_ops.h.
#include "engine/stream_ops.h"

#include <string>

#include "codec/stream_group_codec.h"
#include "engine/collection_ops.h"
#include "engine/key_access.h"

namespace strata::engine {

using codec::MetaValue;
using codec::StreamMeta;
using codec::ValueType;

namespace {

constexpr SubFamily kEntries = SubFamily::kStreamEntries;

StreamId LastId(const StreamMeta& m) {
  return {m.last_ms, m.last_seq};
}
StreamId FirstId(const StreamMeta& m) {
  return {m.first_ms, m.first_seq};
}
StreamId MaxDeletedId(const StreamMeta& m) {
  return {m.max_deleted_ms, m.max_deleted_seq};
}
void SetFirst(StreamMeta* m, StreamId id) {
  m->first_ms = id.ms;
  m->first_seq = id.seq;
}

StatusOr<const MetaValue*> FindStream(KeyAccess& access, std::string_view key) {
  return FindCollectionOrNull(access, key, ValueType::kStream);
}

Status DecodeEntry(std::string_view k, std::string_view v, StreamEntry* out) {
  if (!codec::DecodeStreamEntryKey(k, &out->id) || !codec::DecodeStreamEntry(v, &out->fields)) {
    return Status::Corruption("bad stream entry");
  }
  return Status::Ok();
}

// Entries from `from` in the given direction while `keep(id)`, at most
// `count` (0: all); `with_fields` false leaves the fields empty.
template <typename Keep>
StatusOr<StreamEntries> Walk(KeyAccess& access, std::string_view key, StreamId from, bool reverse,
                             uint64_t count, bool with_fields, Keep&& keep) {
  StreamEntries out;
  Status inner;
  RETURN_IF_ERROR(access.ScanSub(key, kEntries, codec::EncodeStreamEntryKey(from), reverse,
                                 [&](std::string_view k, std::string_view v) {
                                   StreamEntry e;
                                   // Consumer-group records sort after every entry.
                                   if (codec::IsStreamGroupSubkey(k)) return false;
                                   if (!codec::DecodeStreamEntryKey(k, &e.id)) {
                                     inner = Status::Corruption("bad stream entry key");
                                     return false;
                                   }
                                   if (!keep(e.id)) return false;
                                   if (with_fields) {
                                     inner = DecodeEntry(k, v, &e);
                                     if (!inner.ok()) return false;
                                   }
                                   out.push_back(std::move(e));
                                   return count == 0 || out.size() < count;
                                 }));
  RETURN_IF_ERROR(inner);
  return out;
}

StatusOr<std::optional<StreamEntry>> Edge(KeyAccess& access, std::string_view key, bool last) {
  ASSIGN_OR_RETURN(auto one, Walk(access, key, last ? StreamId::Max() : StreamId{}, last, 1, true,
                                  [](StreamId) { return true; }));
  if (one.empty()) return std::optional<StreamEntry>();
  return std::optional<StreamEntry>(std::move(one.front()));
}

// Refreshes meta->stream's first ID after deletions at the head.
Status RefreshFirst(KeyAccess& access, std::string_view key, MetaValue* meta) {
  if (meta->count == 0) {
    SetFirst(&meta->stream, {});
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(auto first, Edge(access, key, false));
  SetFirst(&meta->stream, first ? first->id : StreamId{});
  return Status::Ok();
}

void DeleteEntries(KeyAccess& access, std::string_view key, MetaValue* meta,
                   const StreamEntries& entries) {
  for (const auto& e : entries) access.DeleteSub(key, kEntries, codec::EncodeStreamEntryKey(e.id));
  meta->count -= entries.size();
}

// Trims per `trim` (stream_ops.h); returns the entries removed.
StatusOr<uint64_t> Trim(KeyAccess& access, std::string_view key, MetaValue* meta,
                        const StreamTrim& trim) {
  using Strategy = StreamTrim::Strategy;
  if (trim.strategy == Strategy::kNone) return uint64_t{0};
  uint64_t deleted = 0;
  StreamId next{};  // where the next block starts
  while (meta->count > 0) {
    if (trim.strategy == Strategy::kMaxLen && meta->count <= trim.maxlen) break;
    if (!trim.approx) {
      // Exact: remove what is over the bound, entry by entry.
      uint64_t over = trim.strategy == Strategy::kMaxLen ? meta->count - trim.maxlen : 0;
      ASSIGN_OR_RETURN(auto doomed, Walk(access, key, next, false, over, false, [&](StreamId id) {
                         return trim.strategy == Strategy::kMaxLen || id < trim.minid;
                       }));
      DeleteEntries(access, key, meta, doomed);
      deleted += doomed.size();
      break;
    }
    // Approximate: one modelled node of up to kStreamNodeMaxEntries entries.
    ASSIGN_OR_RETURN(auto block, Walk(access, key, next, false, kStreamNodeMaxEntries, false,
                                      [](StreamId) { return true; }));
    if (block.empty()) break;
    uint64_t n = block.size();
    if (trim.limit != 0 && deleted + n > trim.limit) break;
    bool remove = trim.strategy == Strategy::kMaxLen ? meta->count - n >= trim.maxlen
                                                     : block.back().id < trim.minid;
    if (!remove) break;
    DeleteEntries(access, key, meta, block);
    deleted += n;
    next = block.back().id;
    if (!codec::IncrStreamId(&next)) break;
  }
  if (deleted > 0) RETURN_IF_ERROR(RefreshFirst(access, key, meta));
  return deleted;
}

// The ID XADD assigns, or nullopt when it is not above the last ID.
std::optional<StreamId> NextId(const StreamMeta& m, const StreamAddArgs& args, uint64_t now_ms) {
  StreamId last = LastId(m);
  StreamId id;
  if (!args.id_given) {
    if (now_ms > last.ms) {
      id = {now_ms, 0};
    } else {
      id = last;
      codec::IncrStreamId(&id);  // the caller checked last != Max
    }
  } else if (args.seq_given) {
    id = args.id;
  } else if (last.ms == args.id.ms) {
    if (last.seq == UINT64_MAX) return std::nullopt;
    id = {last.ms, last.seq + 1};
  } else {
    id = {args.id.ms, 0};
  }
  if (id <= last) return std::nullopt;
  return id;
}

template <typename Fn>
auto WithStream(Engine& engine, OpContext& ctx, std::string_view key, Fn&& fn)
    -> decltype(fn(std::declval<KeyAccess&>(), static_cast<const MetaValue*>(nullptr))) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindStream(access, key));
  return fn(access, meta);
}

}  // namespace

StatusOr<StreamAddResult> StreamAdd(Engine& engine, OpContext& ctx, std::string_view key,
                                    const StreamAddArgs& args,
                                    std::span<const std::string_view> field_values) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* found, FindStream(access, key));
  StreamAddResult result;
  if (found == nullptr && args.nomkstream) {
    result.outcome = StreamAddOutcome::kNoStream;
    RETURN_IF_ERROR(access.Commit());  // may carry a lazy-expiry delete
    return result;
  }
  if (found != nullptr && LastId(found->stream) == StreamId::Max()) {
    result.outcome = StreamAddOutcome::kExhausted;
    return result;
  }
  std::optional<StreamId> id = NextId(found ? found->stream : StreamMeta{}, args, NowMs());
  if (!id) {
    result.outcome = StreamAddOutcome::kIdTooSmall;
    RETURN_IF_ERROR(access.Commit());
    return result;
  }
  ASSIGN_OR_RETURN(MetaValue meta, OpenForWrite(access, key, ValueType::kStream, found));
  access.PutSub(key, kEntries, codec::EncodeStreamEntryKey(*id),
                codec::EncodeStreamEntry(field_values));
  if (meta.count == 0) SetFirst(&meta.stream, *id);
  ++meta.count;
  ++meta.stream.entries_added;
  meta.stream.last_ms = id->ms;
  meta.stream.last_seq = id->seq;
  ASSIGN_OR_RETURN(result.trimmed, Trim(access, key, &meta, args.trim));
  access.Put(key, std::move(meta));
  RETURN_IF_ERROR(access.Commit());
  result.id = *id;
  return result;
}

StatusOr<bool> StreamExists(Engine& engine, OpContext& ctx, std::string_view key) {
  return WithStream(engine, ctx, key, [](KeyAccess&, const MetaValue* meta) -> StatusOr<bool> {
    return meta != nullptr;
  });
}

StatusOr<uint64_t> StreamLength(Engine& engine, OpContext& ctx, std::string_view key) {
  return WithStream(engine, ctx, key, [](KeyAccess&, const MetaValue* meta) -> StatusOr<uint64_t> {
    return meta == nullptr ? 0 : meta->count;
  });
}

StatusOr<std::optional<StreamEntries>> StreamRange(Engine& engine, OpContext& ctx,
                                                   std::string_view key, StreamId start,
                                                   StreamId end, uint64_t count, bool reverse) {
  using Result = StatusOr<std::optional<StreamEntries>>;
  return WithStream(engine, ctx, key, [&](KeyAccess& access, const MetaValue* meta) -> Result {
    if (meta == nullptr) return std::optional<StreamEntries>();
    if (start > end) return std::optional<StreamEntries>(StreamEntries{});
    StreamEntries out;
    if (reverse) {
      ASSIGN_OR_RETURN(
          out, Walk(access, key, end, true, count, true, [&](StreamId id) { return id >= start; }));
    } else {
      ASSIGN_OR_RETURN(out, Walk(access, key, start, false, count, true,
                                 [&](StreamId id) { return id <= end; }));
    }
    return std::optional<StreamEntries>(std::move(out));
  });
}

StatusOr<uint64_t> StreamDelete(Engine& engine, OpContext& ctx, std::string_view key,
                                std::span<const StreamId> ids) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* found, FindStream(access, key));
  if (found == nullptr) return uint64_t{0};
  MetaValue meta = *found;
  uint64_t deleted = 0;
  bool first_deleted = false;
  std::string value;
  for (StreamId id : ids) {
    std::string sub = codec::EncodeStreamEntryKey(id);
    Status s = access.GetSub(key, kEntries, sub, &value);
    if (s.IsNotFound()) continue;
    RETURN_IF_ERROR(s);
    access.DeleteSub(key, kEntries, sub);
    --meta.count;
    ++deleted;
    if (id == FirstId(meta.stream)) first_deleted = true;
    if (id > MaxDeletedId(meta.stream)) {
      meta.stream.max_deleted_ms = id.ms;
      meta.stream.max_deleted_seq = id.seq;
    }
  }
  if (deleted == 0) return uint64_t{0};
  if (meta.count == 0 || first_deleted) RETURN_IF_ERROR(RefreshFirst(access, key, &meta));
  access.Put(key, std::move(meta));
  RETURN_IF_ERROR(access.Commit());
  return deleted;
}

StatusOr<uint64_t> StreamTrimKey(Engine& engine, OpContext& ctx, std::string_view key,
                                 const StreamTrim& trim) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* found, FindStream(access, key));
  if (found == nullptr) return uint64_t{0};
  MetaValue meta = *found;
  ASSIGN_OR_RETURN(uint64_t deleted, Trim(access, key, &meta, trim));
  if (deleted == 0) return uint64_t{0};
  access.Put(key, std::move(meta));
  RETURN_IF_ERROR(access.Commit());
  return deleted;
}

StatusOr<StreamSetIdOutcome> StreamSetId(Engine& engine, OpContext& ctx, std::string_view key,
                                         StreamId id, std::optional<uint64_t> entries_added,
                                         std::optional<StreamId> max_deleted) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* found, FindStream(access, key));
  if (found == nullptr) {
    RETURN_IF_ERROR(access.Commit());
    return StreamSetIdOutcome::kNoKey;
  }
  if (found->count > 0) {
    ASSIGN_OR_RETURN(auto last, Edge(access, key, true));
    if (last && id < last->id) return StreamSetIdOutcome::kBelowTop;
    if (entries_added && *entries_added < found->count) {
      return StreamSetIdOutcome::kEntriesAddedTooSmall;
    }
  }
  MetaValue meta = *found;
  meta.stream.last_ms = id.ms;
  meta.stream.last_seq = id.seq;
  if (entries_added) meta.stream.entries_added = *entries_added;
  if (max_deleted && !max_deleted->is_zero()) {
    meta.stream.max_deleted_ms = max_deleted->ms;
    meta.stream.max_deleted_seq = max_deleted->seq;
  }
  access.Put(key, std::move(meta));
  RETURN_IF_ERROR(access.Commit());
  return StreamSetIdOutcome::kSet;
}

StatusOr<StreamInfo> StreamGetInfo(Engine& engine, OpContext& ctx, std::string_view key) {
  return WithStream(engine, ctx, key,
                    [&](KeyAccess& access, const MetaValue* meta) -> StatusOr<StreamInfo> {
                      if (meta == nullptr) return Status::NotFound();
                      StreamInfo info;
                      info.meta = *meta;
                      ASSIGN_OR_RETURN(info.first, Edge(access, key, false));
                      ASSIGN_OR_RETURN(info.last, Edge(access, key, true));
                      return info;
                    });
}

StatusOr<StreamReadResult> StreamRead(Engine& engine, OpContext& ctx,
                                      std::span<const StreamReadFrom> from, uint64_t count) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  std::vector<std::string_view> keys;
  keys.reserve(from.size());
  for (const auto& f : from) keys.push_back(f.key);
  RETURN_IF_ERROR(access.Lock(keys));
  StreamReadResult result;
  std::vector<const MetaValue*> metas;
  for (const auto& f : from) {
    ASSIGN_OR_RETURN(const MetaValue* meta, FindStream(access, f.key));
    metas.push_back(meta);
    StreamId after = f.after;
    if (f.last) after = meta != nullptr ? LastId(meta->stream) : StreamId{};
    result.resolved.push_back(after);
  }
  for (size_t i = 0; i < from.size(); ++i) {
    const MetaValue* meta = metas[i];
    StreamId start = result.resolved[i];
    // Served when the stream has an entry above `start` (its last ID bounds them).
    if (meta == nullptr || meta->count == 0 || LastId(meta->stream) <= start) continue;
    if (!codec::IncrStreamId(&start)) continue;
    ASSIGN_OR_RETURN(auto entries, Walk(access, from[i].key, start, false, count, true,
                                        [](StreamId) { return true; }));
    if (!entries.empty()) result.streams.emplace_back(i, std::move(entries));
  }
  return result;
}

Status StreamCheckTypes(Engine& engine, OpContext& ctx, std::span<const std::string_view> keys) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(keys));
  for (auto key : keys) RETURN_IF_ERROR(FindStream(access, key).status());
  return Status::Ok();
}

}  // namespace strata::engine
