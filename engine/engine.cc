// Engine::Open and the engine-wide state: column families and their options,
// the data-directory lock, the layout-version check, the database map and
// key counts, object ids and the WAL syncer.
#include "engine/engine.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/table_properties_collectors.h>
#include <rocksdb/version.h>
#include <rocksdb/write_buffer_manager.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "codec/layout.h"
#include "engine/engine_impl.h"
#include "engine/gc_filter.h"
#include "engine/hot_tier.h"
#include "engine/memory_budget.h"

namespace strata::engine {

namespace {

constexpr const char* kLayoutVersionKey = "layout-version";
constexpr const char* kNextObjectIdKey = "next-object-id";
constexpr const char* kNextPhysicalDbKey = "next-physical-db";
constexpr const char* kDbMapPrefix = "db-map";
constexpr const char* kDbSizePrefix = "db-size";
constexpr const char* kDbExpiresPrefix = "db-expires";
// The largest memtable a write goes into; see FamilyOptions.
constexpr uint64_t kActiveMemtableBytes = 4ull << 20;

// Signed 64-bit add, little-endian: the "db-size" counters. Merges commute,
// so concurrent commands can adjust a count without reading it.
class Int64AddOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* new_value, rocksdb::Logger*) const override {
    int64_t sum = Decode(value);
    if (existing != nullptr) sum += Decode(*existing);
    new_value->assign(reinterpret_cast<const char*>(&sum), sizeof(sum));
    return true;
  }
  const char* Name() const override { return "strata.Int64Add"; }

  static int64_t Decode(const rocksdb::Slice& s) {
    int64_t v = 0;
    if (s.size() == sizeof(v)) std::memcpy(&v, s.data(), sizeof(v));
    return v;
  }
};

Status FromRocks(const rocksdb::Status& s, const char* what) {
  if (s.ok()) return Status::Ok();
  return Status::IOError(std::string(what) + ": " + s.ToString());
}

Status LockDirectory(const std::string& dir, int* fd_out) {
  std::string path = dir + "/strata.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IOError("cannot open lock file " + path + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = {0};
    ssize_t n = ::pread(fd, pid, sizeof(pid) - 1, 0);
    ::close(fd);
    std::string holder = n > 0 ? std::string(pid, static_cast<size_t>(n)) : "unknown";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    return Status(StatusCode::kBusy, "data directory " + dir +
                                         " is locked by another strata-server (pid " + holder +
                                         ", lock file " + path + ")");
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The pid is informational only; the flock is what protects the directory.
  }
  *fd_out = fd;
  return Status::Ok();
}

struct CfSetup {
  const char* name;
  Cf cf;
};
constexpr CfSetup kColumnFamilies[] = {
    {codec::kCfDefault, Cf::kDefault},
    {codec::kCfKeys, Cf::kKeys},
    {codec::kCfObjects, Cf::kObjects},
    {codec::kCfHashFields, Cf::kHashFields},
    {codec::kCfSetMembers, Cf::kSetMembers},
    {codec::kCfListElements, Cf::kListElements},
    {codec::kCfZsetMembers, Cf::kZsetMembers},
    {codec::kCfZsetScores, Cf::kZsetScores},
    {codec::kCfStreamEntries, Cf::kStreamEntries},
    {codec::kCfChunks, Cf::kChunks},
    {codec::kCfExpiry, Cf::kExpiry},
};

bool IsSubkeyFamily(Cf cf) {
  switch (cf) {
    case Cf::kHashFields:
    case Cf::kSetMembers:
    case Cf::kListElements:
    case Cf::kZsetMembers:
    case Cf::kZsetScores:
    case Cf::kStreamEntries:
    case Cf::kChunks:
      return true;
    default:
      return false;
  }
}

