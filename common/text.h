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

// Redis's glob: * ? [abc] [^a] [a-z] and \x escapes.
bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase = false);

// ASCII lower-casing.
std::string ToLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace strata
