#!/usr/bin/python3
"""Generates Strata's command specs from Redis 7.0.15's own command metadata.

Owns tools/redis-commands.json (the facts: COMMAND INFO and COMMAND DOCS of
every Redis command and subcommand, as Debian's redis-server 7.0.15 reports
them) and server/command_specs_generated.cc (those facts as constexpr
CommandSpec aggregates, see server/command_spec.h).

Usage (python3 standard library only; run with /usr/bin/python3):

  tools/gen_command_specs.py              # start redis-server, refresh the JSON, write the .cc
  tools/gen_command_specs.py --from-json  # write the .cc from the checked-in JSON only (no Redis)
  tools/gen_command_specs.py --getkeys-golden
      # print the COMMAND GETKEYSANDFLAGS table of tests/unit/server/command_table_test.cc,
      # captured from a live redis-server, for GETKEYS_CASES below

The live mode starts /usr/bin/redis-server on a free port (`--save ''
--appendonly no`, in a temporary directory), speaks RESP3 (HELLO 3) over a
plain socket, and fetches COMMAND (all commands with their nested
subcommands) and COMMAND DOCS. Everything is sorted by full name ("config"
< "config|get"), so the output is deterministic and CommandTable can binary
search the spec array.

COMMAND INFO hides four flags (may_replicate, sentinel, only_sentinel,
protected). The ones Strata can use, may_replicate and protected, are copied
below from Redis 7.0's src/commands.c for the top-level commands that carry
them; the JSON records them under "hidden_flags". Sentinel flags are not
recorded (Strata is not a Sentinel), and hidden flags of subcommands are not
recorded.

The JSON stores each command's COMMAND DOCS entry in natural JSON form; RESP3
types are implied by the key, as in Redis's own reply code: "doc_flags" and
argument "flags" are sets of simple strings, "history" is a set of arrays,
other lists are arrays, strings are bulk strings and numbers integers. The
live mode checks that re-encoding the JSON reproduces Redis's bytes exactly.
"""

import argparse
import json
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JSON_PATH = os.path.join(ROOT, "tools", "redis-commands.json")
CC_PATH = os.path.join(ROOT, "server", "command_specs_generated.cc")
REDIS_SERVER = "/usr/bin/redis-server"
EXPECTED_VERSION = "7.0.15"

# Flags COMMAND INFO does not show, from Redis 7.0 src/commands.c (top-level
# commands only).
SOURCE_HIDDEN_FLAGS = {
    "debug": ["protected"],
    "eval": ["may_replicate"],
    "evalsha": ["may_replicate"],
    "fcall": ["may_replicate"],
    "pfcount": ["may_replicate"],
    "publish": ["may_replicate"],
    "spublish": ["may_replicate"],
}

# Each table lists the names in the order Redis 7.0 replies them (and Strata's
# COMMAND INFO writes them); the live mode checks that order.
COMMAND_FLAGS = {
    "write": "kCmdWrite",
    "readonly": "kCmdReadonly",
    "denyoom": "kCmdDenyOom",
    "module": "kCmdModule",
    "admin": "kCmdAdmin",
    "pubsub": "kCmdPubsub",
    "noscript": "kCmdNoscript",
    "blocking": "kCmdBlocking",
    "loading": "kCmdLoading",
    "stale": "kCmdStale",
    "skip_monitor": "kCmdSkipMonitor",
    "skip_slowlog": "kCmdSkipSlowlog",
    "asking": "kCmdAsking",
    "fast": "kCmdFast",
    "no_auth": "kCmdNoAuth",
    "may_replicate": "kCmdMayReplicate",
    "sentinel": "kCmdSentinel",
    "only_sentinel": "kCmdOnlySentinel",
    "no_mandatory_keys": "kCmdNoMandatoryKeys",
    "protected": "kCmdProtected",
    "no_async_loading": "kCmdNoAsyncLoading",
    "no_multi": "kCmdNoMulti",
    "movablekeys": "kCmdMovableKeys",
    "allow_busy": "kCmdAllowBusy",
}

