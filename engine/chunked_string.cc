// Chunk I/O of string values; see chunked_string.h.
#include "engine/chunked_string.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "engine/engine_impl.h"

namespace strata::engine {

using codec::kChunkSize;
using codec::kMaxInlineString;
using codec::MetaValue;

namespace {

constexpr char kZeros[kChunkSize] = {};

// Emits `n` zero bytes starting at `pos`, in pieces of at most one chunk.
bool VisitZeros(uint64_t pos, uint64_t n, const PieceVisitor& visit) {
  while (n > 0) {
    uint64_t k = std::min<uint64_t>(n, kChunkSize);
    if (!visit(pos, std::string_view(kZeros, k))) return false;
    pos += k;
    n -= k;
  }
  return true;
}

// Emits the part of chunk `index` (stored bytes `data`) that lies in
// [begin, end), zero-padding what the chunk does not store.
bool VisitChunk(uint64_t index, std::string_view data, uint64_t begin, uint64_t end,
                const PieceVisitor& visit) {
  uint64_t start = index * kChunkSize;
  uint64_t lo = std::max(begin, start);
  uint64_t hi = std::min(end, start + kChunkSize);
  if (lo >= hi) return true;
  uint64_t stored_end = start + data.size();
  if (lo < stored_end) {
    uint64_t k = std::min(hi, stored_end) - lo;
    if (!visit(lo, data.substr(lo - start, k))) return false;
    lo += k;
  }
  return VisitZeros(lo, hi - lo, visit);
}

uint64_t ChunkIndexFromKey(const rocksdb::Slice& key) {
  return codec::GetFixed64BE(key.data() + 8);
}

std::string_view TrimZeros(std::string_view s) {
  size_t n = s.size();
  while (n > 0 && s[n - 1] == '\0') --n;
  return s.substr(0, n);
}

}  // namespace

Status VisitString(KeyAccess& access, const MetaValue& meta, uint64_t offset, uint64_t length,
                   const PieceVisitor& visit) {
  uint64_t size = meta.string_length();
  if (offset >= size || length == 0) return Status::Ok();
  uint64_t end = offset + std::min(length, size - offset);
  if (!meta.chunked) {
    visit(offset, std::string_view(meta.value).substr(offset, end - offset));
    return Status::Ok();
  }
  EngineImpl& e = access.impl();
  uint64_t first = offset / kChunkSize, last = (end - 1) / kChunkSize;
  rocksdb::ReadOptions ro = access.SubkeyReadOptions();
  if (first == last) {
    rocksdb::PinnableSlice value;
    rocksdb::Status s =
        e.db->Get(ro, e.cf(Cf::kChunks), codec::EncodeChunkKey(meta.object_id, first), &value);
    if (s.IsNotFound()) {
      VisitZeros(offset, end - offset, visit);
      return Status::Ok();
    }
    RETURN_IF_ERROR(FromRocksDb(s));
    VisitChunk(first, value.ToStringView(), offset, end, visit);
    return Status::Ok();
  }
  std::string upper = codec::EncodeChunkKey(meta.object_id, last + 1);
  rocksdb::Slice upper_slice(upper);
  ro.iterate_upper_bound = &upper_slice;
  ro.prefix_same_as_start = true;
  std::unique_ptr<rocksdb::Iterator> it(e.db->NewIterator(ro, e.cf(Cf::kChunks)));
  uint64_t next = offset;  // first byte not yet visited
  for (it->Seek(codec::EncodeChunkKey(meta.object_id, first)); it->Valid(); it->Next()) {
    uint64_t index = ChunkIndexFromKey(it->key());
    uint64_t start = std::max(index * kChunkSize, offset);
    if (!VisitZeros(next, start - next, visit)) return Status::Ok();
    rocksdb::Slice v = it->value();
    if (!VisitChunk(index, std::string_view(v.data(), v.size()), start, end, visit)) {
      return Status::Ok();
    }
    next = std::min(end, (index + 1) * kChunkSize);
  }
  RETURN_IF_ERROR(FromRocksDb(it->status()));
  VisitZeros(next, end - next, visit);
  return Status::Ok();
}

StatusOr<std::string> ReadString(KeyAccess& access, const MetaValue& meta, uint64_t offset,
                                 uint64_t length) {
  std::string out;
  uint64_t size = meta.string_length();
  if (offset < size) out.reserve(std::min(length, size - offset));
  RETURN_IF_ERROR(VisitString(access, meta, offset, length, [&](uint64_t, std::string_view b) {
    out.append(b);
    return true;
  }));
  return out;
}

StatusOr<std::string> ReadWholeString(KeyAccess& access, const MetaValue& meta) {
  if (!meta.chunked) return meta.value;
  return ReadString(access, meta, 0, meta.string_length());
}

Status PutString(KeyAccess& access, std::string_view key, std::string_view value,
                 uint64_t expire_ms, codec::StringRepr repr) {
  if (value.size() > kMaxInlineString) return PutChunkedString(access, key, value, expire_ms, repr);
  MetaValue v;
  v.type = codec::ValueType::kString;
  v.expire_ms = expire_ms;
  v.repr = repr;
  v.value.assign(value);
  access.Put(key, std::move(v));
  return Status::Ok();
}

Status PutChunkedString(KeyAccess& access, std::string_view key, std::string_view value,
                        uint64_t expire_ms, codec::StringRepr repr) {
  MetaValue v;
  v.type = codec::ValueType::kString;
  v.expire_ms = expire_ms;
  v.repr = repr;
  ASSIGN_OR_RETURN(v.object_id, access.NewObjectId());
  v.chunked = true;
  v.count = value.size();
  EngineImpl& e = access.impl();
  for (uint64_t i = 0; i * kChunkSize < value.size(); ++i) {
    std::string_view piece = TrimZeros(value.substr(i * kChunkSize, kChunkSize));
    if (piece.empty()) continue;  // a missing chunk reads as zeros
    (void)access.batch().Put(e.cf(Cf::kChunks), codec::EncodeChunkKey(v.object_id, i),
                             rocksdb::Slice(piece.data(), piece.size()));
  }
  access.Put(key, std::move(v));
  return Status::Ok();
}

StringEditor::StringEditor(KeyAccess& access, std::string_view key, const MetaValue* meta)
    : access_(access), key_(key) {
  if (meta == nullptr) return;
  expire_ms_ = meta->expire_ms;
  length_ = meta->string_length();
  if (meta->chunked) {
    inline_ = false;
    id_ = meta->object_id;
    stored_length_ = length_;
  } else {
    value_ = meta->value;
  }
}

Status StringEditor::Chunkify() {
  if (!inline_) return Status::Ok();
  ASSIGN_OR_RETURN(id_, access_.NewObjectId());
  fresh_ = true;
  inline_ = false;
  for (uint64_t i = 0; i * kChunkSize < value_.size(); ++i) {
    Chunk& c = chunks_[i];
    c.data.assign(value_, i * kChunkSize, kChunkSize);
    c.dirty = true;
  }
  value_.clear();
  value_.shrink_to_fit();
  return Status::Ok();
}

StatusOr<StringEditor::Chunk*> StringEditor::Load(uint64_t index, bool need_contents) {
  auto [it, inserted] = chunks_.try_emplace(index);
  Chunk* c = &it->second;
  if (!inserted || fresh_) return c;
  if (index * kChunkSize >= stored_length_) return c;  // past the old end: never stored
  c->maybe_stored = true;
  if (!need_contents) return c;
  EngineImpl& e = access_.impl();
  rocksdb::Status s = e.db->Get(access_.SubkeyReadOptions(), e.cf(Cf::kChunks),
                                codec::EncodeChunkKey(id_, index), &c->data);
  if (s.IsNotFound()) {
    c->maybe_stored = false;
    return c;
  }
  if (!s.ok()) {
    chunks_.erase(it);  // not loaded: a retry must read it again
    return FromRocksDb(s);
  }
  return c;
}

Status StringEditor::Read(uint64_t offset, size_t n, unsigned char* out) {
  std::memset(out, 0, n);
  if (offset >= length_) return Status::Ok();
  uint64_t end = std::min<uint64_t>(offset + n, length_);
  if (inline_) {
    std::memcpy(out, value_.data() + offset, end - offset);
    return Status::Ok();
  }
  for (uint64_t pos = offset; pos < end;) {
    uint64_t index = pos / kChunkSize, start = index * kChunkSize;
    uint64_t stop = std::min(end, start + kChunkSize);
    ASSIGN_OR_RETURN(Chunk * c, Load(index, true));
    if (pos - start < c->data.size()) {
      uint64_t k = std::min<uint64_t>(stop - pos, c->data.size() - (pos - start));
      std::memcpy(out + (pos - offset), c->data.data() + (pos - start), k);
    }
    pos = stop;
  }
  return Status::Ok();
}

Status StringEditor::Grow(uint64_t new_length) {
  if (new_length <= length_) return Status::Ok();
  if (inline_ && new_length > kMaxInlineString) RETURN_IF_ERROR(Chunkify());
  if (inline_) value_.resize(new_length, '\0');
  length_ = new_length;  // chunked: the new bytes are missing, i.e. zeros
  return Status::Ok();
}

Status StringEditor::Write(uint64_t offset, std::string_view bytes) {
  RETURN_IF_ERROR(Grow(offset + bytes.size()));
  if (inline_) {
    std::memcpy(value_.data() + offset, bytes.data(), bytes.size());
    return Status::Ok();
  }
  uint64_t end = offset + bytes.size();
  for (uint64_t pos = offset; pos < end;) {
    uint64_t index = pos / kChunkSize, start = index * kChunkSize;
    uint64_t stop = std::min(end, start + kChunkSize);
    // A write covering the chunk's whole slice of the string needs no read.
    bool whole = pos == start && stop == std::min(start + kChunkSize, length_);
    ASSIGN_OR_RETURN(Chunk * c, Load(index, !whole));
    if (c->data.size() < stop - start) c->data.resize(stop - start, '\0');
    std::memcpy(c->data.data() + (pos - start), bytes.data() + (pos - offset), stop - pos);
    c->dirty = true;
    pos = stop;
  }
  return Status::Ok();
}

Status StringEditor::Stage() {
  MetaValue v;
  v.type = codec::ValueType::kString;
  v.expire_ms = expire_ms_;
  v.repr = codec::StringRepr::kRaw;
  if (inline_) {
    v.value = std::move(value_);
    access_.Put(key_, std::move(v));
    return Status::Ok();
  }
  EngineImpl& e = access_.impl();
  for (auto& [index, c] : chunks_) {
    if (!c.dirty) continue;
    std::string_view data = TrimZeros(c.data);
    std::string key = codec::EncodeChunkKey(id_, index);
    if (!data.empty()) {
      (void)access_.batch().Put(e.cf(Cf::kChunks), key, rocksdb::Slice(data.data(), data.size()));
    } else if (c.maybe_stored) {
      (void)access_.batch().Delete(e.cf(Cf::kChunks), key);
    }
  }
  v.chunked = true;
  v.object_id = id_;
  v.count = length_;
  access_.Put(key_, std::move(v));
  return Status::Ok();
}

}  // namespace strata::engine
