// HyperLogLog commands: PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST.
// Parsing and replies only; storage is engine/hll_ops.h, the representation
// and the estimator codec/hyperloglog.h.
#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "codec/hyperloglog.h"
#include "common/text.h"
#include "engine/hll_ops.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/server.h"

namespace strata::server {

namespace {

namespace hll = codec::hll;

uint64_t SparseMaxBytes(const CommandContext& ctx) {
  return static_cast<uint64_t>(ctx.server->config().hll_sparse_max_bytes);
}

void PfAdd(CommandContext& ctx) {
  auto updated =
      engine::PfAdd(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv.subspan(2), SparseMaxBytes(ctx));
  if (!updated.ok()) return ctx.ReplyStatus(updated.status());
  if (*updated) ctx.Notify(engine::kNotifyString, "pfadd", ctx.argv[1]);
  ctx.reply->Integer(*updated ? 1 : 0);
}

void PfCount(CommandContext& ctx) {
  auto card = engine::PfCount(ctx.engine(), ctx.op, ctx.argv.subspan(1));
  if (!card.ok()) return ctx.ReplyStatus(card.status());
  ctx.reply->Integer(static_cast<int64_t>(*card));
}

void PfMerge(CommandContext& ctx) {
  Status st =
      engine::PfMerge(ctx.engine(), ctx.op, ctx.argv[1], ctx.argv.subspan(2), SparseMaxBytes(ctx));
  if (!st.ok()) return ctx.ReplyStatus(st);
  ctx.Notify(engine::kNotifyString, "pfadd", ctx.argv[1]);  // as Redis's pfmergeCommand
  ctx.reply->Ok();
}

// PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. As Redis, the key is looked
// up (and its value unshared) before the subcommand is known.
void PfDebug(CommandContext& ctx) {
  std::string_view sub = ctx.argv[1];
  bool getreg = EqualsIgnoreCase(sub, "getreg");
  bool todense = EqualsIgnoreCase(sub, "todense");
  auto value = engine::PfDebugRead(ctx.engine(), ctx.op, ctx.argv[2], getreg || todense);
  if (value.status().IsNotFound()) {
    return ctx.ReplyError("ERR The specified key does not exist");
  }
  if (!value.ok()) return ctx.ReplyStatus(value.status());
  std::string_view bytes = value->hll;
  bool sparse = hll::EncodingOf(bytes) == hll::Encoding::kSparse;
  if (getreg) {
    const auto* regs = reinterpret_cast<const uint8_t*>(bytes.data()) + hll::kHeaderSize;
    ctx.reply->ArrayHeader(hll::kRegisters);
    for (uint32_t i = 0; i < hll::kRegisters; ++i) {
      ctx.reply->Integer(hll::GetDenseRegister(regs, i));
    }
  } else if (EqualsIgnoreCase(sub, "decode")) {
    if (!sparse) return ctx.ReplyError("ERR HLL encoding is not sparse");
    ctx.reply->Bulk(hll::DecodeSparse(bytes));
  } else if (EqualsIgnoreCase(sub, "encoding")) {
    ctx.reply->SimpleString(sparse ? "sparse" : "dense");
  } else if (todense) {
    ctx.reply->Integer(value->converted ? 1 : 0);
  } else {
    ctx.ReplyError("ERR Unknown PFDEBUG subcommand '" + std::string(sub) + "'");
  }
}

// Redis's pfselftest: register access, then 10 million elements added to a
// dense and a sparse HLL at once, checking at each power of ten that the
// sparse one is still sparse while small, that both agree, and that the
// error stays within six standard errors. Empty on success, else the error.
std::string SelfTest(uint64_t sparse_max_bytes) {
  std::mt19937_64 rng(std::random_device{}());
  std::string regs(hll::kRegisterBytes, '\0');
  auto* r = reinterpret_cast<uint8_t*>(regs.data());
  uint8_t expected[hll::kRegisters];
  for (int cycle = 0; cycle < 1000; ++cycle) {
    for (uint32_t i = 0; i < hll::kRegisters; ++i) {
      expected[i] = static_cast<uint8_t>(rng() & hll::kRegisterMax);
      hll::SetDenseRegister(r, i, expected[i]);
    }
    for (uint32_t i = 0; i < hll::kRegisters; ++i) {
      uint8_t got = hll::GetDenseRegister(r, i);
      if (got != expected[i]) {
        return "TESTFAILED Register " + std::to_string(i) + " should be " +
               std::to_string(expected[i]) + " but is " + std::to_string(got);
      }
    }
  }

  std::string dense = hll::NewSparse();
  if (!hll::SparseToDense(&dense)) return "TESTFAILED dense/sparse disagree";
  std::string sparse = hll::NewSparse();
  double relerr = 1.04 / std::sqrt(hll::kRegisters);
  uint64_t checkpoint = 1;
  uint64_t seed = rng();
  for (uint64_t j = 1; j <= 10000000; ++j) {
    uint64_t ele = j ^ seed;
    char bytes[sizeof(ele)];
    std::memcpy(bytes, &ele, sizeof(ele));
    std::string_view element(bytes, sizeof(bytes));
    (void)hll::Add(&dense, element, sparse_max_bytes);
    (void)hll::Add(&sparse, element, sparse_max_bytes);
    if (j != checkpoint) continue;
    if (j < sparse_max_bytes / 2 && hll::EncodingOf(sparse) != hll::Encoding::kSparse) {
      return "TESTFAILED sparse encoding not used";
    }
    uint64_t card = hll::Count(dense).value_or(0);
    if (card != hll::Count(sparse).value_or(0)) return "TESTFAILED dense/sparse disagree";
    int64_t abserr = std::llabs(static_cast<int64_t>(checkpoint) - static_cast<int64_t>(card));
    auto maxerr = static_cast<int64_t>(std::ceil(relerr * 6 * static_cast<double>(checkpoint)));
    if (j == 10) maxerr = 1;  // collisions make a larger error likely at 10
    if (abserr > maxerr) {
      return "TESTFAILED Too big error. card:" + std::to_string(checkpoint) +
             " abserr:" + std::to_string(abserr);
    }
    checkpoint *= 10;
  }
  return {};
}

void PfSelfTest(CommandContext& ctx) {
  // Seconds of CPU: never on an I/O thread.
  if (ctx.mode == ExecMode::kInline) return ctx.ReplyStatus(Status::WouldBlock());
  std::string failure = SelfTest(SparseMaxBytes(ctx));
  if (!failure.empty()) return ctx.ReplyError(failure);
  ctx.reply->Ok();
}

}  // namespace

void RegisterHllCommands(CommandTable& table) {
  table.Register("pfadd", PfAdd);
  table.Register("pfcount", PfCount);
  table.Register("pfmerge", PfMerge);
  table.Register("pfdebug", PfDebug);
  table.Register("pfselftest", PfSelfTest);
}

}  // namespace strata::server
