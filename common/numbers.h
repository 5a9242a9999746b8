// Number parsing and formatting with Redis's exact rules, shared by the
// server (argument parsing) and the engine (INCR on stored strings).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata {

// Redis's string2ll: optional '-', decimal digits, no leading zeros (but "0"),
// no spaces or '+', within int64. Returns false otherwise.
bool ParseInt64(std::string_view s, int64_t* out);
// Decimal text of v.
std::string FormatInt64(int64_t v);
// Appends the decimal text of v to *out.
void AppendInt64(std::string* out, int64_t v);

}  // namespace strata
