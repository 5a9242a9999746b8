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

Status Store(KeyAccess& access, std::string_view key, const Loaded& loaded) {
  return PutString(access, key, loaded.hll, loaded.expire_ms, StringRepr::kRaw);
}

}  // namespace

StatusOr<bool> PfAdd(Engine& engine, OpContext& ctx, std::string_view key,
                     std::span<const std::string_view> elements, uint64_t sparse_max_bytes) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
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

StatusOr<uint64_t> CountOne(Engine& engine, OpContext& ctx, std::string_view key) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(std::optional<Loaded> loaded, LoadHll(access, key));
  if (!loaded) {
    RETURN_IF_ERROR(access.Commit());  // a lazy-expiry delete
    return uint64_t{0};
  }
  std::optional<uint64_t> card = hll::CachedCardinality(loaded->hll);
  bool corrupt = false;
  bool write = !loaded->raw;
  if (!card) {
    card = hll::Count(loaded->hll);
    if (card) {
      hll::SetCachedCardinality(&loaded->hll, *card);
      write = true;
    } else {
      corrupt = true;
    }
  }
  if (write) RETURN_IF_ERROR(Store(access, key, *loaded));
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
    if (!loaded) continue;
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
