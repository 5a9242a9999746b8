// The bytes of a string key, inline or chunked (codec/layout.h, decision 5):
// the only code that reads or writes the "chunks" family.
//
//   - VisitString / ReadString read a byte range, touching only the chunks
//     that cover it (one point read for one chunk, one iterator otherwise);
//     missing chunks and bytes past a chunk's stored end read as zeros.
//   - PutString stages a whole new value (SET, MSET, GETSET, ...), inline or
//     chunked by its length, under a fresh object id when chunked.
//   - StringEditor stages in-place edits (APPEND, SETRANGE, SETBIT,
//     BITFIELD): it loads only the chunks an edit touches, converts an inline
//     string to chunks when it grows past kMaxInlineString, and writes back
//     only the chunks it changed (trailing zeros dropped; an all-zero chunk
//     is deleted, or never written for a new object).
//
// All of it works inside one KeyAccess (the key is locked and Find()-ed by
// the caller); chunk reads use its SubkeyReadOptions, so an inline command
// whose chunks are not in memory gets kWouldBlock before any side effect.
//
// Engine-internal: includes key_access.h (RocksDB headers).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "codec/layout.h"
#include "common/status.h"
#include "engine/key_access.h"

namespace strata::engine {

// Receives consecutive pieces of a string: `pos` is the byte offset of the
// piece in the string. Returns false to stop early.
using PieceVisitor = std::function<bool(uint64_t pos, std::string_view bytes)>;

// Visits bytes [offset, offset + length) of the string `meta`, clipped to its
// length, in order.
Status VisitString(KeyAccess& access, const codec::MetaValue& meta, uint64_t offset,
                   uint64_t length, const PieceVisitor& visit);
// Bytes [offset, offset + length) of the string, clipped to its length.
StatusOr<std::string> ReadString(KeyAccess& access, const codec::MetaValue& meta, uint64_t offset,
                                 uint64_t length);
StatusOr<std::string> ReadWholeString(KeyAccess& access, const codec::MetaValue& meta);

// Stages `value` as the new string value of `key` (Find()-ed by `access`).
// `repr` records how Redis would hold it (codec::StringRepr): kTryInt for
// values set whole (SET, MSET, INCR, ...), kNoInt for INCRBYFLOAT's result,
// kRaw for values built in place (BITOP).
Status PutString(KeyAccess& access, std::string_view key, std::string_view value,
                 uint64_t expire_ms, codec::StringRepr repr = codec::StringRepr::kTryInt);
// As PutString, but chunked whatever the length: for values whose later
// edits touch a few bytes (a dense HyperLogLog), so StringEditor rewrites one
// chunk instead of the whole value.
Status PutChunkedString(KeyAccess& access, std::string_view key, std::string_view value,
                        uint64_t expire_ms, codec::StringRepr repr);

// Edits a string in place; see the file comment. Keeps the string's expiry.
// Values edited in place (APPEND to an existing key, SETRANGE, SETBIT,
// BITFIELD) are stored as codec::StringRepr::kRaw, as Redis holds them.
class StringEditor {
 public:
  // `meta`: the key's current string value, or nullptr to start a new one.
  StringEditor(KeyAccess& access, std::string_view key, const codec::MetaValue* meta);
  StringEditor(const StringEditor&) = delete;
  StringEditor& operator=(const StringEditor&) = delete;

  uint64_t length() const { return length_; }
  // Copies bytes [offset, offset + n) into `out`, zeros past the end.
  Status Read(uint64_t offset, size_t n, unsigned char* out);
  // Writes `bytes` at `offset`, zero-filling any gap past the end.
  Status Write(uint64_t offset, std::string_view bytes);
  // Extends the string with zero bytes to `new_length` (no-op if not longer).
  Status Grow(uint64_t new_length);
  // Stages the metadata and every changed chunk in the access's batch.
  Status Stage();

 private:
  struct Chunk {
    std::string data;  // stored bytes (may be shorter than the chunk's slice)
    bool dirty = false;
    bool maybe_stored = false;  // a record may exist on disk
  };
  Status Chunkify();
  StatusOr<Chunk*> Load(uint64_t index, bool need_contents);

  KeyAccess& access_;
  std::string key_;
  uint64_t expire_ms_ = 0;
  uint64_t length_ = 0;
  uint64_t stored_length_ = 0;  // chunked: length on disk (chunks past it do not exist)
  bool inline_ = true;
  std::string value_;   // inline bytes
  uint64_t id_ = 0;     // chunked: object id
  bool fresh_ = false;  // chunked: the id is new, nothing of it is on disk
  std::map<uint64_t, Chunk> chunks_;
};

}  // namespace strata::engine
