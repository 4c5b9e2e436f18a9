#!/usr/bin/env python3
"""Light reads while heavy requests run (issue #12's goal: GET /collections and an items page keep a p99 <= 300 ms
while eight heavy requests run). Standard library only.

    python3 bench/load.py BASE_URL [--heavy 8] [--seconds 30]

First the light reads alone (as many as a client makes in --seconds/2), then the same while --heavy clients ask for
the network's indices over and over (each with another threshold, so none is answered from the cache; 16-28 s each
alone), coming back a second after each 503. Prints a
Markdown table: light latencies quiet and under load, and what the heavy requests got.
"""
import argparse
import json
import statistics
import threading
import time
import urllib.error
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("base")
parser.add_argument("--heavy", type=int, default=8)
parser.add_argument("--seconds", type=float, default=30)
args = parser.parse_args()
LIGHT = ["/collections", "/collections/designations/items?limit=100"]


def get(path, timeout=120):
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(args.base + path, timeout=timeout) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        e.read()
        status = e.code
    return status, time.perf_counter() - start


def light(seconds):
    times = {p: [] for p in LIGHT}
    statuses = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        for p in LIGHT:
            status, t = get(p)
            times[p].append(t)
            statuses.append(status)
    return times, statuses


heavy_results = []
stop = threading.Event()


def heavy(n):
    i = 0
    while not stop.is_set():
        i += 1
        status, t = get(f"/network/metrics?d0=300&threshold={600 + n * 10 + i}", timeout=300)
        heavy_results.append((status, t))
        if status == 503:
            time.sleep(1)  # told to come back (Retry-After says 10 s; a busy client comes back sooner)


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))] * 1000


quiet, quiet_status = light(args.seconds / 2)
threads = [threading.Thread(target=heavy, args=(n,), daemon=True) for n in range(args.heavy)]
for t in threads:
    t.start()
time.sleep(2)  # the heavy requests are under way
loaded, loaded_status = light(args.seconds)
stop.set()
for t in threads:
    t.join(timeout=300)

print(f"| light request | while | requests | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | p99 <= 300 ms |")
print("|---|---|---|---|---|---|---|---|")
met = True
for label, data in (("alone", quiet), (f"{args.heavy} heavy requests run", loaded)):
    for p in LIGHT:
        v = data[p]
        ok = pct(v, 99) <= 300
        if label != "alone":
            met &= ok
        print(f"| GET {p} | {label} | {len(v)} | {pct(v, 50):.0f} | {pct(v, 95):.0f} | {pct(v, 99):.0f} | {max(v) * 1000:.0f} | {'yes' if ok else 'no'} |")
print()
codes = {}
for status, t in heavy_results:
    codes.setdefault(status, []).append(t)
print("| heavy request GET /network/metrics | count | median (s) |")
print("|---|---|---|")
for status, ts in sorted(codes.items()):
    print(f"| HTTP {status} | {len(ts)} | {statistics.median(ts):.2f} |")
bad = [s for s in quiet_status + loaded_status if s != 200]
print()
print(f"light requests not answered 200: {len(bad)}; goal {'**met**' if met and not bad else '**missed**'}")
