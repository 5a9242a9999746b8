// SCAN, KEYS and RANDOMKEY over the ordered "keys" family; see scan_ops.h.
#include "engine/scan_ops.h"

#include <rocksdb/db.h>

#include <mutex>
#include <random>
#include <shared_mutex>

#include "common/text.h"
#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/key_access.h"

namespace strata::engine {

namespace {

// One live-or-not record met by an iteration: its position (slot and key) and value.
struct Record {
  std::string_view position;  // u16(slot) key
  std::string_view key;
  std::string_view value;
};

// Iterates the records of the context's database at or after `position` and
// before `end` (a position; empty: the database's end), calling `visit` until
// it returns false. Holds the database gate shared for the whole iteration.
// Returns whether the iteration reached `end`.
template <typename Visit>
StatusOr<bool> ForEachRecord(EngineImpl& e, const OpContext& ctx, std::string_view position,
                             std::string_view end, Visit visit) {
  auto& gate = e.locks.gate();
  std::shared_lock<std::shared_mutex> held;
  if (ctx.gate_exclusive) {
    // A transaction holds the gate exclusively (engine/transaction.h).
  } else if (ctx.may_block) {
    held = std::shared_lock(gate);
  } else if (!gate.try_lock_shared()) {
    return Status::WouldBlock();
  } else {
    held = std::shared_lock(gate, std::adopt_lock);
  }
  uint32_t physical = e.db_map[ctx.db];
  std::string first = codec::DbRangeBegin(physical);
  first.append(position);
  std::string upper = codec::DbRangeBegin(physical);
  if (end.empty()) {
    upper = codec::DbRangeEnd(physical);
  } else {
    upper.append(end);
  }
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  if (!ctx.may_block) ro.read_tier = rocksdb::kBlockCacheTier;
  std::unique_ptr<rocksdb::Iterator> it(e.db->NewIterator(ro, e.cf(Cf::kKeys)));
  constexpr size_t kDbPrefix = 4;
  constexpr size_t kMetaPrefix = 6;
  for (it->Seek(first); it->Valid(); it->Next()) {
    rocksdb::Slice k = it->key();
    if (k.size() < kMetaPrefix) return Status::Corruption("metadata key shorter than its prefix");
    Record r{std::string_view(k.data() + kDbPrefix, k.size() - kDbPrefix),
             std::string_view(k.data() + kMetaPrefix, k.size() - kMetaPrefix),
             it->value().ToStringView()};
    if (!visit(r)) return false;
  }
  RETURN_IF_ERROR(FromRocksDb(it->status()));
  return true;
}

// Whether a record is a live key the filter accepts.
StatusOr<bool> Accepts(const Record& r, const OpContext& ctx, const KeyFilter& filter) {
  if (filter.match_nothing) return false;
  codec::ValueType type;
  uint64_t expire_ms;
  RETURN_IF_ERROR(codec::PeekMetaHeader(r.value, &type, &expire_ms));
  if (expire_ms != 0 && expire_ms <= ctx.now_ms) return false;
  if (filter.type && *filter.type != type) return false;
  return !filter.pattern || GlobMatch(*filter.pattern, r.key);
}

}  // namespace

std::string SlotStartPosition(uint16_t slot) {
  std::string p;
  codec::PutFixed16BE(&p, slot);
  return p;
}

uint16_t PositionSlot(std::string_view position) {
  return position.size() < 2 ? 0 : codec::GetFixed16BE(position.data());
}

StatusOr<ScanPage> ScanKeys(Engine& engine, OpContext& ctx, std::string_view position, size_t count,
                            const KeyFilter& filter) {
  ScanPage page;
  size_t examined = 0;
  Status failed;
  ASSIGN_OR_RETURN(page.done, ForEachRecord(engine.impl(), ctx, position, {}, [&](const Record& r) {
                     if (examined == count) return false;
                     ++examined;
                     auto accepted = Accepts(r, ctx, filter);
                     if (!accepted.ok()) {
                       failed = accepted.status();
                       return false;
                     }
                     if (*accepted) page.keys.emplace_back(r.key);
                     page.next.assign(r.position);
                     page.next.push_back('\0');  // the immediate successor
                     return true;
                   }));
  RETURN_IF_ERROR(failed);
  if (page.done) page.next.clear();
  return page;
}

StatusOr<std::vector<std::string>> ListKeys(Engine& engine, OpContext& ctx,
                                            const KeyFilter& filter) {
  std::vector<std::string> keys;
  Status failed;
  auto visited = ForEachRecord(engine.impl(), ctx, {}, {}, [&](const Record& r) {
    auto accepted = Accepts(r, ctx, filter);
    if (!accepted.ok()) {
      failed = accepted.status();
      return false;
    }
    if (*accepted) keys.emplace_back(r.key);
    return true;
  });
  RETURN_IF_ERROR(visited.status());
  RETURN_IF_ERROR(failed);
  return keys;
}

StatusOr<std::optional<std::string>> RandomKey(Engine& engine, OpContext& ctx) {
  std::optional<std::string> found;
  if (engine.KeyCount(ctx.db) <= 0) return found;
  thread_local std::mt19937_64 rng{std::random_device{}()};
  // A random slot and random key bytes: a random point of the ordered range.
  std::string start = SlotStartPosition(static_cast<uint16_t>(rng() % 16384));
  uint64_t salt = rng();
  start.append(reinterpret_cast<const char*>(&salt), sizeof(salt));
  Status failed;
  auto take_first_live = [&](const Record& r) {
    auto live = Accepts(r, ctx, KeyFilter{});
    if (!live.ok()) {
      failed = live.status();
      return false;
    }
    if (*live) found.emplace(r.key);
    return !*live;
  };
  // From the random point to the end, then from the start up to it.
  RETURN_IF_ERROR(ForEachRecord(engine.impl(), ctx, start, {}, take_first_live).status());
  RETURN_IF_ERROR(failed);
  if (!found) {
    RETURN_IF_ERROR(ForEachRecord(engine.impl(), ctx, {}, start, take_first_live).status());
    RETURN_IF_ERROR(failed);
  }
  return found;
}

}  // namespace strata::engine
