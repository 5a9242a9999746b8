// Bit commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and
// BITFIELD_RO. Parsing and replies only; storage is engine/bit_ops.h, the
// bit arithmetic engine/bit_logic.h.
//
// Redis checks some arguments only after looking the key up (BITCOUNT and
// BITPOS reply for a missing key before parsing their range); those
// handlers parse first, keep the error, and reply it only once the engine
// has said the key is a string.
#include <optional>
#include <string>
#include <vector>

#include "engine/bit_ops.h"
#include "engine/string_ops.h"
#include "server/arg_parser.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/server.h"

namespace strata::server {

namespace {

// getBitOffsetFromArgument: a bit offset below proto-max-bulk-len bytes; with
// `field_bits` > 0 (BITFIELD), "#n" means n * field_bits.
std::optional<uint64_t> ParseBitOffset(const CommandContext& ctx, std::string_view arg,
                                       int field_bits = 0) {
  bool hash = field_bits > 0 && !arg.empty() && arg[0] == '#';
  int64_t v;
  if (!ParseInt64(arg.substr(hash ? 1 : 0), &v)) return std::nullopt;
  // Redis multiplies in C's long long; the wrap-around is what it does too.
  if (hash) v = static_cast<int64_t>(static_cast<uint64_t>(v) * static_cast<uint64_t>(field_bits));
  if (v < 0 || (v >> 3) >= ctx.server->config().proto_max_bulk_len) return std::nullopt;
  return static_cast<uint64_t>(v);
}

void SetBit(CommandContext& ctx) {
  auto offset = ParseBitOffset(ctx, ctx.argv[2]);
  if (!offset) return ctx.ReplyError(errors::kBitOffset);
  int64_t value;
  if (!ParseInt64(ctx.argv[3], &value) || (value & ~int64_t{1}) != 0) {
    return ctx.ReplyError(errors::kBitValue);
  }
  bool changed = false;
  auto old =
      engine::SetBit(ctx.engine(), ctx.op, ctx.argv[1], *offset, static_cast<int>(value), &changed);
  if (!old.ok()) return ctx.ReplyStatus(old.status());
  if (changed) ctx.Notify(engine::kNotifyString, "setbit", ctx.argv[1]);
  ctx.reply->Integer(*old);
}

void GetBit(CommandContext& ctx) {
  auto offset = ParseBitOffset(ctx, ctx.argv[2]);
  if (!offset) return ctx.ReplyError(errors::kBitOffset);
  auto bit = engine::GetBit(ctx.engine(), ctx.op, ctx.argv[1], *offset);
  if (!bit.ok()) return ctx.ReplyStatus(bit.status());
  ctx.reply->Integer(*bit);
}

// Replies `error` if the key is a string, `missing` if it does not exist.
void ReplyDeferredError(CommandContext& ctx, std::string_view error, int64_t missing) {
  auto length = engine::StringLength(ctx.engine(), ctx.op, ctx.argv[1]);
  if (length.status().IsNotFound()) return ctx.reply->Integer(missing);
  if (!length.ok()) return ctx.ReplyStatus(length.status());
  ctx.ReplyError(error);
}

// The trailing BYTE|BIT of BITCOUNT/BITPOS.
void ParseUnit(ArgParser& args, engine::BitRange* range) {
  if (args.EatFlag("BIT")) {
    range->unit_is_bit = true;
  } else if (!args.EatFlag("BYTE")) {
    args.Fail(errors::kSyntax);
  }
}

void BitCount(CommandContext& ctx) {
  std::optional<engine::BitRange> range;
  ArgParser args(ctx.argv, 2);
  size_t argc = ctx.argv.size();
  if (argc == 4 || argc == 5) {
    range.emplace();
    range->start = args.NextInt64();
    range->end = args.NextInt64();
    if (argc == 5) ParseUnit(args, &*range);
  } else if (argc != 2) {
    args.Fail(errors::kSyntax);
  }
  if (args.failed()) return ReplyDeferredError(ctx, args.error(), 0);
  auto count = engine::BitCount(ctx.engine(), ctx.op, ctx.argv[1], range);
  if (count.status().IsNotFound()) return ctx.reply->Integer(0);
  if (!count.ok()) return ctx.ReplyStatus(count.status());
  ctx.reply->Integer(*count);
}

void BitPos(CommandContext& ctx) {
  int64_t bit;
  if (!ParseInt64(ctx.argv[2], &bit)) return ctx.ReplyError(errors::kNotInteger);
  if (bit != 0 && bit != 1) return ctx.ReplyError(errors::kBitposBit);
  std::optional<engine::BitRange> range;
  ArgParser args(ctx.argv, 3);
  size_t argc = ctx.argv.size();
  if (argc >= 4 && argc <= 6) {
    // Redis's order: start, then the unit, then end.
    range.emplace();
    range->start = args.NextInt64();
    if (argc == 6) {
      ArgParser unit(ctx.argv, 5);
      ParseUnit(unit, &*range);
      if (unit.failed()) args.Fail(unit.error());
    }
    if (argc >= 5) range->end = args.NextInt64();
  } else if (argc != 3) {
    args.Fail(errors::kSyntax);
  }
  int64_t missing = bit ? -1 : 0;  // a missing key is an infinite run of zeros
  if (args.failed()) return ReplyDeferredError(ctx, args.error(), missing);
  auto pos = engine::BitPos(ctx.engine(), ctx.op, ctx.argv[1], static_cast<int>(bit), range);
  if (pos.status().IsNotFound()) return ctx.reply->Integer(missing);
  if (!pos.ok()) return ctx.ReplyStatus(pos.status());
  ctx.reply->Integer(*pos);
}

void BitOp(CommandContext& ctx) {
  using Kind = engine::BitOpKind;
  std::string_view name = ctx.argv[1];
  Kind op;
  if (EqualsIgnoreCase(name, "AND")) {
    op = Kind::kAnd;
  } else if (EqualsIgnoreCase(name, "OR")) {
    op = Kind::kOr;
  } else if (EqualsIgnoreCase(name, "XOR")) {
    op = Kind::kXor;
  } else if (EqualsIgnoreCase(name, "NOT")) {
    op = Kind::kNot;
  } else {
    return ctx.ReplyError(errors::kSyntax);
  }
  if (op == Kind::kNot && ctx.argv.size() != 4) return ctx.ReplyError(errors::kBitopNot);
  auto length = engine::BitOp(ctx.engine(), ctx.op, op, ctx.argv[2], ctx.argv.subspan(3));
  if (!length.ok()) return ctx.ReplyStatus(length.status());
  if (*length > 0)
    ctx.Notify(engine::kNotifyString, "set", ctx.argv[2]);  // else the engine's "del"
  ctx.reply->Integer(*length);
}

// Parses BITFIELD's operations as bitfieldGeneric does; false after replying an error.
bool ParseBitfield(CommandContext& ctx, std::vector<engine::BitfieldOp>* ops) {
  using Kind = engine::BitfieldOp::Kind;
  engine::bits::Overflow overflow = engine::bits::Overflow::kWrap;
  ArgParser args(ctx.argv, 2);
  while (!args.Done()) {
    engine::BitfieldOp op;
    size_t left = args.remaining() - 1;
    if (left >= 2 && args.EatFlag("GET")) {
      op.kind = Kind::kGet;
    } else if (left >= 3 && args.EatFlag("SET")) {
      op.kind = Kind::kSet;
    } else if (left >= 3 && args.EatFlag("INCRBY")) {
      op.kind = Kind::kIncrBy;
    } else if (left >= 1 && args.EatFlag("OVERFLOW")) {
      std::string_view mode = args.Next();
      if (EqualsIgnoreCase(mode, "WRAP")) {
        overflow = engine::bits::Overflow::kWrap;
      } else if (EqualsIgnoreCase(mode, "SAT")) {
        overflow = engine::bits::Overflow::kSat;
      } else if (EqualsIgnoreCase(mode, "FAIL")) {
        overflow = engine::bits::Overflow::kFail;
      } else {
        ctx.ReplyError(errors::kBitfieldOverflow);
        return false;
      }
      continue;
    } else {
      ctx.ReplyError(errors::kSyntax);
      return false;
    }
    auto type = engine::bits::ParseFieldType(args.Next());
    if (!type) {
      ctx.ReplyError(errors::kBitfieldType);
      return false;
    }
    auto offset = ParseBitOffset(ctx, args.Next(), type->bits);
    if (!offset) {
      ctx.ReplyError(errors::kBitOffset);
      return false;
    }
    op.type = *type;
    op.offset = *offset;
    op.overflow = overflow;
    if (op.kind != Kind::kGet) {
      op.value = args.NextInt64();
      if (args.failed()) {
        ctx.ReplyError(args.error());
        return false;
      }
    }
    ops->push_back(op);
  }
  return true;
}

void ReplyBitfield(CommandContext& ctx, bool read_only) {
  std::vector<engine::BitfieldOp> ops;
  if (!ParseBitfield(ctx, &ops)) return;
  if (read_only) {
    for (const auto& op : ops) {
      if (op.kind != engine::BitfieldOp::Kind::kGet) return ctx.ReplyError(errors::kBitfieldRo);
    }
  }
  auto replies = engine::Bitfield(ctx.engine(), ctx.op, ctx.argv[1], ops);
  if (!replies.ok()) return ctx.ReplyStatus(replies.status());
  // As Redis: "setbit" when a SET or INCRBY was applied (not failed by OVERFLOW FAIL).
  for (size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].kind != engine::BitfieldOp::Kind::kGet && (*replies)[i]) {
      ctx.Notify(engine::kNotifyString, "setbit", ctx.argv[1]);
      break;
    }
  }
  ctx.reply->ArrayHeader(static_cast<int64_t>(replies->size()));
  for (const auto& r : *replies) {
    if (r) {
      ctx.reply->Integer(*r);
    } else {
      ctx.reply->Null();
    }
  }
}

void Bitfield(CommandContext& ctx) {
  ReplyBitfield(ctx, false);
}
void BitfieldRo(CommandContext& ctx) {
  ReplyBitfield(ctx, true);
}

}  // namespace

void RegisterBitCommands(CommandTable& table) {
  table.Register("setbit", SetBit);
  table.Register("getbit", GetBit);
  table.Register("bitcount", BitCount);
  table.Register("bitpos", BitPos);
  table.Register("bitop", BitOp);
  table.Register("bitfield", Bitfield);
  table.Register("bitfield_ro", BitfieldRo);
}

}  // namespace strata::server
