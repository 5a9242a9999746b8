// Versions a client sees: the Redis version whose behaviour Strata matches
// (clients read redis_version to choose commands) and Strata's own.
#pragma once

namespace strata::server {

inline constexpr const char* kRedisVersion = "7.0.15";
inline constexpr const char* kStrataVersion = "0.1.0";

}  // namespace strata::server
