// Cursors of HSCAN, SSCAN (and ZSCAN): a resume sub-key (field or member)
// mapped to a decimal cursor through the same table as SCAN's
// (server/scan_cursors.h).
//
// The table stores a position whose first two bytes are its "slot" and
// falls back to the start of that slot when an entry is gone (evicted,
// restarted, made up). For sub-keys the slot is a BUCKET: the top 14 bits of
// the sub-key's first two bytes (missing bytes read as zero). Buckets grow
// with byte order, and BucketStart(b) is at or below every sub-key of bucket
// b, so resuming a fallback from the start of the bucket may return elements
// a second time — which *SCAN allows — but never skips one.
//
//   position := u16(bucket) sub-key
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::server {

class ScanCursors;

// The bucket of a sub-key (0..16383).
uint16_t SubkeyBucket(std::string_view subkey);
// The lowest sub-key of a bucket: its two bytes with trailing zero bytes dropped.
std::string BucketStart(uint16_t bucket);

// A cursor for resuming at `next_subkey` (non-empty: a page's resume point).
uint64_t SaveSubkeyCursor(ScanCursors& cursors, std::string_view next_subkey);
// The sub-key to start at for `cursor` ("" for 0, the first).
std::string ResolveSubkeyCursor(const ScanCursors& cursors, uint64_t cursor);

}  // namespace strata::server
