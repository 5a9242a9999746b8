// The "function-libraries" server record; see function_store.h.
#include "engine/function_store.h"

#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/key_access.h"

namespace strata::engine {

namespace {
constexpr const char* kFunctionLibrariesKey = "function-libraries";
}  // namespace

Status SaveFunctionLibraries(Engine& engine, std::string_view payload) {
  EngineImpl& e = engine.impl();
  rocksdb::WriteBatch batch;
  rocksdb::Status s = payload.empty() ? batch.Delete(e.cf(Cf::kDefault), kFunctionLibrariesKey)
                                      : batch.Put(e.cf(Cf::kDefault), kFunctionLibrariesKey,
                                                  rocksdb::Slice(payload.data(), payload.size()));
  if (!s.ok()) return Status::Internal("batch put");
  return WriteDurably(e, &batch);
}

StatusOr<std::string> LoadFunctionLibraries(Engine& engine) {
  EngineImpl& e = engine.impl();
  std::string value;
  rocksdb::Status s =
      e.db->Get(rocksdb::ReadOptions(), e.cf(Cf::kDefault), kFunctionLibrariesKey, &value);
  if (s.IsNotFound()) return std::string();
  if (Status st = FromRocksDb(s); !st.ok()) return st;
  return value;
}

}  // namespace strata::engine
