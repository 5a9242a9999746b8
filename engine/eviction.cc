// The key-deleting evictor; see eviction.h.
#include "engine/eviction.h"

#include <rocksdb/db.h>

#include <chrono>
#include <mutex>
#include <shared_mutex>

#include "common/log.h"
#include "engine/access_ops.h"
#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/hot_tier.h"
#include "engine/key_access.h"
#include "engine/op_context.h"

namespace strata::engine {

namespace {

struct Sampled {
  int db = 0;  // logical database
  EvictionSample sample;
  uint64_t memory = 0;  // EstimateKeyMemory
};

// The logical database mapped to `physical`, or -1. REQUIRES: the gate.
int LogicalOf(const EngineImpl& e, uint32_t physical) {
  for (size_t i = 0; i < e.db_map.size(); ++i) {
    if (e.db_map[i] == physical) return static_cast<int>(i);
  }
  return -1;
}

// Fills the access bookkeeping of a sample from the tier (no access counted).
Sampled Describe(EngineImpl& e, int db, std::string_view meta_key, const codec::MetaValue& meta) {
  Sampled s;
  s.db = db;
  s.sample.meta_key.assign(meta_key);
  s.sample.expire_ms = meta.expire_ms;
  s.memory = EstimateKeyMemory(meta_key, meta);
  HotAccessInfo info;
  if (e.tier->Peek(meta_key, &info)) {
    s.sample.in_ram = true;
    s.sample.last_access_ms = info.last_access_ms;
    s.sample.lfu_counter = info.lfu_counter;
  }
  return s;
}

// Up to `n` live keys of logical database `db`, a run from a random point of
// its range (wrapping to its start), as RANDOMKEY seeks (engine/scan_ops.h).
Status SampleKeys(EngineImpl& e, int db, size_t n, uint64_t now_ms, std::mt19937_64& rng,
                  std::vector<Sampled>* out) {
  std::shared_lock gate(e.locks.gate());
  uint32_t physical = e.db_map[db];
  std::string begin = codec::DbRangeBegin(physical);
  std::string end = codec::DbRangeEnd(physical);
  std::string start = begin;
  codec::PutFixed16BE(&start, static_cast<uint16_t>(rng() % 16384));
  uint64_t salt = rng();
  start.append(reinterpret_cast<const char*>(&salt), sizeof(salt));
  rocksdb::Slice upper(end);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(e.db->NewIterator(ro, e.cf(Cf::kKeys)));
  size_t taken = 0;
  bool wrapped = false;
  it->Seek(start);
  // Examines at most 4n records: expired keys waiting for the expiry cycle
  // are skipped, not sampled.
  for (size_t examined = 0; taken < n && examined < 4 * n; ++examined) {
    if (!it->Valid()) {
      RETURN_IF_ERROR(FromRocksDb(it->status()));
      if (wrapped) break;
      wrapped = true;
      it->Seek(begin);
      if (!it->Valid()) break;
    }
    if (wrapped && it->key().compare(start) >= 0) break;
    auto meta = codec::DecodeMetaValue(it->value().ToStringView());
    if (!meta.ok()) return meta.status();
    if (meta->expire_ms == 0 || meta->expire_ms > now_ms) {
      out->push_back(Describe(e, db, it->key().ToStringView(), *meta));
      ++taken;
    }
    it->Next();
  }
  return FromRocksDb(it->status());
}

// Up to `n` live keys with a TTL, a run of the expiry index from its head
// (`from_head`) or from a random point between its first and last entries.
Status SampleVolatileKeys(EngineImpl& e, size_t n, bool from_head, uint64_t now_ms,
                          std::mt19937_64& rng, std::vector<Sampled>* out) {
  std::shared_lock gate(e.locks.gate());
  std::unique_ptr<rocksdb::Iterator> it(
      e.db->NewIterator(rocksdb::ReadOptions(), e.cf(Cf::kExpiry)));
  it->SeekToFirst();
  if (!it->Valid() || it->key().size() < 8) return FromRocksDb(it->status());
  if (!from_head) {
    uint64_t first = codec::GetFixed64BE(it->key().data());
    it->SeekToLast();
    uint64_t last = codec::GetFixed64BE(it->key().data());
    it->Seek(codec::EncodeExpiryKey(first + rng() % (last - first + 1), ""));
  }
  size_t taken = 0;
  for (size_t examined = 0; it->Valid() && taken < n && examined < 4 * n; ++examined, it->Next()) {
    std::string_view index_key = it->key().ToStringView();
    if (index_key.size() < 8) continue;
    uint64_t at = codec::GetFixed64BE(index_key.data());
    std::string_view meta_key = index_key.substr(8);
    auto mk = codec::DecodeMetaKey(meta_key);
    if (!mk.ok()) continue;
    int db = LogicalOf(e, mk->physical_db);
    if (db < 0 || at <= now_ms) continue;  // stale, or due: the expiry cycle's
    std::string value;
    rocksdb::Status s = e.db->Get(rocksdb::ReadOptions(), e.cf(Cf::kKeys), meta_key, &value);
    if (s.IsNotFound()) continue;  // a stale index entry
    RETURN_IF_ERROR(FromRocksDb(s));
    ASSIGN_OR_RETURN(codec::MetaValue meta, codec::DecodeMetaValue(value));
    if (meta.expire_ms != at) continue;
    out->push_back(Describe(e, db, meta_key, meta));
    ++taken;
  }
  return FromRocksDb(it->status());
}

// Deletes the key of `meta_key` if it still exists and, under a volatile
// policy, still has a TTL. Returns its logical database, or -1.
StatusOr<int> DeleteCandidate(Engine& engine, std::string_view meta_key, EvictionPolicy policy,
                              uint64_t now_ms) {
  EngineImpl& e = engine.impl();
  ASSIGN_OR_RETURN(codec::DecodedMetaKey mk, codec::DecodeMetaKey(meta_key));
  int db;
  {
    std::shared_lock gate(e.locks.gate());
    db = LogicalOf(e, mk.physical_db);
  }
  if (db < 0) return -1;
  HotTier::NoTouchScope no_touch;  // checking a candidate is not a use of it
  OpContext ctx;
  ctx.db = db;
  ctx.may_block = true;
  ctx.now_ms = now_ms;
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  RETURN_IF_ERROR(access.Lock(mk.key));
  if (access.physical_db() != mk.physical_db) return -1;  // SWAPDB in between
  auto found = access.Find(mk.key);
  bool evict = found.ok() && (!IsVolatile(policy) || (*found)->expire_ms != 0);
  if (!found.ok() && !found.status().IsNotFound()) return found.status();
  if (evict) access.Delete(mk.key);
  RETURN_IF_ERROR(access.Commit());  // may also carry a lazy-expiry delete
  return evict ? db : -1;
}

}  // namespace

Evictor::Evictor(Engine& engine, EvictedKeyFn on_evicted)
    : engine_(engine), on_evicted_(std::move(on_evicted)) {}

Evictor::~Evictor() {
  Stop();
}

void Evictor::Configure(const EvictionSettings& settings) {
  engine_.impl().tier->SetLfuParams(settings.lfu);
  std::lock_guard lock(settings_mu_);
  settings_ = settings;
}

EvictionSettings Evictor::settings() const {
  std::lock_guard lock(settings_mu_);
  return settings_;
}

void Evictor::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Evictor::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Evictor::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (!behind_) {
      cv_.wait_for(lock, std::chrono::milliseconds(kPeriodMs), [this] { return stop_; });
      if (stop_) break;
    }
    lock.unlock();
    auto evicted = RunTick();
    if (!evicted.ok()) LOG_WARNING("eviction: {}", evicted.status().ToString());
    lock.lock();
  }
}

