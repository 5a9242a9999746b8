// The function libraries' server record: FUNCTION LOAD/DELETE/FLUSH/RESTORE
// keep every library's code in one record of the default column family
// ("function-libraries" -> the FUNCTION DUMP payload of all libraries,
// scripting/function_dump.h), written durably, and the server reads it back
// at start-up. The engine stores the bytes and does not interpret them.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace strata::engine {

class Engine;

// Replaces the stored libraries by `payload` (empty: none), durably: the
// record is in the synced WAL when this returns.
Status SaveFunctionLibraries(Engine& engine, std::string_view payload);
// The stored payload; empty when no library was ever stored.
StatusOr<std::string> LoadFunctionLibraries(Engine& engine);

}  // namespace strata::engine
