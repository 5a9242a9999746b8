// Stream RDB encoding and decoding; see rdb_stream.h.
#include "codec/rdb_stream.h"

#include <algorithm>
#include <set>

#include "codec/rdb_blobs.h"
#include "codec/stream_group_codec.h"
#include "common/numbers.h"

namespace strata::codec::rdb {

namespace {

// Redis 7.0's defaults for stream-node-max-bytes and stream-node-max-entries.
constexpr size_t kNodeMaxBytes = 4096;
constexpr int64_t kNodeMaxEntries = 100;
constexpr int64_t kFlagDeleted = 1;
constexpr int64_t kFlagSameFields = 2;

std::string Id128(StreamId id) {
  std::string out;
  PutFixed64BE(&out, id.ms);
  PutFixed64BE(&out, id.seq);
  return out;
}

void PutLittleEndian64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

std::string Int(int64_t v) {
  return FormatInt64(v);
}

// One listpack node being filled, as streamAppendItem fills it.
struct Node {
  StreamId master;
  std::vector<std::string> master_fields;
  std::vector<std::string> items;  // every listpack element after the master entry
  int64_t count = 0;
  size_t bytes = 0;  // listpack bytes so far

  std::string Finish() const {
    ListpackBuilder lp;
    lp.Append(Int(count));
    lp.Append("0");
    lp.Append(Int(static_cast<int64_t>(master_fields.size())));
    for (const auto& f : master_fields) lp.Append(f);
    lp.Append("0");
    for (const auto& e : items) lp.Append(e);
    return lp.Finish();
  }
};

}  // namespace

void EncodeStream(const RdbStream& s, bool compress, std::string* out) {
  std::vector<Node> nodes;
  ListpackBuilder sizer;  // tracks the current node's listpack size
  for (const RdbStreamEntry& e : s.entries) {
    size_t entry_bytes = 0;
    for (const auto& [f, v] : e.fields) entry_bytes += f.size() + v.size();
    if (nodes.empty() || nodes.back().bytes + entry_bytes >= kNodeMaxBytes ||
        nodes.back().count >= kNodeMaxEntries) {
      Node n;
      n.master = e.id;
      for (const auto& fv : e.fields) n.master_fields.push_back(fv.first);
      nodes.push_back(std::move(n));
      sizer = ListpackBuilder();
      sizer.Append("1");  // count (stays one byte: at most 100)
      sizer.Append("0");
      sizer.Append(Int(static_cast<int64_t>(e.fields.size())));
      for (const auto& f : nodes.back().master_fields) sizer.Append(f);
      sizer.Append("0");
    }
    Node& n = nodes.back();
    bool same = e.fields.size() == n.master_fields.size();
    for (size_t i = 0; same && i < e.fields.size(); ++i) {
      same = e.fields[i].first == n.master_fields[i];
    }
    std::vector<std::string> items;
    items.push_back(Int(same ? kFlagSameFields : 0));
    items.push_back(Int(static_cast<int64_t>(e.id.ms - n.master.ms)));
    items.push_back(Int(static_cast<int64_t>(e.id.seq - n.master.seq)));
    const auto nf = static_cast<int64_t>(e.fields.size());
    if (!same) items.push_back(Int(nf));
    for (const auto& [f, v] : e.fields) {
      if (!same) items.push_back(f);
      items.push_back(v);
    }
    items.push_back(Int(same ? nf + 3 : 2 * nf + 4));
    for (auto& item : items) {
      sizer.Append(item);
      n.items.push_back(std::move(item));
    }
    ++n.count;
    n.bytes = sizer.bytes();
  }
  PutLength(out, nodes.size());
  for (const Node& n : nodes) {
    PutString(out, Id128(n.master), compress);
    PutString(out, n.Finish(), compress);
  }
  const StreamMeta& m = s.meta;
  for (uint64_t v :
       {uint64_t{s.entries.size()}, m.last_ms, m.last_seq, m.first_ms, m.first_seq,
        m.max_deleted_ms, m.max_deleted_seq, m.entries_added, uint64_t{s.groups.size()}}) {
    PutLength(out, v);
  }
  for (const RdbStreamGroup& g : s.groups) {
    PutString(out, g.name, compress);
    PutLength(out, g.last_id.ms);
    PutLength(out, g.last_id.seq);
    PutLength(out, static_cast<uint64_t>(g.entries_read));
    PutLength(out, g.pel.size());
    for (const RdbStreamPending& p : g.pel) {
      out->append(Id128(p.id));
      PutLittleEndian64(out, p.delivery_ms);
      PutLength(out, p.delivery_count);
    }
    PutLength(out, g.consumers.size());
    for (const RdbStreamConsumer& c : g.consumers) {
      PutString(out, c.name, compress);
      PutLittleEndian64(out, c.seen_ms);
      std::vector<StreamId> owned;
      for (const RdbStreamPending& p : g.pel) {
        if (p.consumer == c.name) owned.push_back(p.id);
      }
      PutLength(out, owned.size());
      for (StreamId id : owned) out->append(Id128(id));
    }
  }
}

namespace {

bool ReadId(std::string_view raw, StreamId* id) {
  if (raw.size() != 16) return false;
  id->ms = GetFixed64BE(raw.data());
  id->seq = GetFixed64BE(raw.data() + 8);
  return true;
}

bool ReadLe64(Reader& r, uint64_t* v) {
  std::string_view raw;
  if (!r.Bytes(8, &raw)) return false;
  *v = 0;
  for (int i = 7; i >= 0; --i) *v = (*v << 8) | static_cast<uint8_t>(raw[i]);
  return true;
}

// Parses one node's listpack into entries (deleted ones skipped).
bool DecodeNode(StreamId master, const std::vector<std::string>& lp,
                std::vector<RdbStreamEntry>* out) {
  size_t i = 0;
  auto next_int = [&](int64_t* v) { return i < lp.size() && ParseInt64(lp[i++], v); };
  int64_t count = 0, deleted = 0, nf = 0;
  if (!next_int(&count) || !next_int(&deleted) || !next_int(&nf) || count < 0 || deleted < 0 ||
      nf < 0 || static_cast<uint64_t>(nf) > lp.size()) {
    return false;
  }
  std::vector<std::string> master_fields(lp.begin() + i, lp.begin() + i + nf);
  i += nf;
  int64_t zero = 0;
  if (!next_int(&zero) || zero != 0) return false;
  int64_t seen_valid = 0, seen_deleted = 0;
  while (i < lp.size()) {
    int64_t flags = 0, ms_diff = 0, seq_diff = 0, fields = nf, lp_count = 0;
    if (!next_int(&flags) || !next_int(&ms_diff) || !next_int(&seq_diff)) return false;
    const bool same = (flags & kFlagSameFields) != 0;
    if (!same && (!next_int(&fields) || fields < 0)) return false;
    RdbStreamEntry e;
    e.id = {master.ms + static_cast<uint64_t>(ms_diff),
            master.seq + static_cast<uint64_t>(seq_diff)};
    for (int64_t f = 0; f < fields; ++f) {
      std::string field;
      if (same) {
        field = master_fields[f];
      } else {
        if (i >= lp.size()) return false;
        field = lp[i++];
      }
      if (i >= lp.size()) return false;
      e.fields.emplace_back(std::move(field), lp[i++]);
    }
    if (!next_int(&lp_count) || lp_count != (same ? fields + 3 : 2 * fields + 4)) return false;
    if ((flags & kFlagDeleted) != 0) {
      ++seen_deleted;
    } else {
      ++seen_valid;
      out->push_back(std::move(e));
    }
  }
  return seen_valid == count && seen_deleted == deleted && count + deleted > 0;
}

}  // namespace

bool DecodeStream(Reader& r, bool v2, RdbStream* s) {
  uint64_t nodes = 0;
  if (!r.PlainLength(&nodes) || nodes > r.remaining()) return false;
  std::vector<std::string> lp;
  for (uint64_t n = 0; n < nodes; ++n) {
    std::string key, blob;
    StreamId master;
    if (!r.String(&key) || !ReadId(key, &master) || !r.String(&blob) || !ParseListpack(blob, &lp) ||
        !DecodeNode(master, lp, &s->entries)) {
      return false;
    }
  }
  for (size_t i = 1; i < s->entries.size(); ++i) {
    if (!(s->entries[i - 1].id < s->entries[i].id)) return false;
  }
  uint64_t length = 0;
  StreamMeta& m = s->meta;
  if (!r.PlainLength(&length) || length != s->entries.size() || !r.PlainLength(&m.last_ms) ||
      !r.PlainLength(&m.last_seq)) {
    return false;
  }
  if (v2) {
    if (!r.PlainLength(&m.first_ms) || !r.PlainLength(&m.first_seq) ||
        !r.PlainLength(&m.max_deleted_ms) || !r.PlainLength(&m.max_deleted_seq) ||
        !r.PlainLength(&m.entries_added)) {
      return false;
    }
  } else {
    if (!s->entries.empty()) {
      m.first_ms = s->entries.front().id.ms;
      m.first_seq = s->entries.front().id.seq;
    }
    m.entries_added = length;
  }
  if (!s->entries.empty() && StreamId{m.last_ms, m.last_seq} < s->entries.back().id) return false;
  uint64_t groups = 0;
  if (!r.PlainLength(&groups) || groups > r.remaining()) return false;
  std::set<std::string> names;
  for (uint64_t g = 0; g < groups; ++g) {
    RdbStreamGroup group;
    uint64_t pel = 0, consumers = 0;
    if (!r.String(&group.name) || !names.insert(group.name).second ||
        !r.PlainLength(&group.last_id.ms) || !r.PlainLength(&group.last_id.seq)) {
      return false;
    }
    if (v2) {
      uint64_t read = 0;
      if (!r.PlainLength(&read)) return false;
      group.entries_read = static_cast<int64_t>(read);
    } else {
      group.entries_read = StreamEstimateEntriesRead(m, length, group.last_id);
    }
    if (!r.PlainLength(&pel) || pel > r.remaining() / 17) return false;
    for (uint64_t p = 0; p < pel; ++p) {
      RdbStreamPending nack;
      std::string_view raw;
      if (!r.Bytes(16, &raw) || !ReadId(raw, &nack.id) || !ReadLe64(r, &nack.delivery_ms) ||
          !r.PlainLength(&nack.delivery_count)) {
        return false;
      }
      if (!group.pel.empty() && !(group.pel.back().id < nack.id)) return false;
      group.pel.push_back(std::move(nack));
    }
    if (!r.PlainLength(&consumers) || consumers > r.remaining()) return false;
    std::set<std::string> consumer_names;
    for (uint64_t c = 0; c < consumers; ++c) {
      RdbStreamConsumer consumer;
      uint64_t owned = 0;
      if (!r.String(&consumer.name) || !consumer_names.insert(consumer.name).second ||
          !ReadLe64(r, &consumer.seen_ms) || !r.PlainLength(&owned) || owned > r.remaining() / 16) {
        return false;
      }
      for (uint64_t o = 0; o < owned; ++o) {
        std::string_view raw;
        StreamId id;
        if (!r.Bytes(16, &raw) || !ReadId(raw, &id)) return false;
        auto it = std::lower_bound(group.pel.begin(), group.pel.end(), id,
                                   [](const RdbStreamPending& p, StreamId x) { return p.id < x; });
        if (it == group.pel.end() || it->id != id || !it->consumer.empty()) return false;
        it->consumer = consumer.name;
      }
      group.consumers.push_back(std::move(consumer));
    }
    for (const RdbStreamPending& p : group.pel) {
      if (p.consumer.empty()) return false;  // a pending entry nobody owns
    }
    std::sort(group.consumers.begin(), group.consumers.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    s->groups.push_back(std::move(group));
  }
  std::sort(s->groups.begin(), s->groups.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return true;
}

}  // namespace strata::codec::rdb
