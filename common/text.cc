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

// A port of Redis 7.0's stringmatchlen_impl (util.c), quirk for quirk:
// consecutive '*' collapse; '[' classes with '^' negation, a-z ranges
// (swapped when reversed, compared as signed chars like Redis's `int c =
// string[0]`), '\\' escapes inside (compared without case folding, as Redis
// does) and an unterminated class closing at the pattern's end; a lone
// trailing '\\' is literal. `skip_longer` is Redis's skipLongerMatches: once
// the rest of a pattern after a '*' matched nowhere in the rest of the text, no
// earlier '*' can do better, which bounds the work on patterns like
// "*a*a*a*b"; `nesting` stops at 1000 levels as Redis does (no match).
class Matcher {
 public:
  explicit Matcher(bool nocase) : nocase_(nocase) {}

  bool Match(const char* p, size_t plen, const char* s, size_t slen, int nesting) {
    if (nesting > 1000) return false;
    while (plen > 0 && slen > 0) {
      switch (p[0]) {
        case '*':
          while (plen > 1 && p[1] == '*') {
            ++p;
            --plen;
          }
          if (plen == 1) return true;
          while (slen > 0) {
            if (Match(p + 1, plen - 1, s, slen, nesting + 1)) return true;
            if (skip_longer_) return false;
            ++s;
            --slen;
          }
          skip_longer_ = true;
          return false;
        case '?':
          ++s;
          --slen;
          break;
        case '[':
          if (!MatchClass(&p, &plen, s[0])) return false;
          ++s;
          --slen;
          break;
        case '\\':
          if (plen >= 2) {
            ++p;
            --plen;
          }
          [[fallthrough]];
        default:
          if (Fold(p[0]) != Fold(s[0])) return false;
          ++s;
          --slen;
          break;
      }
      ++p;
      --plen;
      if (slen == 0) {
        while (plen > 0 && p[0] == '*') {
          ++p;
          --plen;
        }
        break;
      }
    }
    return plen == 0 && slen == 0;
  }

 private:
  // A byte as Redis's C code sees it (a signed char), lower-cased with nocase;
  // tolower leaves negative values alone, as glibc's does in the C locale.
  int Fold(int v) const { return nocase_ && v >= 0 ? std::tolower(v) : v; }
  int Fold(char c) const { return Fold(static_cast<int>(static_cast<signed char>(c))); }

  // *p is at '['; leaves *p on the class's last character (its ']', or the
  // pattern's last character when unterminated), as Redis does.
  bool MatchClass(const char** pp, size_t* pplen, char c) {
    const char* p = *pp + 1;
    size_t plen = *pplen - 1;
    bool negate = plen > 0 && p[0] == '^';
    if (negate) {
      ++p;
      --plen;
    }
    bool match = false;
    while (true) {
      if (plen >= 2 && p[0] == '\\') {
        ++p;
        --plen;
        if (p[0] == c) match = true;
      } else if (plen == 0) {
        --p;
        ++plen;
        break;
      } else if (p[0] == ']') {
        break;
      } else if (plen >= 3 && p[1] == '-') {
        int start = static_cast<signed char>(p[0]);
        int end = static_cast<signed char>(p[2]);
        int v = static_cast<signed char>(c);
        if (start > end) std::swap(start, end);
        start = Fold(start);
        end = Fold(end);
        v = Fold(v);
        p += 2;
        plen -= 2;
        if (v >= start && v <= end) match = true;
      } else if (Fold(p[0]) == Fold(c)) {
        match = true;
      }
      ++p;
      --plen;
    }
    *pp = p;
    *pplen = plen;
    return negate ? !match : match;
  }

  bool nocase_;
  bool skip_longer_ = false;
};

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase) {
  Matcher m(nocase);
  return m.Match(pattern.data(), pattern.size(), text.data(), text.size(), 0);
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
