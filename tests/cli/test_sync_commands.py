"""graph-service import / merge / export, run as a user would against a real SQLite file."""
import json
import re
from pathlib import Path

import pytest


FIX = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def run(run_cli):
    return run_cli


def test_dry_run_prints_the_plan_and_writes_nothing(run):
    code, out, _ = run("import", FIX / "google_contacts.csv", "--region", "DE", "--dry-run")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Import of google_contacts.csv as contacts (source 'google_contacts.csv'): dry run, nothing written"
    assert "  actors: 6 created, 0 updated, 0 unchanged" in lines
    assert "    + Jürgen Weiß  (row 2)" in lines
    assert any(l.startswith("    file google_contacts.csv, row 4: no name") for l in lines)
    code, out, _ = run("stats", "--json")
    assert json.loads(out)["actors_total"] == 0


def test_import_then_edited_import_shows_old_and_new_values(run, tmp_path):
    f = tmp_path / "list.csv"
    f.write_text("Name,Organisation,E-Mail\nAnna Müller,Stadt Beispiel,anna@example.org\n", encoding="utf-8")
    assert run("import", f)[0] == 0
    f.write_text("Name,Organisation,E-Mail,Notes\nAnna Müller,Stadt Beispiel,anna@example.org,call on Mondays\n", encoding="utf-8")
    code, out, _ = run("import", f)
    assert code == 0
    assert "    ~ Anna Müller: description: '' -> 'call on Mondays'" in out.splitlines()
    code, out, _ = run("import", f, "--json")
    assert json.loads(out)["counts"]["actors"]["unchanged"] == 2


def test_a_changed_phone_in_a_long_contact_list_shows_which_number_went_and_came(run, tmp_path):
    f = tmp_path / "list.csv"
    head = "First Name,Last Name,E-Mail,E-Mail 2,Phone,Mobile\n"
    f.write_text(head + "Anna,Müller,anna.mueller@example.org,a.mueller@example.org,030 1111111,0171 2222222\n", encoding="utf-8")
    assert run("import", f, "--region", "DE")[0] == 0
    f.write_text(head + "Anna,Müller,anna.mueller@example.org,a.mueller@example.org,030 1111111,0171 3333333\n", encoding="utf-8")
    code, out, _ = run("import", f, "--region", "DE", "--dry-run")
    assert code == 0
    change = next(line for line in out.splitlines() if line.startswith("    ~ Anna Müller: contact_details:"))
    assert re.search(r"-\{[^}]*'\+491712222222'", change) and re.search(r"\+\{[^}]*'\+491713333333'", change)
    assert "+49301111111" not in change  # unchanged numbers are not repeated


def test_refused_import_lists_the_rows_grouped_and_exits_1(run, tmp_path):
    el = tmp_path / "elements.csv"
    el.write_text("Label,Type\n" + "".join(f"Node {i},Data Class\n" for i in range(12)), encoding="utf-8")
    code, out, err = run("import", el)
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines[0] == "graph-service: error: import refused, nothing was written (12 problems):"
    assert lines[1].startswith("  file elements.csv, column Type, rows 2, 3, 4, 5, 6, 7, 8, 9 and 4 more: Type 'Data Class' is not an actor kind")
    assert run("import", el, "--kind", "initiative")[0] == 0


def test_bad_options_are_one_line_and_exit_2(run):
    code, _, err = run("import", FIX / "outlook.csv", "--date-order", "guess")
    assert code == 2 and len(err.strip().splitlines()) == 1
    code, _, err = run("import", FIX / "outlook.csv", "--region", "Germany")
    assert code == 1 and "region" in err


def test_merge_and_export(run, tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("Name,E-Mail\nAnna Müller,anna@example.org\n\"Mueller, Anna\",a.mueller@example.org\n", encoding="utf-8")
    code, out, _ = run("import", a, "--kind", "person")
    assert "possible duplicates (1)" in out
    code, out, _ = run("merge", "Anna Müller", "Mueller, Anna")
    # people get opaque ids: no name is part of an id
    assert code == 0 and re.match(r"Merged person-[0-9a-f]{12} into 'Anna Müller' \(person-[0-9a-f]{12}\)", out)
    out_file = tmp_path / "people.csv"
    code, out, _ = run("export", "--format", "csv", "--table", "contacts", "--out", out_file)
    assert code == 0 and out.strip() == f"Wrote {out_file} (the contacts table only: 1 person)."
    assert "anna@example.org|a.mueller@example.org" in out_file.read_text(encoding="utf-8-sig")


def test_more_duplicate_pairs_than_listed_say_what_json_holds(run, tmp_path, monkeypatch):
    from graph_service.services import merge

    monkeypatch.setattr(merge, "MAX_REPORTED", 2)
    f = tmp_path / "people.csv"
    f.write_text("Name,E-Mail\nAnna Müller,a1@example.org\nAnna Mueller,a2@example.org\n"
                 "\"Mueller, Anna\",a3@example.org\nDr. Anna Müller,a4@example.org\n", encoding="utf-8")
    code, out, _ = run("import", f, "--kind", "person", "--dry-run")
    assert code == 0
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  possible duplicates (6):"))
    assert all("graph-service merge" in line for line in lines[start + 1:start + 3])  # two real pairs, no placeholder
    assert lines[start + 3] == "    ... and 4 more; --json lists the first 2 of the 6"
    code, out, _ = run("import", f, "--kind", "person", "--dry-run", "--json")
    plan = json.loads(out)
    assert plan["counts"]["duplicates"] == 6 and plan["counts"]["duplicates_listed"] == len(plan["duplicates"]) == 2


def test_export_says_what_the_file_holds(run, demo_store, tmp_path):
    import csv
    import io

    import networkx as nx
    import openpyxl
    import vobject

    def wrote(fmt, *args):
        out_file = tmp_path / f"{args[-1] if args else 'all'}.{fmt}"
        code, out, _ = run("export", "--format", fmt, "--out", out_file, *args)
        assert code == 0, out
        match = re.fullmatch(rf"Wrote {re.escape(str(out_file))} \((.*)\)\.\n", out)
        return match.group(1), out_file

    def csv_rows(path):
        return len(list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))) - 1

    for table, noun in (("elements", "actors"), ("connections", "ties"), ("contacts", "people")):
        said, f = wrote("csv", "--table", table)
        hint = "; ties: --table connections" if table == "elements" else ""
        assert said == f"the {table} table only: {csv_rows(f)} {noun}{hint}"
    said, f = wrote("xlsx")
    book = openpyxl.load_workbook(f, read_only=True)
    elements, connections = (book[name].max_row - 1 for name in ("Elements", "Connections"))
    assert said == f"{elements} actors on the Elements sheet, {connections} ties on the Connections sheet"
    said, f = wrote("graphml")
    graph = nx.read_graphml(f, force_multigraph=True)
    assert said == f"{graph.number_of_nodes()} actors, {graph.number_of_edges()} ties"
    said, f = wrote("vcard")
    cards = list(vobject.readComponents(f.read_text(encoding="utf-8")))
    assert said == f"{len(cards)} vCards, one per person or organisation"
    assert (elements, connections) == (40, 55) and len(cards) == 40