// Per-family options follow each family's access pattern: point lookups with
// whole-key bloom filters on "keys" and "objects"; sub-key families are read
// by object-id prefix (seeks and point lookups), so they get an 8-byte prefix
// extractor with prefix blooms, and the GC compaction filter.
rocksdb::ColumnFamilyOptions FamilyOptions(Cf cf, const EngineOptions& opts,
                                           const MemoryBudget& budget,
                                           const std::shared_ptr<rocksdb::Cache>& cache,
                                           std::shared_ptr<GcFilterFactory>* gc_subkeys,
                                           std::shared_ptr<GcFilterFactory>* gc_objects) {
  rocksdb::ColumnFamilyOptions o;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = cache;
  t.cache_index_and_filter_blocks = true;
  t.pin_l0_filter_and_index_blocks_in_cache = true;
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10, false));
  t.format_version = 5;
  o.compression = rocksdb::kLZ4Compression;
  o.bottommost_compression = rocksdb::kZSTD;
  o.level_compaction_dynamic_level_bytes = true;
  // Memtables are small and merged at flush. An insert into RocksDB's skip
  // list costs one cache miss per node it passes, so its price grows with the
  // memtable: in a SET -P 16 profile, FindSpliceForLevel took 34% of the CPU
  // with one 64 MiB memtable and 12% with 4 MiB ones. Writes therefore go to
  // a memtable of at most kActiveMemtableBytes; full ones wait, still
  // readable, until write_buffer_bytes of them are flushed together as one
  // L0 file, so files stay as large as one big memtable would make them.
  // One memtable may not exceed what the WriteBufferManager allows in all.
  uint64_t flush_bytes =
      std::max<uint64_t>(1, std::min<uint64_t>(opts.write_buffer_bytes, budget.memtables));
  o.write_buffer_size = std::min(flush_bytes, kActiveMemtableBytes);
  o.min_write_buffer_number_to_merge =
      static_cast<int>((flush_bytes + o.write_buffer_size - 1) / o.write_buffer_size);
  // Two more: writes go on into a fresh memtable while a flush runs.
  o.max_write_buffer_number = o.min_write_buffer_number_to_merge + 2;
  // A bloom filter over the memtable's keys: most writes (SET of a new key,
  // HSET of a new field) first look their key up, and without it a miss
  // walks the whole skip list (measured: 16% of a pipelined SET workload's
  // CPU in InlineSkipList::FindGreaterOrEqual). 2% of the memtable's size.
  o.memtable_whole_key_filtering = true;
  o.memtable_prefix_bloom_size_ratio = 0.02;
  if (IsSubkeyFamily(cf)) {
    o.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(8));
    t.whole_key_filtering = true;
    o.compaction_filter_factory = *gc_subkeys;
  }
  if (cf == Cf::kObjects) o.compaction_filter_factory = *gc_objects;
  if (cf == Cf::kDefault) o.merge_operator = std::make_shared<Int64AddOperator>();
  if (cf == Cf::kExpiry) {
    // The expiry index is a queue: entries are deleted from its head. Files
    // dense with tombstones are compacted early so scans of the head stay short.
    o.table_properties_collector_factories.push_back(
        rocksdb::NewCompactOnDeletionCollectorFactory(1024, 512));
  }
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  return o;
}

Status ReadU64Record(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, const std::string& key,
                     uint64_t* out, bool* found) {
  std::string v;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), cf, key, &v);
  *found = false;
  if (s.IsNotFound()) return Status::Ok();
  RETURN_IF_ERROR(FromRocks(s, "reading server record"));
  if (v.size() == 8) {
    *out = codec::GetFixed64BE(v.data());
  } else if (v.size() == 4) {
    *out = codec::GetFixed32BE(v.data());
  } else {
    return Status::Corruption("server record " + key + " has a wrong size");
  }
  *found = true;
  return Status::Ok();
}

