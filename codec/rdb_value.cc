// RDB object encoding and decoding; see rdb_value.h.
#include "codec/rdb_value.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "codec/rdb_blobs.h"
#include "common/numbers.h"

namespace strata::codec::rdb {

namespace {

// Quicklist node limits of Redis 7.0 (quicklist.c) at list-max-listpack-size -2.
constexpr size_t kNodeSizeLimit = 8192;
constexpr size_t kSizeEstimateOverhead = 8;
constexpr uint64_t kContainerPacked = 2;
constexpr uint64_t kContainerPlain = 1;

void EncodeList(const RdbValue& v, bool compress, std::string* out, EncodeInfo* info) {
  std::vector<std::string> nodes;
  ListpackBuilder node;
  for (const std::string& e : v.elements) {
    if (node.count() > 0 && node.bytes() + e.size() + kSizeEstimateOverhead > kNodeSizeLimit) {
      nodes.push_back(node.Finish());
    }
    node.Append(e);
  }
  if (node.count() > 0) nodes.push_back(node.Finish());
  out->push_back(static_cast<char>(kTypeListQuicklist2));
  PutLength(out, nodes.size());
  for (const std::string& lp : nodes) {
    PutLength(out, kContainerPacked);
    PutString(out, lp, compress);
    if (info != nullptr) info->list_bytes += lp.size();
  }
  if (info != nullptr) {
    info->list_nodes = nodes.size();
    info->elements = v.elements.size();
  }
}

void EncodeSet(const RdbValue& v, bool compress, std::string* out) {
  std::vector<int64_t> ints;
  bool intset = !v.big_encoding;
  for (size_t i = 0; intset && i < v.elements.size(); ++i) {
    int64_t n;
    if (ParseInt64(v.elements[i], &n)) {
      ints.push_back(n);
    } else {
      intset = false;
    }
  }
  if (intset) {
    std::sort(ints.begin(), ints.end());
    out->push_back(static_cast<char>(kTypeSetIntset));
    PutString(out, BuildIntset(ints), compress);
    return;
  }
  out->push_back(static_cast<char>(kTypeSet));
  PutLength(out, v.elements.size());
  for (const std::string& m : v.elements) PutString(out, m, compress);
}

void EncodeZset(const RdbValue& v, bool compress, std::string* out) {
  if (!v.big_encoding) {
    ListpackBuilder lp;
    for (const auto& [member, score] : v.scored) {
      lp.Append(member);
      lp.Append(D2String(score));
    }
    out->push_back(static_cast<char>(kTypeZsetListpack));
    PutString(out, lp.Finish(), compress);
    return;
  }
  // Redis writes the skiplist from its tail, so loading inserts at the head.
  out->push_back(static_cast<char>(kTypeZset2));
  PutLength(out, v.scored.size());
  for (auto it = v.scored.rbegin(); it != v.scored.rend(); ++it) {
    PutString(out, it->first, compress);
    PutBinaryDouble(out, it->second);
  }
}

void EncodeHash(const RdbValue& v, bool compress, std::string* out) {
  if (!v.big_encoding) {
    ListpackBuilder lp;
    for (const auto& [field, value] : v.pairs) {
      lp.Append(field);
      lp.Append(value);
    }
    out->push_back(static_cast<char>(kTypeHashListpack));
    PutString(out, lp.Finish(), compress);
    return;
  }
  out->push_back(static_cast<char>(kTypeHash));
  PutLength(out, v.pairs.size());
  for (const auto& [field, value] : v.pairs) {
    PutString(out, field, compress);
    PutString(out, value, compress);
  }
}

// ---- Reading ----

Status Corrupt(const char* what) {
  return Status::Corruption(what);
}

// A score in a listpack or ziplist: an integer entry or strtod's text.
bool ParseScore(const std::string& text, double* score) {
  if (text.empty() || text.size() > 128) return false;
  char* end = nullptr;
  *score = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && !std::isnan(*score);
}

Status PairsFromFlat(std::vector<std::string> flat, RdbValue* v) {
  if (flat.empty() || flat.size() % 2 != 0) return Corrupt("hash: odd or empty");
  std::set<std::string_view> seen;
  for (size_t i = 0; i < flat.size(); i += 2) {
    if (!seen.insert(flat[i]).second) return Corrupt("hash: duplicate field");
  }
  for (size_t i = 0; i < flat.size(); i += 2) {
    v->pairs.emplace_back(std::move(flat[i]), std::move(flat[i + 1]));
  }
  return Status::Ok();
}

Status ScoredFromFlat(const std::vector<std::string>& flat, RdbValue* v) {
  if (flat.empty() || flat.size() % 2 != 0) return Corrupt("zset: odd or empty");
  for (size_t i = 0; i < flat.size(); i += 2) {
    double score;
    if (!ParseScore(flat[i + 1], &score)) return Corrupt("zset: bad score");
    v->scored.emplace_back(flat[i], score);
  }
  return Status::Ok();
}

// Sorts a zset's members by (score, member) and refuses duplicates.
Status FinishZset(RdbValue* v) {
  std::set<std::string_view> seen;
  for (const auto& [member, score] : v->scored) {
    if (!seen.insert(member).second) return Corrupt("zset: duplicate member");
  }
  std::sort(v->scored.begin(), v->scored.end(), [](const auto& a, const auto& b) {
    return a.second < b.second || (a.second == b.second && a.first < b.first);
  });
  return Status::Ok();
}

Status FinishSet(RdbValue* v) {
  std::set<std::string_view> seen;
  for (const auto& m : v->elements) {
    if (!seen.insert(m).second) return Corrupt("set: duplicate member");
  }
  return Status::Ok();
}

// Reads `n` strings; never reserves more than the input could hold.
bool ReadStrings(Reader& r, uint64_t n, std::vector<std::string>* out) {
  if (n > r.remaining()) return false;  // every string takes at least a byte
  out->reserve(out->size() + n);
  for (uint64_t i = 0; i < n; ++i) {
    std::string s;
    if (!r.String(&s)) return false;
    out->push_back(std::move(s));
  }
  return true;
}

Status ReadQuicklist(Reader& r, bool v2, RdbValue* v) {
  uint64_t nodes = 0;
  if (!r.PlainLength(&nodes) || nodes == 0 || nodes > r.remaining()) {
    return Corrupt("quicklist: node count");
  }
  std::vector<std::string> items;
  for (uint64_t i = 0; i < nodes; ++i) {
    uint64_t container = kContainerPacked;
    if (v2 && (!r.PlainLength(&container) ||
               (container != kContainerPacked && container != kContainerPlain))) {
      return Corrupt("quicklist: container");
    }
    std::string blob;
    if (!r.String(&blob)) return Corrupt("quicklist: node");
    if (container == kContainerPlain) {
      v->elements.push_back(std::move(blob));
      continue;
    }
    bool ok = v2 ? ParseListpack(blob, &items) : ParseZiplist(blob, &items);
    if (!ok) return Corrupt("quicklist: node container");
    // An empty node is skipped, as Redis skips it.
    for (auto& e : items) v->elements.push_back(std::move(e));
  }
  return Status::Ok();
}

StatusOr<RdbValue> DecodeBody(uint8_t type, Reader& r) {
  RdbValue v;
  uint64_t n = 0;
  std::vector<std::string> flat;
  std::string blob;
  switch (type) {
    case kTypeString:
      v.type = ValueType::kString;
      if (!r.String(&v.string)) return Corrupt("string");
      return v;
    case kTypeList:
      v.type = ValueType::kList;
      if (!r.PlainLength(&n) || !ReadStrings(r, n, &v.elements)) return Corrupt("list");
      break;
    case kTypeListZiplist:
      v.type = ValueType::kList;
      if (!r.String(&blob) || !ParseZiplist(blob, &v.elements)) return Corrupt("list ziplist");
      break;
    case kTypeListQuicklist:
    case kTypeListQuicklist2:
      v.type = ValueType::kList;
      RETURN_IF_ERROR(ReadQuicklist(r, type == kTypeListQuicklist2, &v));
      break;
    case kTypeSet:
      v.type = ValueType::kSet;
      v.big_encoding = true;
      if (!r.PlainLength(&n) || !ReadStrings(r, n, &v.elements)) return Corrupt("set");
      RETURN_IF_ERROR(FinishSet(&v));
      break;
    case kTypeSetIntset:
      v.type = ValueType::kSet;
      if (!r.String(&blob) || !ParseIntset(blob, &v.elements)) return Corrupt("intset");
      break;
    case kTypeZset:
    case kTypeZset2: {
      v.type = ValueType::kZset;
      v.big_encoding = true;
      if (!r.PlainLength(&n) || n > r.remaining()) return Corrupt("zset length");
      for (uint64_t i = 0; i < n; ++i) {
        std::string member;
        double score = 0;
        bool ok = r.String(&member) &&
                  (type == kTypeZset2 ? r.BinaryDouble(&score) : r.OldDouble(&score));
        if (!ok || std::isnan(score)) return Corrupt("zset entry");
        v.scored.emplace_back(std::move(member), score);
      }
      RETURN_IF_ERROR(FinishZset(&v));
      break;
    }
    case kTypeZsetZiplist:
    case kTypeZsetListpack: {
      v.type = ValueType::kZset;
      bool ok = r.String(&blob) && (type == kTypeZsetListpack ? ParseListpack(blob, &flat)
                                                              : ParseZiplist(blob, &flat));
      if (!ok) return Corrupt("zset container");
      RETURN_IF_ERROR(ScoredFromFlat(flat, &v));
      RETURN_IF_ERROR(FinishZset(&v));
      break;
    }
    case kTypeHash:
      v.type = ValueType::kHash;
      v.big_encoding = true;
      if (!r.PlainLength(&n) || n > r.remaining() / 2 || !ReadStrings(r, 2 * n, &flat)) {
        return Corrupt("hash");
      }
      RETURN_IF_ERROR(PairsFromFlat(std::move(flat), &v));
      break;
    case kTypeHashZipmap:
    case kTypeHashZiplist:
    case kTypeHashListpack: {
      v.type = ValueType::kHash;
      bool ok = r.String(&blob) && (type == kTypeHashZipmap    ? ParseZipmap(blob, &flat)
                                    : type == kTypeHashZiplist ? ParseZiplist(blob, &flat)
                                                               : ParseListpack(blob, &flat));
      if (!ok) return Corrupt("hash container");
      RETURN_IF_ERROR(PairsFromFlat(std::move(flat), &v));
      break;
    }
    case kTypeStreamListpacks:
    case kTypeStreamListpacks2:
      v.type = ValueType::kStream;
      if (!DecodeStream(r, type == kTypeStreamListpacks2, &v.stream)) return Corrupt("stream");
      return v;  // an empty stream is a valid value
    default:
      return Corrupt("unknown object type");
  }
  if (v.elements.empty() && v.pairs.empty() && v.scored.empty()) return Corrupt("empty key");
  return v;
}

}  // namespace

std::string D2String(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  constexpr double kMin = -4503599627370495;  // -(2^52 - 1)
  constexpr double kMax = 4503599627370496;   // 2^52
  if (v > kMin && v < kMax && v == static_cast<double>(static_cast<long long>(v))) {
    return FormatInt64(static_cast<long long>(v));
  }
  char buf[32];
  int n = std::snprintf(buf, sizeof(buf), "%.17g", v);
  return std::string(buf, n);
}

StatusOr<std::string> EncodeObject(const RdbValue& v, bool compress, EncodeInfo* info) {
  std::string out;
  switch (v.type) {
    case ValueType::kString:
      out.push_back(static_cast<char>(kTypeString));
      PutString(&out, v.string, compress);
      break;
    case ValueType::kList:
      EncodeList(v, compress, &out, info);
      break;
    case ValueType::kSet:
      EncodeSet(v, compress, &out);
      break;
    case ValueType::kZset:
      EncodeZset(v, compress, &out);
      break;
    case ValueType::kHash:
      EncodeHash(v, compress, &out);
      break;
    case ValueType::kStream:
      out.push_back(static_cast<char>(kTypeStreamListpacks2));
      EncodeStream(v.stream, compress, &out);
      break;
  }
  return out;
}

StatusOr<std::string> EncodeDump(const RdbValue& v) {
  ASSIGN_OR_RETURN(std::string out, EncodeObject(v, /*compress=*/true));
  AppendDumpFooter(&out);
  return out;
}

StatusOr<RdbValue> DecodeObject(uint8_t type, Reader& r) {
  return DecodeBody(type, r);
}

StatusOr<RdbValue> DecodeDump(std::string_view payload) {
  ASSIGN_OR_RETURN(std::string_view body, VerifyDumpPayload(payload));
  Reader r(body);
  uint8_t type = 0;
  auto bad = [] { return Status::ClientError("ERR Bad data format"); };
  if (!r.Byte(&type)) return bad();
  auto v = DecodeBody(type, r);
  if (v.ok()) return v;
  return bad();
}

}  // namespace strata::codec::rdb
