#!/usr/bin/python3
"""LPUSH+BRPOP round trip, strata-server against redis-server.

redis-benchmark cannot express a push that wakes a blocked pop, so this
script measures it with redis-py: `pairs` ping-pong pairs, each a producer
that LPUSHes a job on its queue and waits (BRPOP) for the answer on a reply
queue, and a worker blocked in BRPOP on the job queue that LPUSHes the answer.
One round trip = two LPUSHes that each wake a blocked BRPOP. The servers are
started as bench/compare.py starts them and measured alternately, `rounds`
times for `seconds` each; the median round trips/s and the ratio are printed.

    /usr/bin/python3 bench/blocking_roundtrip.py [--seconds 3] [--rounds 3] [--pairs 4]
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import DEFAULT_REDIS_BIN, DEFAULT_STRATA_BIN, Server  # noqa: E402


def worker(port, pair, stop):
    c = redis.Redis(port=port)
    while not stop.is_set():
        got = c.brpop([f"jobs:{pair}"], timeout=1)
        if got is not None:
            c.lpush(f"answers:{pair}", got[1])


def producer(port, pair, deadline, counts):
    c = redis.Redis(port=port)
    n = 0
    while time.monotonic() < deadline:
        c.lpush(f"jobs:{pair}", n)
        c.brpop([f"answers:{pair}"], timeout=10)
        n += 1
    counts[pair] = n


def measure(port, pairs, seconds):
    stop = threading.Event()
    workers = [threading.Thread(target=worker, args=(port, p, stop)) for p in range(pairs)]
    for t in workers:
        t.start()
    time.sleep(0.2)  # the workers block first
    counts = [0] * pairs
    deadline = time.monotonic() + seconds
    producers = [threading.Thread(target=producer, args=(port, p, deadline, counts))
                 for p in range(pairs)]
    for t in producers:
        t.start()
    for t in producers:
        t.join()
    stop.set()
    for t in workers:
        t.join()
    return sum(counts) / seconds


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--strata-bin", default=str(DEFAULT_STRATA_BIN))
    p.add_argument("--redis-bin", default=DEFAULT_REDIS_BIN)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--pairs", type=int, default=4)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="strata-blocking-bench-") as base:
        servers = [Server("strata", args.strata_bin, [], base),
                   Server("redis", args.redis_bin, [], base)]
        try:
            for s in servers:
                s.start()
            results = {s.kind: [] for s in servers}
            for _ in range(args.rounds):
                for s in servers:
                    results[s.kind].append(measure(s.port, args.pairs, args.seconds))
        finally:
            for s in servers:
                s.stop()
    strata = statistics.median(results["strata"])
    ref = statistics.median(results["redis"])
    print(f"lpush+brpop round trips/s ({args.pairs} pairs, median of {args.rounds} x "
          f"{args.seconds:g}s): strata {strata:,.0f}  redis {ref:,.0f}  ratio {strata / ref:.2f}")


if __name__ == "__main__":
    main()
