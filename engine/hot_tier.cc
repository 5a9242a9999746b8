// HotTier: sharded S3-FIFO over decoded objects; see hot_tier.h.
#include "engine/hot_tier.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <unordered_map>

#include "engine/op_context.h"

namespace strata::engine {

namespace {

constexpr size_t kShards = 32;
constexpr uint8_t kMaxFrequency = 3;
// Share of a shard's bytes that the small (probation) queue may hold.
constexpr uint64_t kSmallPercent = 10;
// Ghost entries kept per shard at least, whatever the shard holds.
constexpr size_t kMinGhost = 256;

enum class Queue : unsigned char { kSmall, kMain };

struct Entry {
  std::string key;
  std::shared_ptr<const HotObject> obj;
  uint64_t charge = 0;
  uint64_t last_access_ms = 0;
  uint8_t freq = 0;
  uint8_t lfu = kLfuInitValue;  // Redis's LFU counter as of last_access_ms
  Queue queue = Queue::kSmall;
  Entry* prev = nullptr;  // toward the head (newest)
  Entry* next = nullptr;  // toward the tail (oldest)
};

// An intrusive FIFO: push at the head, evict from the tail, unlink anywhere.
class Fifo {
 public:
  void PushHead(Entry* e) {
    e->prev = nullptr;
    e->next = head_;
    if (head_ != nullptr) head_->prev = e;
    head_ = e;
    if (tail_ == nullptr) tail_ = e;
    ++count_;
  }
  void Unlink(Entry* e) {
    (e->prev != nullptr ? e->prev->next : head_) = e->next;
    (e->next != nullptr ? e->next->prev : tail_) = e->prev;
    e->prev = e->next = nullptr;
    --count_;
  }
  Entry* tail() const { return tail_; }
  size_t count() const { return count_; }

 private:
  Entry* head_ = nullptr;
  Entry* tail_ = nullptr;
  size_t count_ = 0;
};

uint64_t HashKey(std::string_view key) {
  return std::hash<std::string_view>{}(key);
}

// Depth of NoTouchScopes on this thread.
thread_local int no_touch_depth = 0;
bool Touching() {
  return no_touch_depth == 0;
}

}  // namespace

struct HotTier::Shard {
  mutable std::mutex mu;
  uint64_t capacity = 0;
  uint64_t bytes = 0;
  uint64_t small_bytes = 0;
  // Keys are views of Entry::key (entries are heap-allocated and stable).
  std::unordered_map<std::string_view, std::unique_ptr<Entry>> map;
  Fifo small;
  Fifo main;
  // Ghost: (hash, push number) in push order, and hash -> its latest push
  // number. A fifo entry whose number is not its hash's latest (taken, or
  // pushed again since) is dead and ages out without touching the map.
  std::deque<std::pair<uint64_t, uint64_t>> ghost_fifo;
  std::unordered_map<uint64_t, uint64_t> ghost;
  uint64_t ghost_pushes = 0;
  mutable uint64_t hits = 0, misses = 0;
  std::minstd_rand rng{0x5eed};  // the LFU counter's coin flips
  uint64_t admissions = 0, demotions = 0, rejections = 0;

  Fifo& QueueOf(const Entry& e) { return e.queue == Queue::kSmall ? small : main; }

  void Remove(Entry* e) {
    QueueOf(*e).Unlink(e);
    bytes -= e->charge;
    if (e->queue == Queue::kSmall) small_bytes -= e->charge;
    map.erase(std::string_view(e->key));  // destroys *e
  }

  void RememberGhost(uint64_t h) {
    ghost_fifo.emplace_back(h, ++ghost_pushes);
    ghost[h] = ghost_pushes;
    size_t limit = std::max(kMinGhost, map.size());
    while (ghost_fifo.size() > limit) {
      auto [old, push] = ghost_fifo.front();
      ghost_fifo.pop_front();
      auto it = ghost.find(old);
      if (it != ghost.end() && it->second == push) ghost.erase(it);
    }
  }

  bool TakeGhost(uint64_t h) {
    // Its fifo entries stay and age out as dead ones.
    return ghost.erase(h) > 0;
  }

