// Micro-benchmarks of the RESP hot path: RespParser on a pipeline of 16
// "SET key:NNN <100-byte value>" commands (whole, in socket-sized reads, and
// inline), and ReplyBuilder encoding the replies those commands produce.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "server/reply_builder.h"
#include "server/resp_parser.h"

namespace strata::server {
namespace {

constexpr int kPipeline = 16;

std::string SetPipeline() {
  const std::string value(100, 'v');
  std::string out;
  for (int i = 0; i < kPipeline; ++i) {
    char key[16];
    std::snprintf(key, sizeof(key), "key:%03d", i);
    out += "*3\r\n$3\r\nSET\r\n$7\r\n" + std::string(key) + "\r\n$100\r\n" + value + "\r\n";
  }
  return out;
}

std::string InlineSetPipeline() {
  std::string out;
  for (int i = 0; i < kPipeline; ++i) {
    char line[48];
    std::snprintf(line, sizeof(line), "SET key:%03d value:%03d\r\n", i, i);
    out += line;
  }
  return out;
}

// Parses every command of `input`, fed `read_size` bytes at a time the way a
// connection would: each Parse() sees the unconsumed bytes received so far.
int ParseAll(RespParser& parser, std::string_view input, size_t read_size) {
  int commands = 0;
  size_t start = 0;
  size_t received = std::min(read_size, input.size());
  while (start < input.size()) {
    switch (parser.Parse(input.substr(start, received - start))) {
      case RespParser::Result::kCommand:
        benchmark::DoNotOptimize(parser.argv().data());
        ++commands;
        [[fallthrough]];
      case RespParser::Result::kEmpty:
        start += parser.consumed();
        break;
      case RespParser::Result::kNeedMore:
        if (received == input.size()) return -1;  // Truncated input.
        received = std::min(received + read_size, input.size());
        break;
      case RespParser::Result::kError:
        return -1;
    }
  }
  return commands;
}

void BM_ParseSetPipeline(benchmark::State& state) {
  const std::string input = SetPipeline();
  const size_t read_size = state.range(0) == 0 ? input.size() : static_cast<size_t>(state.range(0));
  RespParser parser;
  for (auto _ : state) {
    if (ParseAll(parser, input, read_size) != kPipeline) state.SkipWithError("parse failed");
  }
  state.SetItemsProcessed(state.iterations() * kPipeline);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(input.size()));
}
// 0: the whole pipeline in one read; 512: split across reads mid-command.
BENCHMARK(BM_ParseSetPipeline)->Arg(0)->Arg(512);

void BM_ParseInlineSetPipeline(benchmark::State& state) {
  const std::string input = InlineSetPipeline();
  RespParser parser;
  for (auto _ : state) {
    if (ParseAll(parser, input, input.size()) != kPipeline) state.SkipWithError("parse failed");
  }
  state.SetItemsProcessed(state.iterations() * kPipeline);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(input.size()));
}
BENCHMARK(BM_ParseInlineSetPipeline);

// The replies of the pipeline: 16 "+OK".
void BM_ReplyOk(benchmark::State& state) {
  std::string out;
  ReplyBuilder builder(&out);
  for (auto _ : state) {
    out.clear();
    for (int i = 0; i < kPipeline; ++i) builder.Ok();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kPipeline);
}
BENCHMARK(BM_ReplyOk);

void BM_ReplyInteger(benchmark::State& state) {
  std::string out;
  ReplyBuilder builder(&out);
  for (auto _ : state) {
    out.clear();
    for (int64_t i = 0; i < kPipeline; ++i) builder.Integer(i * 1000003);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kPipeline);
}
BENCHMARK(BM_ReplyInteger);

// An MGET of 16 100-byte values.
void BM_ReplyBulkArray(benchmark::State& state) {
  const std::string value(100, 'v');
  std::string out;
  ReplyBuilder builder(&out);
  for (auto _ : state) {
    out.clear();
    builder.ArrayHeader(kPipeline);
    for (int i = 0; i < kPipeline; ++i) builder.Bulk(value);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kPipeline);
}
BENCHMARK(BM_ReplyBulkArray);

// ZSCORE-like doubles; range(0) is the protocol.
void BM_ReplyDouble(benchmark::State& state) {
  std::string out;
  ReplyBuilder builder(&out);
  builder.set_protocol(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    out.clear();
    for (int i = 0; i < kPipeline; ++i) builder.Double(i * 1.1);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kPipeline);
}
BENCHMARK(BM_ReplyDouble)->Arg(2)->Arg(3);

// An HGETALL of 8 fields: a map, flattened in RESP2.
void BM_ReplyMap(benchmark::State& state) {
  std::string out;
  ReplyBuilder builder(&out);
  builder.set_protocol(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    out.clear();
    builder.MapHeader(8);
    for (int i = 0; i < 8; ++i) {
      builder.Bulk("field");
      builder.Bulk("value-of-the-field");
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * 8);
}
BENCHMARK(BM_ReplyMap)->Arg(2)->Arg(3);

}  // namespace
}  // namespace strata::server
