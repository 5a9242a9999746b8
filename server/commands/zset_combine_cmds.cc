// Sorted-set algebra: ZUNION, ZUNIONSTORE, ZINTER, ZINTERSTORE, ZINTERCARD,
// ZDIFF, ZDIFFSTORE, parsed as Redis's zunionInterDiffGenericCommand (the
// sources' types are checked before the options after them). Storage is
// engine/zset_ops.h.
#include <optional>
#include <string>
#include <vector>

#include "common/numbers.h"
#include "common/text.h"
#include "engine/zset_ops.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/commands/zset_args.h"
#include "server/errors.h"

namespace strata::server {

namespace {

using Op = engine::ZCombineSpec::Op;
using Aggregate = engine::ZCombineSpec::Aggregate;

// `numkeys_index` is where numkeys is; dst is argv[1] when storing.
void ZCombineGeneric(CommandContext& ctx, size_t numkeys_index, Op op, bool store,
                     bool cardinality_only, std::string_view name) {
  int64_t numkeys;
  if (!ParseInt64(ctx.argv[numkeys_index], &numkeys)) return ctx.ReplyError(errors::kNotInteger);
  if (numkeys < 1) return ctx.ReplyError(errors::NeedsInputKey(name));
  if (static_cast<uint64_t>(numkeys) > ctx.argv.size() - numkeys_index - 1) {
    return ctx.ReplyError(errors::kSyntax);
  }
  auto keys = ctx.argv.subspan(numkeys_index + 1, static_cast<size_t>(numkeys));
  engine::ZCombineSpec spec;
  spec.op = op;
  bool with_scores = false;
  int64_t limit = 0;
  std::optional<std::string_view> error;
  for (size_t j = numkeys_index + 1 + keys.size(); j < ctx.argv.size() && !error;) {
    std::string_view opt = ctx.argv[j];
    size_t remaining = ctx.argv.size() - j;
    if (op != Op::kDiff && !cardinality_only && remaining >= keys.size() + 1 &&
        EqualsIgnoreCase(opt, "weights")) {
      ++j;
      spec.weights.resize(keys.size());
      for (size_t i = 0; i < keys.size() && !error; ++i, ++j) {
        if (!ParseDouble(ctx.argv[j], &spec.weights[i])) error = errors::kWeightNotFloat;
      }
    } else if (op != Op::kDiff && !cardinality_only && remaining >= 2 &&
               EqualsIgnoreCase(opt, "aggregate")) {
      std::string_view a = ctx.argv[j + 1];
      if (EqualsIgnoreCase(a, "sum")) {
        spec.aggregate = Aggregate::kSum;
      } else if (EqualsIgnoreCase(a, "min")) {
        spec.aggregate = Aggregate::kMin;
      } else if (EqualsIgnoreCase(a, "max")) {
        spec.aggregate = Aggregate::kMax;
      } else {
        error = errors::kSyntax;
      }
      j += 2;
    } else if (!store && !cardinality_only && EqualsIgnoreCase(opt, "withscores")) {
      with_scores = true;
      ++j;
    } else if (cardinality_only && remaining >= 2 && EqualsIgnoreCase(opt, "limit")) {
      if (!ParseInt64(ctx.argv[j + 1], &limit) || limit < 0) error = errors::kLimitNegative;
      j += 2;
    } else {
      error = errors::kSyntax;
    }
  }
  if (error) {
    Status types = engine::ZCheckSources(ctx.engine(), ctx.op, keys);
    if (!types.ok()) return ctx.ReplyStatus(types);
    return ctx.ReplyError(*error);
  }
  if (cardinality_only) {
    auto n = engine::ZInterCard(ctx.engine(), ctx.op, keys, static_cast<uint64_t>(limit));
    if (!n.ok()) return ctx.ReplyStatus(n.status());
    return ctx.reply->Integer(static_cast<int64_t>(*n));
  }
  if (store) {
    auto n = engine::ZCombineStore(ctx.engine(), ctx.op, ctx.argv[1], keys, spec);
    if (!n.ok()) return ctx.ReplyStatus(n.status());
    if (*n > 0) ctx.Notify(engine::kNotifyZset, name, ctx.argv[1]);  // else the engine's "del"
    return ctx.reply->Integer(static_cast<int64_t>(*n));
  }
  auto entries = engine::ZCombine(ctx.engine(), ctx.op, keys, spec);
  if (!entries.ok()) return ctx.ReplyStatus(entries.status());
  ReplyEntries(ctx, *entries, with_scores);
}

void ZUnion(CommandContext& ctx) {
  ZCombineGeneric(ctx, 1, Op::kUnion, false, false, "zunion");
}
void ZUnionStore(CommandContext& ctx) {
  ZCombineGeneric(ctx, 2, Op::kUnion, true, false, "zunionstore");
}
void ZInter(CommandContext& ctx) {
  ZCombineGeneric(ctx, 1, Op::kInter, false, false, "zinter");
}
void ZInterStore(CommandContext& ctx) {
  ZCombineGeneric(ctx, 2, Op::kInter, true, false, "zinterstore");
}
void ZInterCard(CommandContext& ctx) {
  ZCombineGeneric(ctx, 1, Op::kInter, false, true, "zintercard");
}
void ZDiff(CommandContext& ctx) {
  ZCombineGeneric(ctx, 1, Op::kDiff, false, false, "zdiff");
}
void ZDiffStore(CommandContext& ctx) {
  ZCombineGeneric(ctx, 2, Op::kDiff, true, false, "zdiffstore");
}

}  // namespace

void RegisterZsetCombineCommands(CommandTable& table) {
  table.Register("zunion", ZUnion);
  table.Register("zunionstore", ZUnionStore);
  table.Register("zinter", ZInter);
  table.Register("zinterstore", ZInterStore);
  table.Register("zintercard", ZInterCard);
  table.Register("zdiff", ZDiff);
  table.Register("zdiffstore", ZDiffStore);
}

}  // namespace strata::server