ACL_CATEGORIES = {
    "@keyspace": "kAclKeyspace",
    "@read": "kAclRead",
    "@write": "kAclWrite",
    "@set": "kAclSet",
    "@sortedset": "kAclSortedSet",
    "@list": "kAclList",
    "@hash": "kAclHash",
    "@string": "kAclString",
    "@bitmap": "kAclBitmap",
    "@hyperloglog": "kAclHyperLogLog",
    "@geo": "kAclGeo",
    "@stream": "kAclStream",
    "@pubsub": "kAclPubsub",
    "@admin": "kAclAdmin",
    "@fast": "kAclFast",
    "@slow": "kAclSlow",
    "@blocking": "kAclBlocking",
    "@dangerous": "kAclDangerous",
    "@connection": "kAclConnection",
    "@transaction": "kAclTransaction",
    "@scripting": "kAclScripting",
}

KEY_SPEC_FLAGS = {
    "RO": "kKsRO",
    "RW": "kKsRW",
    "OW": "kKsOW",
    "RM": "kKsRM",
    "access": "kKsAccess",
    "update": "kKsUpdate",
    "insert": "kKsInsert",
    "delete": "kKsDelete",
    "not_key": "kKsNotKey",
    "incomplete": "kKsIncomplete",
    "variable_flags": "kKsVariableFlags",
}

# Commands whose COMMAND GETKEYSANDFLAGS replies are captured for the unit
# test (--getkeys-golden). Written as shell words.
GETKEYS_CASES = """
get k
set k v
set k v get
set k v EX 10 GET
getex k PERSIST
mget a b c
mset a 1 b 2 c 3
msetnx a 1 b 2
del a b c
exists a b
unlink a b
touch a
rename a b
renamenx a b
copy a b
copy a b DB 1 REPLACE
smove a b m
lmove a b LEFT RIGHT
blmove a b LEFT RIGHT 0
rpoplpush a b
brpoplpush a b 0
blpop a b c 0
brpop a 0
bzpopmin a b 0
sinterstore d a b
sunionstore d a
sdiff a b c
sintercard 2 a b
sintercard 2 a b LIMIT 5
zunionstore d 2 a b
zunionstore d 2 a b WEIGHTS 1 2
zinterstore d 3 a b c AGGREGATE MAX
zdiffstore d 1 a
zunion 2 a b
zinter 2 a b WITHSCORES
zdiff 2 a b
zintercard 3 a b c
zrangestore d s 0 -1
zmpop 2 a b MIN
bzmpop 0 2 a b MAX COUNT 2
lmpop 2 a b LEFT
blmpop 0 3 a b c RIGHT
eval "return 1" 0
eval "return 1" 2 a b x y
evalsha abc 1 a
eval_ro s 1 a
fcall f 2 a b c
fcall_ro f 1 a
sort k
sort k STORE d
sort k BY w GET x LIMIT 0 1 STORE d
sort k STORE a STORE b
sort_ro k BY w GET x
migrate h 6379 k 0 100
migrate h 6379 "" 0 100 KEYS a b c
migrate h 6379 "" 0 100 COPY REPLACE KEYS a b
migrate h 6379 "" 0 100 AUTH p KEYS a
migrate h 6379 "" 0 100 AUTH2 u p KEYS a b
georadius k 1 2 3 m
georadius k 1 2 3 m STORE d
georadius k 1 2 3 m STOREDIST d
georadius k 1 2 3 m STORE d STOREDIST e
georadiusbymember k m 3 km STORE d
georadius_ro k 1 2 3 m
geosearchstore d s FROMMEMBER m BYRADIUS 1 km
xread STREAMS a 0
xread COUNT 2 STREAMS a b 0 0
xread BLOCK 0 STREAMS a b c 1 2 3
xreadgroup GROUP g c STREAMS a b 0 0
xreadgroup GROUP g c COUNT 1 NOACK STREAMS a >
xadd s * f v
xgroup create s g $
xinfo stream s
xinfo groups s
object encoding k
object freq k
memory usage k
memory usage k SAMPLES 5
bitop AND d a b c
bitfield k GET u8 0
bitfield k SET u8 0 1
bitfield_ro k GET u8 0
pfmerge d a b
pfcount a b c
watch a b
lcs a b
lpos k e RANK 1
hset h f v f2 v2
linsert k BEFORE p e
restore k 0 payload
dump k
spublish ch msg
ssubscribe a b
sunsubscribe a
geoadd k 1 2 m
config get maxmemory
get a b
nosuchcommand a
zunionstore d 5 a b
zunionstore d 2x a b
zunionstore d 4294967297 a
eval s -1
eval s 3 a
xread STREAMS a
xread STREAMS a b c
migrate h 6379 k 0 100 KEYS a
georadius k 1 2 3 m STORE
sort k STORE
set k v GeT
bitfield k GET u8
bitfield k OVERFLOW SAT GET u8 0
""".strip().splitlines()

