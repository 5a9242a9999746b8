// Text utilities with Redis's exact rules: argument splitting (sdssplitargs,
// used by config files and inline commands) and glob matching
// (stringmatchlen, used by KEYS, SCAN MATCH, CONFIG GET, pub/sub patterns).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata {

// Splits a line into arguments as Redis's sdssplitargs: whitespace separated;
// "double quotes" with \n \r \t \b \a \\ \" and \xHH escapes; 'single quotes'
// with \'. A closing quote must be followed by a space or the end. Returns
// false on unbalanced quotes.
bool SplitArgs(std::string_view line, std::vector<std::string>* out);
// The same, appending the decoded bytes of all arguments to *out and each
// argument's (offset, length) in *out to *args: no allocation per argument.
// A NUL byte ends the line, as in Redis's C string.
bool SplitArgs(std::string_view line, std::string* out,
               std::vector<std::pair<size_t, size_t>>* args);

// Redis 7.0's glob (stringmatchlen), exactly: * ? [abc] [^a] [a-z] (reversed
// ranges swapped), \x escapes (also inside classes), an unterminated class
// closed by the pattern's end, a lone trailing backslash literal; recursion
// bounded as in Redis (more than 1000 nested '*' never match). `nocase` folds
// ASCII case (CONFIG GET, COMMAND LIST); KEYS, SCAN and pub/sub use it off.
bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase = false);

// ASCII lower-casing.
std::string ToLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace strata
