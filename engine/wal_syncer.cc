// The WAL syncer thread; see wal_syncer.h.
#include "engine/wal_syncer.h"

#include <rocksdb/db.h>

#include <chrono>
#include <cstdio>
#include <vector>

namespace strata::engine {

WalSyncer::WalSyncer(rocksdb::DB* db, FsyncPolicy policy) : db_(db), policy_(policy) {
  synced_seq_ = db_->GetLatestSequenceNumber();
  flushed_seq_ = synced_seq_.load();
  thread_ = std::thread([this] { Run(); });
}

WalSyncer::~WalSyncer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  if (policy_ != FsyncPolicy::kNo) {
    (void)SyncOnce();
  } else {
    (void)FlushUpTo(db_->GetLatestSequenceNumber());
  }
}

Status WalSyncer::FlushUpTo(uint64_t seq) {
  if (flushed_seq_.load(std::memory_order_acquire) >= seq) return Status::Ok();
  // Records up to `latest` are in the buffer now; FlushWAL writes them all.
  uint64_t latest = db_->GetLatestSequenceNumber();
  rocksdb::Status s = db_->FlushWAL(/*sync=*/false);
  if (!s.ok()) return Status::IOError("WAL write failed: " + s.ToString());
  uint64_t prev = flushed_seq_.load(std::memory_order_relaxed);
  while (prev < latest && !flushed_seq_.compare_exchange_weak(prev, latest)) {
  }
  return Status::Ok();
}

void WalSyncer::WhenSynced(uint64_t seq, std::function<void()> done) {
  if (IsSynced(seq)) {
    done();
    return;
  }
  {
    std::lock_guard lock(mu_);
    waiters_.emplace(seq, std::move(done));
  }
  cv_.notify_one();
}

bool WalSyncer::SyncOnce() {
  uint64_t seq = db_->GetLatestSequenceNumber();
  if (seq <= synced_seq_.load(std::memory_order_relaxed)) return true;
  rocksdb::Status s = db_->FlushWAL(/*sync=*/true);  // writes the buffer, then syncs
  if (!s.ok()) {
    // Leave synced_seq_ where it was: waiters stay held and the next round
    // tries again. A failing disk holds replies rather than lying about them.
    std::fprintf(stderr, "WAL sync failed: %s\n", s.ToString().c_str());
    return false;
  }
  syncs_.fetch_add(1, std::memory_order_relaxed);
  uint64_t prev = flushed_seq_.load(std::memory_order_relaxed);
  while (prev < seq && !flushed_seq_.compare_exchange_weak(prev, seq)) {
  }
  synced_seq_.store(seq, std::memory_order_release);
  return true;
}

void WalSyncer::Run() {
  using namespace std::chrono_literals;
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (policy_ == FsyncPolicy::kAlways) {
      cv_.wait(lock, [this] { return stop_ || !waiters_.empty(); });
    } else {
      cv_.wait_for(lock, 1s, [this] { return stop_; });
    }
    if (stop_) break;
    if (policy_ == FsyncPolicy::kNo) {
      lock.unlock();
      Status st = FlushUpTo(db_->GetLatestSequenceNumber());
      if (!st.ok()) std::fprintf(stderr, "%s\n", st.ToString().c_str());
      lock.lock();
      continue;
    }
    lock.unlock();
    if (!SyncOnce()) std::this_thread::sleep_for(100ms);
    lock.lock();
    uint64_t synced = synced_seq_.load(std::memory_order_acquire);
    std::vector<std::function<void()>> ready;
    auto end = waiters_.upper_bound(synced);
    for (auto it = waiters_.begin(); it != end; ++it) ready.push_back(std::move(it->second));
    waiters_.erase(waiters_.begin(), end);
    lock.unlock();
    for (auto& f : ready) f();
    lock.lock();
  }
  // Release anyone still waiting after a final sync (in the destructor's
  // SyncOnce the data becomes durable; replies may go).
  auto rest = std::move(waiters_);
  lock.unlock();
  (void)SyncOnce();
  for (auto& [seq, f] : rest) f();
}

}  // namespace strata::engine
