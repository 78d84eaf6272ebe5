"""Numbers and nouns agree in every explanation."""
from __future__ import annotations

import datetime as dt

from graph_service.analytics.projection import Projection
from graph_service.analytics.stale import stale_ties
from graph_service.text import counted


def test_counted_agrees():
    assert [counted(n, "actor") for n in (0, 1, 2)] == ["0 actors", "1 actor", "2 actors"]
    assert counted(1, "city", "cities") == "1 city" and counted(3, "city", "cities") == "3 cities"


def test_one_stale_tie_is_a_tie_that_was():
    actors = [{"id": i, "name": i.upper(), "kind": "ngo", "tags": [], "city": "", "country": ""} for i in ("a", "b")]
    ties = [{"id": "t", "source_id": "a", "target_id": "b", "type": "knows", "label": "", "directed": False,
             "strength": 3, "last_contact": "2020-01-01", "since": None, "until": None}]
    text = stale_ties(Projection(actors, ties, today=dt.date(2026, 1, 1)), days=180)["explanation"]
    assert text.startswith("1 tie was last renewed") and "0 have no last-contact date" in text


def test_an_error_quoting_a_file_cannot_drive_the_terminal(tmp_path, monkeypatch, capsys):
    from graph_service.cli import main

    bad = tmp_path / "esc.csv"
    bad.write_bytes(b"Foo\x1b]0;owned\x07,Bar\nx,y\n")  # a header that would retitle the terminal
    monkeypatch.setenv("GRAPH_SERVICE_DB", str(tmp_path / "s.sqlite3"))
    assert main(["import", str(bad)]) != 0
    text = capsys.readouterr().err
    assert "\x1b" not in text and "\x07" not in text
    assert "Foo\\x1b]0;owned\\x07" in text and "(1 problem):" in text


def test_the_plan_shows_a_name_holding_an_escape_sequence_escaped(tmp_path, monkeypatch, capsys):
    from graph_service.cli import main

    names = tmp_path / "names.csv"
    names.write_bytes(b"Name,E-Mail\nEvil\x1b]0;owned\x07 Person,evil@example.org\nAnna Test,a@example.org\n")
    monkeypatch.setenv("GRAPH_SERVICE_DB", str(tmp_path / "s.sqlite3"))
    assert main(["import", str(names), "--dry-run", "--kind", "person"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "Evil\\x1b]0;owned\\x07 Person" in out
