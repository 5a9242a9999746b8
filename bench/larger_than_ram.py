#!/usr/bin/python3
"""Strata with a dataset several times larger than its memory budget
(issue 5, benchmarks 2, 3 and 4).

Starts strata-server with `--maxmemory M` and RocksDB reading through direct
I/O (`--rocksdb-use-direct-reads yes`, so the OS page cache cannot hide the
disk), loads `--factor` x M bytes of values with `redis-cli --pipe`, and
reports:
  - load rate (keys/s, MB/s), on-disk size, peak RSS (VmHWM) against M;
  - random GET over the whole keyspace with redis-benchmark (-P 1 and -P 16):
    ops/s and p99;
  - a skewed run: 90% of the clients read the hot `--hot-fraction` of the
    keys, 10% the whole keyspace, at once; ops/s and the hot tier's hit ratio
    (from INFO hottier) during the run;
  - start-up time with the loaded dataset: from exec to the first PING reply;
  - raw RocksDB: `db_bench` (rocksdb-tools) fillseq + readrandom with the same
    number of keys, value size, block cache size (strata's, from INFO) and
    direct reads;
  - redis-server holding the same keys in RAM: random GET at -P 16
    (`--no-redis` skips it; it needs RAM for the whole dataset).

    /usr/bin/python3 bench/larger_than_ram.py            # about 10 minutes
    /usr/bin/python3 bench/larger_than_ram.py --quick    # about 1 minute

Only the Python standard library is needed, plus redis-tools and
rocksdb-tools (scripts/install-deps.sh installs both).
"""

import argparse
import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import Server, free_port, read_bulk_reply, send_command  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
MB = 1 << 20


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def parse_size(s):
    m = re.fullmatch(r"(\d+)(kb|mb|gb)?", s.lower())
    if not m:
        raise argparse.ArgumentTypeError(f"bad size {s!r} (e.g. 256mb)")
    return int(m.group(1)) * {None: 1, "kb": 1 << 10, "mb": MB, "gb": 1 << 30}[m.group(2)]


def key_of(i):
    # redis-benchmark's -r replaces __rand_int__ with 12 zero-padded digits.
    return b"key:%012d" % i


def resp_stream(n, value_size, chunk=2000):
    """SET commands for keys 0..n-1 with incompressible values, in chunks."""
    pool = os.urandom(4 * MB)
    span = len(pool) - value_size
    head = b"$%d\r\n" % value_size
    for start in range(0, n, chunk):
        parts = []
        for i in range(start, min(n, start + chunk)):
            off = (i * 7919) % span
            parts.append(b"*3\r\n$3\r\nSET\r\n$16\r\n" + key_of(i) + b"\r\n" + head +
                         pool[off:off + value_size] + b"\r\n")
        yield b"".join(parts)


