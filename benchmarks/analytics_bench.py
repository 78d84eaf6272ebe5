"""Benchmark of the who-knows-whom queries and coordination-gap reports on generated stakeholder maps.

Usage::

    .venv/bin/python benchmarks/analytics_bench.py [--sizes 1000,10000,100000] [--runs 3] [--pairs 50]

For each size it generates a stakeholder-like map (communities of 40-160 actors with a tag each,
ten communities to a city, 30% of actors also carrying one of 200 cross-cutting tags, heavy-tailed hubs, average degree about 8 = 4 ties per actor, 85% of
ties inside the community; strengths 1-5 or unknown, last contacts over three years or unknown,
60% directed), writes it into a throwaway SQLite store (rows inserted directly in one
transaction, as a bulk import would), and prints:

* the cold start: ``store.projection()`` plus building the in-memory projection (done once per
  store revision, not per request);
* the median time of a warm-path query (best path and 2 disjoint alternatives) over random pairs,
  and of the best path alone;
* the median time of the full gap report (coverage of every community and area plus single points
  of failure) for the busiest agency, on the first call after a change and repeated;
* the broker report (betweenness exact up to 10,000 actors, else sampled from 256 sources; Burt's
  constraint; effective size), and at 10,000 actors python-igraph's exact betweenness as the
  yardstick (the target: the report within 2x of it).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph_service.analytics.brokers import broker_report  # noqa: E402
from graph_service.analytics.gaps import gap_report  # noqa: E402
from graph_service.analytics.projection import Projection  # noqa: E402
from graph_service.analytics.warm_paths import warm_paths  # noqa: E402
from graph_service.model import fold, now_iso  # noqa: E402
from graph_service.store.sqlite import SQLiteStore  # noqa: E402

TODAY = dt.date(2026, 6, 1)
KINDS = ["agency", "ngo", "community_actor", "person", "city", "network", "funder"]
KIND_P = [0.15, 0.2, 0.25, 0.3, 0.02, 0.04, 0.04]
TOPICS = 200  # cross-cutting community tags (faith, youth, ...) carried by 30% of actors


def generate(n: int, *, avg_degree: int = 8, p_inside: float = 0.85, seed: int = 1):
    """``(actors, ties)`` rows for a stakeholder-like map of ``n`` actors (see the module docstring)."""
    rng = np.random.default_rng(seed)
    sizes = []
    while sum(sizes) < n:
        sizes.append(int(rng.integers(40, 161)))
    sizes[-1] -= sum(sizes) - n
    comm = np.repeat(np.arange(len(sizes)), sizes)
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    fitness = rng.pareto(1.5, n) + 1.0
    m = n * avg_degree // 2
    src = rng.choice(n, size=m, p=fitness / fitness.sum())
    inside = rng.random(m) < p_inside
    size_of = np.array(sizes)[comm[src]]
    t_in = start[comm[src]] + (rng.random(m) * size_of).astype(np.int64)
    t_out = rng.choice(n, size=m, p=fitness / fitness.sum())
    dst = np.where(inside, t_in, t_out)
    keep = dst != src
    src, dst = src[keep], dst[keep]
    k = len(src)
    strength = rng.choice([0, 1, 2, 3, 4, 5], size=k, p=[0.1, 0.15, 0.2, 0.25, 0.2, 0.1])
    age = rng.integers(0, 1100, k)
    dated = rng.random(k) < 0.8
    directed = rng.random(k) < 0.6
    kind = rng.choice(len(KINDS), size=n, p=KIND_P)
    topic = rng.integers(0, TOPICS, n)
    has_topic = rng.random(n) < 0.3
    actors = [(f"a{i}", f"Actor {i}", KINDS[kind[i]],
               json.dumps([f"community-{comm[i]}"] + ([f"topic-{topic[i]}"] if has_topic[i] else [])),
               f"City {comm[i] // 10}") for i in range(n)]
    ties = [(f"t{j}", f"a{src[j]}", f"a{dst[j]}", int(directed[j]), int(strength[j]) or None,
             (TODAY - dt.timedelta(days=int(age[j]))).isoformat() if dated[j] else None) for j in range(k)]
    return actors, ties


def load(path: str, actors, ties) -> SQLiteStore:
    """A SQLite store at ``path`` holding the rows (inserted directly, one transaction)."""
    store = SQLiteStore(path)
    store.init_schema()
    store.close()
    now = now_iso()
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO actors (id, name, name_folded, kind, tags, city, created_at, created_by, updated_at, updated_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            ((a[0], a[1], fold(a[1]), a[2], a[3], a[4], now, "bench", now, "bench") for a in actors))
        conn.executemany(
            "INSERT INTO ties (id, source_id, target_id, type, label, directed, strength, last_contact, created_at,"
            " created_by, updated_at, updated_by) VALUES (?,?,?,'knows','knows',?,?,?,?,?,?,?)",
            (t + (now, "bench", now, "bench") for t in ties))
    conn.close()
    return SQLiteStore(path)


def timed(fn, runs: int, before=None) -> tuple[float, object]:
    """Median seconds of ``runs`` calls of ``fn`` (``before`` runs untimed before each) and the last result."""
    times, result = [], None
    for _ in range(runs):
        if before:
            before()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def bench(n: int, runs: int, pairs: int, tmp: str) -> dict:
    out: dict = {"actors": n}
    t0 = time.perf_counter()
    actors, ties = generate(n)
    out["generate_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    store = load(os.path.join(tmp, f"bench-{n}.sqlite3"), actors, ties)
    out["sqlite_insert_s"] = time.perf_counter() - t0
    out["ties"] = len(ties)
    t0 = time.perf_counter()
    rows = store.projection()
    out["store_projection_s"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    proj = Projection(*rows, today=TODAY, revision=store.revision())
    out["projection_build_s"] = time.perf_counter() - t1
    out["cold_projection_s"] = time.perf_counter() - t0
    del rows
    out["pairs_joined"] = len(proj.pair_u)
    rng = random.Random(5)
    queries = [(f"a{rng.randrange(n)}", f"a{rng.randrange(n)}") for _ in range(pairs)]
    queries = [(a, b) for a, b in queries if a != b]
    warm_paths(proj, *queries[0], k=2)  # builds nothing lazily, but warms the interpreter
    t_k, t_1 = [], []
    for a, b in queries:
        t = time.perf_counter()
        warm_paths(proj, a, b, k=2)
        t_k.append(time.perf_counter() - t)
        t = time.perf_counter()
        warm_paths(proj, a, b, k=0)
        t_1.append(time.perf_counter() - t)
    out["warm_path_k2_median_ms"] = 1000 * statistics.median(t_k)
    out["warm_path_k2_p95_ms"] = 1000 * sorted(t_k)[int(0.95 * (len(t_k) - 1))]
    out["warm_path_best_median_ms"] = 1000 * statistics.median(t_1)
    degree = [len(x) for x in proj.nbr]
    coordinator = max((i for i, a in enumerate(proj.actors) if a["kind"] == "agency"), key=lambda i: degree[i])
    cid = proj.ids[coordinator]
    out["coordinator_degree"] = degree[coordinator]
    out["gap_report_first_s"], report = timed(lambda: gap_report(proj, cid), runs, before=proj._memo.clear)
    out["gap_report_repeat_s"], _ = timed(lambda: gap_report(proj, cid), runs)
    out["groups"] = len(report["coverage"]["findings"])
    out["gap_counts"] = report["coverage"]["counts"]
    out["articulation_points"] = report["single_points_of_failure"]["articulation_points"]["total"]

    def clear_brokers():
        for key in [k for k in proj._memo if k != "igraph"]:
            del proj._memo[key]

    if n == 10_000:
        # the yardstick and the report alternate, so both see the same machine load
        g = proj.igraph
        yard, report_times = [], []
        for _ in range(2):
            t = time.perf_counter()
            g.betweenness(directed=False)
            yard.append(time.perf_counter() - t)
            clear_brokers()
            t = time.perf_counter()
            brokers = broker_report(proj)
            report_times.append(time.perf_counter() - t)
        out["igraph_exact_betweenness_s"] = statistics.median(yard)
        out["broker_report_s"] = statistics.median(report_times)
        out["broker_vs_igraph"] = out["broker_report_s"] / out["igraph_exact_betweenness_s"]
        out["broker_report_sampled_s"], _ = timed(lambda: broker_report(proj, sample=256), runs, before=clear_brokers)
    else:
        broker_runs = 1 if n > 10_000 else runs
        out["broker_report_s"], brokers = timed(lambda: broker_report(proj), broker_runs, before=clear_brokers)
    out["broker_method"] = brokers["method"] + (f" k={brokers['sample']}" if brokers["sample"] else "")
    store.close()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pairs", type=int, default=50)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    import igraph
    import networkx

    machine = (f"{platform.node()} {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
               f"networkx {networkx.__version__}, igraph {igraph.__version__}")
    print(machine, flush=True)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            r = bench(n, args.runs, args.pairs, tmp)
            results.append(r)
            print(f"\n{n:,} actors, {r['ties']:,} ties ({r['pairs_joined']:,} tied pairs); generate {r['generate_s']:.1f} s, "
                  f"SQLite insert {r['sqlite_insert_s']:.1f} s", flush=True)
            print(f"  cold start: {r['cold_projection_s']:.2f} s (store.projection() {r['store_projection_s']:.2f} s + "
                  f"projection build {r['projection_build_s']:.2f} s), once per store revision")
            print(f"  warm path, best + 2 disjoint alternatives: median {r['warm_path_k2_median_ms']:.1f} ms "
                  f"(p95 {r['warm_path_k2_p95_ms']:.1f} ms); best only: median {r['warm_path_best_median_ms']:.1f} ms "
                  f"[target < 50 ms at 100,000]")
            print(f"  gap report ({r['groups']} communities and areas, coordinator with {r['coordinator_degree']} ties): "
                  f"first call {r['gap_report_first_s']:.2f} s, repeat {r['gap_report_repeat_s']:.2f} s "
                  f"[target < 2 s at 10,000, < 15 s at 100,000]; {r['gap_counts']}, {r['articulation_points']} cut vertices")
            line = f"  broker report ({r['broker_method']}): {r['broker_report_s']:.2f} s"
            if "igraph_exact_betweenness_s" in r:
                line += (f"; igraph exact betweenness {r['igraph_exact_betweenness_s']:.2f} s -> {r['broker_vs_igraph']:.2f}x "
                         f"[target <= 2x]; sampled k=256 report {r['broker_report_sampled_s']:.2f} s")
            print(line, flush=True)
    if args.json:
        print(json.dumps({"machine": machine, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
