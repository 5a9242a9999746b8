// Encoding and decoding of the version-1 layout described in codec/layout.h.
#include "codec/layout.h"

#include <array>

namespace strata::codec {

std::string_view TypeName(ValueType t) {
  switch (t) {
    case ValueType::kString:
      return "string";
    case ValueType::kHash:
      return "hash";
    case ValueType::kList:
      return "list";
    case ValueType::kSet:
      return "set";
    case ValueType::kZset:
      return "zset";
    case ValueType::kStream:
      return "stream";
  }
  return "none";
}

void PutFixed16BE(std::string* out, uint16_t v) {
  char b[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
  out->append(b, 2);
}

void PutFixed32BE(std::string* out, uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>(v >> (24 - 8 * i));
  out->append(b, 4);
}

void PutFixed64BE(std::string* out, uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(v >> (56 - 8 * i));
  out->append(b, 8);
}

uint16_t GetFixed16BE(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint16_t>((u[0] << 8) | u[1]);
}

uint32_t GetFixed32BE(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
}

uint64_t GetFixed64BE(const char* p) {
  return (uint64_t{GetFixed32BE(p)} << 32) | GetFixed32BE(p + 4);
}

namespace {
constexpr size_t kStreamMetaSize = 64;
// Hashes, sets and sorted sets carry the big-encoding byte (grammar above).
bool HasEncodingByte(ValueType t) {
  return t == ValueType::kHash || t == ValueType::kSet || t == ValueType::kZset;
}
}  // namespace

std::string EncodeMetaValue(const MetaValue& v) {
  std::string out;
  out.reserve(3 + 8 + (v.is_collection() ? 80 : v.value.size()));
  out.push_back(static_cast<char>(kMetaFormat));
  out.push_back(static_cast<char>(v.type));
  unsigned char flags = v.expire_ms != 0 ? kFlagHasExpiry : 0;
  if (v.chunked) flags |= kFlagChunked;
  if (!v.is_collection()) flags |= static_cast<unsigned char>(v.repr) << kStringReprShift;
  out.push_back(static_cast<char>(flags));
  if (v.expire_ms != 0) PutFixed64BE(&out, v.expire_ms);
  if (v.chunked) {
    PutFixed64BE(&out, v.object_id);
    PutFixed64BE(&out, v.count);
    return out;
  }
  if (!v.is_collection()) {
    out.append(v.value);
    return out;
  }
  PutFixed64BE(&out, v.object_id);
  PutFixed64BE(&out, v.count);
  if (v.type == ValueType::kList) {
    PutFixed64BE(&out, v.list_head);
    PutFixed64BE(&out, v.list_tail);
  }
  if (HasEncodingByte(v.type)) out.push_back(v.big_encoding ? 1 : 0);
  if (v.type == ValueType::kStream) {
    const StreamMeta& m = v.stream;
    for (uint64_t x : {m.last_ms, m.last_seq, m.first_ms, m.first_seq, m.max_deleted_ms,
                       m.max_deleted_seq, m.entries_added, m.groups}) {
      PutFixed64BE(&out, x);
    }
  }
  return out;
}

namespace {

// Parses the fixed header; on success *body_offset is where the body starts.
Status ParseHeader(std::string_view b, ValueType* type, unsigned char* flags, uint64_t* expire_ms,
                   size_t* body_offset) {
  if (b.size() < 3) return Status::Corruption("metadata shorter than its header");
  if (static_cast<unsigned char>(b[0]) != kMetaFormat) {
    return Status(StatusCode::kNotSupported, "unknown metadata format byte");
  }
  auto t = static_cast<unsigned char>(b[1]);
  if (t > kMaxValueType) return Status::Corruption("unknown value type");
  *flags = static_cast<unsigned char>(b[2]);
  if ((*flags & ~kKnownFlags) != 0) {
    return Status(StatusCode::kNotSupported, "unknown metadata flags");
  }
  *type = static_cast<ValueType>(t);
  size_t off = 3;
  *expire_ms = 0;
  if (*flags & kFlagHasExpiry) {
    if (b.size() < off + 8) return Status::Corruption("metadata expiry truncated");
    *expire_ms = GetFixed64BE(b.data() + off);
    off += 8;
  }
  *body_offset = off;
  return Status::Ok();
}

}  // namespace

Status PeekMetaHeader(std::string_view bytes, ValueType* type, uint64_t* expire_ms) {
  unsigned char flags;
  size_t off;
  return ParseHeader(bytes, type, &flags, expire_ms, &off);
}

StatusOr<MetaValue> DecodeMetaValue(std::string_view b) {
  MetaValue v;
  unsigned char flags;
  size_t off;
  RETURN_IF_ERROR(ParseHeader(b, &v.type, &flags, &v.expire_ms, &off));
  if (v.is_collection() && (flags & kFlagChunked)) {
    return Status::Corruption("kChunked set on a collection");
  }
  unsigned char repr = (flags & kStringReprMask) >> kStringReprShift;
  if (!v.is_collection()) {
    if (flags & kFlagChunked) {
      if (b.size() != off + 16)
        return Status::Corruption("chunked string metadata has a wrong size");
      v.chunked = true;
      v.object_id = GetFixed64BE(b.data() + off);
      v.count = GetFixed64BE(b.data() + off + 8);
      return v;
    }
    if (repr > kMaxStringRepr) return Status::Corruption("unknown string representation");
    v.repr = static_cast<StringRepr>(repr);
    v.value.assign(b.substr(off));
    return v;
  }
  if (repr != 0) return Status::Corruption("string representation on a collection");
  size_t need = 16 + (v.type == ValueType::kList ? 16 : 0) + (HasEncodingByte(v.type) ? 1 : 0) +
                (v.type == ValueType::kStream ? kStreamMetaSize : 0);
  if (b.size() != off + need) return Status::Corruption("collection metadata has a wrong size");
  v.object_id = GetFixed64BE(b.data() + off);
  v.count = GetFixed64BE(b.data() + off + 8);
  if (v.type == ValueType::kList) {
    v.list_head = GetFixed64BE(b.data() + off + 16);
    v.list_tail = GetFixed64BE(b.data() + off + 24);
  }
  if (HasEncodingByte(v.type)) {
    unsigned char big = static_cast<unsigned char>(b[off + 16]);
    if (big > 1) return Status::Corruption("bad encoding byte");
    v.big_encoding = big == 1;
  }
  if (v.type == ValueType::kStream) {
    const char* p = b.data() + off + 16;
    StreamMeta& m = v.stream;
    for (uint64_t* x : {&m.last_ms, &m.last_seq, &m.first_ms, &m.first_seq, &m.max_deleted_ms,
                        &m.max_deleted_seq, &m.entries_added, &m.groups}) {
      *x = GetFixed64BE(p);
      p += 8;
    }
  }
  return v;
}

namespace {

// CRC16-CCITT (XMODEM), polynomial 0x1021, as Redis Cluster uses.
constexpr std::array<uint16_t, 256> MakeCrc16Table() {
  std::array<uint16_t, 256> t{};
  for (int i = 0; i < 256; ++i) {
    uint16_t crc = static_cast<uint16_t>(i << 8);
    for (int j = 0; j < 8; ++j) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
    }
    t[i] = crc;
  }
  return t;
}
constexpr auto kCrc16Table = MakeCrc16Table();

uint16_t Crc16(std::string_view s) {
  uint16_t crc = 0;
  for (unsigned char c : s) {
    crc = static_cast<uint16_t>((crc << 8) ^ kCrc16Table[((crc >> 8) ^ c) & 0xff]);
  }
  return crc;
}

}  // namespace

uint16_t KeySlot(std::string_view key) {
  size_t open = key.find('{');
  if (open != std::string_view::npos) {
    size_t close = key.find('}', open + 1);
    if (close != std::string_view::npos && close != open + 1) {
      key = key.substr(open + 1, close - open - 1);
    }
  }
  return Crc16(key) & 16383;
}

void AppendMetaKey(std::string* out, uint32_t physical_db, std::string_view key) {
  out->reserve(out->size() + 6 + key.size());
  PutFixed32BE(out, physical_db);
  PutFixed16BE(out, KeySlot(key));
  out->append(key);
}

std::string EncodeMetaKey(uint32_t physical_db, std::string_view key) {
  std::string out;
  AppendMetaKey(&out, physical_db, key);
  return out;
}

std::string DbRangeBegin(uint32_t physical_db) {
  std::string out;
  PutFixed32BE(&out, physical_db);
  return out;
}

std::string DbRangeEnd(uint32_t physical_db) {
  // Physical ids never reach UINT32_MAX (they are allocated from 0 upward), so
  // the next id's prefix is the exclusive end.
  return DbRangeBegin(physical_db + 1);
}

StatusOr<DecodedMetaKey> DecodeMetaKey(std::string_view b) {
  if (b.size() < 6) return Status::Corruption("metadata key shorter than its prefix");
  return DecodedMetaKey{GetFixed32BE(b.data()), GetFixed16BE(b.data() + 4), b.substr(6)};
}

std::string EncodeObjectId(uint64_t id) {
  std::string out;
  PutFixed64BE(&out, id);
  return out;
}

std::string EncodeChunkKey(uint64_t id, uint64_t index) {
  std::string out;
  out.reserve(16);
  PutFixed64BE(&out, id);
  PutFixed64BE(&out, index);
  return out;
}

bool DecodeObjectIdPrefix(std::string_view subkey, uint64_t* id) {
  if (subkey.size() < 8) return false;
  *id = GetFixed64BE(subkey.data());
  return true;
}

std::string EncodeExpiryKey(uint64_t expire_ms, std::string_view meta_key) {
  std::string out;
  out.reserve(8 + meta_key.size());
  PutFixed64BE(&out, expire_ms);
  out.append(meta_key);
  return out;
}

}  // namespace strata::codec
