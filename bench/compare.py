#!/usr/bin/python3
"""Side-by-side throughput/latency comparison of strata-server and redis-server.

Starts both servers (each on its own free port with its own temporary data
directory; redis-server with appendonly yes, appendfsync everysec, save ''),
then runs redis-benchmark against them alternately, workload by workload, for
several rounds, and prints the median ops/s and latency of each server, their
ratio, and the geometric mean of the ratios. See bench/README.md.

    /usr/bin/python3 bench/compare.py                 # full run (a few minutes)
    /usr/bin/python3 bench/compare.py --quick         # smoke run (~1 minute)
    /usr/bin/python3 bench/compare.py --tests set,get --rounds 5 --json out.json
"""

import argparse
import csv
import hashlib
import io
import json
import math
import os
import platform
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STRATA_BIN = REPO_ROOT / "build" / "strata-server"
DEFAULT_REDIS_BIN = "/usr/bin/redis-server"
DEFAULT_BENCH_BIN = "/usr/bin/redis-benchmark"

# Arbitrary commands (redis-benchmark runs a command given on its command line,
# replacing __rand_int__ by a random 12-digit key number). They run in
# COMMAND_DB, whose keyspace is preloaded with COMMAND_VALUE_SIZE-byte values
# under redis-benchmark's key names, so GETRANGE/BITCOUNT/SETRANGE/APPEND hit
# existing strings. __rand_int__ is zero-padded, which Redis does not accept as
# an integer, so offsets are fixed and keys are random.
COMMAND_TESTS = {
    "append": ["APPEND", "key:__rand_int__", "0123456789abcdef"],
    "setrange": ["SETRANGE", "key:__rand_int__", "1000", "0123456789abcdef"],
    "getrange": ["GETRANGE", "key:__rand_int__", "1000", "1099"],
    "incrbyfloat": ["INCRBYFLOAT", "float:__rand_int__", "1.5"],
    "setbit": ["SETBIT", "bitmap:__rand_int__", "30000", "1"],
    "bitcount": ["BITCOUNT", "key:__rand_int__"],
    # TTL-heavy: every write carries an expiry (an expiry-index entry each),
    # and EXPIRE rewrites the TTL of an existing key.
    "setex": ["SET", "ttl:__rand_int__", "0123456789abcdef", "EX", "3600"],
    "expire": ["EXPIRE", "key:__rand_int__", "3600"],
    # One list, as redis-benchmark's -t lpush,lrange,rpop: pushes grow it,
    # LRANGE reads its first 100 elements, RPOP drains what LPUSH added.
    "lpush": ["LPUSH", "benchlist", "0123456789abcdef"],
    "lrange_100": ["LRANGE", "benchlist", "0", "99"],
    "rpop": ["RPOP", "benchlist"],
    # one sorted set grown by ZADD (zero-padded scores parse as floats)
    "zadd": ["ZADD", "bench:zset", "__rand_int__", "m:__rand_int__"],
    "zscore": ["ZSCORE", "bench:zset", "m:__rand_int__"],
    "zrangebyscore": ["ZRANGEBYSCORE", "bench:zset", "__rand_int__", "+inf", "LIMIT", "0", "10"],
    # one geo set grown by GEOADD over a 5x5 degree square ("__rand_int__e-4"
    # degrees); GEOSEARCH finds the ~13 points within 5 km of a random centre
    "geoadd": ["GEOADD", "bench:geo", "__rand_int__e-4", "__rand_int__e-4", "m:__rand_int__"],
    "geosearch": ["GEOSEARCH", "bench:geo", "FROMLONLAT", "__rand_int__e-4", "__rand_int__e-4",
                  "BYRADIUS", "5", "km", "ASC"],
    # One HyperLogLog: PFADD turns it dense early and then mostly finds the
    # register already high enough; PFCOUNT answers from the cached count
    # after the first refresh following a change.
    "pfadd": ["PFADD", "bench:hll", "m:__rand_int__"],
    "pfcount": ["PFCOUNT", "bench:hll"],
    # one stream grown by XADD with auto IDs; XREAD reads 10 entries from its start
    "xadd": ["XADD", "bench:stream", "*", "field", "__rand_int__"],
    "xread_10": ["XREAD", "COUNT", "10", "STREAMS", "bench:stream", "0"],
}
# Rank reads on one sorted set of RANK_ZSET_SIZE members, preloaded into
# COMMAND_DB (member m:%012d has score i, hence rank i); these workloads draw
# __rand_int__ over the whole set (-r RANK_ZSET_SIZE), not over --keyspace.
RANK_ZSET = "bench:zset1m"
RANK_ZSET_SIZE = 1_000_000
RANK_TESTS = {
    "zrank_1m": ["ZRANK", RANK_ZSET, "m:__rand_int__"],
    "zcount_1m": ["ZCOUNT", RANK_ZSET, "__rand_int__", "+inf"],
}
COMMAND_TESTS.update(RANK_TESTS)
# Lua scripts run by EVALSHA workloads: loaded (SCRIPT LOAD) into both servers
# before the rounds. A small GET+INCR script, and one of 100 commands.
BENCH_SCRIPTS = {
    "evalsha_get_incr": "redis.call('GET', KEYS[1]); return redis.call('INCR', KEYS[1])",
    "evalsha_100_cmds": "for i = 1, 50 do redis.call('GET', KEYS[1]);"
                        " redis.call('INCR', KEYS[1]) end; return 1",
}
for _name, _body in BENCH_SCRIPTS.items():
    COMMAND_TESTS[_name] = ["EVALSHA", hashlib.sha1(_body.encode()).hexdigest(), "1",
                            "counter:__rand_int__"]
