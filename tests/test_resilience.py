"""Surviving concurrency and crashes on the embedded store."""
import csv
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph_service.model import validate_actor
from graph_service.services.sync import demo_files, import_files


def write_kumu_pair(folder: Path, prefix: str, names: list[str], links: list[tuple[str, str]]) -> list[Path]:
    elements, connections = folder / f"{prefix}-elements.csv", folder / f"{prefix}-connections.csv"
    with open(elements, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Label", "Type", "Tags"])
        w.writerows([n, "NGO", "youth|newcomers"] for n in names)
    with open(connections, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["From", "To", "Type", "Strength"])
        w.writerows([a, b, "knows", "3"] for a, b in links)
    return [elements, connections]


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def loaded_store(request, tmp_path):
    """The roundtable demo on each store."""
    if request.param == "sqlite":
        return request.getfixturevalue("demo_store")
    store = request.getfixturevalue("neo4j_store")
    import_files(store, demo_files(), by="demo")
    return store


def test_two_imports_and_a_stream_of_edits_lose_nothing_and_duplicate_nothing(loaded_store, tmp_path):
    demo_store = loaded_store
    shared = [f"Shared Org {i}" for i in range(50)]
    first = write_kumu_pair(tmp_path, "a", shared + [f"Alpha {i}" for i in range(200)], [(shared[0], "Alpha 1")])
    second = write_kumu_pair(tmp_path, "b", shared + [f"Beta {i}" for i in range(200)], [(shared[0], "Beta 1")])
    errors = []

    def run(target, *args):
        try:
            target(*args)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    def edits():
        for i in range(60):
            demo_store.update_actor("munich" if i % 2 else "oslo", {"description": f"edit {i}"}, by="editor")

    threads = [
        threading.Thread(target=run, args=(import_files, demo_store, first)),
        threading.Thread(target=run, args=(import_files, demo_store, second)),
        threading.Thread(target=run, args=(edits,)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    for name in shared:
        assert len(demo_store.find_actors_by_name(name)) == 1, name
    stats = demo_store.stats()
    assert stats["actors_total"] == 40 + 50 + 200 + 200
    assert demo_store.get_actor("munich")["description"] == "edit 59"
    assert demo_store.get_actor("oslo")["description"] == "edit 58"
    # every edit is in the history, none lost
    assert len([h for h in demo_store.history("munich") if h["action"] == "update"]) == 30


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def test_kill_9_during_an_import_leaves_the_store_as_it_was(demo_store, tmp_path):
    names = [f"Organisation number {i}" for i in range(40000)]
    files = write_kumu_pair(tmp_path, "big", names, [(names[i], names[i + 1]) for i in range(0, 39999, 2)])
    before = (demo_store.stats(), demo_store.projection())
    demo_store.close()
    exe = Path(sys.executable).parent / "graph-service"
    env = {**os.environ, "GRAPH_SERVICE_DB": demo_store.path}
    proc = subprocess.Popen([str(exe), "import", *map(str, files)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal, journal = Path(demo_store.path + "-wal"), Path(demo_store.path + "-journal")
    start_size = wal.stat().st_size if wal.exists() else 0
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        # the import is writing: a batch this big goes through the rollback journal (the WAL when
        # another connection has the file open)
        if journal.exists() or (wal.exists() and wal.stat().st_size > start_size + 256 * 1024):
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the import finished before it could be killed; make it larger"
    children = _children(proc.pid)
    assert children  # the processes staging its rows
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    deadline = time.time() + 10
    while time.time() < deadline and any(map(_alive, children)):
        time.sleep(0.05)
    assert not any(map(_alive, children)), "child processes of the killed import live on"
    assert (demo_store.stats(), demo_store.projection()) == before
    conn = sqlite3.connect(demo_store.path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # set again by the store's next connection
    conn.close()
    # and the store still takes writes
    demo_store.create_actor(validate_actor({"name": "After the crash", "kind": "ngo"}), by="test")
    assert demo_store.stats()["actors_total"] == 41
