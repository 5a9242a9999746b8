// Bit operations over KeyAccess; see bit_ops.h.
#include "engine/bit_ops.h"

#include <algorithm>

#include "engine/chunked_string.h"
#include "engine/key_access.h"

namespace strata::engine {

using codec::MetaValue;
using codec::ValueType;

namespace {

// The live string of `key`, nullptr when absent; kWrongType.
StatusOr<const MetaValue*> FindStringOrNull(KeyAccess& access, std::string_view key) {
  auto found = access.Find(key);
  if (found.status().IsNotFound()) return static_cast<const MetaValue*>(nullptr);
  if (!found.ok()) return found.status();
  if ((*found)->type != ValueType::kString) return Status::WrongType();
  return *found;
}

bits::BitSpan SpanOf(const std::optional<BitRange>& range, uint64_t strlen, bool for_bitpos) {
  if (!range) return bits::WholeSpan(strlen);
  if (for_bitpos) return bits::BitposSpan(range->start, range->end, range->unit_is_bit, strlen);
  return bits::BitcountSpan(range->start, range->end.value_or(-1), range->unit_is_bit, strlen);
}

// Bytes read per source at a time by BITOP.
constexpr uint64_t kBitOpWindow = 16 * codec::kChunkSize;

}  // namespace

StatusOr<int> SetBit(Engine& engine, OpContext& ctx, std::string_view key, uint64_t offset,
                     int value, bool* changed) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindStringOrNull(access, key));
  StringEditor editor(access, key, meta);
  uint64_t byte = offset >> 3;
  bool grows = meta == nullptr || byte >= editor.length();
  RETURN_IF_ERROR(editor.Grow(byte + 1));
  unsigned char v;
  RETURN_IF_ERROR(editor.Read(byte, 1, &v));
  unsigned char mask = static_cast<unsigned char>(1u << (7 - (offset & 7)));
  int old = (v & mask) ? 1 : 0;
  if (grows || old != value) {
    v = static_cast<unsigned char>(value ? (v | mask) : (v & ~mask));
    RETURN_IF_ERROR(editor.Write(byte, std::string_view(reinterpret_cast<char*>(&v), 1)));
    RETURN_IF_ERROR(editor.Stage());
  }
  RETURN_IF_ERROR(access.Commit());
  if (changed != nullptr) *changed = grows || old != value;
  return old;
}

StatusOr<int> GetBit(Engine& engine, OpContext& ctx, std::string_view key, uint64_t offset) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindStringOrNull(access, key));
  if (meta == nullptr) return 0;
  ASSIGN_OR_RETURN(std::string byte, ReadString(access, *meta, offset >> 3, 1));
  if (byte.empty()) return 0;
  return (static_cast<unsigned char>(byte[0]) >> (7 - (offset & 7))) & 1;
}

StatusOr<int64_t> BitCount(Engine& engine, OpContext& ctx, std::string_view key,
                           const std::optional<BitRange>& range) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindStringOrNull(access, key));
  if (meta == nullptr) return Status::NotFound();
  bits::BitSpan span = SpanOf(range, meta->string_length(), false);
  if (span.empty()) return 0;
  uint64_t count = 0;
  RETURN_IF_ERROR(VisitString(access, *meta, span.first_byte(),
                              span.last_byte() - span.first_byte() + 1,
                              [&](uint64_t pos, std::string_view bytes) {
                                count += bits::CountBits(pos, bytes, span);
                                return true;
                              }));
  return static_cast<int64_t>(count);
}

StatusOr<int64_t> BitPos(Engine& engine, OpContext& ctx, std::string_view key, int bit,
                         const std::optional<BitRange>& range) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindStringOrNull(access, key));
  if (meta == nullptr) return Status::NotFound();
  bits::BitSpan span = SpanOf(range, meta->string_length(), true);
  if (span.empty()) return -1;
  std::optional<uint64_t> found;
  RETURN_IF_ERROR(VisitString(access, *meta, span.first_byte(),
                              span.last_byte() - span.first_byte() + 1,
                              [&](uint64_t pos, std::string_view bytes) {
                                found = bits::FindBit(pos, bytes, span, bit);
                                return !found.has_value();
                              }));
  if (found) return static_cast<int64_t>(*found);
  // No clear bit: past the end counts as zeros, unless the caller gave an end.
  if (bit == 0 && !(range && range->end)) return static_cast<int64_t>(span.last + 1);
  return -1;
}

