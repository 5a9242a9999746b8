// Operations that move or duplicate a whole key: RENAME, RENAMENX, MOVE and
// COPY (with DB and REPLACE).
//
// Each is one command through one KeyAccess (engine/key_access.h): both keys
// are locked together (in two databases for MOVE and COPY ... DB), and the
// whole change is one WriteBatch, so no other client ever sees the key in
// both places or in neither.
//
// Collections (codec/layout.h, decision 1):
//   - RENAME and MOVE keep the collection's object id: only the metadata
//     record moves, and the `objects` record is re-pointed at the new owner
//     (O(1), no sub-key is touched; the GC filter keeps the sub-keys alive).
//   - COPY gives the copy a fresh object id and copies every sub-key of the
//     source object, in every sub-key family, under the new id (O(N), as in
//     Redis).
// Expiry: RENAME and MOVE keep the TTL, COPY copies it; the expiry index and
// the per-database key and TTL counts follow in the same batch.
#pragma once

#include <string_view>

#include "common/status.h"
#include "engine/op_context.h"

namespace strata::engine {

class Engine;

// RENAME (only_if_absent false) / RENAMENX (true) in the context's database.
// kNotFound when `from` does not exist. Returns whether the key was renamed:
// RENAMENX onto an existing key (or onto itself) returns false; RENAME of a
// key onto itself changes nothing and returns true.
StatusOr<bool> RenameKey(Engine& engine, OpContext& ctx, std::string_view from, std::string_view to,
                         bool only_if_absent);

// MOVE key to logical database `to_db` (REQUIRES: a valid database other than
// ctx.db). Returns false when the key does not exist or `to_db` has it.
StatusOr<bool> MoveKey(Engine& engine, OpContext& ctx, std::string_view key, int to_db);

// COPY `from` (in ctx.db) to `to` in `to_db` (REQUIRES: a valid database; not
// the same key of the same database). Returns false when `from` does not
// exist, or `to` does and `replace` is false.
StatusOr<bool> CopyKey(Engine& engine, OpContext& ctx, std::string_view from, std::string_view to,
                       int to_db, bool replace);

}  // namespace strata::engine
