// ZUNION, ZINTER, ZDIFF (and their STORE forms) and ZINTERCARD, as Redis's
// zunionInterDiffGenericCommand: sources are zsets or sets (score 1), union
// reads every source, intersection and difference read one source whole and
// look members up in the others.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "codec/zset_score.h"
#include "engine/key_access.h"
#include "engine/zset_object.h"
#include "engine/zset_ops.h"

namespace strata::engine {

namespace {

using codec::MetaValue;
using codec::ValueType;
using Aggregate = ZCombineSpec::Aggregate;
using Op = ZCombineSpec::Op;

struct Source {
  std::string_view key;
  bool present = false;
  bool is_set = false;
  uint64_t size = 0;
  double weight = 1;
};

StatusOr<std::vector<Source>> OpenSources(KeyAccess& access, std::span<const std::string_view> keys,
                                          const std::vector<double>& weights) {
  std::vector<Source> out;
  out.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    Source src;
    src.key = keys[i];
    if (i < weights.size()) src.weight = weights[i];
    auto found = access.Find(keys[i]);
    if (found.ok()) {
      const MetaValue* meta = *found;
      if (meta->type != ValueType::kZset && meta->type != ValueType::kSet) {
        return Status::WrongType();
      }
      src.present = true;
      src.is_set = meta->type == ValueType::kSet;
      src.size = meta->count;
    } else if (!found.status().IsNotFound()) {
      return found.status();
    }
    out.push_back(src);
  }
  return out;
}

// Every member of a source with its (unweighted) score, in member order.
StatusOr<std::vector<ZEntry>> ReadAll(KeyAccess& access, const Source& src) {
  std::vector<ZEntry> out;
  if (!src.present) return out;
  out.reserve(src.size);
  Status bad;
  SubFamily f = src.is_set ? SubFamily::kSetMembers : SubFamily::kZsetMembers;
  RETURN_IF_ERROR(
      access.ScanSub(src.key, f, "", false, [&](std::string_view m, std::string_view v) {
        double score = 1;
        if (!src.is_set && !codec::DecodeScoreValue(v, &score)) {
          bad = Status(StatusCode::kCorruption, "zset member value");
          return false;
        }
        out.push_back(ZEntry{std::string(m), score});
        return true;
      }));
  RETURN_IF_ERROR(bad);
  return out;
}

// The (unweighted) score of `member` in a source, or nullopt.
StatusOr<std::optional<double>> Lookup(KeyAccess& access, const Source& src,
                                       std::string_view member) {
  if (!src.present) return std::optional<double>();
  std::string value;
  Status s = access.GetSub(src.key, src.is_set ? SubFamily::kSetMembers : SubFamily::kZsetMembers,
                           member, &value);
  if (s.IsNotFound()) return std::optional<double>();
  RETURN_IF_ERROR(s);
  double score = 1;
  if (!src.is_set && !codec::DecodeScoreValue(value, &score)) {
    return Status(StatusCode::kCorruption, "zset member value");
  }
  return std::optional<double>(score);
}

// zunionInterAggregate.
void AggregateInto(double* target, double value, Aggregate a) {
  if (a == Aggregate::kSum) {
    *target += value;
    if (std::isnan(*target)) *target = 0;  // inf + -inf
  } else if (a == Aggregate::kMin) {
    *target = value < *target ? value : *target;
  } else {
    *target = value > *target ? value : *target;
  }
}

double Weighted(double score, double weight) {
  double v = score * weight;
  return std::isnan(v) ? 0 : v;  // inf * 0
}

void SortByScore(std::vector<ZEntry>* entries) {
  std::sort(entries->begin(), entries->end(), [](const ZEntry& a, const ZEntry& b) {
    return a.score < b.score || (a.score == b.score && a.member < b.member);
  });
}

// The result of the operation (unsorted); stops after `limit` members (0: none).
StatusOr<std::vector<ZEntry>> Compute(KeyAccess& access, std::vector<Source> srcs,
                                      const ZCombineSpec& spec, uint64_t limit = 0) {
  std::vector<ZEntry> out;
  if (spec.op == Op::kDiff) {
    ASSIGN_OR_RETURN(std::vector<ZEntry> first, ReadAll(access, srcs[0]));
    for (ZEntry& e : first) {
      bool elsewhere = false;
      for (size_t j = 1; j < srcs.size() && !elsewhere; ++j) {
        ASSIGN_OR_RETURN(std::optional<double> s, Lookup(access, srcs[j], e.member));
        elsewhere = s.has_value();
      }
      if (!elsewhere) out.push_back(std::move(e));
    }
    return out;
  }
  // Smallest first, as Redis (the order of a floating-point sum follows it).
  std::stable_sort(srcs.begin(), srcs.end(),
                   [](const Source& a, const Source& b) { return a.size < b.size; });
  if (spec.op == Op::kInter) {
    ASSIGN_OR_RETURN(std::vector<ZEntry> first, ReadAll(access, srcs[0]));
    for (ZEntry& e : first) {
      double score = Weighted(e.score, srcs[0].weight);
      bool everywhere = true;
      for (size_t j = 1; j < srcs.size() && everywhere; ++j) {
        ASSIGN_OR_RETURN(std::optional<double> s, Lookup(access, srcs[j], e.member));
        if (s) AggregateInto(&score, *s * srcs[j].weight, spec.aggregate);
        everywhere = s.has_value();
      }
      if (!everywhere) continue;
      out.push_back(ZEntry{std::move(e.member), score});
      if (limit != 0 && out.size() >= limit) break;
    }
    return out;
  }
  std::unordered_map<std::string, double> acc;
  std::vector<std::string> order;
  for (const Source& src : srcs) {
    ASSIGN_OR_RETURN(std::vector<ZEntry> entries, ReadAll(access, src));
    for (ZEntry& e : entries) {
      double score = Weighted(e.score, src.weight);
      auto [it, inserted] = acc.try_emplace(std::move(e.member), score);
      if (!inserted) AggregateInto(&it->second, score, spec.aggregate);
    }
  }
  out.reserve(acc.size());
  for (auto& [member, score] : acc) out.push_back(ZEntry{member, score});
  return out;
}

}  // namespace