def pipe_load(port, n, value_size):
    """Loads n keys with redis-cli --pipe; returns seconds taken."""
    t0 = time.monotonic()
    p = subprocess.Popen(["redis-cli", "-p", str(port), "--pipe"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = []
    reader = threading.Thread(target=lambda: out.append(p.stdout.read()))
    reader.start()
    for buf in resp_stream(n, value_size):
        p.stdin.write(buf)
    p.stdin.close()
    p.wait()
    reader.join()
    text = out[0].decode(errors="replace")
    m = re.search(r"errors: (\d+), replies: (\d+)", text)
    if p.returncode != 0 or not m or int(m.group(1)) != 0 or int(m.group(2)) != n:
        raise RuntimeError(f"redis-cli --pipe failed: {text[-500:]}")
    return time.monotonic() - t0


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def proc_status(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def number(v):
    try:
        return int(v)
    except ValueError:
        try:
            return float(v)
        except ValueError:
            return v


def info(port, section):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        send_command(s, "INFO", section)
        text = read_bulk_reply(s).decode()
    fields = {}
    for line in text.splitlines():
        k, sep, v = line.partition(":")
        if sep:
            fields[k] = v.strip()
    return fields


def redis_benchmark(port, keyspace, requests, clients, pipeline, extra=()):
    """GET key:__rand_int__ with -r keyspace; returns (ops/s, p99 ms)."""
    cmd = ["redis-benchmark", "-p", str(port), "-t", "get", "-r", str(keyspace),
           "-n", str(requests), "-c", str(clients), "-P", str(pipeline), "--csv", "-q", *extra]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if run.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {run.stdout[-300:]} {run.stderr[-300:]}")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    row = rows[-1]
    return float(row["rps"]), float(row["p99_latency_ms"])


def skewed_run(port, keyspace, hot_fraction, requests, pipeline):
    """45 clients on the hot keys and 5 on all keys, concurrently."""
    hot = max(1, int(keyspace * hot_fraction))
    before = info(port, "hottier")
    results = {}

    def run(name, r, n, c):
        results[name] = redis_benchmark(port, r, n, c, pipeline)

    t0 = time.monotonic()
    threads = [threading.Thread(target=run, args=("hot", hot, requests * 9 // 10, 45)),
               threading.Thread(target=run, args=("cold", keyspace, requests // 10, 5))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - t0
    after = info(port, "hottier")
    hits = int(after["hot_tier_hits"]) - int(before["hot_tier_hits"])
    misses = int(after["hot_tier_misses"]) - int(before["hot_tier_misses"])
    return {
        "ops_per_sec": round(requests / seconds),
        "hot_p99_ms": results["hot"][1],
        "cold_p99_ms": results["cold"][1],
        "hit_ratio": round(hits / max(1, hits + misses), 4),
        "hot_keys": hot,
    }


def startup_time(server):
    """Restarts the server; seconds from exec to the first PING reply."""
    server.stop()
    server.port = free_port()
    with open(server.log_path, "ab") as logf:
        t0 = time.monotonic()
        server.proc = subprocess.Popen(server.command_line(), stdout=logf,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    while time.monotonic() - t0 < 60:
        if server.ping():
            return time.monotonic() - t0
        if server.proc.poll() is not None:
            raise RuntimeError(f"strata exited at restart:\n{server.log_tail()}")
        time.sleep(0.002)
    raise RuntimeError("strata did not answer PING within 60 s of a restart")


def db_bench(base, n, value_size, cache_bytes, reads, threads):
    """Raw RocksDB: fillseq then readrandom, the same keys, cache and direct I/O."""
    if not shutil.which("db_bench"):
        return {"skipped": "db_bench not installed (apt-get install rocksdb-tools)"}
    db = Path(base) / "db_bench"
    common = [f"--db={db}", f"--num={n}", f"--value_size={value_size}", "--key_size=16",
              f"--cache_size={cache_bytes}", "--use_direct_reads=true",
              "--use_direct_io_for_flush_and_compaction=true", "--bloom_bits=10",
              "--compression_type=lz4", "--compression_ratio=1.0", "--cache_index_and_filter_blocks=true"]
    t0 = time.monotonic()
    subprocess.run(["db_bench", "--benchmarks=fillseq", *common], check=True,
                   capture_output=True, timeout=1800)
    load_s = time.monotonic() - t0
    out = subprocess.run(["db_bench", "--benchmarks=readrandom", "--use_existing_db=true",
                          f"--reads={reads // threads}", f"--threads={threads}", "--histogram=1",
                          *common], check=True, capture_output=True, text=True,
                         timeout=1800).stdout
    m = re.search(r"readrandom\s*:\s*([\d.]+) micros/op (\d+) ops/sec", out)
    p99 = re.search(r"P99: ([\d.]+)", out)
    found = re.search(r"\((\d+) of (\d+) found\)", out)
    return {
        "load_s": round(load_s, 1),
        "readrandom_ops_per_sec": int(m.group(2)) if m else None,
        "readrandom_p99_us": float(p99.group(1)) if p99 else None,
        "found": found.group(0) if found else None,
        "threads": threads,
        "disk_bytes": dir_bytes(db),
    }


def redis_in_ram(base, n, value_size, requests, clients):
    r = Server("redis", "/usr/bin/redis-server", ["--appendonly", "no"], base)
    r.start()
    try:
        pipe_load(r.port, n, value_size)
        rss = proc_status(r.proc.pid, "VmRSS")
        rps, p99 = redis_benchmark(r.port, n, requests, clients, 16)
        return {"get_p16_ops_per_sec": rps, "get_p16_p99_ms": p99, "rss_bytes": rss}
    finally:
        r.stop()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="a ~1 minute smoke run")
    p.add_argument("--strata-bin", default=os.environ.get("STRATA_BIN",
                                                          str(REPO / "build" / "strata-server")))
    p.add_argument("--maxmemory", type=parse_size, default=None, help="default 256mb (quick: 64mb)")
    p.add_argument("--factor", type=float, default=None,
                   help="dataset bytes / maxmemory, default 10 (quick: 3)")
    p.add_argument("--value-size", type=int, default=1000)
    p.add_argument("--requests", type=int, default=None, help="GETs per run (default 400000)")
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--hot-fraction", type=float, default=0.01)
    p.add_argument("--no-redis", action="store_true", help="skip redis-server in RAM")
    p.add_argument("--no-db-bench", action="store_true", help="skip db_bench")
    p.add_argument("--json", help="write the results as JSON to this file")
    p.add_argument("--keep-dir", action="store_true")
    args = p.parse_args()
    maxmemory = args.maxmemory or (64 * MB if args.quick else 256 * MB)
    factor = args.factor or (3 if args.quick else 10)
    requests = args.requests or (50000 if args.quick else 400000)
    n = int(maxmemory * factor / args.value_size)
    base = tempfile.mkdtemp(prefix="strata-ltr-")
    results = {"maxmemory": maxmemory, "factor": factor, "keys": n,
               "value_size": args.value_size, "requests": requests, "clients": args.clients}
    strata = Server("strata", args.strata_bin, ["--maxmemory", str(maxmemory),
                                                 "--rocksdb-use-direct-reads", "yes"], base)
    try:
        strata.start()
        log(f"loading {n} keys x {args.value_size} B = {n * args.value_size / MB:.0f} MB "
            f"into strata (maxmemory {maxmemory / MB:.0f} MB, direct reads)")
        secs = pipe_load(strata.port, n, args.value_size)
        results["load"] = {"seconds": round(secs, 1), "keys_per_sec": round(n / secs),
                           "mb_per_sec": round(n * args.value_size / MB / secs, 1)}
        budget = info(strata.port, "hottier")
        cache_bytes = int(budget["memory_budget_block_cache_bytes"])
        log(f"random GET over {n} keys")
        p1 = redis_benchmark(strata.port, n, requests // 4, args.clients, 1)
        p16 = redis_benchmark(strata.port, n, requests, args.clients, 16)
        results["random_get"] = {"p1_ops_per_sec": p1[0], "p1_p99_ms": p1[1],
                                 "p16_ops_per_sec": p16[0], "p16_p99_ms": p16[1]}
        log(f"skewed GET: 90% of clients on the hottest {args.hot_fraction:.0%}")
        skewed_run(strata.port, n, args.hot_fraction, requests // 4, 16)  # warms the tier
        results["skewed_get"] = skewed_run(strata.port, n, args.hot_fraction, requests, 16)
        results["peak_rss_bytes"] = proc_status(strata.proc.pid, "VmHWM")
        results["peak_rss_over_maxmemory"] = round(results["peak_rss_bytes"] / maxmemory, 2)
        results["disk_bytes"] = dir_bytes(strata.data_dir)
        results["hot_tier"] = {k: number(v) for k, v in info(strata.port, "hottier").items()}
        log("start-up time with the loaded dataset")
        results["startup_seconds"] = round(startup_time(strata), 3)
        strata.stop()
        if not args.no_db_bench:
            log(f"db_bench fillseq + readrandom, block cache {cache_bytes / MB:.0f} MB")
            results["db_bench"] = db_bench(base, n, args.value_size, cache_bytes, requests, 4)
        if not args.no_redis:
            log("redis-server with the same keys in RAM")
            results["redis_in_ram"] = redis_in_ram(base, n, args.value_size, requests,
                                                   args.clients)
    except Exception:
        log(f"failed; strata log:\n{strata.log_tail()}")
        strata.stop()
        raise
    finally:
        strata.stop()
        if not args.keep_dir:
            shutil.rmtree(base, ignore_errors=True)
    print_report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


def print_report(r):
    mb = lambda b: f"{b / MB:,.0f} MB"  # noqa: E731
    print(f"dataset: {r['keys']:,} keys x {r['value_size']} B = {mb(r['keys'] * r['value_size'])}"
          f" ({r['factor']}x maxmemory {mb(r['maxmemory'])})")
    ld = r["load"]
    print(f"load (redis-cli --pipe): {ld['seconds']} s, {ld['keys_per_sec']:,} keys/s, "
          f"{ld['mb_per_sec']} MB/s")
    print(f"on disk: {mb(r['disk_bytes'])}; peak RSS {mb(r['peak_rss_bytes'])} = "
          f"{r['peak_rss_over_maxmemory']}x maxmemory")
    g = r["random_get"]
    print(f"random GET, whole keyspace: -P 1 {g['p1_ops_per_sec']:,.0f} ops/s p99 "
          f"{g['p1_p99_ms']} ms; -P 16 {g['p16_ops_per_sec']:,.0f} ops/s p99 {g['p16_p99_ms']} ms")
    s = r["skewed_get"]
    print(f"skewed GET (90% of clients on {s['hot_keys']:,} hot keys), -P 16: "
          f"{s['ops_per_sec']:,} ops/s, hot-tier hit ratio {s['hit_ratio']:.1%}, "
          f"p99 hot {s['hot_p99_ms']} ms / cold {s['cold_p99_ms']} ms")
    print(f"start-up to first PING reply: {r['startup_seconds'] * 1000:.0f} ms")
    d = r.get("db_bench")
    if d and "skipped" not in d:
        ratio = g["p16_ops_per_sec"] / d["readrandom_ops_per_sec"] if d[
            "readrandom_ops_per_sec"] else float("nan")
        print(f"db_bench readrandom ({d['threads']} threads, same cache, direct reads): "
              f"{d['readrandom_ops_per_sec']:,} ops/s, p99 {d['readrandom_p99_us']} us "
              f"{d['found']}; strata -P 16 / db_bench = {ratio:.2f}")
    elif d:
        print(f"db_bench: {d['skipped']}")
    rr = r.get("redis_in_ram")
    if rr:
        print(f"redis-server in RAM, GET -P 16: {rr['get_p16_ops_per_sec']:,.0f} ops/s p99 "
              f"{rr['get_p16_p99_ms']} ms (RSS {mb(rr['rss_bytes'])}); strata / redis = "
              f"{g['p16_ops_per_sec'] / rr['get_p16_ops_per_sec']:.2f}")


if __name__ == "__main__":
    main()
