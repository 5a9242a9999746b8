// Sorted-set argument parsing and reply shapes; see zset_args.h.
#include "server/commands/zset_args.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace strata::server {

namespace {

bool ParseScoreBound(std::string_view arg, double* value, bool* exclusive) {
  std::string text(arg.substr(0, arg.find('\0')));  // C string semantics
  const char* p = text.c_str();
  *exclusive = p[0] == '(';
  if (*exclusive) ++p;
  char* end = nullptr;
  *value = std::strtod(p, &end);
  return *end == '\0' && !std::isnan(*value);
}

bool ParseLexBound(std::string_view arg, engine::ZLexBound* out) {
  using Kind = engine::ZLexBound::Kind;
  if (arg.empty()) return false;
  bool alone = arg.size() == 1 || arg[1] == '\0';
  switch (arg[0]) {
    case '+':
    case '-':
      if (!alone) return false;
      out->kind = arg[0] == '+' ? Kind::kMax : Kind::kMin;
      out->exclusive = true;
      return true;
    case '(':
    case '[':
      out->kind = Kind::kValue;
      out->exclusive = arg[0] == '(';
      out->value.assign(arg.substr(1));
      return true;
    default:
      return false;
  }
}

}  // namespace

bool ParseScoreRange(std::string_view min, std::string_view max, engine::ZScoreRange* out) {
  return ParseScoreBound(min, &out->min, &out->minex) &&
         ParseScoreBound(max, &out->max, &out->maxex);
}

bool ParseLexRange(std::string_view min, std::string_view max, engine::ZLexRange* out) {
  return ParseLexBound(min, &out->min) && ParseLexBound(max, &out->max);
}

void ReplyEntries(CommandContext& ctx, std::span<const engine::ZEntry> entries, bool with_scores) {
  auto n = static_cast<int64_t>(entries.size());
  bool pairs = with_scores && ctx.reply->protocol() > 2;
  ctx.reply->ArrayHeader(with_scores && !pairs ? 2 * n : n);
  for (const engine::ZEntry& e : entries) {
    if (pairs) ctx.reply->ArrayHeader(2);
    ctx.reply->Bulk(e.member);
    if (with_scores) ctx.reply->Double(e.score);
  }
}

void ReplyPairs(CommandContext& ctx, std::span<const engine::ZEntry> entries) {
  ctx.reply->ArrayHeader(static_cast<int64_t>(entries.size()));
  for (const engine::ZEntry& e : entries) {
    ctx.reply->ArrayHeader(2);
    ctx.reply->Bulk(e.member);
    ctx.reply->Double(e.score);
  }
}

}  // namespace strata::server
