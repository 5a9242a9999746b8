// Key usage and memory estimates without touching the key; see access_ops.h.
#include "engine/access_ops.h"

#include <algorithm>

#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/hot_tier.h"
#include "engine/key_access.h"

namespace strata::engine {

uint64_t EstimateKeyMemory(std::string_view meta_key, const codec::MetaValue& meta) {
  HotObject shell;  // the metadata as the tier would hold it, without the value
  shell.meta.type = meta.type;
  uint64_t bytes = HotTier::Charge(meta_key, shell);
  if (meta.is_collection()) return bytes + meta.count * kElementBytes;
  return bytes + meta.string_length();
}

StatusOr<KeyUsage> InspectKey(Engine& engine, OpContext& ctx, std::string_view key) {
  HotTier::NoTouchScope no_touch;
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(key));
  ASSIGN_OR_RETURN(const codec::MetaValue* meta, access.Find(key));
  std::string meta_key;
  codec::AppendMetaKey(&meta_key, access.physical_db(), key);
  HotTier& tier = *engine.impl().tier;
  KeyUsage usage;
  usage.memory = EstimateKeyMemory(meta_key, *meta);
  HotAccessInfo info;
  if (tier.Peek(meta_key, &info)) {
    usage.in_ram = true;
    usage.idle_ms = ctx.now_ms > info.last_access_ms ? ctx.now_ms - info.last_access_ms : 0;
    usage.lfu_freq =
        LfuDecayed(info.lfu_counter, info.last_access_ms, ctx.now_ms, tier.lfu_params());
    usage.memory = std::max(usage.memory, info.charge);
  } else {
    usage.idle_ms = ctx.now_ms > tier.created_ms() ? ctx.now_ms - tier.created_ms() : 0;
  }
  return usage;
}

}  // namespace strata::engine