# FCALL of the GET+INCR body as a function (FUNCTION LOAD REPLACE before the rounds).
BENCH_LIBRARY = ("#!lua name=bench\nredis.register_function('get_incr', function(keys) "
                 "redis.call('GET', keys[1]); return redis.call('INCR', keys[1]) end)")
COMMAND_TESTS["fcall_get_incr"] = ["FCALL", "get_incr", "1", "counter:__rand_int__"]
COMMAND_DB = 15
COMMAND_VALUE_SIZE = 4096

COLLECTION_TESTS = ("hset", "sadd", "spop")  # redis-benchmark's own, in database 0
ALL_TESTS = ("set", "get", "incr", "mset") + COLLECTION_TESTS + tuple(COMMAND_TESTS)
# redis-benchmark's name of each test in its CSV output
CSV_NAMES = {"set": "SET", "get": "GET", "incr": "INCR", "mset": "MSET (10 keys)",
             "hset": "HSET", "sadd": "SADD", "spop": "SPOP"}
SIZED_TESTS = {"set", "get", "mset"}       # tests that use -d
SERVERS = ("strata", "redis")


# --------------------------------------------------------------------------
# servers
# --------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def send_command(sock, *args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += [b"$%d\r\n" % len(a), a, b"\r\n"]
    sock.sendall(b"".join(out))


def read_line(sock, buf):
    while b"\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed")
        buf += chunk
    line, _, rest = buf.partition(b"\r\n")
    return line, rest


def read_bulk_reply(sock):
    """Read one simple/bulk/integer/error reply (enough for PING and INFO)."""
    line, rest = read_line(sock, b"")
    if line[:1] != b"$":
        return line
    n = int(line[1:])
    if n < 0:
        return None
    while len(rest) < n + 2:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed")
        rest += chunk
    return rest[:n]