  // Pushes the small queue's tail out: to main if it was used again while
  // on probation, else out of RAM (remembered in ghost).
  void EvictSmall() {
    Entry* e = small.tail();
    small.Unlink(e);
    small_bytes -= e->charge;
    if (e->freq > 0) {
      e->freq = 0;
      e->queue = Queue::kMain;
      main.PushHead(e);
      return;
    }
    RememberGhost(HashKey(e->key));
    bytes -= e->charge;
    ++demotions;
    map.erase(std::string_view(e->key));
  }

  // Main's tail gets another round if it was used since it last came by.
  void EvictMain() {
    Entry* e = main.tail();
    main.Unlink(e);
    if (e->freq > 0) {
      --e->freq;
      main.PushHead(e);
      return;
    }
    bytes -= e->charge;
    ++demotions;
    map.erase(std::string_view(e->key));
  }

  void EvictToCapacity() {
    while (bytes > capacity && !map.empty()) {
      bool small_over = small_bytes * 100 > capacity * kSmallPercent;
      if (small.count() > 0 && (small_over || main.count() == 0)) {
        EvictSmall();
      } else {
        EvictMain();
      }
    }
  }
};

HotTier::NoTouchScope::NoTouchScope() {
  ++no_touch_depth;
}
HotTier::NoTouchScope::~NoTouchScope() {
  --no_touch_depth;
}

HotTier::HotTier(uint64_t capacity_bytes) : created_ms_(NowMs()) {
  shards_.reserve(kShards);
  for (size_t i = 0; i < kShards; ++i) shards_.push_back(std::make_unique<Shard>());
  SetCapacity(capacity_bytes);
}

HotTier::~HotTier() = default;

HotTier::Shard& HotTier::ShardFor(std::string_view meta_key) const {
  // The high bits pick the shard; the ghost keeps the whole hash.
  return *shards_[(HashKey(meta_key) >> 48) % kShards];
}

uint64_t HotTier::Charge(std::string_view meta_key, const HotObject& obj) {
  // Entry, map node and control block, plus the strings' heap parts;
  // allocator rounding is absorbed by the per-object constant.
  constexpr uint64_t kPerObject = sizeof(Entry) + sizeof(HotObject) + 96;
  uint64_t body = obj.body != nullptr ? sizeof(ObjectBody) + obj.body->bytes() : 0;
  return kPerObject + meta_key.size() + obj.meta.value.capacity() + body;
}

uint64_t ObjectBody::NodeBytes(const std::string& k, const std::string& v) {
  // A std::map node (three pointers, colour, two strings) and the strings'
  // heap parts when they outgrow the small-string buffer.
  constexpr uint64_t kNode = 32 + 2 * sizeof(std::string) + 16;
  auto heap = [](const std::string& s) { return s.size() > 15 ? s.capacity() + 1 : 0; };
  return kNode + heap(k) + heap(v);
}

void ObjectBody::Apply(SubFamily f, std::string_view subkey, const std::string* value) {
  Map& m = family(f);
  auto it = m.find(subkey);
  if (it != m.end()) {
    bytes_ -= NodeBytes(it->first, it->second);
    if (value == nullptr) {
      m.erase(it);
      --elements_;
      return;
    }
    it->second = *value;
  } else {
    if (value == nullptr) return;
    it = m.emplace(std::string(subkey), *value).first;
    ++elements_;
  }
  bytes_ += NodeBytes(it->first, it->second);
}

std::shared_ptr<const HotObject> HotTier::Lookup(std::string_view meta_key, uint64_t now_ms) {
  Shard& s = ShardFor(meta_key);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(meta_key);
  bool touch = Touching();
  if (it == s.map.end()) {
    if (touch) ++s.misses;
    return nullptr;
  }
  Entry& e = *it->second;
  if (!touch) return e.obj;
  ++s.hits;
  if (e.freq < kMaxFrequency) ++e.freq;
  double r = std::uniform_real_distribution<double>(0.0, 1.0)(s.rng);
  e.lfu = LfuOnAccess(e.lfu, e.last_access_ms, now_ms, lfu_params(), r);
  e.last_access_ms = now_ms;
  return e.obj;
}

bool HotTier::Peek(std::string_view meta_key, HotAccessInfo* info) const {
  Shard& s = ShardFor(meta_key);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(meta_key);
  if (it == s.map.end()) return false;
  const Entry& e = *it->second;
  info->last_access_ms = e.last_access_ms;
  info->frequency = e.freq;
  info->lfu_counter = e.lfu;
  info->charge = e.charge;
  return true;
}

void HotTier::SetAccess(std::string_view meta_key, uint64_t last_access_ms, int lfu_counter) {
  Shard& s = ShardFor(meta_key);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(meta_key);
  if (it == s.map.end()) return;
  it->second->last_access_ms = last_access_ms;
  if (lfu_counter >= 0) it->second->lfu = static_cast<uint8_t>(lfu_counter);
}

void HotTier::Insert(std::string_view meta_key, std::shared_ptr<const HotObject> obj,
                     uint64_t now_ms) {
  uint64_t charge = Charge(meta_key, *obj);
  Shard& s = ShardFor(meta_key);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(meta_key);
  if (it == s.map.end() && !Touching()) return;  // a NoTouchScope read admits nothing
  if (charge > s.capacity / 4) {
    ++s.rejections;
    if (it != s.map.end()) s.Remove(it->second.get());
    return;
  }
  if (it != s.map.end()) {
    // A new version of a cached object: same place in the queues, counted
    // as an access by the policy. The LFU counter is left alone: the
    // command's Find already counted its access (see hot_tier.h).
    Entry& e = *it->second;
    s.bytes += charge - e.charge;
    if (e.queue == Queue::kSmall) s.small_bytes += charge - e.charge;
    e.charge = charge;
    e.obj = std::move(obj);
    if (Touching()) {
      if (e.freq < kMaxFrequency) ++e.freq;
      e.last_access_ms = now_ms;
    }
  } else {
    auto entry = std::make_unique<Entry>();
    entry->key.assign(meta_key);
    entry->obj = std::move(obj);
    entry->charge = charge;
    entry->last_access_ms = now_ms;
    Entry* e = entry.get();
    s.map.emplace(std::string_view(e->key), std::move(entry));
    if (s.TakeGhost(HashKey(meta_key))) {
      e->queue = Queue::kMain;
      s.main.PushHead(e);
    } else {
      e->queue = Queue::kSmall;
      s.small.PushHead(e);
      s.small_bytes += charge;
    }
    s.bytes += charge;
    ++s.admissions;
  }
  s.EvictToCapacity();
}

void HotTier::Erase(std::string_view meta_key) {
  Shard& s = ShardFor(meta_key);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(meta_key);
  if (it != s.map.end()) s.Remove(it->second.get());
}

void HotTier::DropPrefix(std::string_view prefix) {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    std::vector<Entry*> doomed;
    for (auto& [key, entry] : shard->map) {
      if (key.starts_with(prefix)) doomed.push_back(entry.get());
    }
    for (Entry* e : doomed) shard->Remove(e);
  }
}

void HotTier::Clear() {
  DropPrefix(std::string_view());
}

void HotTier::SetCapacity(uint64_t capacity_bytes) {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    shard->capacity = capacity_bytes / kShards;
    shard->EvictToCapacity();
  }
}

void HotTier::SetLfuParams(LfuParams p) {
  lfu_log_factor_.store(p.log_factor, std::memory_order_relaxed);
  lfu_decay_time_.store(p.decay_time, std::memory_order_relaxed);
}

LfuParams HotTier::lfu_params() const {
  return LfuParams{lfu_log_factor_.load(std::memory_order_relaxed),
                   lfu_decay_time_.load(std::memory_order_relaxed)};
}

HotTierStats HotTier::Stats() const {
  HotTierStats st;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    st.capacity_bytes += shard->capacity;
    st.used_bytes += shard->bytes;
    st.objects += shard->map.size();
    st.small_objects += shard->small.count();
    st.main_objects += shard->main.count();
    st.hits += shard->hits;
    st.misses += shard->misses;
    st.admissions += shard->admissions;
    st.demotions += shard->demotions;
    st.rejections += shard->rejections;
  }
  return st;
}

}  // namespace strata::engine