def test_a_refused_import_with_json_prints_the_problem_as_json_too(run, tmp_path, client, auth):
    import io

    el = tmp_path / "elements.csv"
    el.write_text("Label,Type\n" + "".join(f"Node {i},Data Class\n" for i in range(12)), encoding="utf-8")
    code, out, err = run("import", el, "--json")
    assert code == 1 and (code, err) == run("import", el)[::2]  # the same text on stderr as without --json
    refused = json.loads(out)
    assert refused["applied"] is False and refused["title"] == "Import refused" and len(refused["errors"]) == 12
    # the API's problem document for the same file, less the request path
    api = client.post("/api/v1/imports", data={"file": [(io.BytesIO(el.read_bytes()), "elements.csv")]},
                      headers=auth("editor"), content_type="multipart/form-data")
    assert api.status_code == 422
    assert {k: v for k, v in api.get_json().items() if k != "instance"} == {k: v for k, v in refused.items() if k != "applied"}

    nocol = tmp_path / "nocol.csv"
    nocol.write_text("Foo,Bar\n1,2\n", encoding="utf-8")
    code, out, err = run("import", nocol, "--json")
    assert code == 1 and "no column gives a name" in json.loads(out)["errors"][0]["message"] and "no column" in err
    code, out, err = run("import", nocol, "--region", "Germany", "--json")
    assert code == 1 and json.loads(out)["errors"][0]["field"] == "region" and "  region: 'Germany'" in err
    code, out, err = run("import", tmp_path / "gone.csv", "--json")
    assert code == 2 and json.loads(out)["errors"] == [{"file": str(tmp_path / "gone.csv"), "message": "file not found"}]
    assert "gone.csv does not exist" in err
    for option, value in (("--date-order", "guess"), ("--kind", "club"), ("--format", "numbers")):  # checked by click
        code, out, err = run("import", nocol, option, value, "--json")
        problem = json.loads(out)
        assert code == 2 and problem["errors"][0]["field"] == option[2:].replace("-", "_") and value in err
    code, out, _ = run("stats", "--json")
    assert json.loads(out)["actors_total"] == 40  # the demo the client's app holds; nothing more


# The real command in a process of its own, held (until its stdin closes) where a Ctrl-C once came
# too late to stop anything: while the store closes, and while the process exits.
HELD = """
import atexit, sys
from graph_service.cli import main
from graph_service.store.sqlite import SQLiteStore

def hold(where):
    print("holding in", where, file=sys.stderr, flush=True)
    sys.stdin.read()

where = sys.argv.pop(1)
if where == "close":
    close = SQLiteStore.close
    SQLiteStore.close = lambda self: (hold(where), close(self))
else:
    atexit.register(hold, where)
sys.exit(main())
"""


@pytest.mark.parametrize("where", ["close", "exit"])
def test_ctrl_c_after_the_import_is_reported_does_not_end_it_as_aborted_or_killed(tmp_path, where):
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(FIX.parent.parent), "GRAPH_SERVICE_DB": str(tmp_path / "g.sqlite3")}
    env.pop("NEO4J_URI", None)
    proc = subprocess.Popen([sys.executable, "-c", HELD, where, "import", str(FIX / "google_contacts.csv"),
                             "--region", "DE", "--json"], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stderr.readline() == f"holding in {where}\n".encode()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(b"", timeout=60)
    finally:
        proc.kill()
    assert (proc.returncode, err.decode()) == (0, "")
    assert json.loads(out)["applied"] is True


def test_an_import_run_from_python_leaves_the_callers_ctrl_c_handler(run):
    import signal

    before = signal.getsignal(signal.SIGINT)
    assert run("import", FIX / "google_contacts.csv", "--region", "DE")[0] == 0
    assert signal.getsignal(signal.SIGINT) is before and before is not signal.SIG_IGN