Status ZCheckSources(Engine& engine, OpContext& ctx, std::span<const std::string_view> keys) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(keys));
  return OpenSources(access, keys, {}).status();
}

StatusOr<std::vector<ZEntry>> ZCombine(Engine& engine, OpContext& ctx,
                                       std::span<const std::string_view> keys,
                                       const ZCombineSpec& spec) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(keys));
  ASSIGN_OR_RETURN(std::vector<Source> srcs, OpenSources(access, keys, spec.weights));
  ASSIGN_OR_RETURN(std::vector<ZEntry> out, Compute(access, std::move(srcs), spec));
  SortByScore(&out);
  return out;
}

StatusOr<uint64_t> ZCombineStore(Engine& engine, OpContext& ctx, std::string_view dst,
                                 std::span<const std::string_view> keys, const ZCombineSpec& spec) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kWrite);
  std::vector<std::string_view> locked(keys.begin(), keys.end());
  locked.push_back(dst);
  RETURN_IF_ERROR(access.Lock(locked));
  ASSIGN_OR_RETURN(std::vector<Source> srcs, OpenSources(access, keys, spec.weights));
  ASSIGN_OR_RETURN(std::vector<ZEntry> out, Compute(access, std::move(srcs), spec));
  auto old = access.Find(dst);
  if (!old.ok() && !old.status().IsNotFound()) return old.status();
  if (out.empty()) {
    if (old.ok()) access.DeleteEmpty(dst);
  } else {
    // zsetConvertToListpackIfNeeded: the result's size and longest member.
    size_t longest = 0;
    for (const ZEntry& e : out) longest = std::max(longest, e.member.size());
    ASSIGN_OR_RETURN(Zset z, Zset::Create(access, dst));
    z.set_big(out.size() > Zset::kMaxListpackEntries || longest > Zset::kMaxListpackValue);
    for (const ZEntry& e : out) z.Insert(e.member, e.score, std::nullopt);
    z.Finish();
  }
  RETURN_IF_ERROR(access.Commit());
  return out.size();
}

StatusOr<uint64_t> ZInterCard(Engine& engine, OpContext& ctx,
                              std::span<const std::string_view> keys, uint64_t limit) {
  KeyAccess access(engine, ctx, KeyAccess::Intent::kRead);
  RETURN_IF_ERROR(access.Lock(keys));
  ASSIGN_OR_RETURN(std::vector<Source> srcs, OpenSources(access, keys, {}));
  ZCombineSpec spec;
  spec.op = Op::kInter;
  ASSIGN_OR_RETURN(std::vector<ZEntry> out, Compute(access, std::move(srcs), spec, limit));
  return out.size();
}

}  // namespace strata::engine
