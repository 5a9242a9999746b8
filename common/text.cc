// sdssplitargs- and stringmatchlen-compatible text helpers; see text.h.
#include "common/text.h"

#include <cctype>

namespace strata {

namespace {

// C's isspace() in the "C" locale, as sdssplitargs uses between arguments.
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// The byte "\<c>" stands for inside double quotes (other than "\xHH").
char Unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\a';
    default:
      return c;
  }
}

// One argument of sdssplitargs, starting at line[*i] (not a space); appends
// its decoded bytes to *out and leaves *i past it. `line` holds no NUL byte
// (FindLineEnd saw to that), so its end plays the part of sdssplitargs'
// terminating NUL. Returns false on unbalanced quotes.
bool ReadArg(std::string_view line, size_t* i, std::string* out) {
  const size_t n = line.size();
  auto at = [&](size_t k) { return k < n ? line[k] : '\0'; };
  // A closing quote must be followed by a space or the end of the line.
  auto closes = [&](size_t k) { return at(k + 1) == '\0' || IsSpace(at(k + 1)); };
  size_t p = *i;
  char quote = 0;  // '"' or '\'' while inside quotes.
  for (bool done = false; !done; p += p < n ? 1 : 0) {
    const char c = at(p);
    if (quote == 0) {
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0') {
        done = true;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else {
        out->push_back(c);
      }
    } else if (c == '\0') {
      return false;  // Unterminated quotes.
    } else if (c == quote) {
      if (!closes(p)) return false;
      done = true;
    } else if (quote == '"' && c == '\\' && at(p + 1) == 'x' && IsHexDigit(at(p + 2)) &&
               IsHexDigit(at(p + 3))) {
      out->push_back(static_cast<char>(HexDigitValue(at(p + 2)) * 16 + HexDigitValue(at(p + 3))));
      p += 3;
    } else if (quote == '"' && c == '\\' && at(p + 1) != '\0') {
      out->push_back(Unescape(at(++p)));
    } else if (quote == '\'' && c == '\\' && at(p + 1) == '\'') {
      out->push_back(at(++p));
    } else {
      out->push_back(c);
    }
  }
  *i = p;
  return true;
}

// sdssplitargs on `line`: appends the decoded arguments to *out and their
// (offset, length) in *out to *args. Returns false on unbalanced quotes.
bool SplitArgsImpl(std::string_view line, std::string* out,
                   std::vector<std::pair<size_t, size_t>>* args) {
  size_t i = 0;
  for (;;) {
    while (i < line.size() && IsSpace(line[i])) ++i;
    if (i == line.size()) return true;
    const size_t start = out->size();
    if (!ReadArg(line, &i, out)) return false;
    args->emplace_back(start, out->size() - start);
  }
}

}  // namespace

bool SplitArgs(std::string_view line, std::string* out,
               std::vector<std::pair<size_t, size_t>>* args) {
  return SplitArgsImpl(line, out, args);
}

bool SplitArgs(std::string_view line, std::vector<std::string>* out) {
  std::string bytes;
  std::vector<std::pair<size_t, size_t>> args;
  out->clear();
  if (!SplitArgsImpl(line, &bytes, &args)) return false;
  for (const auto& [offset, length] : args) out->push_back(bytes.substr(offset, length));
  return true;
}

namespace {

char Fold(char c, bool nocase) {
  return nocase ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

bool Match(const char* p, const char* pe, const char* s, const char* se, bool nocase, int depth) {
  if (depth > 1000) return false;  // Redis bounds recursion on pathological patterns too.
  while (p < pe && s < se) {
    switch (*p) {
      case '*':
        while (p + 1 < pe && p[1] == '*') ++p;
        if (p + 1 == pe) return true;
        for (const char* t = s; t <= se; ++t) {
          if (Match(p + 1, pe, t, se, nocase, depth + 1)) return true;
        }
        return false;
      case '?':
        ++s;
        break;
      case '[': {
        ++p;
        bool negate = p < pe && *p == '^';
        if (negate) ++p;
        bool matched = false;
        while (p < pe && *p != ']') {
          if (*p == '\\' && p + 1 < pe) {
            ++p;
            if (Fold(*p, nocase) == Fold(*s, nocase)) matched = true;
          } else if (p + 2 < pe && p[1] == '-') {
            char a = Fold(p[0], nocase), b = Fold(p[2], nocase), c = Fold(*s, nocase);
            if (a > b) std::swap(a, b);
            if (c >= a && c <= b) matched = true;
            p += 2;
          } else if (Fold(*p, nocase) == Fold(*s, nocase)) {
            matched = true;
          }
          ++p;
        }
        if (p >= pe) --p;  // an unterminated class: Redis treats the end as its close
        if (negate) matched = !matched;
        if (!matched) return false;
        ++s;
        break;
      }
      case '\\':
        if (p + 1 < pe) ++p;
        [[fallthrough]];
      default:
        if (Fold(*p, nocase) != Fold(*s, nocase)) return false;
        ++s;
        break;
    }
    ++p;
  }
  while (p < pe && *p == '*') ++p;
  return p == pe && s == se;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase) {
  return Match(pattern.data(), pattern.data() + pattern.size(), text.data(),
               text.data() + text.size(), nocase, 0);
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace strata
