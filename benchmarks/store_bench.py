"""Store benchmark: bulk load, ego-network and path latency on SQLite and Neo4j.

Usage::

    .venv/bin/python benchmarks/store_bench.py [--actors 100000] [--ties 500000] [--stores sqlite,neo4j] [--queries 25]

Generates a stakeholder-like graph (actors in communities of ~50, most ties inside a community,
some bridging), loads it with one ``GraphStore.apply_batch`` call (SQLite: one transaction; Neo4j:
staged in committed chunks, then published in one transaction) and prints rows/s, then
the median latency of ``ego_network(depth=2)`` and ``shortest_path`` over random pairs. Neo4j is
the server at NEO4J_URI (default bolt://127.0.0.1:7687, password NEO4J_PASSWORD or
graph-service-dev); its database is wiped first.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from graph_service.model import tie_natural_key


def generate(n_actors: int, n_ties: int, seed: int = 7) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    kinds = ["city", "agency", "ngo", "community_actor", "person"]
    actors = [
        {"id": f"a{i:07d}", "name": f"Actor {i}", "kind": kinds[i % len(kinds)], "tags": [f"community-{i // 50 % 200}"],
         "city": f"City {i // 5000}", "source": "benchmark"}
        for i in range(n_actors)
    ]
    ties, seen = [], set()
    while len(ties) < n_ties:
        a = rng.randrange(n_actors)
        b = a - a % 50 + rng.randrange(50) if rng.random() < 0.85 else rng.randrange(n_actors)
        if a == b:
            continue
        tie = {"source_id": actors[a]["id"], "target_id": actors[b]["id"], "type": "knows", "label": "knows",
               "directed": False, "strength": rng.randint(1, 5), "last_contact": f"2026-{rng.randint(1, 11):02d}-01",
               "source": "benchmark"}
        tie["id"] = tie_natural_key(tie)
        if tie["id"] in seen:
            continue
        seen.add(tie["id"])
        ties.append(tie)
    return actors, ties


def open_store(kind: str, folder: Path):
    if kind == "sqlite":
        from graph_service.store.sqlite import SQLiteStore

        store = SQLiteStore(folder / "bench.sqlite3")
    else:
        from neo4j import GraphDatabase

        from graph_service.store.neo4j import Neo4jStore

        uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
        password = os.environ.get("NEO4J_PASSWORD", "graph-service-dev")
        with GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
            while driver.execute_query("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS c").records[0]["c"]:
                pass
        store = Neo4jStore(uri, "neo4j", password)
    store.init_schema()
    return store


def median_ms(fn, args_list) -> float:
    times = []
    for args in args_list:
        began = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=500_000)
    parser.add_argument("--stores", default="sqlite,neo4j")
    parser.add_argument("--queries", type=int, default=25)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    actors, ties = generate(args.actors, args.ties)
    rng = random.Random(1)
    pairs = [(actors[rng.randrange(len(actors))]["id"], actors[rng.randrange(len(actors))]["id"]) for _ in range(args.queries)]
    print(f"graph: {len(actors):,} actors, {len(ties):,} ties")
    for kind in args.stores.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(kind, Path(tmp))
            began = time.perf_counter()
            store.apply_batch(actors, ties, by="benchmark")
            load = time.perf_counter() - began
            rows = len(actors) + len(ties)
            how = "one transaction" if kind == "sqlite" else "staged chunks, one publishing transaction"
            print(f"[{kind}] load: {rows:,} rows in {load:.1f} s = {rows / load:,.0f} rows/s ({how});"
                  f" load average {os.getloadavg()[0]:.1f}")
            ego = median_ms(lambda a: store.ego_network(a, 2), [(p[0],) for p in pairs])
            path = median_ms(lambda a, b: store.shortest_path(a, b, max_depth=8), pairs)
            print(f"[{kind}] ego network depth 2: median {ego:.1f} ms; shortest path: median {path:.1f} ms"
                  f" ({args.queries} random actors/pairs; load average {os.getloadavg()[0]:.1f})")
            store.close()


if __name__ == "__main__":
    main()