int Evictor::PickDatabase() {
  int64_t total = 0;
  for (int db = 0; db < engine_.databases(); ++db)
    total += std::max<int64_t>(0, engine_.KeyCount(db));
  if (total == 0) return -1;
  auto pick = static_cast<int64_t>(rng_() % static_cast<uint64_t>(total));
  for (int db = 0; db < engine_.databases(); ++db) {
    pick -= std::max<int64_t>(0, engine_.KeyCount(db));
    if (pick < 0) return db;
  }
  return engine_.databases() - 1;  // counts moved meanwhile
}

StatusOr<uint64_t> Evictor::RefreshEstimate() {
  EngineImpl& e = engine_.impl();
  int64_t total = 0;
  for (int db = 0; db < engine_.databases(); ++db)
    total += std::max<int64_t>(0, engine_.KeyCount(db));
  int db = PickDatabase();
  if (total == 0 || db < 0) return uint64_t{0};
  std::vector<Sampled> samples;
  RETURN_IF_ERROR(SampleKeys(e, db, kEstimateSamples, NowMs(), rng_, &samples));
  if (!samples.empty()) {
    double sum = 0;
    for (const Sampled& s : samples) sum += static_cast<double>(s.memory);
    double mean = sum / static_cast<double>(samples.size());
    // The first sample sets the mean; later ones move it by a fifth.
    mean_key_bytes_ = mean_key_bytes_ == 0 ? mean : mean_key_bytes_ * 0.8 + mean * 0.2;
  }
  return static_cast<uint64_t>(mean_key_bytes_ * static_cast<double>(total));
}

