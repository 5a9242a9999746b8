#!/usr/bin/python3
"""Pub/sub fan-out, a LPUSH+BRPOP job queue, MULTI/EXEC of 10 INCRs and a
stream consumer group read with XREADGROUP and acknowledged with XACK:
strata-server against redis-server, alternately, several rounds, medians
and the geometric mean of the ratios (issue 7's benchmarks).

redis-benchmark cannot express these, so bench/event_load.cc (built as
build/strata-event-load) generates the load; the servers are started as
bench/compare.py starts them (redis-server with appendonly yes,
appendfsync everysec).

    /usr/bin/python3 bench/events.py                  # 3 rounds of 5 s each
    /usr/bin/python3 bench/events.py --rounds 5 --seconds 10
    /usr/bin/python3 bench/events.py --only xgroup --rounds 1
"""

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import DEFAULT_REDIS_BIN, DEFAULT_STRATA_BIN, REPO_ROOT, Server  # noqa: E402

# name -> (event_load workload, connections)
WORKLOADS = {
    "publish fan-out (1 pub, 50 subs)": ("pubsub", 50),
    "lpush+brpop (4 consumers)": ("queue", 4),
    "multi/exec 10 incr (50 clients)": ("multi", 50),
    "xreadgroup+xack (4 consumers)": ("xgroup", 4),
}


def run(load_bin, server, workload, clients, seconds):
    out = subprocess.run([str(load_bin), "--port", str(server.port), "--workload", workload,
                          "--clients", str(clients), "--seconds", str(seconds)],
                         capture_output=True, text=True, timeout=seconds + 60)
    if out.returncode != 0:
        raise RuntimeError(f"strata-event-load failed: {out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--strata-bin", default=str(DEFAULT_STRATA_BIN))
    p.add_argument("--redis-bin", default=DEFAULT_REDIS_BIN)
    p.add_argument("--load-bin", default=str(REPO_ROOT / "build" / "strata-event-load"))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--only", help="comma-separated event_load workloads to run "
                                  f"(default all: {','.join(w for w, _ in WORKLOADS.values())})")
    args = p.parse_args()
    workloads = WORKLOADS
    if args.only:
        wanted = set(args.only.split(","))
        workloads = {n: w for n, w in WORKLOADS.items() if w[0] in wanted}
        if not workloads:
            p.error(f"--only: none of {args.only!r} is a workload")
    base = Path(tempfile.mkdtemp(prefix="strata-events-"))
    servers = {"strata": Server("strata", args.strata_bin, [], base),
               "redis": Server("redis", args.redis_bin, [], base)}
    results = {name: {"strata": [], "redis": []} for name in workloads}
    try:
        for s in servers.values():
            s.start()
        for rnd in range(args.rounds):
            for i, (name, (workload, clients)) in enumerate(workloads.items()):
                order = ["strata", "redis"] if (rnd + i) % 2 == 0 else ["redis", "strata"]
                line = [f"[round {rnd + 1}/{args.rounds}] {name:<34}"]
                for kind in order:
                    r = run(args.load_bin, servers[kind], workload, clients, args.seconds)
                    results[name][kind].append(r)
                    line.append(f"{kind} {r['ops_per_sec']:>11,.0f}/s")
                print("  ".join(line), file=sys.stderr, flush=True)
    finally:
        for s in servers.values():
            s.stop()
    ratios = []
    print(f"{'workload':<34} {'strata/s':>12} {'redis/s':>12} {'ratio':>6}  "
          f"{'strata p50/p99 us':>18} {'redis p50/p99 us':>18}")
    for name, by in results.items():
        med = {k: statistics.median(r["ops_per_sec"] for r in v) for k, v in by.items()}
        lat = {}
        for k, v in by.items():
            if "p50_us" in v[0]:
                lat[k] = (f"{statistics.median(r['p50_us'] for r in v):.0f}/"
                          f"{statistics.median(r['p99_us'] for r in v):.0f}")
            else:
                lat[k] = "-"
        ratio = med["strata"] / med["redis"] if med["redis"] else float("nan")
        ratios.append(ratio)
        print(f"{name:<34} {med['strata']:>12,.0f} {med['redis']:>12,.0f} {ratio:>6.2f}  "
              f"{lat['strata']:>18} {lat['redis']:>18}")
    ok = [r for r in ratios if r > 0]
    geomean = math.exp(sum(math.log(r) for r in ok) / len(ok)) if ok else float("nan")
    print(f"geometric mean of ratios (strata/redis): {geomean:.3f}"
          + ("" if len(ok) == len(ratios) else f" (of {len(ok)} non-zero ratios)"))


if __name__ == "__main__":
    main()
