// HotTier: sharded S3-FIFO over decoded objects; see hot_tier.h.
#include "engine/hot_tier.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

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

// One cached key. Allocated as one block with the key's bytes right after
// it (Entry::Create), and laid out so that a lookup hit touches adjacent
// memory only: the fields every Lookup reads come first, the queue links
// and charge (touched by admission and eviction) after them, then the key.
// With the key in a separate heap string a hit cost one more cache miss,
// which on these VMs was a tenth of a pipelined GET.
struct Entry {
  uint64_t hash = 0;  // HashKey(key), kept for the index and the ghost
  std::shared_ptr<const HotObject> obj;
  uint64_t last_access_ms = 0;
  uint32_t key_size = 0;
  uint8_t freq = 0;
  uint8_t lfu = kLfuInitValue;  // Redis's LFU counter as of last_access_ms
  Queue queue = Queue::kSmall;
  uint64_t charge = 0;
  Entry* prev = nullptr;  // toward the head (newest)
  Entry* next = nullptr;  // toward the tail (oldest)

  std::string_view key() const { return {reinterpret_cast<const char*>(this + 1), key_size}; }

  static Entry* Create(std::string_view key, uint64_t hash) {
    void* block = ::operator new(sizeof(Entry) + key.size());
    auto* e = new (block) Entry();
    e->hash = hash;
    e->key_size = static_cast<uint32_t>(key.size());
    std::memcpy(reinterpret_cast<char*>(e + 1), key.data(), key.size());
    return e;
  }
  static void Destroy(Entry* e) {
    e->~Entry();
    ::operator delete(e);
  }
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

// Uniform in [0, 1), from a xorshift64 state (Marsaglia): the LFU counter's
// coin flip runs on every hit, so it should cost a few instructions.
double NextUniform(uint64_t& state) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return static_cast<double>(state >> 11) * 0x1.0p-53;
}

uint64_t HashKey(std::string_view key) {
  return std::hash<std::string_view>{}(key);
}

// A shard's key -> Entry index: open addressing with linear probing over
// (hash, Entry*) slots, at most half full. Every command looks its key up
// here once or twice; std::unordered_map's find walked a bucket, a node and
// the key's heap copy (three cache misses before the Entry itself) and took
// 6-10% of a pipelined INCR/EVALSHA profile. Here a probe reads one slot
// and, when the 64-bit hashes match, the Entry. Deletion shifts the
// following run back (no tombstones), so probe runs stay short.
class EntryIndex {
 public:
  EntryIndex() : slots_(kInitialSlots) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  Entry* Find(std::string_view key, uint64_t hash) const {
    for (size_t i = hash & mask();; i = (i + 1) & mask()) {
      const Slot& slot = slots_[i];
      if (slot.entry == nullptr) return nullptr;
      if (slot.hash == hash && slot.entry->key() == key) return slot.entry;
    }
  }