class Server:
    def __init__(self, kind, binary, extra_args, base_dir):
        self.kind = kind
        self.binary = str(binary)
        self.extra_args = extra_args
        self.dir = Path(base_dir) / kind
        self.data_dir = self.dir / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.dir / "server.log"
        self.port = None
        self.proc = None
        self.version = None

    def command_line(self):
        if self.kind == "redis":
            args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                    "--dir", str(self.data_dir), "--save", "", "--appendonly", "yes",
                    "--appendfsync", "everysec", "--daemonize", "no", "--logfile", ""]
        else:
            args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                    "--dir", str(self.data_dir), "--appendfsync", "everysec"]
        return args + self.extra_args

    def start(self, timeout=30.0):
        for _ in range(3):
            self.port = free_port()
            log = open(self.log_path, "ab")
            self.proc = subprocess.Popen(self.command_line(), stdout=log,
                                         stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
            log.close()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                if self.ping():
                    self.version = self.info_field("server", ("strata_version", "redis_version"))
                    return
                time.sleep(0.05)
            if self.proc.poll() is None:
                self.stop()
                raise RuntimeError(f"{self.kind}-server did not answer PING within "
                                   f"{timeout}s; log: {self.log_path}\n{self.log_tail()}")
            if "in use" not in self.log_tail().lower():
                raise RuntimeError(f"{self.kind}-server exited with status "
                                   f"{self.proc.returncode} at startup; log: "
                                   f"{self.log_path}\n{self.log_tail()}")
        raise RuntimeError(f"{self.kind}-server: no free port after 3 attempts")

    def ping(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                send_command(s, "PING")
                return read_bulk_reply(s) == b"+PONG"
        except OSError:
            return False

    def info_field(self, section, names):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
                send_command(s, "INFO", section)
                text = read_bulk_reply(s)
        except (OSError, ValueError):
            return None
        if not isinstance(text, bytes):
            return None
        fields = {}
        for line in text.decode(errors="replace").splitlines():
            k, sep, v = line.partition(":")
            if sep:
                fields[k.strip()] = v.strip()
        for n in names:
            if n in fields:
                return fields[n]
        return None

    def alive(self):
        if self.proc is None:
            return False
        if self.proc.poll() is None:
            return True
        # poll() reports a child it cannot wait for (ECHILD) as exited with
        # status 0; believe /proc over it.
        return process_exists(self.proc.pid)

    def stop(self):
        if self.proc is None:
            return
        pid = self.proc.pid
        if self.alive():
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 30
            while self.alive() and time.monotonic() < deadline:
                try:
                    self.proc.wait(timeout=0.1)
                except subprocess.TimeoutExpired:
                    pass
            if self.alive():
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
        self.proc = None

    def log_tail(self, n=30):
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-n:])


