"""Run the gap and broker reports on an edge-list power map (e.g. BuzzFeed's TrumpWorld CSV).

Usage::

    .venv/bin/python benchmarks/powermap_report.py PATH/TO/trumpworld.csv [--coordinator NAME ...]

The CSV has the columns ``Entity A Type, Entity A, Entity B Type, Entity B, Connection, Source(s)``.
It is loaded into a throwaway SQLite store (nothing is written next to the data, nothing is kept):
persons become ``person`` actors, organisations ``ngo`` actors (the data model has no company
kind) with a community tag guessed from their name (business, finance, politics, government,
hospitality, media, education, philanthropy, real-estate), each row a directed tie typed by its
connection wording, with no strength and no date. The reports run with ``min_strength=1`` (every
tie counts as strong: the source rates none) and print their first findings.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph_service.analytics.brokers import broker_report  # noqa: E402
from graph_service.analytics.gaps import coverage, single_points_of_failure  # noqa: E402
from graph_service.analytics.projection import get_projection  # noqa: E402
from graph_service.analytics.silos import silo_report  # noqa: E402
from graph_service.model import slug_id, tie_natural_key, tie_type_of  # noqa: E402
from graph_service.store.sqlite import SQLiteStore  # noqa: E402

TAG_WORDS = [
    ("government", r"\b(DEPARTMENT|AGENCY|OFFICE OF|U\.S\.|UNITED STATES|ADMINISTRATION|COUNCIL|COMMISSION|WHITE HOUSE)\b"),
    ("politics", r"\b(CAMPAIGN|PAC|COMMITTEE|PARTY|REPUBLICAN|DEMOCRAT)\b"),
    ("finance", r"\b(BANK|CAPITAL|FUND|INVESTMENT|FINANCIAL|PARTNERS|EQUITY|HOLDINGS)\b"),
    ("hospitality", r"\b(HOTEL|RESORT|GOLF|CLUB|WINERY|RESTAURANT|CASINO|SPA)\b"),
    ("media", r"\b(MEDIA|NEWS|TV|PRODUCTIONS|ENTERTAINMENT|BROADCASTING|MAGAZINE)\b"),
    ("education", r"\b(UNIVERSITY|COLLEGE|SCHOOL|ACADEMY|INSTITUTE)\b"),
    ("philanthropy", r"\b(FOUNDATION|CHARITY|CHARITABLE|TRUST)\b"),
    ("real-estate", r"\b(REALTY|TOWER|ESTATE|PROPERTIES|DEVELOPMENT|WALL|AVENUE|STREET|PLAZA)\b"),
    ("business", r"\b(LLC|INC|CORP|CORPORATION|LP|LTD|CO|COMPANY|ENTERPRISES|MANAGEMENT)\b"),
]


def tags_for(kind: str, name: str) -> list[str]:
    if kind == "person":
        return ["people"]
    upper = name.upper()
    for tag, pattern in TAG_WORDS:
        if re.search(pattern, upper):
            return [tag]
    return ["organisation"]


def load(csv_path: Path, store: SQLiteStore) -> None:
    rows = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    actors: dict[str, dict] = {}
    ties: dict[str, dict] = {}
    for r in rows.itertuples(index=False):
        ends = []
        for kind_col, name in ((r[0], r[1]), (r[2], r[3])):
            kind = "person" if kind_col.strip().lower() == "person" else "ngo"
            aid = slug_id(name)
            actors.setdefault(aid, {"id": aid, "name": name.strip(), "kind": kind, "tags": tags_for(kind, name)})
            ends.append(aid)
        if ends[0] == ends[1]:
            continue
        label = r[4].strip() or "connected"
        tie = {"source_id": ends[0], "target_id": ends[1], "type": tie_type_of(label), "label": label, "directed": True,
               "source": r[5][:500]}
        tie["id"] = tie_natural_key(tie)
        ties[tie["id"]] = tie
    store.apply_batch(actors.values(), ties.values(), by="powermap")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", type=Path)
    ap.add_argument("--coordinator", action="append", default=None, help="Actor ids or names (default: the two busiest).")
    ap.add_argument("--show", type=int, default=8)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "powermap.sqlite3")
        store.init_schema()
        t0 = time.perf_counter()
        load(args.csv, store)
        proj = get_projection(store)
        print(f"{proj.n} actors, {len(proj.ties)} ties ({len(proj.pair_u)} tied pairs) loaded in {time.perf_counter() - t0:.1f} s")
        degree = [len(x) for x in proj.nbr]
        if args.coordinator:
            from graph_service.services.directory import resolve_actor

            coordinators = [resolve_actor(store, c)["id"] for c in args.coordinator]
        else:
            coordinators = [proj.ids[i] for i in sorted(range(proj.n), key=lambda i: -degree[i])[:2]]
        for cid in coordinators:
            t0 = time.perf_counter()
            cov = coverage(proj, cid, hops=3, min_strength=1, stale_days=180)
            spof = single_points_of_failure(proj, cid, limit=args.show)
            took = time.perf_counter() - t0
            print(f"\n== Gap report for {proj.name(proj.index[cid])} ({degree[proj.index[cid]]} ties), {took:.2f} s")
            print(cov["explanation"])
            for f in cov["findings"]:
                print("  -", f["explanation"])
            print(spof["explanation"])
            for f in spof["articulation_points"]["findings"][: args.show]:
                print("  -", f["explanation"])
        t0 = time.perf_counter()
        brokers = broker_report(proj, top=args.show)
        print(f"\n== Brokers ({time.perf_counter() - t0:.2f} s)\n{brokers['explanation']}")
        for b in brokers["brokers"]:
            print(f"  {b['rank']:>2}. {b['explanation']}")
        silos = silo_report(proj, limit=args.show)
        print(f"\n== Silos\n{silos['explanation']}")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