StatusOr<int64_t> BitOp(Engine& engine, OpContext& ctx, BitOpKind op, std::string_view dest,
                        std::span<const std::string_view> sources) {
  std::vector<std::string_view> keys(sources.begin(), sources.end());
  keys.push_back(dest);
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(keys));
  std::vector<const MetaValue*> metas;
  uint64_t max_len = 0;
  for (auto key : sources) {
    ASSIGN_OR_RETURN(const MetaValue* meta, FindStringOrNull(access, key));
    metas.push_back(meta);
    if (meta != nullptr) max_len = std::max(max_len, meta->string_length());
  }
  auto dest_found = access.Find(dest);
  if (!dest_found.ok() && !dest_found.status().IsNotFound()) return dest_found.status();
  if (max_len == 0) {
    access.DeleteEmpty(dest);
    RETURN_IF_ERROR(access.Commit());
    return 0;
  }
  std::string result(max_len, '\0');
  std::string piece;
  for (uint64_t pos = 0; pos < max_len; pos += kBitOpWindow) {
    uint64_t n = std::min(kBitOpWindow, max_len - pos);
    char* out = result.data() + pos;
    for (size_t i = 0; i < metas.size(); ++i) {
      piece.clear();
      if (metas[i] != nullptr) {
        ASSIGN_OR_RETURN(piece, ReadString(access, *metas[i], pos, n));
      }
      piece.resize(n, '\0');  // past a source's end its bytes are zeros
      if (i == 0) {
        std::copy(piece.begin(), piece.end(), out);
        if (op == BitOpKind::kNot) {
          for (uint64_t j = 0; j < n; ++j) out[j] = static_cast<char>(~out[j]);
        }
        continue;
      }
      for (uint64_t j = 0; j < n; ++j) {
        switch (op) {
          case BitOpKind::kAnd:
            out[j] &= piece[j];
            break;
          case BitOpKind::kOr:
            out[j] |= piece[j];
            break;
          case BitOpKind::kXor:
            out[j] ^= piece[j];
            break;
          case BitOpKind::kNot:
            break;
        }
      }
    }
  }
  RETURN_IF_ERROR(PutString(access, dest, result, 0, codec::StringRepr::kRaw));
  RETURN_IF_ERROR(access.Commit());
  return static_cast<int64_t>(max_len);
}

StatusOr<std::vector<std::optional<int64_t>>> Bitfield(Engine& engine, OpContext& ctx,
                                                       std::string_view key,
                                                       std::span<const BitfieldOp> ops) {
  uint64_t highest = 0;
  bool writes = false;
  for (const auto& op : ops) {
    if (op.kind == BitfieldOp::Kind::kGet) continue;
    writes = true;
    highest = std::max(highest, op.offset + static_cast<uint64_t>(op.type.bits) - 1);
  }
  KeyAccess access(engine, ctx, writes ? KeyAccess::Intent::kWrite : KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const MetaValue* meta, FindStringOrNull(access, key));
  StringEditor editor(access, key, meta);
  if (writes) RETURN_IF_ERROR(editor.Grow((highest >> 3) + 1));
  std::vector<std::optional<int64_t>> replies;
  replies.reserve(ops.size());
  for (const auto& op : ops) {
    // A field spans at most 9 bytes: 64 bits starting anywhere in a byte.
    unsigned char buf[9];
    uint64_t byte = op.offset >> 3;
    unsigned shift = static_cast<unsigned>(op.offset & 7);
    size_t n = (shift + static_cast<unsigned>(op.type.bits) + 7) / 8;
    RETURN_IF_ERROR(editor.Read(byte, n, buf));
    uint64_t raw = bits::ReadField(buf, shift, op.type.bits);
    if (op.kind == BitfieldOp::Kind::kGet) {
      replies.emplace_back(bits::FieldValue(op.type, raw));
      continue;
    }
    bits::FieldWrite w = op.kind == BitfieldOp::Kind::kSet
                             ? bits::FieldSet(op.type, raw, op.value, op.overflow)
                             : bits::FieldIncrBy(op.type, raw, op.value, op.overflow);
    replies.push_back(w.reply);
    if (!w.reply) continue;
    bits::WriteField(buf, shift, op.type.bits, w.store);
    RETURN_IF_ERROR(editor.Write(byte, std::string_view(reinterpret_cast<char*>(buf), n)));
  }
  if (writes) RETURN_IF_ERROR(editor.Stage());
  RETURN_IF_ERROR(access.Commit());
  return replies;
}

}  // namespace strata::engine