// Checks the layout version of an existing directory or stamps a new one.
Status CheckLayout(EngineImpl& e, bool existed) {
  std::string v;
  rocksdb::Status s = e.db->Get(rocksdb::ReadOptions(), e.cf(Cf::kDefault), kLayoutVersionKey, &v);
  if (s.IsNotFound()) {
    if (existed) {
      return Status(StatusCode::kNotSupported,
                    "data directory has no Strata layout version; refusing to use it");
    }
    rocksdb::WriteBatch batch;
    if (!batch.Put(e.cf(Cf::kDefault), kLayoutVersionKey, std::to_string(codec::kLayoutVersion))
             .ok()) {
      return Status::Internal("batch put");
    }
    return WriteDurably(e, &batch);
  }
  RETURN_IF_ERROR(FromRocks(s, "reading layout version"));
  if (v != std::to_string(codec::kLayoutVersion)) {
    return Status(StatusCode::kNotSupported,
                  "data directory has Strata layout version " + v + ", this build reads only " +
                      std::to_string(codec::kLayoutVersion) + "; refusing to touch it");
  }
  return Status::Ok();
}

// Loads the logical->physical database map, allocating ids for databases
// that have none yet, and each database's key count.
Status LoadDatabases(EngineImpl& e) {
  auto* def = e.cf(Cf::kDefault);
  uint64_t next_physical = 0;
  bool found;
  RETURN_IF_ERROR(ReadU64Record(e.db.get(), def, kNextPhysicalDbKey, &next_physical, &found));
  int n = e.options.databases;
  e.db_map.assign(n, 0);
  e.key_counts = std::make_unique<std::atomic<int64_t>[]>(n);
  e.expire_counts = std::make_unique<std::atomic<int64_t>[]>(n);
  rocksdb::WriteBatch batch;
  bool changed = false;
  for (int i = 0; i < n; ++i) {
    uint64_t phys;
    RETURN_IF_ERROR(ReadU64Record(e.db.get(), def, DbMapRecordKey(i), &phys, &found));
    if (!found) {
      phys = next_physical++;
      std::string v;
      codec::PutFixed32BE(&v, static_cast<uint32_t>(phys));
      if (!batch.Put(def, DbMapRecordKey(i), v).ok()) return Status::Internal("batch put");
      changed = true;
    }
    e.db_map[i] = static_cast<uint32_t>(phys);
    for (auto [record, counts] :
         {std::pair{DbSizeRecordKey(e.db_map[i]), e.key_counts.get()},
          std::pair{DbExpiresRecordKey(e.db_map[i]), e.expire_counts.get()}}) {
      std::string count;
      rocksdb::Status s = e.db->Get(rocksdb::ReadOptions(), def, record, &count);
      if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "reading key counts");
      counts[i] = s.ok() ? Int64AddOperator::Decode(count) : 0;
    }
  }
  if (changed) {
    std::string v;
    codec::PutFixed32BE(&v, static_cast<uint32_t>(next_physical));
    if (!batch.Put(def, kNextPhysicalDbKey, v).ok()) return Status::Internal("batch put");
    RETURN_IF_ERROR(WriteDurably(e, &batch));
  }
  return Status::Ok();
}

}  // namespace

Status WriteDurably(EngineImpl& e, rocksdb::WriteBatch* batch) {
  RETURN_IF_ERROR(FromRocks(e.db->Write(rocksdb::WriteOptions(), batch), "writing server records"));
  return FromRocks(e.db->FlushWAL(/*sync=*/true), "syncing the WAL");
}

std::string DbMapRecordKey(uint32_t logical_db) {
  std::string k = kDbMapPrefix;
  codec::PutFixed32BE(&k, logical_db);
  return k;
}

std::string DbSizeRecordKey(uint32_t physical_db) {
  std::string k = kDbSizePrefix;
  codec::PutFixed32BE(&k, physical_db);
  return k;
}

std::string DbExpiresRecordKey(uint32_t physical_db) {
  std::string k = kDbExpiresPrefix;
  codec::PutFixed32BE(&k, physical_db);
  return k;
}