def process_exists(pid):
    """True if `pid` is a live (not zombie) process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def preload(server, db, keyspace, size, batch=1000):
    """SET key:%012d (redis-benchmark's -r key names) for the whole keyspace
    in `db`, with values of `size` bytes, so GET hits every time."""
    value = b"x" * size
    with socket.create_connection(("127.0.0.1", server.port), timeout=120) as s:
        send_command(s, "SELECT", db)
        line, _ = read_line(s, b"")
        if line != b"+OK":
            raise RuntimeError(f"{server.kind}: SELECT {db} -> {line!r}")
        for start in range(0, keyspace, batch):
            end = min(start + batch, keyspace)
            parts = []
            for i in range(start, end):
                key = b"key:%012d" % i
                parts.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n"
                             % (len(key), key, size, value))
            s.sendall(b"".join(parts))
            expected = b"+OK\r\n" * (end - start)
            got = b""
            while len(got) < len(expected):
                chunk = s.recv(65536)
                if not chunk:
                    raise RuntimeError(f"{server.kind}: connection closed during preload")
                got += chunk
            if got != expected:
                raise RuntimeError(f"{server.kind}: preload got {got[:200]!r}")


def preload_rank_zset(server, db, size, batch=1000, window=20):
    """ZADD RANK_ZSET_SIZE members m:%012d with score i into `db`, `batch`
    members per ZADD and `window` ZADDs in flight."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=300) as s:
        send_command(s, "SELECT", db)
        line, buf = read_line(s, b"")
        if line != b"+OK":
            raise RuntimeError(f"{server.kind}: SELECT {db} -> {line!r}")
        send_command(s, "DEL", RANK_ZSET)
        line, buf = read_line(s, buf)
        starts = list(range(0, size, batch))
        for w in range(0, len(starts), window):
            group = starts[w:w + window]
            for start in group:
                args = ["ZADD", RANK_ZSET]
                for i in range(start, min(start + batch, size)):
                    args += [str(i), "m:%012d" % i]
                send_command(s, *args)
            for start in group:
                line, buf = read_line(s, buf)
                if line != b":%d" % (min(start + batch, size) - start):
                    raise RuntimeError(f"{server.kind}: ZADD preload -> {line!r}")
        # Strata builds its rank index (engine/zset_rank_index.h) on the first
        # rank query, reading the set once (~1 s for 1M members); do it here,
        # as Redis built its skiplist during the ZADDs, so the rounds measure
        # the steady state.
        send_command(s, "ZRANK", RANK_ZSET, "m:%012d" % (size // 2))
        line, buf = read_line(s, buf)
        if line != b":%d" % (size // 2):
            raise RuntimeError(f"{server.kind}: ZRANK after preload -> {line!r}")


def load_scripts(server):
    """SCRIPT LOAD every BENCH_SCRIPTS body (the server's cache is empty at
    start) and FUNCTION LOAD the BENCH_LIBRARY."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        for body in BENCH_SCRIPTS.values():
            send_command(s, "SCRIPT", "LOAD", body)
            sha = read_bulk_reply(s)
            if sha != hashlib.sha1(body.encode()).hexdigest().encode():
                raise RuntimeError(f"{server.kind}: SCRIPT LOAD -> {sha!r}")
        send_command(s, "FUNCTION", "LOAD", "REPLACE", BENCH_LIBRARY)
        name = read_bulk_reply(s)
        if name != b"bench":
            raise RuntimeError(f"{server.kind}: FUNCTION LOAD -> {name!r}")


# --------------------------------------------------------------------------
# workloads and redis-benchmark
# --------------------------------------------------------------------------

class Workload:
    def __init__(self, test, clients, pipeline, size, requests, db):
        self.test = test
        self.clients = clients
        self.pipeline = pipeline
        self.size = size
        self.requests = requests
        self.db = db

    @property
    def name(self):
        s = f"{self.test.upper()} c{self.clients} P{self.pipeline}"
        if self.test in COMMAND_TESTS and self.size:
            s += f" on {self.size}B"
        if self.test in SIZED_TESTS:
            s += f" {self.size}B"
        return s

    def as_dict(self):
        return {"name": self.name, "test": self.test, "clients": self.clients,
                "pipeline": self.pipeline,
                "size": self.size if self.test in SIZED_TESTS or self.test in COMMAND_TESTS
                else None,
                "command": COMMAND_TESTS.get(self.test),
                "requests": self.requests, "db": self.db}


def build_workloads(args):
    workloads = []
    sizes = args.sizes
    for size_index, size in enumerate(sizes):
        for test in args.tests:
            if test not in SIZED_TESTS:
                continue
            for pipeline in args.pipelines:
                n = args.requests
                if pipeline > 1:
                    n *= 4                  # pipelined runs are ~4x faster
                if test == "mset":
                    n //= 10                # each MSET writes 10 keys
                if size >= 1024:
                    n //= 4                 # keep the bytes moved in check
                workloads.append(Workload(test, args.clients, pipeline, size,
                                          max(n, 1000), db=size_index + 1))
    # INCR and the collection tests (HSET on myhash, SADD then SPOP on myset).
    for test in ("incr",) + COLLECTION_TESTS:
        if test not in args.tests:
            continue
        for pipeline in args.pipelines:
            n = args.requests * (4 if pipeline > 1 else 1)
            workloads.append(Workload(test, args.clients, pipeline, None, n, db=0))
    for test in args.tests:
        if test not in COMMAND_TESTS:
            continue
        # Tests on key:* read or change the preloaded values of COMMAND_DB.
        size = COMMAND_VALUE_SIZE if "key:__rand_int__" in COMMAND_TESTS[test] else None
        for pipeline in args.pipelines:
            n = args.requests * (4 if pipeline > 1 else 1)
            workloads.append(Workload(test, args.clients, pipeline, size, n, db=COMMAND_DB))
    # Keep a stable, readable order: by test, then pipeline, then size.
    order = {t: i for i, t in enumerate(ALL_TESTS)}
    workloads.sort(key=lambda w: (order[w.test], w.pipeline, w.size or 0))
    # SET before GET of the same size is not required (preloaded), but MSET
    # and SET do change values; all of them keep the value size of their db.
    return workloads


def run_benchmark(bench_bin, server, w, args):
    cmd = [bench_bin, "-h", "127.0.0.1", "-p", str(server.port),
           "-c", str(w.clients), "-n", str(w.requests), "-P", str(w.pipeline),
           "-r", str(RANK_ZSET_SIZE if w.test in RANK_TESTS else args.keyspace),
           "--dbnum", str(w.db), "--csv"]
    if w.test in COMMAND_TESTS:
        cmd += COMMAND_TESTS[w.test]
    else:
        cmd += ["-t", w.test]
        if w.size is not None:
            cmd += ["-d", str(w.size)]
    if args.bench_threads > 1:
        cmd += ["--threads", str(args.bench_threads)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"redis-benchmark timed out after {args.timeout}s"}
    row = None
    for rec in csv.DictReader(io.StringIO(p.stdout)):
        # A command test prints one row, named after its command line.
        if w.test in COMMAND_TESTS or rec.get("test") == CSV_NAMES[w.test]:
            row = rec
    if p.returncode != 0 or row is None:
        msg = (p.stderr.strip() or p.stdout.strip())[-500:]
        return {"error": f"redis-benchmark exit {p.returncode}: {msg}"}
    result = {"rps": float(row["rps"])}
    for k in ("avg", "min", "p50", "p95", "p99", "max"):
        result[k] = float(row[f"{k}_latency_ms"])
    if "Error" in p.stdout or "ERR" in p.stderr:
        result["warning"] = (p.stderr.strip() or "")[-300:]
    return result


# --------------------------------------------------------------------------
# reporting
# --------------------------------------------------------------------------

def summarize(runs):
    ok = [r for r in runs if "rps" in r]
    if not ok:
        return None
    return {"rps": statistics.median(r["rps"] for r in ok),
            "p50": statistics.median(r["p50"] for r in ok),
            "p99": statistics.median(r["p99"] for r in ok),
            "runs_ok": len(ok), "runs": len(runs)}


def fmt_rps(v):
    return "n/a" if v is None else f"{v:,.0f}"


def fmt_lat(s):
    return "n/a" if s is None else f"{s['p50']:.3f}/{s['p99']:.3f}"


def print_table(rows, geomean, out=sys.stdout):
    header = ["workload", "strata ops/s", "redis ops/s", "ratio",
              "strata p50/p99 ms", "redis p50/p99 ms"]
    table = [header]
    for row in rows:
        s, r = row["strata"], row["redis"]
        table.append([
            row["workload"]["name"],
            fmt_rps(s and s["rps"]), fmt_rps(r and r["rps"]),
            "n/a" if row["ratio"] is None else f"{row['ratio']:.2f}",
            fmt_lat(s), fmt_lat(r)])
    widths = [max(len(t[i]) for t in table) for i in range(len(header))]
    for i, t in enumerate(table):
        cells = [t[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(t[1:], widths[1:])]
        print("  ".join(cells), file=out)
        if i == 0:
            print("  ".join("-" * w for w in widths), file=out)
    print(file=out)
    if geomean is None:
        print("geometric mean of ratios (strata/redis): n/a", file=out)
    else:
        print(f"geometric mean of ratios (strata/redis): {geomean:.3f}", file=out)


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Compare strata-server and redis-server with redis-benchmark.")
    p.add_argument("--strata-bin", default=os.environ.get("STRATA_BIN", str(DEFAULT_STRATA_BIN)),
                   help="strata-server binary (default: $STRATA_BIN or build/strata-server)")
    p.add_argument("--redis-bin", default=os.environ.get("REDIS_BIN", DEFAULT_REDIS_BIN),
                   help="redis-server binary (default: /usr/bin/redis-server)")
    p.add_argument("--benchmark-bin", default=DEFAULT_BENCH_BIN,
                   help="redis-benchmark binary (default: /usr/bin/redis-benchmark)")
    p.add_argument("--rounds", type=int, default=None, help="rounds per workload (default 3)")
    p.add_argument("--requests", type=int, default=None,
                   help="base -n per run (default 100000); pipelined runs use 4x, MSET "
                        "1/10, values >= 1KB 1/4")
    p.add_argument("--tests", default=",".join(ALL_TESTS),
                   help=f"comma-separated subset of: {','.join(ALL_TESTS)} (default all)")
    p.add_argument("--sizes", default="100,4096", help="value sizes in bytes (-d), default 100,4096")
    p.add_argument("--pipelines", default="1,16", help="pipeline depths (-P), default 1,16")
    p.add_argument("--clients", type=int, default=50, help="parallel connections (-c), default 50")
    p.add_argument("--keyspace", type=int, default=None,
                   help="random key range (-r), preloaded for GET (default 50000)")
    p.add_argument("--bench-threads", type=int, default=1,
                   help="redis-benchmark --threads (default 1)")
    p.add_argument("--timeout", type=float, default=600, help="seconds per benchmark run")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: 1 round, 10000 requests, keyspace 10000")
    p.add_argument("--strata-args", default="",
                   help="extra strata-server arguments, e.g. '--io-threads 4'")
    p.add_argument("--redis-args", default="", help="extra redis-server arguments")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    p.add_argument("--keep-dirs", action="store_true", help="keep the servers' data dirs and logs")
    args = p.parse_args(argv)

    args.rounds = args.rounds or (1 if args.quick else 3)
    args.requests = args.requests or (10_000 if args.quick else 100_000)
    args.keyspace = args.keyspace or (10_000 if args.quick else 50_000)
    args.tests = [t.strip().lower() for t in args.tests.split(",") if t.strip()]
    bad = [t for t in args.tests if t not in ALL_TESTS]
    if bad or not args.tests:
        p.error(f"unknown test(s) {bad}; choose from {','.join(ALL_TESTS)}")
    try:
        args.sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
        args.pipelines = [int(x) for x in args.pipelines.split(",") if x.strip()]
    except ValueError:
        p.error("--sizes and --pipelines take comma-separated integers")
    if len(args.sizes) > 14:
        p.error("at most 14 value sizes (one database each)")
    if args.rounds < 1 or args.requests < 1 or args.keyspace < 1:
        p.error("--rounds, --requests and --keyspace must be positive")
    return args


def check_binary(path, what, hint):
    resolved = shutil.which(path) if os.sep not in path else path
    if not resolved or not os.path.isfile(resolved) or not os.access(resolved, os.X_OK):
        sys.exit(f"error: {what} binary not found or not executable: {path}\n{hint}")
    return resolved


def main(argv=None):
    args = parse_args(argv)
    strata_bin = check_binary(args.strata_bin, "strata-server",
                              "Build it (cmake -S . -B build -G Ninja && cmake --build build) "
                              "or pass --strata-bin PATH / set STRATA_BIN.")
    redis_bin = check_binary(args.redis_bin, "redis-server", "Install redis-server or pass --redis-bin.")
    bench_bin = check_binary(args.benchmark_bin, "redis-benchmark",
                             "Install redis-tools or pass --benchmark-bin.")

    workloads = build_workloads(args)
    base_dir = Path(tempfile.mkdtemp(prefix="strata-compare-"))
    servers = {
        "strata": Server("strata", strata_bin, shlex.split(args.strata_args), base_dir),
        "redis": Server("redis", redis_bin, shlex.split(args.redis_args), base_dir),
    }
    results = {w.name: {"strata": [], "redis": []} for w in workloads}
    started = time.time()

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    failed = False
    try:
        for kind, srv in servers.items():
            srv.start()
            log(f"{kind}: {srv.binary} on port {srv.port} (version {srv.version}), "
                f"data {srv.data_dir}")
        if any(w.test in BENCH_SCRIPTS or w.test == "fcall_get_incr" for w in workloads):
            for srv in servers.values():
                load_scripts(srv)
        if any(w.test in RANK_TESTS for w in workloads):
            for kind, srv in servers.items():
                t0 = time.time()
                preload_rank_zset(srv, COMMAND_DB, RANK_ZSET_SIZE)
                log(f"{kind}: preloaded a {RANK_ZSET_SIZE}-member zset into db {COMMAND_DB} "
                    f"in {time.time() - t0:.1f}s")
        preloads = sorted({(w.db, w.size) for w in workloads if w.size is not None})
        for kind, srv in servers.items():
            for db, size in preloads:
                t0 = time.time()
                preload(srv, db, args.keyspace, size)
                log(f"{kind}: preloaded {args.keyspace} keys of {size}B into db {db} "
                    f"in {time.time() - t0:.1f}s")

        for rnd in range(args.rounds):
            for wi, w in enumerate(workloads):
                order = SERVERS if (rnd + wi) % 2 == 0 else SERVERS[::-1]
                line = [f"[round {rnd + 1}/{args.rounds}] {w.name:<22} n={w.requests:<7}"]
                for kind in order:
                    srv = servers[kind]
                    if not srv.alive():
                        raise RuntimeError(f"{kind}-server died (status {srv.proc.returncode}); "
                                           f"log {srv.log_path}:\n{srv.log_tail()}")
                    res = run_benchmark(bench_bin, srv, w, args)
                    results[w.name][kind].append(res)
                    if "error" in res:
                        line.append(f"{kind}: ERROR {res['error']}")
                    else:
                        line.append(f"{kind} {res['rps']:>12,.0f} ops/s p50 {res['p50']:.3f}ms")
                    if not srv.alive():
                        log("  ".join(line))
                        raise RuntimeError(f"{kind}-server died during {w.name} "
                                           f"(status {srv.proc.returncode}); log "
                                           f"{srv.log_path}:\n{srv.log_tail()}")
                log("  ".join(line))
    except KeyboardInterrupt:
        log("interrupted; reporting what was measured")
        failed = True
    except RuntimeError as e:
        log(f"error: {e}")
        failed = True
    finally:
        for srv in servers.values():
            srv.stop()
        if not args.keep_dirs and not failed:
            shutil.rmtree(base_dir, ignore_errors=True)
        else:
            log(f"server dirs and logs kept in {base_dir}")

    rows = []
    ratios = []
    for w in workloads:
        s = summarize(results[w.name]["strata"])
        r = summarize(results[w.name]["redis"])
        ratio = s["rps"] / r["rps"] if s and r and r["rps"] > 0 else None
        if ratio:
            ratios.append(ratio)
        rows.append({"workload": w.as_dict(), "strata": s, "redis": r, "ratio": ratio,
                     "runs": results[w.name]})
    geomean = math.exp(sum(math.log(x) for x in ratios) / len(ratios)) if ratios else None

    print()
    print(f"strata: {strata_bin} ({servers['strata'].version})   "
          f"redis: {redis_bin} ({servers['redis'].version})")
    print(f"{args.rounds} round(s), {args.clients} clients, keyspace {args.keyspace}, "
          f"medians over rounds; ratio = strata ops/s / redis ops/s")
    print()
    print_table(rows, geomean)

    if args.json:
        doc = {
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "elapsed_s": round(time.time() - started, 1),
            "host": {"node": platform.node(), "cpus": os.cpu_count(),
                     "platform": platform.platform()},
            "config": {"rounds": args.rounds, "base_requests": args.requests,
                       "clients": args.clients, "keyspace": args.keyspace,
                       "tests": args.tests, "sizes": args.sizes,
                       "pipelines": args.pipelines, "bench_threads": args.bench_threads,
                       "strata_args": args.strata_args, "redis_args": args.redis_args},
            "servers": {k: {"binary": s.binary, "version": s.version,
                            "command_line": s.command_line()} for k, s in servers.items()},
            "results": rows,
            "geomean_ratio": geomean,
            "complete": not failed,
        }
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
        print(f"\nJSON results written to {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
