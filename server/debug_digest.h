// DEBUG DIGEST and DIGEST-VALUE: Redis 7.0's dataset and value digests
// (debug.c), so that a dataset gives the same 40 hex digits on Strata and on
// redis-server, which is what replication and persistence tests compare.
//
// A digest is 20 bytes. xor(d, data) XORs SHA1(data) into d (order does not
// matter); mix(d, data) sets d = SHA1(d XOR SHA1(data)) (order matters).
// A value's digest, starting from `d`: mix(htonl(Redis type number)), then
//   string  mix(bytes)
//   list    mix(element) for each, head to tail
//   set     xor(member) for each
//   zset    xor(e) for each member, e = mix(mix(0, member), "%.17g" score)
//   hash    xor(e) for each field, e = mix(mix(0, field), value)
//   stream  for each entry in ID order: mix("<ms>.<seq>"), then mix(field),
//           mix(value) for each pair (consumer groups are not digested)
// and xor("!!expire!!") when the key has a TTL. The dataset digest starts
// from zeros; for each non-empty database j: mix(htonl(j)), then for each
// key xor(mix(0, key) followed by its value's digest).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "codec/rdb_value.h"

namespace strata::server {

using Digest = std::array<unsigned char, 20>;

void XorDigest(Digest* d, std::string_view data);
void MixDigest(Digest* d, std::string_view data);

// Adds a value's digest to `d` (xorObjectDigest).
void AddValueDigest(Digest* d, const codec::rdb::RdbValue& v, bool has_expire);

// Adds database `db`'s header to a dataset digest (before its keys).
void AddDatabaseDigest(Digest* dataset, int db);
// Adds one key and its value to a dataset digest.
void AddKeyDigest(Digest* dataset, std::string_view key, const codec::rdb::RdbValue& v,
                  bool has_expire);

// 40 lower-case hex digits.
std::string DigestHex(const Digest& d);

}  // namespace strata::server
