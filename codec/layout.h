// The on-disk layout of Strata, version 1: how keys, metadata and sub-keys
// are encoded in RocksDB. Pure functions, no I/O.
//
// DECISIONS (made once, in the foundation; changing them is a format change):
//
// 1. Sub-keys are addressed by an internal 64-bit OBJECT ID, not by the user
//    key plus a version. Each collection (and, later, each chunked string)
//    gets an id when it is created; its fields/members/elements are keyed by
//    that id. RENAME, MOVE and SWAPDB therefore move only the metadata record
//    (O(1), as in Redis), and sub-keys are short (8 bytes of prefix).
//    Ids come from a persistent counter whose reserved high mark is written
//    (and synced) before ids below it are handed out, so an id never repeats,
//    also across crashes and restarts (engine/object_ids.h).
// 2. Deleting or overwriting a collection deletes only its metadata record
//    and its `objects` record. Sub-keys of an object id that is no longer
//    live are dropped by a compaction filter (engine/gc_filter.h). An id is
//    live while `objects[id]` names an owner whose metadata still carries
//    that id; when the filter cannot prove an id dead it keeps the entry.
// 3. Every metadata key starts with the database and the cluster slot, so a
//    database or a slot is one contiguous key range (FLUSHDB is a
//    DeleteRange; slot counting and migration are range scans). The database
//    in keys is a PHYSICAL database id: a persistent map from the logical
//    database (SELECT n) to its physical id lives in the default family, so
//    SWAPDB can swap two logical databases in O(1) by swapping map entries.
// 4. All integers are big-endian, so byte order is numeric order; expiry is
//    64-bit milliseconds since the Unix epoch; counts are 64-bit.
// 5. LARGE STRINGS ARE CHUNKED. A string longer than kMaxInlineString bytes
//    is stored as an object (flag kChunked): its metadata holds an object id
//    and the length, and its bytes live in "chunks" as kChunkSize-byte pieces
//    keyed u64(id) u64(chunk index). A chunk that is missing, or shorter than
//    its slice of the string, reads as zero bytes (writers drop trailing
//    zeros and delete all-zero chunks), so SETBIT at bit 2^32-1 of a new key
//    writes one chunk, not 512 MB. SETRANGE, SETBIT, APPEND and BITFIELD
//    rewrite only the chunks they touch; GETRANGE, GETBIT and ranged
//    BITCOUNT/BITPOS read only the chunks they need. A chunked string owns
//    its object id exactly as a collection does (objects record, GC filter):
//    overwriting or deleting it writes only metadata. Strings never go back
//    to inline except by being overwritten (SET and friends decide by length).
//    A shorter string may be chunked too: engine/hll_ops.h stores a dense
//    HyperLogLog (12304 bytes) chunked so that a register update rewrites
//    one chunk; readers must not assume a chunked string is long.
//    Sizes (engine/chunked_string.h uses them):
//    - kChunkSize = 4 KiB, RocksDB's data block size: a chunk read from disk
//      is one block read, and a random bit or byte update (SETBIT, BITFIELD,
//      SETRANGE) rewrites 4 KiB in WAL and memtable, not 64 KiB.
//    - kMaxInlineString = 16 KiB: values up to that size (almost every value
//      a cache or session store holds) are one metadata read and write, what
//      the hot tier caches whole; rewriting 16 KiB on an update costs about
//      what four chunk writes would. Above it, update cost stays bounded by
//      the chunks touched, and GET streams chunks with one iterator seek.
//
// GRAMMAR (u16/u32/u64 are big-endian):
//
//   column family "default" (server records)
//     "layout-version"          -> decimal text, "1"
//     "next-object-id"          -> u64: ids below it may have been handed out
//     "next-physical-db"        -> u32
//     "db-map" u32(logical)     -> u32(physical)
//     "db-size" u32(physical)   -> i64 little-endian, a merge (add) counter of keys
//
//   column family "keys" (one record per user key)
//     MetaKey   := u32(physical db) u16(slot) user-key
//     MetaValue := u8(format = 1) u8(type) u8(flags) [u64(expire ms) if flags & kHasExpiry] body
//       type  := 0 string | 1 hash | 2 list | 3 set | 4 zset | 5 stream
//       flags := bit 0 kHasExpiry; bit 1 kChunked (string stored in "chunks",
//                decision 5); bits 2-3 StringRepr of a string (0 for
//                collections); other bits reserved, must be zero
//       body(string, not chunked) := raw bytes of the value
//       body(string, chunked)     := u64(object id) u64(length in bytes)
//       body(collection)          := u64(object id) u64(element count) type-specific
//         type-specific(list)     := u64(head index) u64(tail index)   (elements in [head, tail))
//         type-specific(hash, set, zset) := u8(big encoding): 1 once Redis would
//                                   have converted the value to its large encoding
//                                   (hashtable / skiplist), which it never undoes;
//                                   OBJECT ENCODING reports it
//         type-specific(stream)   := u64(last ms) u64(last seq)        last generated ID
//                                    u64(first ms) u64(first seq)      first entry's ID (0-0:
//                                    empty) u64(max-del ms) u64(max-del seq)  largest ID ever
//                                    deleted u64(entries added)                 ever added (XADD,
//                                    XSETID) u64(group count)                   consumer groups
//                                   (64 bytes; element count = stream length; an
//                                   empty stream keeps its key, as in Redis)
//
//   column family "objects" (live object ids)
//     u64(object id) -> MetaKey of the owning user key
//
//   sub-key families, all prefixed by u64(object id):
//     "hash_fields"    u64(id) field                    -> value
//     "set_members"    u64(id) member                   -> ""
//     "list_elements"  u64(id) u64(index)               -> element
//     "zset_members"   u64(id) member                   -> u64(sortable score)
//     "zset_scores"    u64(id) u64(sortable score) member -> ""
//     "stream_entries" u64(id) u64(ms) u64(seq)         -> entry fields: varint(pairs)
//                                                         {varint(len) field varint(len) value}*
//                                                         (codec/stream_codec.h)
//                      u64(id) 0xff*16 tag ...         -> consumer groups, their PELs and
//                                                         consumers, sorting after every
//                                                         entry (codec/stream_group_codec.h;
//                                                         kept in this family so DEL/COPY/GC
//                                                         cover them and ranges stay seeks)
//     "chunks"         u64(id) u64(chunk index)         -> bytes [index*kChunkSize, ...) of a
//                                                         chunked string, trailing zeros dropped
//
//   column family "expiry" (the expiry index; a hint verified against metadata)
//     u64(expire ms) MetaKey -> ""
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace strata::codec {

inline constexpr int kLayoutVersion = 1;
inline constexpr unsigned char kMetaFormat = 1;

// Column family names, in the order the engine opens them.
inline constexpr const char* kCfDefault = "default";
inline constexpr const char* kCfKeys = "keys";
inline constexpr const char* kCfObjects = "objects";
inline constexpr const char* kCfHashFields = "hash_fields";
inline constexpr const char* kCfSetMembers = "set_members";
inline constexpr const char* kCfListElements = "list_elements";
inline constexpr const char* kCfZsetMembers = "zset_members";
inline constexpr const char* kCfZsetScores = "zset_scores";
inline constexpr const char* kCfStreamEntries = "stream_entries";
inline constexpr const char* kCfChunks = "chunks";
inline constexpr const char* kCfExpiry = "expiry";

enum class ValueType : unsigned char {
  kString = 0,
  kHash = 1,
  kList = 2,
  kSet = 3,
  kZset = 4,
  kStream = 5,
};
inline constexpr unsigned char kMaxValueType = 5;

// The name TYPE reports ("string", "hash", ...).
std::string_view TypeName(ValueType t);

inline constexpr unsigned char kFlagHasExpiry = 1 << 0;
inline constexpr unsigned char kFlagChunked = 1 << 1;
inline constexpr unsigned char kStringReprShift = 2;
inline constexpr unsigned char kStringReprMask = 3 << kStringReprShift;
inline constexpr unsigned char kKnownFlags = kFlagHasExpiry | kFlagChunked | kStringReprMask;

// How Redis 7.0 would hold a string value, which OBJECT ENCODING and OBJECT
// REFCOUNT report. Redis decides it by how the value was written, not only by
// the bytes, so writers record it:
//   kTryInt  the value went through tryObjectEncoding (SET, MSET, GETSET,
//            SETNX, SETEX, APPEND to a new key, RESTORE) or is the result of
//            INCR/DECR: "int" when it is a canonical integer of at most 20
//            characters (shared, refcount INT_MAX, for 0..9999), else
//            "embstr" up to 44 bytes, else "raw";
//   kRaw     modified in place (APPEND to an existing key, SETRANGE, SETBIT,
//            BITOP, BITFIELD): always "raw";
//   kNoInt   built from a formatted number without re-encoding
//            (INCRBYFLOAT): "embstr" up to 44 bytes, else "raw".
enum class StringRepr : unsigned char { kTryInt = 0, kRaw = 1, kNoInt = 2 };
inline constexpr unsigned char kMaxStringRepr = 2;

// Large strings (decision 5).
inline constexpr uint64_t kChunkSize = 4096;
inline constexpr uint64_t kMaxInlineString = 16384;

// The stream part of a stream's metadata (grammar above). IDs are (ms, seq).
struct StreamMeta {
  uint64_t last_ms = 0, last_seq = 0;
  uint64_t first_ms = 0, first_seq = 0;
  uint64_t max_deleted_ms = 0, max_deleted_seq = 0;
  uint64_t entries_added = 0;
  uint64_t groups = 0;
};

// A decoded metadata record.
struct MetaValue {
  ValueType type = ValueType::kString;
  uint64_t expire_ms = 0;  // 0: no expiry
  std::string value;       // inline strings: the value
  bool chunked = false;    // strings: bytes live in "chunks" under object_id
  uint64_t object_id = 0;  // collections and chunked strings
  uint64_t count = 0;      // collections: number of elements; chunked strings: length
  uint64_t list_head = 0;  // lists
  uint64_t list_tail = 0;
  bool big_encoding = false;              // hashes, sets, zsets: Redis would use hashtable/skiplist
  StringRepr repr = StringRepr::kTryInt;  // strings only
  StreamMeta stream;                      // streams only

  bool is_collection() const { return type != ValueType::kString; }
  // Owns an object id (sub-keys or chunks, an `objects` record, GC by the filter).
  bool has_object() const { return is_collection() || chunked; }
  // Strings: length in bytes, inline or chunked.
  uint64_t string_length() const { return chunked ? count : value.size(); }
};

std::string EncodeMetaValue(const MetaValue& v);
StatusOr<MetaValue> DecodeMetaValue(std::string_view bytes);
// Reads only the type and expiry (cheap checks without copying a value).
Status PeekMetaHeader(std::string_view bytes, ValueType* type, uint64_t* expire_ms);

// Cluster slot of a key: CRC16 (XMODEM) of the key or of its {hash tag}, mod 16384.
uint16_t KeySlot(std::string_view key);

// MetaKey := u32(physical db) u16(slot) key.
std::string EncodeMetaKey(uint32_t physical_db, std::string_view key);
void AppendMetaKey(std::string* out, uint32_t physical_db, std::string_view key);
// The range [begin, end) covering every key of a physical database.
std::string DbRangeBegin(uint32_t physical_db);
std::string DbRangeEnd(uint32_t physical_db);
struct DecodedMetaKey {
  uint32_t physical_db;
  uint16_t slot;
  std::string_view key;
};
StatusOr<DecodedMetaKey> DecodeMetaKey(std::string_view bytes);

// Object-id prefix of sub-keys.
std::string EncodeObjectId(uint64_t id);
bool DecodeObjectIdPrefix(std::string_view subkey, uint64_t* id);

// Chunk key := u64(object id) u64(chunk index).
std::string EncodeChunkKey(uint64_t id, uint64_t index);

// Expiry index key := u64(expire ms) MetaKey.
std::string EncodeExpiryKey(uint64_t expire_ms, std::string_view meta_key);

// Big-endian helpers.
void PutFixed16BE(std::string* out, uint16_t v);
void PutFixed32BE(std::string* out, uint32_t v);
void PutFixed64BE(std::string* out, uint64_t v);
uint16_t GetFixed16BE(const char* p);
uint32_t GetFixed32BE(const char* p);
uint64_t GetFixed64BE(const char* p);

}  // namespace strata::codec