  // `e` must not be indexed yet.
  void Insert(Entry* e) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    Place(e);
    ++size_;
  }

  void Erase(const Entry* e) {
    size_t i = e->hash & mask();
    while (slots_[i].entry != e) i = (i + 1) & mask();
    // Backward-shift: move each later member of the run whose home is not
    // in (hole, its position] into the hole.
    for (size_t j = (i + 1) & mask(); slots_[j].entry != nullptr; j = (j + 1) & mask()) {
      size_t home = slots_[j].hash & mask();
      bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (stays) continue;
      slots_[i] = slots_[j];
      i = j;
    }
    slots_[i] = Slot{};
    --size_;
  }

  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const Slot& slot : slots_) {
      if (slot.entry != nullptr) fn(slot.entry);
    }
  }

 private:
  static constexpr size_t kInitialSlots = 64;
  struct Slot {
    uint64_t hash = 0;
    Entry* entry = nullptr;
  };

  size_t mask() const { return slots_.size() - 1; }

  void Place(Entry* e) {
    size_t i = e->hash & mask();
    while (slots_[i].entry != nullptr) i = (i + 1) & mask();
    slots_[i] = Slot{e->hash, e};
  }

  void Grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& slot : old) {
      if (slot.entry != nullptr) Place(slot.entry);
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

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
  // Owns its entries: each is created by Insert and deleted by Destroy.
  EntryIndex index;
  Fifo small;
  Fifo main;
  // Ghost: (hash, push number) in push order, and hash -> its latest push
  // number. A fifo entry whose number is not its hash's latest (taken, or
  // pushed again since) is dead and ages out without touching the map.
  std::deque<std::pair<uint64_t, uint64_t>> ghost_fifo;
  std::unordered_map<uint64_t, uint64_t> ghost;
  uint64_t ghost_pushes = 0;
  mutable uint64_t hits = 0, misses = 0;
  uint64_t rng = 0x9e3779b97f4a7c15ull;  // xorshift64 state: the LFU counter's coin flips
  uint64_t admissions = 0, demotions = 0, rejections = 0;

  ~Shard() {
    index.ForEach([](Entry* e) { Entry::Destroy(e); });
  }

  Fifo& QueueOf(const Entry& e) { return e.queue == Queue::kSmall ? small : main; }

  // Takes `e`, already out of its queue, out of the index and frees it.
  void Destroy(Entry* e) {
    index.Erase(e);
    Entry::Destroy(e);
  }

  void Remove(Entry* e) {
    QueueOf(*e).Unlink(e);
    bytes -= e->charge;
    if (e->queue == Queue::kSmall) small_bytes -= e->charge;
    Destroy(e);
  }

  void RememberGhost(uint64_t h) {
    ghost_fifo.emplace_back(h, ++ghost_pushes);
    ghost[h] = ghost_pushes;
    size_t limit = std::max(kMinGhost, index.size());
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
    RememberGhost(e->hash);
    bytes -= e->charge;
    ++demotions;
    Destroy(e);
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
    Destroy(e);
  }

  void EvictToCapacity() {
    while (bytes > capacity && !index.empty()) {
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

HotTier::Shard& HotTier::ShardFor(uint64_t hash) const {
  // The high bits pick the shard, the low ones a slot of its index; the
  // ghost keeps the whole hash.
  return *shards_[(hash >> 48) % kShards];
}

uint64_t HotTier::Charge(std::string_view meta_key, const HotObject& obj) {
  // Entry, map node and control block, plus the strings' heap parts;
  // allocator rounding is absorbed by the per-object constant.
  constexpr uint64_t kPerObject = sizeof(Entry) + sizeof(HotObject) + 96;
  uint64_t body = obj.body != nullptr ? sizeof(ObjectBody) + obj.body->bytes() : 0;
  uint64_t index = obj.index != nullptr ? obj.index->bytes() : 0;
  return kPerObject + meta_key.size() + obj.meta.value.capacity() + body + index;
}

uint64_t ObjectBody::NodeBytes(const std::string& k, const std::string& v) {
  // A std::map node (three pointers, colour, two strings) and the strings'
  // heap parts when they outgrow the small-string buffer.
  constexpr uint64_t kNode = 32 + 2 * sizeof(std::string) + 16;
  auto heap = [](const std::string& s) { return s.size() > 15 ? s.capacity() + 1 : 0; };
  return kNode + heap(k) + heap(v);
}

void ObjectBody::HoldOnly(SubFamily f) {
  for (size_t i = 0; i < kSubFamilies; ++i) {
    if (i == static_cast<size_t>(f)) continue;
    for (const auto& [k, v] : families_[i]) bytes_ -= NodeBytes(k, v);
    elements_ -= families_[i].size();
    families_[i].clear();
  }
  held_ = static_cast<uint8_t>(1u << static_cast<size_t>(f));
}

void ObjectBody::Apply(SubFamily f, std::string_view subkey, const std::string* value) {
  if (!holds(f)) return;
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
  uint64_t hash = HashKey(meta_key);
  Shard& s = ShardFor(hash);
  std::lock_guard lock(s.mu);
  Entry* found = s.index.Find(meta_key, hash);
  bool touch = Touching();
  if (found == nullptr) {
    if (touch) ++s.misses;
    return nullptr;
  }
  Entry& e = *found;
  if (!touch) return e.obj;
  ++s.hits;
  if (e.freq < kMaxFrequency) ++e.freq;
  double r = NextUniform(s.rng);
  e.lfu = LfuOnAccess(e.lfu, e.last_access_ms, now_ms, lfu_params(), r);
  e.last_access_ms = now_ms;
  return e.obj;
}

bool HotTier::Peek(std::string_view meta_key, HotAccessInfo* info) const {
  uint64_t hash = HashKey(meta_key);
  Shard& s = ShardFor(hash);
  std::lock_guard lock(s.mu);
  const Entry* found = s.index.Find(meta_key, hash);
  if (found == nullptr) return false;
  const Entry& e = *found;
  info->last_access_ms = e.last_access_ms;
  info->frequency = e.freq;
  info->lfu_counter = e.lfu;
  info->charge = e.charge;
  return true;
}

void HotTier::SetAccess(std::string_view meta_key, uint64_t last_access_ms, int lfu_counter) {
  uint64_t hash = HashKey(meta_key);
  Shard& s = ShardFor(hash);
  std::lock_guard lock(s.mu);
  Entry* found = s.index.Find(meta_key, hash);
  if (found == nullptr) return;
  found->last_access_ms = last_access_ms;
  if (lfu_counter >= 0) found->lfu = static_cast<uint8_t>(lfu_counter);
}

void HotTier::Insert(std::string_view meta_key, std::shared_ptr<const HotObject> obj,
                     uint64_t now_ms) {
  uint64_t charge = Charge(meta_key, *obj);
  uint64_t hash = HashKey(meta_key);
  Shard& s = ShardFor(hash);
  std::lock_guard lock(s.mu);
  Entry* found = s.index.Find(meta_key, hash);
  if (found == nullptr && !Touching()) return;  // a NoTouchScope read admits nothing
  if (charge > s.capacity / 4) {
    ++s.rejections;
    if (found != nullptr) s.Remove(found);
    return;
  }
  if (found != nullptr) {
    // A new version of a cached object: same place in the queues, counted
    // as an access by the policy. The LFU counter is left alone: the
    // command's Find already counted its access (see hot_tier.h).
    Entry& e = *found;
    s.bytes += charge - e.charge;
    if (e.queue == Queue::kSmall) s.small_bytes += charge - e.charge;
    e.charge = charge;
    e.obj = std::move(obj);
    if (Touching()) {
      if (e.freq < kMaxFrequency) ++e.freq;
      e.last_access_ms = now_ms;
    }
  } else {
    Entry* e = Entry::Create(meta_key, hash);
    e->obj = std::move(obj);
    e->charge = charge;
    e->last_access_ms = now_ms;
    s.index.Insert(e);
    if (s.TakeGhost(hash)) {
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
  uint64_t hash = HashKey(meta_key);
  Shard& s = ShardFor(hash);
  std::lock_guard lock(s.mu);
  if (Entry* e = s.index.Find(meta_key, hash); e != nullptr) s.Remove(e);
}

void HotTier::DropPrefix(std::string_view prefix) {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    std::vector<Entry*> doomed;
    shard->index.ForEach([&](Entry* e) {
      if (e->key().starts_with(prefix)) doomed.push_back(e);
    });
    for (Entry* e : doomed) shard->Remove(e);
  }
}

void HotTier::Clear() {
  DropPrefix(std::string_view());
}

bool HotTier::Admits(uint64_t charge) const {
  Shard& s = *shards_[0];  // every shard has the same budget
  std::lock_guard lock(s.mu);
  return charge <= s.capacity / 4;
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
    st.objects += shard->index.size();
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
