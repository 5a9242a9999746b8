// Stream IDs and stream entries as Strata stores and Redis prints them. Pure
// functions, no I/O; the layout they implement is in codec/layout.h
// ("stream_entries" and the stream metadata body).
//
//   StreamId         (ms, seq), ordered as Redis orders them (ms first).
//   entry sub-key    u64(ms) u64(seq), big-endian, so byte order is ID order
//                    and a range of IDs is one iterator seek.
//   entry value      varint(n pairs) { varint(len) field varint(len) value }*n
//                    (LEB128 varints: a pair of short strings costs 2 bytes of
//                    framing, as a listpack entry's header would).
//
// ID PARSING follows Redis 7.0.15's streamGenericParseIDOrReply: "<ms>" or
// "<ms>-<seq>", each part an unsigned 64-bit decimal (string2ull: strict
// integer text, or strtoull's wider syntax for values above INT64_MAX), at
// most 127 bytes; "-" and "+" are the smallest and largest IDs unless the
// parse is strict; "<ms>-*" (XADD only) leaves the sequence to the server.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::codec {

struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;

  auto operator<=>(const StreamId&) const = default;
  bool is_zero() const { return ms == 0 && seq == 0; }
  static constexpr StreamId Max() { return {UINT64_MAX, UINT64_MAX}; }
};

// The next/previous ID in ID order (Redis's streamIncrID/streamDecrID);
// false at the end of the ID space (the ID is left unchanged).
bool IncrStreamId(StreamId* id);
bool DecrStreamId(StreamId* id);

// "<ms>-<seq>".
std::string FormatStreamId(StreamId id);

struct ParsedStreamId {
  StreamId id;
  bool seq_given = true;  // false for "<ms>-*" (only when allow_auto_seq)
};
struct StreamIdParse {
  bool strict = false;          // reject "-" and "+"
  bool allow_auto_seq = false;  // accept "<ms>-*"
  uint64_t missing_seq = 0;     // sequence of a bare "<ms>"
};
// False on any text Redis rejects ("Invalid stream ID ...").
bool ParseStreamId(std::string_view text, const StreamIdParse& how, ParsedStreamId* out);

// Entry sub-key: u64(ms) u64(seq) big-endian.
inline constexpr size_t kStreamEntryKeySize = 16;
std::string EncodeStreamEntryKey(StreamId id);
bool DecodeStreamEntryKey(std::string_view key, StreamId* id);

// Entry value: the field/value pairs in the order XADD gave them.
using StreamFields = std::vector<std::pair<std::string, std::string>>;
// `flat` is field, value, field, value... (REQUIRES: an even count).
template <typename Strings>
std::string EncodeStreamEntry(const Strings& flat);
bool DecodeStreamEntry(std::string_view value, StreamFields* fields);

// Varint helpers of the entry encoding (exposed for tests).
void PutVarint64(std::string* out, uint64_t v);
bool GetVarint64(std::string_view* in, uint64_t* v);

template <typename Strings>
std::string EncodeStreamEntry(const Strings& flat) {
  size_t bytes = 10;
  for (const auto& s : flat) bytes += std::string_view(s).size() + 5;
  std::string out;
  out.reserve(bytes);
  PutVarint64(&out, flat.size() / 2);
  for (const auto& s : flat) {
    std::string_view v(s);
    PutVarint64(&out, v.size());
    out.append(v);
  }
  return out;
}

}  // namespace strata::codec