StatusOr<bool> Evictor::EvictOne(const EvictionSettings& s) {
  EngineImpl& e = engine_.impl();
  uint64_t now = NowMs();
  std::vector<Sampled> samples;
  bool is_random = IsRandom(s.policy);
  size_t n = is_random ? 1 : static_cast<size_t>(s.samples);
  if (IsVolatile(s.policy)) {
    // The expiry index covers every database.
    RETURN_IF_ERROR(
        SampleVolatileKeys(e, n, s.policy == EvictionPolicy::kVolatileTtl, now, rng_, &samples));
  } else if (is_random) {
    int db = PickDatabase();
    if (db >= 0) RETURN_IF_ERROR(SampleKeys(e, db, 1, now, rng_, &samples));
  } else {
    for (int db = 0; db < engine_.databases(); ++db) {
      if (engine_.KeyCount(db) > 0) RETURN_IF_ERROR(SampleKeys(e, db, n, now, rng_, &samples));
    }
  }
  if (is_random) {
    for (const Sampled& c : samples) {
      ASSIGN_OR_RETURN(int db, DeleteCandidate(engine_, c.sample.meta_key, s.policy, now));
      if (db >= 0) {
        if (on_evicted_) on_evicted_(db, codec::DecodeMetaKey(c.sample.meta_key)->key);
        return true;
      }
    }
    return false;
  }
  for (const Sampled& c : samples) {
    pool_.Offer(c.sample.meta_key, EvictionScore(s.policy, c.sample, now, s.lfu));
  }
  while (auto best = pool_.PopBest()) {
    ASSIGN_OR_RETURN(int db, DeleteCandidate(engine_, *best, s.policy, now));
    if (db >= 0) {
      if (on_evicted_) on_evicted_(db, codec::DecodeMetaKey(*best)->key);
      return true;
    }
  }
  return false;
}

StatusOr<uint64_t> Evictor::RunTick() {
  EvictionSettings s = settings();
  if (s.policy == EvictionPolicy::kNoEviction || s.dataset_limit == 0) {
    pool_.Clear();
    behind_ = false;
    return uint64_t{0};
  }
  ASSIGN_OR_RETURN(uint64_t dataset, RefreshEstimate());
  dataset_bytes_.store(dataset, std::memory_order_relaxed);
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::milliseconds(kTickTimeLimitMs);
  uint64_t evicted = 0;
  // Each deleted key lowers the estimate by the mean key size.
  auto per_key = static_cast<uint64_t>(std::max(1.0, mean_key_bytes_));
  while (dataset > s.dataset_limit && evicted < kMaxKeysPerTick && Clock::now() < deadline) {
    ASSIGN_OR_RETURN(bool done, EvictOne(s));
    if (!done) break;  // nothing left that the policy may delete
    ++evicted;
    dataset = dataset > per_key ? dataset - per_key : 0;
  }
  evicted_keys_.fetch_add(evicted, std::memory_order_relaxed);
  behind_ = dataset > s.dataset_limit && evicted > 0;
  return evicted;
}

}  // namespace strata::engine
