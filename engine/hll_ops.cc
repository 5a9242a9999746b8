// HyperLogLog operations over KeyAccess; see hll_ops.h.
#include "engine/hll_ops.h"

#include <optional>
#include <vector>

#include "codec/hyperloglog.h"
#include "engine/chunked_string.h"
#include "engine/key_access.h"

namespace strata::engine {

namespace hll = codec::hll;
using codec::MetaValue;
using codec::StringRepr;
using codec::ValueType;

namespace {

Status NotHll() {
  return Status(StatusCode::kInvalidArgument, std::string(kNotHllError));
}
Status CorruptHll() {
  return Status(StatusCode::kInvalidArgument, std::string(kCorruptHllError));
}

// An HLL read from a key.
struct Loaded {
  std::string hll;
  uint64_t expire_ms = 0;
  bool raw = false;  // stored as StringRepr::kRaw (no rewrite needed to "unshare" it)
};

// The HLL at `key`: nullopt when absent; kWrongType, NotHll().
StatusOr<std::optional<Loaded>> LoadHll(KeyAccess& access, std::string_view key) {
  auto found = access.Find(key);
  if (found.status().IsNotFound()) return std::optional<Loaded>();
  if (!found.ok()) return found.status();
  const MetaValue* meta = *found;
  if (meta->type != ValueType::kString) return Status::WrongType();
  Loaded loaded;
  loaded.expire_ms = meta->expire_ms;
  loaded.raw = meta->repr == StringRepr::kRaw;
  ASSIGN_OR_RETURN(loaded.hll, ReadWholeString(access, *meta));
  if (!hll::IsHll(loaded.hll)) return NotHll();
  return std::optional<Loaded>(std::move(loaded));
}

// Writes a whole HLL. A dense one is stored chunked (whatever its length),
// so that a later PFADD raising a register rewrites one chunk, not 12 KiB.
Status Store(KeyAccess& access, std::string_view key, const Loaded& loaded) {
  if (hll::EncodingOf(loaded.hll) == hll::Encoding::kDense) {
    return PutChunkedString(access, key, loaded.hll, loaded.expire_ms, StringRepr::kRaw);
  }
  return PutString(access, key, loaded.hll, loaded.expire_ms, StringRepr::kRaw);
}

// PFADD on a dense HLL stored chunked: reads the header and the bytes of
// the registers the elements hit, and writes back only the chunks changed.
// nullopt when the value is not a dense HLL after all (the caller takes the
// general path, which reports what it is).
StatusOr<std::optional<bool>> AddToChunkedDense(KeyAccess& access, std::string_view key,
                                                const MetaValue* meta,
                                                std::span<const std::string_view> elements) {
  StringEditor editor(access, key, meta);
  char header[hll::kHeaderSize];
  RETURN_IF_ERROR(editor.Read(0, sizeof(header), reinterpret_cast<unsigned char*>(header)));
  std::string_view header_view(header, sizeof(header));
  if (!hll::IsHllHeader(header_view, editor.length()) ||
      hll::EncodingOf(header_view) != hll::Encoding::kDense) {
    return std::optional<bool>();
  }
  bool updated = false;
  for (std::string_view element : elements) {
    hll::Pattern p = hll::PatternOf(element);
    hll::RegisterPlace at = hll::PlaceOf(p.index);
    uint8_t pair[2] = {0, 0};
    uint64_t offset = hll::kHeaderSize + at.byte;
    RETURN_IF_ERROR(editor.Read(offset, at.width, pair));
    if (p.count <= hll::GetRegisterInPair(pair, at.shift)) continue;
    hll::SetRegisterInPair(pair, at.shift, p.count);
    RETURN_IF_ERROR(
        editor.Write(offset, std::string_view(reinterpret_cast<char*>(pair), at.width)));
    updated = true;
  }
  if (updated && hll::CachedCardinality(header_view).has_value()) {
    std::string stale(header_view);
    hll::InvalidateCache(&stale);
    RETURN_IF_ERROR(editor.Write(0, stale));
  }
  if (updated || meta->repr != StringRepr::kRaw) RETURN_IF_ERROR(editor.Stage());
  return std::optional<bool>(updated);
}

}  // namespace

StatusOr<bool> PfAdd(Engine& engine, OpContext& ctx, std::string_view key,
                     std::span<const std::string_view> elements, uint64_t sparse_max_bytes) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  auto found = access.Find(key);
  if (found.ok() && (*found)->type == ValueType::kString && (*found)->chunked &&
      (*found)->count == hll::kDenseSize) {
    ASSIGN_OR_RETURN(std::optional<bool> fast, AddToChunkedDense(access, key, *found, elements));
    if (fast) {
      RETURN_IF_ERROR(access.Commit());
      return *fast;
    }
  }
  ASSIGN_OR_RETURN(std::optional<Loaded> loaded, LoadHll(access, key));
  bool updated = !loaded.has_value();
  if (!loaded) loaded.emplace().hll = hll::NewSparse();
  bool corrupt = false;
  for (std::string_view element : elements) {
    hll::Update u = hll::Add(&loaded->hll, element, sparse_max_bytes);
    if (u == hll::Update::kCorrupt) {
      corrupt = true;
      break;
    }
    updated |= u == hll::Update::kUpdated;
  }
  if (updated && !corrupt) hll::InvalidateCache(&loaded->hll);
  if (updated || !loaded->raw) RETURN_IF_ERROR(Store(access, key, *loaded));
  RETURN_IF_ERROR(access.Commit());
  if (corrupt) return CorruptHll();
  return updated;
}

