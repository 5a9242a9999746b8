// Conversion between Redis replies and Lua values, both ways, as Redis 7.0
// documents it (https://redis.io/docs/interact/programmability/lua-api/).
//
// Reply -> Lua (what redis.call returns), from the RESP bytes a command wrote:
//   integer -> number (integer)      bulk -> string       nil bulk/array -> false
//   array -> table (1..n)            status -> {ok=s}      error -> {err=s}
//   RESP3 (after redis.setresp(3)): null -> nil, map -> {map={k=v}},
//   set -> {set={m=true}}, boolean -> boolean, double -> {double=n},
//   big number -> {big_number=s}, verbatim -> {verbatim_string={format=, string=}};
//   attributes are skipped.
//
// Lua -> reply (what a script returns):
//   number -> integer, truncated (a float outside int64 gives INT64_MIN, as
//     Redis's C cast does on x86); string -> bulk; nil -> null;
//   boolean -> 1 / null under setresp(2), RESP3 boolean under setresp(3);
//   table -> {err=s} error, {ok=s} status, {double=n}, {big_number=s},
//     {verbatim_string=...}, {map=t}, {set=t}, else an array of t[1..] up to
//     the first nil.
// Lua 5.4 keeps integers and floats apart; Redis's 5.1 had only doubles. The
// bridge is here: integer replies arrive as Lua integers, and a float with an
// integral value leaves as that integer.
//
// Neither raises a Lua error outside PushReply's luaL_checkstack (which runs
// inside redis.call, a protected call).
#pragma once

#include <string>
#include <string_view>

struct lua_State;

namespace strata::server {
class ReplyBuilder;
}

namespace strata::scripting {

// Pushes the one RESP2/RESP3 value at the start of `resp`; returns the bytes
// it took, or 0 (nothing pushed) when `resp` is malformed.
size_t PushReply(lua_State* L, std::string_view resp);

// Pops the value at the top of L's stack and writes it as a reply.
// `script_resp` is the script's redis.setresp version (2 or 3).
void PopToReply(lua_State* L, int script_resp, server::ReplyBuilder* out);

// A Lua number as Redis passes it to a command: an integer in decimal, a
// float with printf's "%.17g" (so 5.0 -> "5", 0.1 -> "0.10000000000000001").
std::string NumberArgument(lua_State* L, int index);

}  // namespace strata::scripting
