// sdssplitargs- and stringmatchlen-compatible text helpers; see text.h.
#include "common/text.h"

#include <cctype>

namespace strata {

namespace {
bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return (std::tolower(static_cast<unsigned char>(c)) - 'a') + 10;
}
bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f'; }
}  // namespace

bool SplitArgs(std::string_view line, std::vector<std::string>* out) {
  out->clear();
  size_t p = 0, n = line.size();
  while (true) {
    while (p < n && IsSpace(line[p])) ++p;
    if (p >= n) return true;
    bool in_dq = false, in_sq = false, done = false;
    std::string cur;
    while (!done) {
      if (in_dq) {
        if (p >= n) return false;
        if (line[p] == '\\' && p + 3 < n && line[p + 1] == 'x' && IsHex(line[p + 2]) &&
            IsHex(line[p + 3])) {
          cur.push_back(static_cast<char>(HexValue(line[p + 2]) * 16 + HexValue(line[p + 3])));
          p += 3;
        } else if (line[p] == '\\' && p + 1 < n) {
          ++p;
          char c = line[p];
          switch (c) {
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'b': c = '\b'; break;
            case 'a': c = '\a'; break;
            default: break;
          }
          cur.push_back(c);
        } else if (line[p] == '"') {
          if (p + 1 < n && !IsSpace(line[p + 1])) return false;
          done = true;
        } else {
          cur.push_back(line[p]);
        }
      } else if (in_sq) {
        if (p >= n) return false;
        if (line[p] == '\\' && p + 1 < n && line[p + 1] == '\'') {
          ++p;
          cur.push_back('\'');
        } else if (line[p] == '\'') {
          if (p + 1 < n && !IsSpace(line[p + 1])) return false;
          done = true;
        } else {
          cur.push_back(line[p]);
        }
      } else {
        if (p >= n) {
          done = true;
          break;
        }
        switch (line[p]) {
          case ' ': case '\n': case '\r': case '\t': case '\0':
            done = true;
            break;
          case '"': in_dq = true; break;
          case '\'': in_sq = true; break;
          default: cur.push_back(line[p]); break;
        }
      }
      if (p < n) ++p;
    }
    out->push_back(std::move(cur));
  }
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
