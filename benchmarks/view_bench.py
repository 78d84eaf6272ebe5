"""How long the network view takes to build on the server and to become interactive in a browser.

For generated stakeholder-like maps of 100, 1,000 and 5,000 actors (a scale-free graph with
clustering, average degree about 6; kinds, communities, cities, strengths and last contacts
drawn at random) this reports, as the median of several runs:

- ``build``: building the view's data in Python (node sizes, layout past 300 nodes, pyvis data),
  as :func:`graph_service.web.viewkit.graph_payload` does for the page;
- ``page``: the whole ``GET /network`` on the server (store projection, filter, build, template);
- ``interactive``: in headless Chromium (Debian's ``chromium`` via Playwright), from the start
  of navigation to the first frame drawn by vis-network plus two more animation frames, i.e. the
  moment the page answers input (its main thread is free); the page is served by the app on
  loopback with every other request blocked;
- ``redraw``: one full redraw of the canvas afterwards (what a pan or zoom costs per frame).

Target: the 1,000-actor view interactive within 3 s on this machine.

Run: ``.venv/bin/python benchmarks/view_bench.py [--runs 5] [--sizes 100 1000 5000]``.
Needs chromium (``apt-get install -y chromium``) and playwright (``pip install playwright``);
without them only the server-side figures are printed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from graph_service.app import create_app  # noqa: E402
from graph_service.auth import create_user  # noqa: E402
from graph_service.config import Settings  # noqa: E402
from graph_service.model import ACTOR_KINDS, validate_actor, validate_tie  # noqa: E402
from graph_service.store.sqlite import SQLiteStore  # noqa: E402

TODAY = dt.date(2026, 6, 1)
TARGET_S = {1000: 3.0}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def generate(n: int, seed: int = 1) -> tuple[list[dict], list[dict]]:
    """Validated actor and tie dicts for a map of ``n`` actors (Holme-Kim power-law cluster graph, m=3)."""
    rng = random.Random(seed)
    g = nx.powerlaw_cluster_graph(n, 3, 0.3, seed=seed)
    actors = [validate_actor({"id": f"a{i}", "name": f"Actor {i}", "kind": rng.choice(ACTOR_KINDS),
                              "tags": [f"community-{rng.randrange(30)}"], "city": f"City {rng.randrange(20)}"})
              for i in g.nodes]
    ties = []
    for j, (u, v) in enumerate(g.edges):
        last = (TODAY - dt.timedelta(days=rng.randrange(0, 900))).isoformat() if rng.random() < 0.8 else None
        ties.append(validate_tie({"id": f"t{j}", "source_id": f"a{u}", "target_id": f"a{v}", "type": "knows",
                                  "strength": rng.choice([None, 1, 2, 3, 4, 5]), "last_contact": last,
                                  "directed": rng.random() < 0.5}))
    return actors, ties


def median_s(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def browser_figures(base: str, runs: int, shots: Path | None = None) -> tuple[float, float, int] | None:
    """Median (interactive s, redraw ms, drawn nodes) in headless Chromium, or None without it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    chromium = os.environ.get("GRAPH_SERVICE_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base, viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
        page.goto("/login")
        page.fill("#username", "bench")
        page.fill("#password", "bench password")
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        page.goto("/network")  # warm the browser cache for the scripts, as a returning user has it
        page.wait_for_selector("[data-graph][data-ready='1']", timeout=120_000)
        tti, redraw, drawn = [], [], 0
        for _ in range(runs):
            page.goto("/network", wait_until="commit")
            page.wait_for_selector("[data-graph][data-ready='1']", timeout=120_000)
            tti.append(page.evaluate(
                "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))") / 1000)
            redraw.append(page.evaluate("""() => { const n = window.graphServiceNetwork; n.moveTo({scale: n.getScale() * 1.1});
                const t = performance.now(); n.renderer._redraw(); return performance.now() - t; }"""))
            drawn = page.eval_on_selector("[data-graph]", "el => Object.keys(el.graphServiceNetwork.getPositions()).length")
        if shots:
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / f"bench-network-{drawn}.png"))
        browser.close()
    return statistics.median(tti), statistics.median(redraw), drawn


def bench(n: int, runs: int, tmp: str, shots: Path | None = None) -> dict:
    actors, ties = generate(n)
    store = SQLiteStore(os.path.join(tmp, f"view-{n}.sqlite3"))
    store.init_schema()
    store.apply_batch(actors, ties, by="bench")
    create_user(store, "bench", "bench password", "viewer", by="bench")
    app = create_app({"GRAPH_VIEW_MAX_NODES": 10_000}, store=store,
                     settings=Settings(db_path=store.path, secret_key="bench", secure_cookies=False))
    proj_actors, proj_ties = store.projection()

    from graph_service.web.viewkit import graph_payload

    def build():
        with app.test_request_context("/network"):
            graph_payload(proj_actors, proj_ties)

    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    client.post("/login", data={"username": "bench", "password": "bench password", "csrf_token": token})

    def page():
        resp = client.get("/network", headers={"Accept": "text/html"})
        assert resp.status_code == 200, resp.status_code

    out = {"actors": n, "ties": len(proj_ties), "build_s": median_s(build, runs), "page_s": median_s(page, runs)}
    server = serve(app)
    try:
        figures = browser_figures(f"http://127.0.0.1:{server.server_port}", runs, shots)
    finally:
        server.shutdown()
    if figures:
        out["interactive_s"], out["redraw_ms"], out["drawn"] = figures
    store.close()
    return out


def main() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--screenshots", type=Path, default=None, help="save a screenshot of each view in this folder")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}")
    print(f"median of {args.runs} runs; 'interactive' = navigation start -> first vis-network frame + 2 animation frames")
    print(f"{'actors':>7} {'ties':>6} {'build s':>8} {'server s':>9} {'interactive s':>14} {'redraw ms':>10} {'drawn':>6}  target")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            r = bench(n, args.runs, tmp, args.screenshots)
            target = TARGET_S.get(n)
            verdict = ""
            if target and "interactive_s" in r:
                verdict = f"< {target:g} s: {'met' if r['interactive_s'] < target else 'MISSED'}"
            print(f"{r['actors']:>7} {r['ties']:>6} {r['build_s']:>8.3f} {r['page_s']:>9.3f} "
                  f"{r.get('interactive_s', float('nan')):>14.2f} {r.get('redraw_ms', float('nan')):>10.1f} "
                  f"{r.get('drawn', '-'):>6}  {verdict}", flush=True)


if __name__ == "__main__":
    main()