StatusOr<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  auto impl = std::make_unique<EngineImpl>();
  impl->options = options;
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec)
    return Status::IOError("cannot create data directory " + options.dir + ": " + ec.message());
  RETURN_IF_ERROR(LockDirectory(options.dir, &impl->lock_fd));
  std::string db_path = options.dir + "/db";
  bool existed = std::filesystem::exists(db_path + "/CURRENT");

  impl->budget = PlanMemory(options.maxmemory, options.block_cache_bytes, options.hot_tier_bytes,
                            PhysicalRamBytes());
  const MemoryBudget& budget = impl->budget;
  auto cache = rocksdb::NewLRUCache(budget.block_cache);
  impl->block_cache = cache;
  impl->tier = std::make_unique<HotTier>(budget.hot_tier);
  auto gc_subkeys = std::make_shared<GcFilterFactory>(GcFilterFactory::Target::kSubkeys);
  auto gc_objects = std::make_shared<GcFilterFactory>(GcFilterFactory::Target::kObjects);
  rocksdb::DBOptions dbo;
  dbo.create_if_missing = true;
  dbo.create_missing_column_families = true;
  dbo.max_background_jobs = options.background_jobs;
  dbo.use_direct_reads = options.use_direct_reads;
  dbo.use_direct_io_for_flush_and_compaction = options.use_direct_reads;
  dbo.bytes_per_sync = 1 << 20;
  dbo.wal_bytes_per_sync = 0;
  // The WAL is written by FlushWal (engine.h) once per batch of replies, not
  // once per command: one write(2) for a whole pipeline, as Redis writes its
  // AOF buffer once per event-loop turn. Nothing is acknowledged before its
  // WAL record reached the OS, so a process crash still loses nothing.
  // (sync=true writes are never combined with it: see WriteDurably.)
  dbo.manual_wal_flush = true;
  // Writers that join a write group wait on a condition variable instead of
  // spinning and yielding: with as many I/O threads as cores, a spinning
  // follower steals the CPU its leader needs (16% of a SET -P 16 profile).
  dbo.enable_write_thread_adaptive_yield = false;
  // Memtables are charged to the block cache, so RocksDB's memory stays
  // inside one figure of the budget however many column families there are.
  impl->write_buffers = std::make_shared<rocksdb::WriteBufferManager>(budget.memtables, cache);
  dbo.write_buffer_manager = impl->write_buffers;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& f : kColumnFamilies) {
    descriptors.emplace_back(f.name,
                             FamilyOptions(f.cf, options, budget, cache, &gc_subkeys, &gc_objects));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(dbo, db_path, descriptors, &handles, &raw);
  if (!s.ok()) {
    ::close(impl->lock_fd);
    if (s.IsInvalidArgument() && existed) {
      return Status(StatusCode::kNotSupported,
                    "data directory " + options.dir +
                        " does not have Strata's column families: " + s.ToString());
    }
    return FromRocks(s, "opening RocksDB");
  }
  impl->db.reset(raw);
  impl->cfs = std::move(handles);
  auto engine = std::unique_ptr<Engine>(new Engine(std::move(impl)));
  EngineImpl& e = *engine->impl_;
  RETURN_IF_ERROR(CheckLayout(e, existed));
  RETURN_IF_ERROR(LoadDatabases(e));

  uint64_t mark = 1;
  bool found;
  RETURN_IF_ERROR(ReadU64Record(e.db.get(), e.cf(Cf::kDefault), kNextObjectIdKey, &mark, &found));
  EngineImpl* ep = &e;
  e.object_ids.Init(mark, [ep](uint64_t high_mark) {
    std::string v;
    codec::PutFixed64BE(&v, high_mark);
    rocksdb::WriteBatch batch;
    if (!batch.Put(ep->cf(Cf::kDefault), kNextObjectIdKey, v).ok()) {
      return Status::Internal("batch put");
    }
    return WriteDurably(*ep, &batch);
  });
  e.syncer = std::make_unique<WalSyncer>(e.db.get(), options.fsync);
  gc_subkeys->SetEngine(&e);
  gc_objects->SetEngine(&e);
  e.gc_factories = {gc_subkeys, gc_objects};
  return engine;
}

Engine::Engine(std::unique_ptr<EngineImpl> impl) : impl_(std::move(impl)) {}