namespace {

// Reads the header first: a valid cached count needs nothing more. A stale
// one is recomputed from the whole value and written into the header (for a
// chunked value, only the first chunk is rewritten).
StatusOr<uint64_t> CountOne(Engine& engine, OpContext& ctx, std::string_view key) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  auto found = access.Find(key);
  if (found.status().IsNotFound()) {
    RETURN_IF_ERROR(access.Commit());            // a lazy-expiry delete
    RaiseReadMiss(ctx.key_events, ctx.db, key);  // Redis's lookupKeyRead
    return uint64_t{0};
  }
  if (!found.ok()) return found.status();
  const MetaValue* meta = *found;
  if (meta->type != ValueType::kString) return Status::WrongType();
  ASSIGN_OR_RETURN(std::string header, ReadString(access, *meta, 0, hll::kHeaderSize));
  if (!hll::IsHllHeader(header, meta->string_length())) return NotHll();
  std::optional<uint64_t> card = hll::CachedCardinality(header);
  bool write = meta->repr != StringRepr::kRaw;  // Redis unshares the value first
  bool corrupt = false;
  StringEditor editor(access, key, meta);
  if (!card) {
    ASSIGN_OR_RETURN(std::string value, ReadWholeString(access, *meta));
    card = hll::Count(value);
    if (card) {
      hll::SetCachedCardinality(&header, *card);
      RETURN_IF_ERROR(editor.Write(0, header));
      write = true;
    } else {
      corrupt = true;
    }
  }
  if (write) RETURN_IF_ERROR(editor.Stage());
  RETURN_IF_ERROR(access.Commit());
  if (corrupt) return CorruptHll();
  return *card;
}

}  // namespace

StatusOr<uint64_t> PfCount(Engine& engine, OpContext& ctx, std::span<const std::string_view> keys) {
  if (keys.size() == 1) return CountOne(engine, ctx, keys[0]);
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(keys));
  hll::RegisterArray max{};
  for (std::string_view key : keys) {
    ASSIGN_OR_RETURN(std::optional<Loaded> loaded, LoadHll(access, key));
    if (loaded && !hll::MergeInto(loaded->hll, &max)) return CorruptHll();
  }
  return hll::CountRegisters(max);
}

Status PfMerge(Engine& engine, OpContext& ctx, std::string_view dest,
               std::span<const std::string_view> sources, uint64_t sparse_max_bytes) {
  // As Redis, the destination is the first input.
  std::vector<std::string_view> inputs;
  inputs.reserve(sources.size() + 1);
  inputs.push_back(dest);
  inputs.insert(inputs.end(), sources.begin(), sources.end());
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(inputs));
  hll::RegisterArray max{};
  bool use_dense = false;
  std::optional<Loaded> target;
  for (size_t i = 0; i < inputs.size(); ++i) {
    ASSIGN_OR_RETURN(std::optional<Loaded> loaded, LoadHll(access, inputs[i]));
    if (!loaded) {
      RaiseReadMiss(ctx.key_events, ctx.db, inputs[i]);  // Redis's lookupKeyRead
      continue;
    }
    use_dense |= hll::EncodingOf(loaded->hll) == hll::Encoding::kDense;
    if (!hll::MergeInto(loaded->hll, &max)) return CorruptHll();
    if (i == 0) target = std::move(loaded);
  }
  if (!target) target.emplace().hll = hll::NewSparse();
  if (use_dense && !hll::SparseToDense(&target->hll)) return CorruptHll();
  for (uint32_t i = 0; i < hll::kRegisters; ++i) {
    // Cannot fail: the target's runs were checked by MergeInto.
    if (max[i] != 0) (void)hll::SetRegister(&target->hll, i, max[i], sparse_max_bytes);
  }
  hll::InvalidateCache(&target->hll);
  RETURN_IF_ERROR(Store(access, dest, *target));
  return access.Commit();
}

StatusOr<PfDebugValue> PfDebugRead(Engine& engine, OpContext& ctx, std::string_view key,
                                   bool to_dense) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<Loaded> loaded, LoadHll(access, key));
  if (!loaded) {
    RETURN_IF_ERROR(access.Commit());  // a lazy-expiry delete
    return Status::NotFound();
  }
  PfDebugValue out;
  bool corrupt = false;
  if (to_dense && hll::EncodingOf(loaded->hll) == hll::Encoding::kSparse) {
    corrupt = !hll::SparseToDense(&loaded->hll);
    out.converted = !corrupt;
  }
  if (out.converted || !loaded->raw) RETURN_IF_ERROR(Store(access, key, *loaded));
  RETURN_IF_ERROR(access.Commit());
  if (corrupt) return CorruptHll();
  out.hll = std::move(loaded->hll);
  return out;
}

}  // namespace strata::engine
