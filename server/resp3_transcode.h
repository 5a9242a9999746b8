// RESP3 -> RESP2 transcoding of pre-encoded replies.
//
// Some replies are stored already encoded in RESP3 (the COMMAND DOCS entries
// in CommandSpec::docs_resp3). A RESP2 client gets them rewritten the way
// Redis itself writes those types for RESP2:
//   %n (map)  -> *2n flat array     ~n (set)   -> *n      >n (push) -> *n
//   _ (null)  -> $-1                #t / #f    -> :1 / :0
//   ,<double> -> bulk of its text   (<bignum>  -> bulk of its digits
//   =n txt:.. (verbatim) -> bulk without the "txt:" prefix
//   !n (blob error)      -> -<text>
//   |n (attribute)       -> dropped with its key/value pairs
// Simple strings, errors, integers, bulk strings and arrays are unchanged.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace strata::server {

// Appends to `out` the RESP2 form of `resp3`, a sequence of zero or more
// complete RESP3 values written back to back. Returns false, leaving `out`
// as it was, when `resp3` is malformed or ends inside a value.
bool TranscodeResp3ToResp2(std::string_view resp3, std::string* out);

// The header of the value at the start of `resp3`: its type byte, its count
// (elements of an aggregate, pairs of a map, bytes of a bulk; -1 for a RESP2
// null) and the header's own length including its CRLF.
struct Resp3Header {
  char type = 0;
  int64_t count = 0;
  size_t size = 0;
};
bool ParseResp3Header(std::string_view resp3, Resp3Header* header);

}  // namespace strata::server
