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
// A SCAN cursor as Redis's parseScanCursorOrReply reads it with strtoul:
// decimal digits with an optional '+' or '-' ("-1" is 2^64-1, as C's
// negation of an unsigned), leading zeros allowed, "" is 0, text after a NUL
// byte ignored; rejected: a leading space, other trailing bytes, a value
// past 2^64-1.
bool ParseScanCursor(std::string_view s, uint64_t* out);
// Decimal text of v.
std::string FormatInt64(int64_t v);
// Appends the decimal text of v to *out.
void AppendInt64(std::string* out, int64_t v);

// Redis's getDoubleFromObject (ZADD scores, WEIGHTS): strtod over the whole
// text (no NUL byte inside, no leading space); not empty, not NaN, not an
// overflow to +-HUGE_VAL or an underflow to zero. "inf", "-inf", hex pass.
bool ParseDouble(std::string_view s, double* out);

// Redis's string2ld (INCRBYFLOAT): strtold over the text up to its first NUL
// byte, which must consume it all; no leading space; at most 5119 bytes; not
// NaN, not an overflow to +-HUGE_VAL, not an underflow to zero. "inf" passes.
bool ParseLongDouble(std::string_view s, long double* out);
// Redis's ld2string in LD_STR_HUMAN mode: "%.17Lf" with trailing zeros (and
// a trailing '.') dropped, and "-0" written "0". For finite values.
std::string FormatLongDouble(long double v);

}  // namespace strata
