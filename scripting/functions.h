// Start-up of the function libraries: reads the stored libraries
// (engine/function_store.h) and installs them (scripting/function_registry.h).
#pragma once

#include "common/status.h"

namespace strata::engine {
class Engine;
}

namespace strata::scripting {

// Loads every stored library; a library that no longer loads is an error
// (the data directory was written by a server that accepted it).
Status LoadStoredFunctions(engine::Engine& engine);

}  // namespace strata::scripting
