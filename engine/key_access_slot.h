// KeyAccess::Slot: what one KeyAccess knows about one (db, key) it touched —
// the metadata as stored and as staged — and KeyAccess::StagedObject, the
// sub-key writes it staged for one collection object. Shared by engine/key_access.cc (metadata) and
// engine/key_access_subkeys.cc (sub-keys); nothing else includes it.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/hot_tier.h"
#include "engine/key_access.h"

namespace strata::engine {

struct KeyAccess::Slot {
  enum class State : unsigned char { kUnread, kAbsent, kLive, kExpired };
  int db = 0;  // logical database
  std::string key;
  std::string meta_key;
  State state = State::kUnread;
  // What is on disk (kLive / kExpired): shared with the hot tier when it
  // came from there or was admitted to it; its metadata is never modified.
  std::shared_ptr<const HotObject> stored;
  // What the command sees after a Put; installed in the tier by Commit.
  std::shared_ptr<HotObject> staged;
  bool live_now = false;         // the key exists for this command now
  bool expired_by_read = false;  // Find saw it expired and staged its deletion
  bool touched = false;          // a Put or Delete was staged for it
  bool from_tier = false;        // Find was served by the hot tier

  const codec::MetaValue& current() const { return staged ? staged->meta : stored->meta; }
  // The body of the object the command sees now, or null.
  ObjectBody* body() const {
    const HotObject* obj = staged ? staged.get() : stored.get();
    return obj != nullptr ? obj->body.get() : nullptr;
  }
  ObjectIndex* index() const {
    const HotObject* obj = staged ? staged.get() : stored.get();
    return obj != nullptr ? obj->index.get() : nullptr;
  }
};

// The sub-key writes an access staged for one object, keyed by its object id
// and not by the user key: within a transaction or script a key can be
// deleted and created again (a new object id) or renamed (the same object
// under another key), and the staged writes must follow the object — reads
// of the new object must not see the old one's writes, reads under the new
// name must see them.
struct KeyAccess::StagedObject {
  // Per family: subkey -> new value (nullopt: deleted). Applied to the
  // object's body in RAM after Commit.
  using Writes = std::map<std::string, std::optional<std::string>, std::less<>>;
  std::array<Writes, kSubFamilies> families;
  // Changes of the object's index family, in order (+1 PutSub, -1
  // DeleteSub), recorded while it has an index; applied to it after Commit.
  std::vector<std::pair<std::string, int>> index_changes;

  Writes& writes(SubFamily f) { return families[static_cast<size_t>(f)]; }
};

}  // namespace strata::engine