Engine::~Engine() {
  EngineImpl& e = *impl_;
  if (e.db) {
    for (auto& f : e.gc_factories) f->SetEngine(nullptr);
    e.syncer.reset();  // final sync
    rocksdb::FlushOptions fo;
    e.db->Flush(fo, e.cfs).PermitUncheckedError();
    rocksdb::CancelAllBackgroundWork(e.db.get(), true);
    for (auto* h : e.cfs) e.db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    e.cfs.clear();
    e.db->Close().PermitUncheckedError();
    e.db.reset();
  }
  if (e.lock_fd >= 0) ::close(e.lock_fd);
}

const EngineOptions& Engine::options() const {
  return impl_->options;
}
int Engine::databases() const {
  return impl_->options.databases;
}
KeyLocks& Engine::locks() {
  return impl_->locks;
}

ReadyKeys& Engine::ready_keys() {
  return impl_->ready;
}

int64_t Engine::KeyCount(int logical_db) const {
  return impl_->key_counts[logical_db].load(std::memory_order_relaxed);
}

int64_t Engine::ExpiresCount(int logical_db) const {
  return impl_->expire_counts[logical_db].load(std::memory_order_relaxed);
}

void Engine::WhenSynced(uint64_t seq, std::function<void()> done) {
  impl_->syncer->WhenSynced(seq, std::move(done));
}

bool Engine::IsSynced(uint64_t seq) const {
  return impl_->syncer->IsSynced(seq);
}

bool Engine::IsWalFlushed(uint64_t seq) const {
  return impl_->syncer->IsFlushed(seq);
}

void Engine::ResizeMemory(uint64_t maxmemory) {
  EngineImpl& e = *impl_;
  std::lock_guard lock(e.budget_mu);
  MemoryBudget b = PlanMemory(maxmemory, e.options.block_cache_bytes, e.options.hot_tier_bytes,
                              PhysicalRamBytes());
  e.block_cache->SetCapacity(b.block_cache);
  e.write_buffers->SetBufferSize(b.memtables);
  e.tier->SetCapacity(b.hot_tier);
  e.budget = b;
}

uint64_t Engine::LatestSequence() const {
  return impl_->db->GetLatestSequenceNumber();
}

Status Engine::FlushWal(uint64_t seq) {
  return impl_->syncer->FlushUpTo(seq);
}

void Engine::CountInlineRetry() {
  impl_->inline_retries.fetch_add(1, std::memory_order_relaxed);
}

void Engine::SetKeyObserver(KeyObserver* observer) {
  impl_->key_observer = observer;
}

std::string Engine::Describe() const {
  const EngineOptions& o = impl_->options;
  return fmt::format(
      "RocksDB {}.{}.{}: {} column families, {} MB shared LRU block cache, {} MB write buffer "
      "per family, {} background jobs, data in {}/db",
      ROCKSDB_MAJOR, ROCKSDB_MINOR, ROCKSDB_PATCH, impl_->cfs.size(),
      impl_->budget.block_cache >> 20, o.write_buffer_bytes >> 20, o.background_jobs, o.dir);
}

EngineStats Engine::Stats() const {
  const EngineImpl& e = *impl_;
  EngineStats st;
  st.wal_syncs = e.syncer->syncs();
  st.synced_seq = e.syncer->synced_seq();
  st.latest_seq = e.db->GetLatestSequenceNumber();
  st.inline_retries = e.inline_retries.load(std::memory_order_relaxed);
  {
    std::lock_guard lock(e.budget_mu);
    st.budget = e.budget;
  }
  st.hot = e.tier->Stats();
  st.block_cache_usage = e.block_cache->GetUsage();
  st.bytes_written = e.bytes_written.load(std::memory_order_relaxed);
  uint64_t v = 0;
  for (auto* h : e.cfs) {
    if (e.db->GetIntProperty(h, "rocksdb.total-sst-files-size", &v)) st.sst_bytes += v;
    if (e.db->GetIntProperty(h, "rocksdb.cur-size-all-mem-tables", &v)) st.memtable_bytes += v;
  }
  if (e.db->GetIntProperty(e.cf(Cf::kKeys), "rocksdb.estimate-num-keys", &v)) st.estimated_keys = v;
  return st;
}

}  // namespace strata::engine
