// Consumer-group sub-keys and lag arithmetic; see stream_group_codec.h.
#include "codec/stream_group_codec.h"

namespace strata::codec {

namespace {

constexpr char kTagConsumer = 'c';
constexpr char kTagGroup = 'g';
constexpr char kTagConsumerPel = 'i';
constexpr char kTagPel = 'p';

std::string Tagged(char tag) {
  std::string out = StreamGroupPrefix();
  out.push_back(tag);
  return out;
}

void PutName(std::string* out, std::string_view name) {
  PutFixed32BE(out, static_cast<uint32_t>(name.size()));
  out->append(name);
}

void PutId(std::string* out, StreamId id) {
  PutFixed64BE(out, id.ms);
  PutFixed64BE(out, id.seq);
}

StreamId LastOf(const StreamMeta& m) {
  return {m.last_ms, m.last_seq};
}
StreamId FirstOf(const StreamMeta& m) {
  return {m.first_ms, m.first_seq};
}
StreamId MaxDeletedOf(const StreamMeta& m) {
  return {m.max_deleted_ms, m.max_deleted_seq};
}

}  // namespace

std::string StreamGroupPrefix() {
  return std::string(kStreamGroupPrefixSize, '\xff');
}

std::string StreamGroupKey(std::string_view group) {
  std::string out = Tagged(kTagGroup);
  out.append(group);
  return out;
}
std::string StreamGroupsStart() {
  return Tagged(kTagGroup);
}

std::string StreamConsumersStart(std::string_view group) {
  std::string out = Tagged(kTagConsumer);
  PutName(&out, group);
  return out;
}
std::string StreamConsumerKey(std::string_view group, std::string_view consumer) {
  std::string out = StreamConsumersStart(group);
  out.append(consumer);
  return out;
}

std::string StreamPelStart(std::string_view group) {
  std::string out = Tagged(kTagPel);
  PutName(&out, group);
  return out;
}
std::string StreamPelKey(std::string_view group, StreamId id) {
  std::string out = StreamPelStart(group);
  PutId(&out, id);
  return out;
}

std::string StreamConsumerPelStart(std::string_view group, std::string_view consumer) {
  std::string out = Tagged(kTagConsumerPel);
  PutName(&out, group);
  PutName(&out, consumer);
  return out;
}
std::string StreamConsumerPelKey(std::string_view group, std::string_view consumer, StreamId id) {
  std::string out = StreamConsumerPelStart(group, consumer);
  PutId(&out, id);
  return out;
}

bool StreamSuffixOf(std::string_view subkey, std::string_view start, std::string_view* rest) {
  if (!subkey.starts_with(start)) return false;
  *rest = subkey.substr(start.size());
  return true;
}

bool StreamGroupNameOf(std::string_view subkey, std::string_view* group) {
  return StreamSuffixOf(subkey, StreamGroupsStart(), group);
}

bool StreamIdSuffixOf(std::string_view subkey, std::string_view start, StreamId* id) {
  std::string_view rest;
  if (!StreamSuffixOf(subkey, start, &rest)) return false;
  return DecodeStreamEntryKey(rest, id);
}

std::string EncodeStreamGroup(const StreamGroup& g) {
  std::string out;
  PutId(&out, g.last_id);
  PutFixed64BE(&out, static_cast<uint64_t>(g.entries_read));
  PutFixed64BE(&out, g.pending);
  PutFixed64BE(&out, g.consumers);
  return out;
}
bool DecodeStreamGroup(std::string_view v, StreamGroup* g) {
  if (v.size() != 40) return false;
  g->last_id = {GetFixed64BE(v.data()), GetFixed64BE(v.data() + 8)};
  g->entries_read = static_cast<int64_t>(GetFixed64BE(v.data() + 16));
  g->pending = GetFixed64BE(v.data() + 24);
  g->consumers = GetFixed64BE(v.data() + 32);
  return true;
}

std::string EncodeStreamConsumer(const StreamConsumer& c) {
  std::string out;
  PutFixed64BE(&out, c.seen_ms);
  PutFixed64BE(&out, c.pending);
  return out;
}
bool DecodeStreamConsumer(std::string_view v, StreamConsumer* c) {
  if (v.size() != 16) return false;
  c->seen_ms = GetFixed64BE(v.data());
  c->pending = GetFixed64BE(v.data() + 8);
  return true;
}

std::string EncodeStreamPending(const StreamPending& p) {
  std::string out;
  PutFixed64BE(&out, p.delivery_ms);
  PutFixed64BE(&out, p.delivery_count);
  out.append(p.consumer);
  return out;
}
bool DecodeStreamPending(std::string_view v, StreamPending* p) {
  if (v.size() < 16) return false;
  p->delivery_ms = GetFixed64BE(v.data());
  p->delivery_count = GetFixed64BE(v.data() + 8);
  p->consumer.assign(v.substr(16));
  return true;
}

int64_t StreamEstimateEntriesRead(const StreamMeta& m, uint64_t length, StreamId id) {
  const auto added = static_cast<int64_t>(m.entries_added);
  if (m.entries_added == 0) return 0;
  if (length == 0 && id <= LastOf(m)) return added;
  if (id == LastOf(m)) return added;
  if (id > LastOf(m)) return kEntriesReadInvalid;
  StreamId max_deleted = MaxDeletedOf(m);
  if (max_deleted.is_zero() || max_deleted < FirstOf(m)) {
    if (id < FirstOf(m)) return added - static_cast<int64_t>(length);
    if (id == FirstOf(m)) return added - static_cast<int64_t>(length) + 1;
  }
  return kEntriesReadInvalid;
}

bool StreamHasTombstonesFrom(const StreamMeta& m, uint64_t length, StreamId start) {
  StreamId max_deleted = MaxDeletedOf(m);
  if (length == 0 || max_deleted.is_zero()) return false;
  if (FirstOf(m) > max_deleted) return false;
  return start <= max_deleted;
}

std::optional<int64_t> StreamGroupLag(const StreamMeta& m, uint64_t length, const StreamGroup& g) {
  const auto added = static_cast<int64_t>(m.entries_added);
  if (m.entries_added == 0) return 0;
  if (g.entries_read != kEntriesReadInvalid && !StreamHasTombstonesFrom(m, length, g.last_id)) {
    return added - g.entries_read;
  }
  int64_t read = StreamEstimateEntriesRead(m, length, g.last_id);
  if (read == kEntriesReadInvalid) return std::nullopt;
  return added - read;
}

}  // namespace strata::codec
