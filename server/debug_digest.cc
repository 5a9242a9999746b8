// Redis 7.0's DEBUG DIGEST algorithm (see debug_digest.h), SHA-1 by OpenSSL.
#include "server/debug_digest.h"

#include <openssl/evp.h>

#include "server/reply_builder.h"

namespace strata::server {

namespace {

Digest Sha1(std::string_view data) {
  Digest out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha1(), nullptr);
  return out;
}

// Redis's object type numbers (server.h OBJ_*), which the digest mixes in.
uint32_t RedisTypeNumber(codec::ValueType t) {
  switch (t) {
    case codec::ValueType::kString:
      return 0;
    case codec::ValueType::kList:
      return 1;
    case codec::ValueType::kSet:
      return 2;
    case codec::ValueType::kZset:
      return 3;
    case codec::ValueType::kHash:
      return 4;
    case codec::ValueType::kStream:
      return 6;
  }
  return 0;
}

// htonl(v) as the bytes Redis hashes.
std::string BigEndian32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string_view AsBytes(const Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

// mix(mix(0, a), b), the digest of one set-like pair.
Digest PairDigest(std::string_view a, std::string_view b) {
  Digest e{};
  MixDigest(&e, a);
  MixDigest(&e, b);
  return e;
}

}  // namespace

void XorDigest(Digest* d, std::string_view data) {
  Digest h = Sha1(data);
  for (size_t i = 0; i < d->size(); ++i) (*d)[i] ^= h[i];
}

void MixDigest(Digest* d, std::string_view data) {
  XorDigest(d, data);
  *d = Sha1(AsBytes(*d));
}

void AddValueDigest(Digest* d, const codec::rdb::RdbValue& v, bool has_expire) {
  MixDigest(d, BigEndian32(RedisTypeNumber(v.type)));
  switch (v.type) {
    case codec::ValueType::kString:
      MixDigest(d, v.string);
      break;
    case codec::ValueType::kList:
      for (const std::string& e : v.elements) MixDigest(d, e);
      break;
    case codec::ValueType::kSet:
      for (const std::string& m : v.elements) XorDigest(d, m);
      break;
    case codec::ValueType::kZset:
      for (const auto& [member, score] : v.scored) {
        XorDigest(d, AsBytes(PairDigest(member, FormatDouble(score))));
      }
      break;
    case codec::ValueType::kHash:
      for (const auto& [field, value] : v.pairs) XorDigest(d, AsBytes(PairDigest(field, value)));
      break;
    case codec::ValueType::kStream:
      for (const auto& entry : v.stream.entries) {
        MixDigest(d, std::to_string(entry.id.ms) + "." + std::to_string(entry.id.seq));
        for (const auto& [field, value] : entry.fields) {
          MixDigest(d, field);
          MixDigest(d, value);
        }
      }
      break;
  }
  if (has_expire) XorDigest(d, "!!expire!!");
}

void AddDatabaseDigest(Digest* dataset, int db) {
  MixDigest(dataset, BigEndian32(static_cast<uint32_t>(db)));
}

void AddKeyDigest(Digest* dataset, std::string_view key, const codec::rdb::RdbValue& v,
                  bool has_expire) {
  Digest d{};
  MixDigest(&d, key);
  AddValueDigest(&d, v, has_expire);
  XorDigest(dataset, AsBytes(d));
}

std::string DigestHex(const Digest& d) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(40);
  for (unsigned char c : d) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

}  // namespace strata::server