GETKEYS_ERRORS = {
    "ERR The command has no key arguments": "kNoKeys",
    "ERR Invalid arguments specified for command": "kInvalidArgs",
    "ERR Invalid number of arguments specified for command": "kBadArity",
    "ERR Invalid command specified": "kUnknownCommand",
}


# ---------------------------------------------------------------------------
# RESP3 values: a minimal typed model, parser and encoder.


class Resp:
    """A RESP3 value: kind is one of map set array bulk simple int null
    double bool verbatim bignum error push; value depends on kind."""

    __slots__ = ("kind", "value")

    def __init__(self, kind, value=None):
        self.kind = kind
        self.value = value


class RespReader:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _fill(self):
        data = self.sock.recv(1 << 20)
        if not data:
            raise ConnectionError("redis-server closed the connection")
        self.buf += data

    def _line(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line, self.buf = self.buf[:i], self.buf[i + 2:]
                return line
            self._fill()

    def _exact(self, n):
        while len(self.buf) < n + 2:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def read(self):
        line = self._line()
        t, rest = line[:1], line[1:]
        if t in (b"*", b"~", b">", b"%"):
            n = int(rest)
            if n < 0:
                return Resp("null")
            if t == b"%":
                return Resp("map", [(self.read(), self.read()) for _ in range(n)])
            kind = {b"*": "array", b"~": "set", b">": "push"}[t]
            return Resp(kind, [self.read() for _ in range(n)])
        if t == b"$":
            n = int(rest)
            return Resp("null") if n < 0 else Resp("bulk", self._exact(n))
        if t == b"=":
            return Resp("verbatim", self._exact(int(rest)))
        if t == b"+":
            return Resp("simple", rest.decode())
        if t == b"-":
            return Resp("error", rest.decode())
        if t == b":":
            return Resp("int", int(rest))
        if t == b"_":
            return Resp("null")
        if t == b",":
            return Resp("double", rest.decode())
        if t == b"#":
            return Resp("bool", rest == b"t")
        if t == b"(":
            return Resp("bignum", rest.decode())
        if t == b"|":
            self.read_attribute_body(int(rest))
            return self.read()
        raise ValueError("unexpected RESP3 type byte %r" % t)

    def read_attribute_body(self, n):
        for _ in range(n):
            self.read()
            self.read()


def encode(v):
    k = v.kind
    if k == "map":
        return b"%%%d\r\n" % len(v.value) + b"".join(encode(a) + encode(b) for a, b in v.value)
    if k in ("array", "set", "push"):
        head = {"array": b"*", "set": b"~", "push": b">"}[k]
        return head + b"%d\r\n" % len(v.value) + b"".join(encode(x) for x in v.value)
    if k == "bulk":
        return b"$%d\r\n%s\r\n" % (len(v.value), v.value)
    if k == "verbatim":
        return b"=%d\r\n%s\r\n" % (len(v.value), v.value)
    if k == "simple":
        return b"+" + v.value.encode() + b"\r\n"
    if k == "error":
        return b"-" + v.value.encode() + b"\r\n"
    if k == "int":
        return b":%d\r\n" % v.value
    if k == "null":
        return b"_\r\n"
    if k == "double":
        return b"," + v.value.encode() + b"\r\n"
    if k == "bool":
        return b"#t\r\n" if v.value else b"#f\r\n"
    if k == "bignum":
        return b"(" + v.value.encode() + b"\r\n"
    raise ValueError(k)


def command_bytes(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a.encode() if isinstance(a, str) else a
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


# ---------------------------------------------------------------------------
# Natural JSON <-> RESP3 for COMMAND DOCS and key specs.

SIMPLE_STRING_SETS = ("doc_flags", "flags")  # sets of simple strings
SETS = SIMPLE_STRING_SETS + ("history",)


def to_natural(v, key=None):
    if v.kind == "map":
        out = {}
        for k, val in v.value:
            assert k.kind == "bulk", "map keys are bulk strings"
            name = k.value.decode()
            assert name not in out, "duplicate map key %s" % name
            out[name] = to_natural(val, name)
        return out
    if v.kind == "set":
        assert key in SETS, "unexpected set under %r" % key
        return [to_natural(x) for x in v.value]
    if v.kind == "array":
        assert key not in SETS, "unexpected array under %r" % key
        return [to_natural(x) for x in v.value]
    if v.kind == "bulk":
        return v.value.decode("utf-8")
    if v.kind == "simple":
        return v.value
    if v.kind == "int":
        return v.value
    raise ValueError("unexpected %s in docs/key specs" % v.kind)


def from_natural(x, key=None, in_simple_set=False):
    if isinstance(x, dict):
        return Resp("map", [(Resp("bulk", k.encode()), from_natural(v, k)) for k, v in x.items()])
    if isinstance(x, list):
        kind = "set" if key in SETS else "array"
        simple = key in SIMPLE_STRING_SETS
        return Resp(kind, [from_natural(e, None, simple) for e in x])
    if isinstance(x, bool):
        raise ValueError("booleans do not occur")
    if isinstance(x, int):
        return Resp("int", x)
    if isinstance(x, str):
        return Resp("simple", x) if in_simple_set else Resp("bulk", x.encode("utf-8"))
    raise ValueError(repr(x))


# ---------------------------------------------------------------------------
# Talking to a live redis-server.


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveRedis:
    def __init__(self):
        self.dir = tempfile.TemporaryDirectory(prefix="strata-gen-specs-")
        self.port = free_port()
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.dir.name, "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
                break
            except OSError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("redis-server did not start")
                time.sleep(0.05)
        self.reader = RespReader(self.sock)
        hello = self.call("HELLO", "3")
        info = dict((k.value.decode(), v) for k, v in hello.value)
        self.version = info["version"].value.decode()

    def call(self, *args):
        self.sock.sendall(command_bytes(args))
        reply = self.reader.read()
        if reply.kind == "error":
            raise RuntimeError("%s: %s" % (" ".join(args), reply.value))
        return reply

    def call_raw(self, *args):
        self.sock.sendall(command_bytes(args))
        return self.reader.read()

    def close(self):
        try:
            self.sock.close()
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.dir.cleanup()


def info_entry(v):
    """One COMMAND INFO entry (array of 10) -> (fact dict, nested sub entries)."""
    f = v.value
    assert v.kind == "array" and len(f) == 10, "COMMAND INFO entry has 10 fields"
    name = f[0].value.decode()
    entry = {
        "name": name,
        "arity": f[1].value,
        "flags": [x.value for x in f[2].value],
        "hidden_flags": SOURCE_HIDDEN_FLAGS.get(name, []),
        "first_key": f[3].value,
        "last_key": f[4].value,
        "step": f[5].value,
        "acl_categories": [x.value for x in f[6].value],
        "tips": [x.value.decode() for x in f[7].value],
        "key_specs": [to_natural(ks) for ks in f[8].value],
    }
    subs = f[9].value
    entry["subcommands"] = sorted(s.value[0].value.decode() for s in subs)
    return entry, subs


def check_order(names, table, what, cmd):
    order = list(table)
    idx = [order.index(n) for n in names if n in table]
    if idx != sorted(idx):
        sys.exit("%s: %s not in the expected order: %r" % (cmd, what, names))


def fetch_live():
    r = LiveRedis()
    try:
        if r.version != EXPECTED_VERSION:
            sys.exit("expected redis-server %s, found %s" % (EXPECTED_VERSION, r.version))
        infos = {}
        pending = list(r.call("COMMAND").value)
        while pending:
            entry, subs = info_entry(pending.pop())
            infos[entry["name"]] = entry
            pending.extend(subs)
        docs_reply = r.call("COMMAND", "DOCS")
        docs = {}
        raw_docs = {}
        pending = list(docs_reply.value)
        while pending:
            k, v = pending.pop()
            name = k.value.decode()
            body = []
            for dk, dv in v.value:
                if dk.value == b"subcommands":
                    pending.extend(dv.value)
                else:
                    body.append((dk, dv))
            stripped = Resp("map", body)
            docs[name] = to_natural(stripped)
            raw_docs[name] = encode(stripped)
        assert set(docs) == set(infos), "COMMAND and COMMAND DOCS disagree on the names"
        commands = []
        for name in sorted(infos):
            e = infos[name]
            check_order(e["flags"], COMMAND_FLAGS, "flags", name)
            check_order(e["acl_categories"], ACL_CATEGORIES, "ACL categories", name)
            for ks in e["key_specs"]:
                check_order(ks["flags"], KEY_SPEC_FLAGS, "key spec flags", name)
            e["group"] = docs[name]["group"]
            e["docs"] = docs[name]
            # The JSON must reproduce Redis's bytes exactly.
            assert encode(from_natural(docs[name])) == raw_docs[name], name
            commands.append(e)
        return {
            "redis_version": r.version,
            "source": "COMMAND and COMMAND DOCS of Debian's redis-server %s; "
                      "hidden_flags from Redis 7.0 src/commands.c" % r.version,
            "generator": "tools/gen_command_specs.py",
            "commands": commands,
        }
    finally:
        r.close()


# ---------------------------------------------------------------------------
# C++ generation.


def cpp_string(data):
    """A C++ string literal (split into adjacent pieces) for bytes `data`."""
    pieces, cur = [], []
    width = 0
    for b in data:
        c = chr(b)
        if c == "\\":
            s = "\\\\"
        elif c == '"':
            s = '\\"'
        elif c == "\r":
            s = "\\r"
        elif c == "\n":
            s = "\\n"
        elif 0x20 <= b < 0x7F:
            s = c
        else:
            s = "\\%03o" % b
        if c == "?":
            s = "\\?"  # no trigraphs
        cur.append(s)
        width += len(s)
        if (c == "\n" and width > 60) or width > 86:
            pieces.append('"' + "".join(cur) + '"')
            cur, width = [], 0
    if cur or not pieces:
        pieces.append('"' + "".join(cur) + '"')
    return pieces


def bits(names, table, what, cmd):
    out = []
    for n in names:
        if n not in table:
            sys.exit("%s: unknown %s %r" % (cmd, what, n))
        out.append(table[n])
    return " | ".join(out) if out else "0"


def ident(name):
    return "".join(c if c.isalnum() else "_" for c in name)


def key_spec_cpp(ks, cmd):
    """A KeySpec initializer naming every field in declaration order (GCC warns
    about omitted fields even with designated initializers)."""
    bs, fk = ks["begin_search"], ks["find_keys"]
    f = {"flags": bits(ks["flags"], KEY_SPEC_FLAGS, "key spec flag", cmd),
         "begin_search": "KeySpec::BeginSearch::kUnknown", "bs_index": 0, "bs_keyword": "{}",
         "bs_startfrom": 0, "find_keys": "KeySpec::FindKeys::kUnknown", "fk_lastkey": 0,
         "fk_keystep": 0, "fk_limit": 0, "fk_keynumidx": 0, "fk_firstkey": 0}
    if bs["type"] == "index":
        f["begin_search"] = "KeySpec::BeginSearch::kIndex"
        f["bs_index"] = bs["spec"]["index"]
    elif bs["type"] == "keyword":
        f["begin_search"] = "KeySpec::BeginSearch::kKeyword"
        f["bs_keyword"] = '"%s"' % bs["spec"]["keyword"]
        f["bs_startfrom"] = bs["spec"]["startfrom"]
    elif bs["type"] != "unknown":
        sys.exit("%s: unknown begin_search %r" % (cmd, bs["type"]))
    if fk["type"] == "range":
        f["find_keys"] = "KeySpec::FindKeys::kRange"
        f["fk_lastkey"] = fk["spec"]["lastkey"]
        f["fk_keystep"] = fk["spec"]["keystep"]
        f["fk_limit"] = fk["spec"]["limit"]
    elif fk["type"] == "keynum":
        f["find_keys"] = "KeySpec::FindKeys::kKeynum"
        f["fk_keystep"] = fk["spec"]["keystep"]
        f["fk_keynumidx"] = fk["spec"]["keynumidx"]
        f["fk_firstkey"] = fk["spec"]["firstkey"]
    elif fk["type"] != "unknown":
        sys.exit("%s: unknown find_keys %r" % (cmd, fk["type"]))
    return "{" + ", ".join(".%s = %s" % (k, v) for k, v in f.items()) + "}"


def generate_cc(facts):
    cmds = facts["commands"]
    names = [c["name"] for c in cmds]
    assert names == sorted(names), "commands must be sorted by name"
    idents = [ident(n) for n in names]
    assert len(set(idents)) == len(idents), "identifier collision"

    out = []
    w = out.append
    w("// GENERATED by tools/gen_command_specs.py from tools/redis-commands.json")
    w("// (Redis %s). Do not edit: change the generator or the JSON and rerun" %
      facts["redis_version"])
    w("//   /usr/bin/python3 tools/gen_command_specs.py --from-json")
    w("//")
    w("// Owns RedisCommandSpecs() (server/command_spec.h): one CommandSpec per Redis")
    w("// command and subcommand, sorted by full name so lookups can binary search,")
    w("// and KeySpecNotes() for the key specs' \"notes\" that COMMAND INFO shows.")
    w("// Plain constexpr aggregates: constant-initialised, no static constructors.")
    w("// clang-format off")
    w("#include <cstdint>")
    w("#include <functional>")
    w("#include <iterator>")
    w("#include <span>")
    w("#include <string_view>")
    w("")
    w('#include "server/command_spec.h"')
    w("")
    w("namespace strata::server {")
    w("")
    w("namespace {")
    w("")
    w("using namespace std::string_view_literals;")
    w("")

    # Key specs, one array for all commands.
    ks_offsets, ks_rows, notes = [], [], []
    for c in cmds:
        ks_offsets.append(len(ks_rows))
        for ks in c["key_specs"]:
            ks_rows.append("    %s,  // %s" % (key_spec_cpp(ks, c["name"]), c["name"]))
            notes.append(ks.get("notes", ""))
    w("constexpr KeySpec kKeySpecs[] = {")
    out.extend(ks_rows)
    w("};")
    w("")
    w("// Parallel to kKeySpecs: each key spec's notes (empty when it has none).")
    w("constexpr std::string_view kKeySpecNotes[] = {")
    for n in notes:
        w("    %s," % " ".join(cpp_string(n.encode("utf-8"))))
    w("};")
    w("static_assert(std::size(kKeySpecNotes) == std::size(kKeySpecs));")
    w("")

    tip_offsets, tips = [], []
    for c in cmds:
        tip_offsets.append(len(tips))
        tips.extend(c["tips"])
    w("constexpr std::string_view kTips[] = {")
    for t in tips:
        w('    "%s",' % t)
    w("};")
    w("")

    w("// Each command's COMMAND DOCS map value without \"subcommands\", in RESP3.")
    for c, idn in zip(cmds, idents):
        data = encode(from_natural(c["docs"]))
        pieces = cpp_string(data)
        w("constexpr std::string_view kDocs_%s =" % idn)
        for i, p in enumerate(pieces):
            w("    %s%s" % (p, "sv;" if i == len(pieces) - 1 else ""))
    w("")

    w("constexpr CommandSpec kSpecs[] = {")
    for i, (c, idn) in enumerate(zip(cmds, idents)):
        name = c["name"]
        flags = bits(c["flags"] + c["hidden_flags"], COMMAND_FLAGS, "flag", name)
        acl = bits(c["acl_categories"], ACL_CATEGORIES, "ACL category", name)
        nks, ntips = len(c["key_specs"]), len(c["tips"])
        ks = ("std::span<const KeySpec>(kKeySpecs + %d, %d)" % (ks_offsets[i], nks)
              if nks else "{}")
        tp = ("std::span<const std::string_view>(kTips + %d, %d)" % (tip_offsets[i], ntips)
              if ntips else "{}")
        w('    {.name = "%s",' % name)
        w("     .arity = %d," % c["arity"])
        w("     .flags = %s," % flags)
        w("     .acl_categories = %s," % acl)
        w("     .first_key = %d," % c["first_key"])
        w("     .last_key = %d," % c["last_key"])
        w("     .key_step = %d," % c["step"])
        w("     .key_specs = %s," % ks)
        w("     .tips = %s," % tp)
        w("     .docs_resp3 = kDocs_%s," % idn)
        w('     .group = "%s"},' % c["group"])
    w("};")
    w("")
    w("}  // namespace")
    w("")
    w("std::span<const CommandSpec> RedisCommandSpecs() { return kSpecs; }")
    w("")
    w("std::string_view KeySpecNotes(const KeySpec& spec) {")
    w("  const KeySpec* p = &spec;")
    w("  std::less<const KeySpec*> less;")
    w("  if (less(p, std::begin(kKeySpecs)) || !less(p, std::end(kKeySpecs))) return {};")
    w("  return kKeySpecNotes[p - std::begin(kKeySpecs)];")
    w("}")
    w("")
    w("}  // namespace strata::server")
    w("// clang-format on")
    return "\n".join(out) + "\n"


def write_if_changed(path, text):
    old = None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            old = f.read()
    if old != text:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print("wrote %s" % os.path.relpath(path, ROOT))
    else:
        print("unchanged %s" % os.path.relpath(path, ROOT))


def dump_json(facts):
    return json.dumps(facts, indent=1, ensure_ascii=False) + "\n"


def cpp_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def getkeys_golden():
    """Prints the test's table: argv, then (position, flags) of each key."""
    r = LiveRedis()
    try:
        for line in GETKEYS_CASES:
            args = shlex.split(line)
            reply = r.call_raw("COMMAND", "GETKEYSANDFLAGS", *args)
            argv = "{" + ", ".join(cpp_quote(a) for a in args) + "}"
            if reply.kind == "error":
                print("    {%s, %s, {}}," % (argv, GETKEYS_ERRORS[reply.value]))
                continue
            keys = []
            used = set()
            for item in reply.value:
                key = item.value[0].value.decode()
                flags = [f.value for f in item.value[1].value]
                # Position: the first unused argv slot (from 1) holding that key.
                pos = next(i for i in range(1, len(args)) if args[i] == key and i not in used)
                used.add(pos)
                fl = " | ".join(KEY_SPEC_FLAGS[f] for f in flags) if flags else "0"
                keys.append("{%d, %s}" % (pos, fl))
            print("    {%s, kValid, {%s}}," % (argv, ", ".join(keys)))
    finally:
        r.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--from-json", action="store_true",
                    help="regenerate the .cc from tools/redis-commands.json without Redis")
    ap.add_argument("--getkeys-golden", action="store_true",
                    help="print the GETKEYS table of the unit test from a live redis-server")
    args = ap.parse_args()
    if args.getkeys_golden:
        getkeys_golden()
        return
    if args.from_json:
        with open(JSON_PATH, encoding="utf-8") as f:
            facts = json.load(f)
    else:
        facts = fetch_live()
        write_if_changed(JSON_PATH, dump_json(facts))
    write_if_changed(CC_PATH, generate_cc(facts))


if __name__ == "__main__":
    main()
