"""Plan, then apply: re-imports change nothing, edits change exactly what was edited, gone rows go inactive."""
import csv
import json
import sqlite3
import time
from pathlib import Path

import pytest

from graph_service.errors import ImportRefused, ValidationError
from graph_service.services import sync
from graph_service.services.sync import import_files
from importers import read_batch
from importers.records import ImportOptions, InputFile

HEADER = ["Vorname", "Nachname", "Organisation", "Funktion", "E-Mail", "Telefon", "Notizen"]
ROWS = [
    ["Anna", "Müller", "Stadt Beispiel", "Leiterin", "anna.mueller@example.org", "030 1111111", "kennt alle"],
    ["Ben", "Okafor", "Jugendring", "Streetworker", "ben@example.org", "030 2222222", ""],
    ["Chiara", "Rossi", "Jugendring", "Sprecherin", "chiara@example.org", "", ""],
]
DE = ImportOptions(region="DE")


def write(path: Path, rows, header=HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(header)
        w.writerows(rows)
    return path


def opts(**kw):
    return ImportOptions(region="DE", **kw)


@pytest.fixture
def contacts_csv(tmp_path):
    return write(tmp_path / "kontakte.csv", ROWS)


def test_first_import_creates_people_organisations_and_memberships(any_store, contacts_csv):
    result = import_files(any_store, [contacts_csv], options=opts(), by="alice")
    assert result["counts"]["actors"] == {"created": 5, "updated": 0, "unchanged": 0, "missing": 0, "reactivated": 0}
    assert result["counts"]["ties"]["created"] == 3
    assert [e["name"] for e in result["actors"]["created"]] == ["Anna Müller", "Stadt Beispiel", "Ben Okafor", "Jugendring", "Chiara Rossi"]
    anna = any_store.find_actors_by_name("Anna Müller")[0]
    assert anna["created_by"] == "alice" and anna["source"] == "kontakte.csv#kontakte!row 2"


def test_second_import_of_the_same_file_changes_nothing(any_store, contacts_csv):
    import_files(any_store, [contacts_csv], options=opts())
    anna = any_store.find_actors_by_name("Anna Müller")[0]
    history = any_store.history(anna["id"])
    time.sleep(0.005)
    again = import_files(any_store, [contacts_csv], options=opts())
    assert again["counts"]["actors"] == {"created": 0, "updated": 0, "unchanged": 5, "missing": 0, "reactivated": 0}
    assert again["counts"]["ties"] == {"created": 0, "updated": 0, "unchanged": 3, "missing": 0, "reactivated": 0}
    assert any_store.get_actor(anna["id"])["updated_at"] == anna["updated_at"]
    assert any_store.history(anna["id"]) == history


def test_an_edited_copy_updates_exactly_the_edited_fields(any_store, contacts_csv, tmp_path):
    import_files(any_store, [contacts_csv], options=opts())
    edited = [row[:] for row in ROWS]
    edited[0][5] = "030 9999999"          # Anna's phone
    edited[1][3] = "Koordinator"          # Ben's role (on his works_for tie)
    edited[2][6] = "neu im Team"          # Chiara's note
    plan = import_files(any_store, [write(tmp_path / "kontakte.csv", edited)], dry_run=True, options=opts())
    changes = {e["name"]: e["changes"] for e in plan["actors"]["updated"]}
    assert changes == {
        "Anna Müller": {"contact_details": [
            [{"type": "email", "value": "anna.mueller@example.org"}, {"type": "phone", "value": "+49301111111"}],
            [{"type": "email", "value": "anna.mueller@example.org"}, {"type": "phone", "value": "+49309999999"}]]},
        "Chiara Rossi": {"description": ["", "neu im Team"]},
    }
    [tie] = plan["ties"]["updated"]
    assert tie["tie"] == "Ben Okafor -[works for]-> Jugendring"
    assert tie["changes"] == {"attributes.role": ["Streetworker", "Koordinator"]}
    assert plan["counts"]["actors"]["unchanged"] == 3 and plan["applied"] is False
    applied = import_files(any_store, [tmp_path / "kontakte.csv"], options=opts())
    assert applied["counts"]["actors"]["updated"] == 2
    assert [c["value"] for c in any_store.find_actors_by_name("Anna Müller")[0]["contact_details"]] == [
        "anna.mueller@example.org", "+49309999999"]


def test_rows_gone_from_the_source_are_marked_inactive_not_deleted_and_can_come_back(any_store, contacts_csv, tmp_path):
    import_files(any_store, [contacts_csv], options=opts())
    chiara = any_store.find_actors_by_name("Chiara Rossi")[0]
    shorter = write(tmp_path / "kontakte.csv", ROWS[:2])
    plan = import_files(any_store, [shorter], dry_run=True, options=opts())
    assert [e["name"] for e in plan["actors"]["missing"]] == ["Chiara Rossi"]
    assert [e["name"] for e in plan["ties"]["missing"]] == ["Chiara Rossi -[works for]-> Jugendring"]
    assert plan["actors"]["missing"][0]["row"] == {"file": "kontakte.csv", "sheet": "kontakte", "row": 4}
    import_files(any_store, [shorter], options=opts(), by="bob")
    assert any_store.get_actor(chiara["id"])["deleted_at"] is None      # still there
    assert chiara["id"] in any_store.inactive_ids()["actors"]
    assert any_store.history(chiara["id"])[-1]["action"] == "inactive"
    assert any_store.history(chiara["id"])[-1]["by"] == "bob"
    again = import_files(any_store, [shorter], options=opts())
    assert again["counts"]["actors"]["missing"] == 0                      # reported once
    back = import_files(any_store, [write(tmp_path / "kontakte.csv", ROWS)], options=opts())
    assert [e["id"] for e in back["actors"]["reactivated"]] == [chiara["id"]]
    assert any_store.inactive_ids() == {"actors": set(), "ties": set()}
    assert any_store.history(chiara["id"])[-1]["action"] == "reactivate"


def test_provenance_names_source_file_sheet_row_when_and_who(any_store, contacts_csv):
    import_files(any_store, [contacts_csv], options=opts(source="Partnerliste Jugend"), by="carla")
    ben = any_store.find_actors_by_name("Ben Okafor")[0]
    [p] = any_store.provenance(ben["id"])
    assert (p["source"], p["file"], p["sheet"], p["row"], p["last_seen_by"]) == ("Partnerliste Jugend", "kontakte.csv", "kontakte", 3, "carla")
    assert p["first_seen_at"] == p["last_seen_at"] and p["missing_since"] is None
    [src] = any_store.sync_sources()
    assert (src["name"], src["format"], src["files"], src["syncs"]) == ("Partnerliste Jugend", "contacts", ["kontakte.csv"], 1)


def test_values_from_another_source_or_typed_by_hand_are_kept(any_store, contacts_csv, tmp_path):
    import_files(any_store, [contacts_csv], options=opts())
    anna = any_store.find_actors_by_name("Anna Müller")[0]
    any_store.update_actor(anna["id"], {"tags": ["youth"], "contact_details": anna["contact_details"] + [
        {"type": "phone", "value": "+491701234567", "label": "mobile"}]}, by="hand")
    edited = [row[:] for row in ROWS]
    edited[0][5] = "030 9999999"
    import_files(any_store, [write(tmp_path / "kontakte.csv", edited)], options=opts())
    after = any_store.get_actor(anna["id"])
    assert [c["value"] for c in after["contact_details"]] == ["anna.mueller@example.org", "+491701234567", "+49309999999"]
    assert after["tags"] == ["youth"]


def _sync_data(store, source="kontakte.csv"):
    return {(r["entity_type"], r["entity_id"]): r["data"] for r in store.sync_records(source)}


def test_a_re_import_remembers_what_the_file_gave_as_the_first_import_did(any_store, contacts_csv):
    import_files(any_store, [contacts_csv], options=opts())
    first = _sync_data(any_store)
    anna = any_store.find_actors_by_name("Anna Müller")[0]
    assert "country" not in first[("actor", anna["id"])]  # the file has no Country column
    assert first[("actor", anna["id"])]["description"] == "kennt alle"
    import_files(any_store, [contacts_csv], options=opts())
    assert _sync_data(any_store) == first


def test_a_column_added_later_fills_values_but_its_empty_cells_keep_hand_edits(any_store, contacts_csv, tmp_path):
    import_files(any_store, [contacts_csv], options=opts())
    anna = any_store.find_actors_by_name("Anna Müller")[0]
    ben = any_store.find_actors_by_name("Ben Okafor")[0]
    any_store.update_actor(anna["id"], {"country": "Finland"}, by="hand")
    any_store.update_actor(ben["id"], {"country": "Finland"}, by="hand")
    with_country = [row + [country] for row, country in zip(ROWS, ["", "Netherlands", ""])]
    import_files(any_store, [write(tmp_path / "kontakte.csv", with_country, HEADER + ["Land"])], options=opts())
    assert any_store.get_actor(anna["id"])["country"] == "Finland"     # an empty new cell says nothing
    assert any_store.get_actor(ben["id"])["country"] == "Netherlands"  # a value in it is the file's word


def test_rows_of_one_person_are_one_actor_and_matching_is_by_email_then_name_and_organisation(any_store, tmp_path):
    rows = ROWS + [["Anna", "Müller", "Stadt Beispiel", "", "ANNA.MUELLER@example.org", "", ""]]
    result = import_files(any_store, [write(tmp_path / "k.csv", rows)], options=opts())
    assert result["counts"]["actors"]["created"] == 5
    assert "is the same person as row 2 (same e-mail)" in result["warnings"][0]["message"]
    renamed = [row[:] for row in ROWS]
    renamed[0][1] = "Müller-Schmidt"                                   # same e-mail, new surname
    renamed[1][4] = "ben.okafor@example.org"                            # same name and org, new e-mail
    plan = import_files(any_store, [write(tmp_path / "k.csv", renamed)], dry_run=True, options=opts())
    matched = {e["name"]: e["matched_by"] for e in plan["actors"]["updated"]}
    assert matched == {"Anna Müller-Schmidt": "e-mail", "Ben Okafor": "name and organisation"}


def test_rejected_rows_refuse_the_import_unless_skipped(any_store, tmp_path):
    bad = write(tmp_path / "k.csv", ROWS + [["", "", "", "", "", "", "a note and nothing else"]])
    plan = import_files(any_store, [bad], dry_run=True, options=opts())
    assert plan["rejected"] == [{"file": "k.csv", "sheet": "k", "row": 5, "message": "the row has no name, organisation, e-mail or phone"}]
    with pytest.raises(ImportRefused) as exc:
        import_files(any_store, [bad], options=opts())
    assert exc.value.errors == plan["rejected"]
    assert any_store.stats()["actors_total"] == 0
    done = import_files(any_store, [bad], options=opts(skip_rejected=True))
    assert done["applied"] and any_store.stats()["actors_total"] == 5


def test_likely_duplicates_are_listed_never_merged(any_store, tmp_path):
    import_files(any_store, [write(tmp_path / "a.csv", [["Anna", "Müller", "", "", "anna@example.org", "", ""]])],
                 options=opts())
    other = tmp_path / "b.csv"
    other.write_text("Name,E-Mail\n\"Mueller, Anna\",a.mueller@example.org\nDr. Anna Müller,dr.anna@example.org\n", encoding="utf-8")
    result = import_files(any_store, [other], options=opts(kind="person"))
    pairs = {(d["name"], d["candidate"]["name"], d["score"]) for d in result["duplicates"]}
    assert ("Mueller, Anna", "Anna Müller", 100.0) in pairs
    assert ("Dr. Anna Müller", "Anna Müller", 100.0) in pairs
    assert "graph-service merge" in result["duplicates"][0]["explanation"]
    assert any_store.stats()["actors_total"] == 3


LOOKALIKES = "Name,E-Mail\nAnna Müller,a1@example.org\nAnna Mueller,a2@example.org\n\"Mueller, Anna\",a3@example.org\nDr. Anna Müller,a4@example.org\n"


@pytest.mark.parametrize("workers", [1, 2])
def test_more_duplicate_pairs_than_listed_are_counted_not_listed_as_a_pair(
        sqlite_store, tmp_path, monkeypatch, workers):
    from graph_service.services import merge

    monkeypatch.setattr(merge, "MAX_REPORTED", 2)
    monkeypatch.setattr(sync, "_BACKGROUND_DUPLICATES", 0)  # with workers, found by a forked child
    f = tmp_path / "people.csv"
    f.write_text(LOOKALIKES, encoding="utf-8")
    done = import_files(sqlite_store, [f], options=opts(kind="person", workers=workers))
    assert done["applied"]
    assert len(done["duplicates"]) == 2 and all(d["id"] and d["candidate"]["id"] for d in done["duplicates"])
    assert done["counts"]["duplicates"] == 6  # four look-alikes: every two of them
    assert done["counts"]["duplicates_listed"] == 2


@pytest.fixture
def duplicates_in_background(monkeypatch):
    """Every import with workers lists its duplicates in a forked child (big imports only, normally)."""
    monkeypatch.setattr(sync, "_BACKGROUND_DUPLICATES", 0)


def test_duplicates_found_while_writing_are_those_a_dry_run_lists(sqlite_store, tmp_path, duplicates_in_background):
    import_files(sqlite_store, [write(tmp_path / "a.csv", [["Anna", "Müller", "", "", "anna@example.org", "", ""]])],
                 options=opts())
    other = tmp_path / "b.csv"
    other.write_text("Name,E-Mail\n\"Mueller, Anna\",a.mueller@example.org\nDr. Anna Müller,dr.anna@example.org\n", encoding="utf-8")
    preview = import_files(sqlite_store, [other], options=opts(kind="person", workers=2), dry_run=True)
    done = import_files(sqlite_store, [other], options=opts(kind="person", workers=2))
    assert done["applied"] and done["duplicates"] == preview["duplicates"]
    assert done["counts"]["duplicates"] == len(preview["duplicates"]) == 3
    assert done["timings_s"]["duplicates"] > 0


def test_a_refused_import_leaves_no_background_process(sqlite_store, tmp_path, duplicates_in_background):
    import multiprocessing

    bad = write(tmp_path / "bad.csv", [["Anna", "Müller", "", "", "anna@example.org", "", ""], ["", "", "", "", "", "", ""],
                                       ["Eve", "Example", "", "", "", "", "", "", "01.02.2003"]],
                header=HEADER + ["", "Geburtstag"])
    with pytest.raises(ImportRefused):
        import_files(sqlite_store, [bad], options=opts(workers=2))
    assert multiprocessing.active_children() == []
    assert sqlite_store.stats()["actors_total"] == 0


def test_an_import_with_worker_processes_ends_as_one_without(tmp_path, monkeypatch):
    """With workers every background path runs (new actors and their sync records staged while the
    ties are planned, the same child then listing duplicates; ties staged while actors are written):
    two imports end in the same store and the same reports as without workers."""
    from graph_service.store import sqlite
    from graph_service.store.sqlite import SQLiteStore

    monkeypatch.setattr(sqlite, "_FORKED_STAGING", 0)
    monkeypatch.setattr(sync, "_BACKGROUND_DUPLICATES", 0)
    first = write(tmp_path / "k.csv", ROWS + [["Anna", "Mueller", "Jugendring", "", "", "030 3333333", ""]])
    edited = write(tmp_path / "k2.csv", [ROWS[0], [*ROWS[1][:3], "Leiter", *ROWS[1][4:]],
                                         ["Dana", "Neu", "Jugendring", "", "dana@example.org", "", ""]])

    def timeless(value):  # times and history entry ids differ between any two runs
        if isinstance(value, dict):
            return {k: bool(v) if k.endswith("_since") else timeless(v) for k, v in value.items()
                    if not k.endswith("_at") and k not in ("seq", "timings_s")}
        return [timeless(v) for v in value] if isinstance(value, (list, tuple)) else value

    ends = []
    for workers in (1, 2):
        store = SQLiteStore(tmp_path / f"w{workers}.sqlite3")
        store.init_schema()
        reports = [timeless(import_files(store, [first], options=opts(workers=workers, source="k"))),
                   timeless(import_files(store, [edited], options=opts(workers=workers, source="k")))]
        actors = sorted(store.list_actors(limit=1000)[0], key=lambda a: a["id"])
        records = sorted(store.sync_records("k"), key=lambda r: r["entity_id"])
        state = ([timeless(a) for a in actors], records,
                 {a["id"]: [(h["action"], timeless(h["after"])) for h in store.history(a["id"])] for a in actors})
        with sqlite3.connect(tmp_path / f"w{workers}.sqlite3") as raw:  # every entry as stored, ties' too
            entries = sorted((t, i, action, timeless(json.loads(before or "null")), timeless(json.loads(after or "null")))
                             for t, i, action, before, after in raw.execute(
                                 "SELECT entity_type, entity_id, action, before, after FROM history"))
        ends.append((reports, timeless(state), entries))
        store.close()
    assert ends[0] == ends[1]
    reports, (actors, records, _), entries = ends[1]
    assert sum(1 for e in entries if e[:1] == ("tie",) and e[2] == "create") == 5  # four, then Dana's
    assert reports[0]["counts"]["duplicates"] == 1  # Anna Müller ~ Anna Mueller, found by the child
    assert reports[1]["counts"]["actors"]["missing"] == 2 and reports[1]["counts"]["ties"]["updated"] == 1
    assert len(records) == 12 and sum(1 for r in records if r["missing_since"]) == 4  # two people, their two ties


def _created_meanwhile(store, tmp_path, options, background):
    """Plan an import, then create (by hand) an actor under the id it plans for a new one, then apply."""
    report, work = sync.plan(store, read_batch([InputFile(write(tmp_path / "k.csv", ROWS))], options), options, "k",
                             background=background)
    assert (work["ahead"] is not None) == background  # the path under test
    anna_id = next(e["id"] for e in report["actors"]["created"] if e["name"] == "Anna Müller")
    store.create_actor({**sync.ACTOR_DEFAULTS, "id": anna_id, "name": "Anna Müller", "kind": "person",
                        "country": "Finland", "contact_details": [{"type": "email", "value": "other.anna@example.org"}]},
                       by="hand")
    with pytest.raises(ImportRefused) as refused:
        sync.apply(store, report, work, by="import")
    message = refused.value.errors[0]["message"]
    assert f"actor {anna_id!r} (Anna Müller) was created by someone else" in message and "run the import again" in message
    assert store.stats()["actors_total"] == 1  # nothing of the import; the other Anna as she was typed in
    assert store.get_actor(anna_id)["country"] == "Finland"
    assert [c["value"] for c in store.get_actor(anna_id)["contact_details"]] == ["other.anna@example.org"]


def test_an_actor_created_between_plan_and_apply_under_a_planned_id_refuses_the_import(any_store, tmp_path):
    """Another Anna Müller (typed in, or imported from another list) who got the id the import
    planned for its own: updating her would merge two people; the import is refused instead."""
    _created_meanwhile(any_store, tmp_path, sync.prepare_options(opts()), background=False)


def test_the_same_person_created_between_plan_and_apply_is_updated(any_store, tmp_path):
    """Typed in meanwhile with the e-mail address the file has: plainly the one the import means."""
    options = sync.prepare_options(opts())
    report, work = sync.plan(any_store, read_batch([InputFile(write(tmp_path / "k.csv", ROWS))], options), options, "k")
    anna_id = next(e["id"] for e in report["actors"]["created"] if e["name"] == "Anna Müller")
    any_store.create_actor({**sync.ACTOR_DEFAULTS, "id": anna_id, "name": "Anna Müller", "kind": "person",
                            "contact_details": [{"type": "email", "value": "anna.mueller@example.org"}]}, by="hand")
    done = sync.apply(any_store, report, work, by="import")
    assert done["applied"] and "1 actor planned as new had been created meanwhile" in " ".join(done["notes"])
    assert any_store.stats()["actors_total"] == 5
    assert [c["value"] for c in any_store.get_actor(anna_id)["contact_details"]] == ["anna.mueller@example.org", "+49301111111"]


def test_the_same_when_the_new_actors_were_staged_by_a_child(tmp_path, monkeypatch):
    from graph_service.store import sqlite
    from graph_service.store.sqlite import SQLiteStore

    monkeypatch.setattr(sqlite, "_FORKED_STAGING", 0)
    monkeypatch.setattr(sync, "_BACKGROUND_DUPLICATES", 0)
    store = SQLiteStore(tmp_path / "s.sqlite3")
    store.init_schema()
    _created_meanwhile(store, tmp_path, sync.prepare_options(opts(workers=2)), background=True)
    store.close()


def test_an_actor_deleted_between_plan_and_apply_refuses_the_import_with_a_clear_message(sqlite_store, contacts_csv,
                                                                                         tmp_path):
    import_files(sqlite_store, [contacts_csv], options=opts())
    before = sqlite_store.stats()
    newcomer = write(tmp_path / "neu.csv", [["Dana", "Neu", "Jugendring", "", "dana@example.org", "", ""]])
    options = sync.prepare_options(opts())
    report, work = sync.plan(sqlite_store, read_batch([InputFile(newcomer)], options), options, "neu")
    sqlite_store.delete_actor(sqlite_store.find_actors_by_name("Jugendring")[0]["id"], by="hand")
    with pytest.raises(ImportRefused) as refused:
        sync.apply(sqlite_store, report, work, by="import")
    [error] = refused.value.errors
    assert "the store changed while the import ran" in error["message"] and "run the import again" in error["message"]
    assert sqlite_store.find_actors_by_name("Dana Neu") == []
    assert sqlite_store.stats()["actors_total"] == before["actors_total"] - 1


def test_ctrl_c_as_the_write_commits_says_the_import_is_written(sqlite_store, contacts_csv, monkeypatch):
    from graph_service.store.sqlite import SQLiteStore

    written = SQLiteStore.apply_sync

    def committed_then_interrupted(self, *args, **kwargs):
        written(self, *args, **kwargs)
        raise KeyboardInterrupt  # as when Ctrl-C arrives during COMMIT: raised once it returns

    monkeypatch.setattr(SQLiteStore, "apply_sync", committed_then_interrupted)
    report = import_files(sqlite_store, [contacts_csv], options=opts())
    assert report["applied"] and sqlite_store.stats()["actors_total"] == 5
    assert "interrupted as the import was written: it is written" in report["notes"]


def test_ctrl_c_before_the_write_commits_aborts_it(sqlite_store, contacts_csv, monkeypatch):
    from graph_service.store.sqlite import SQLiteStore

    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(SQLiteStore, "apply_sync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_files(sqlite_store, [contacts_csv], options=opts())


def test_ctrl_c_while_duplicates_are_listed_after_the_write_says_the_import_is_written(
        sqlite_store, contacts_csv, duplicates_in_background, monkeypatch):
    import multiprocessing

    from graph_service import forked

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(forked.ForkedStep, "result", interrupted)
    report = import_files(sqlite_store, [contacts_csv], options=opts(workers=2))
    assert report["applied"] and report["counts"]["actors"]["created"] == 5
    assert "interrupted after the import was written" in " ".join(report["notes"])
    assert sqlite_store.stats()["actors_total"] == 5 and multiprocessing.active_children() == []


def test_apply_is_all_or_nothing(any_store, contacts_csv):
    import_files(any_store, [contacts_csv], options=opts())
    before = (any_store.stats(), any_store.projection(), any_store.sync_records("kontakte.csv"))
    edited = [row[:] for row in ROWS] + [["Dana", "Neu", "Jugendring", "", "dana@example.org", "", ""]]
    path = write(contacts_csv, edited)
    options = sync.prepare_options(opts())
    batch = read_batch([InputFile(path)], options)
    report, work = sync.plan(any_store, batch, options, "kontakte.csv")
    jugendring = any_store.find_actors_by_name("Jugendring")[0]
    any_store.delete_actor(jugendring["id"], by="someone")  # between plan and apply
    mid = (any_store.stats(), any_store.projection(), any_store.sync_records("kontakte.csv"))
    with pytest.raises(ValidationError):
        sync.apply(any_store, report, work, by="x")
    assert (any_store.stats(), any_store.projection(), any_store.sync_records("kontakte.csv")) == mid
    assert any_store.find_actors_by_name("Dana Neu") == []
    assert before != mid


def test_the_garbage_collector_keeps_running_for_other_threads_during_an_import(any_store, contacts_csv):
    import gc

    before = gc.get_threshold()
    during = []
    options = opts(progress=lambda step, done, total: during.append((gc.isenabled(), gc.get_threshold())))
    import_files(any_store, [contacts_csv], options=options)
    assert during and all(enabled for enabled, _ in during)  # a web server's other requests still collect
    assert all(threshold[0] > before[0] for _, threshold in during)  # only less often, while the import runs
    assert gc.isenabled() and gc.get_threshold() == before


def test_a_resync_finds_its_own_actors_before_look_alikes_typed_in_by_hand(any_store, tmp_path):
    from graph_service.model import validate_actor, validate_tie

    path = write(tmp_path / "k.csv", [["Dana", "Neu", "Jugendring", "", "", "030 3333333", ""]])
    import_files(any_store, [path], options=opts())
    dana, ring = any_store.find_actors_by_name("Dana Neu")[0], any_store.find_actors_by_name("Jugendring")[0]
    # look-alikes made by hand: an organisation of the same name, a person of the same name working there
    any_store.create_actor(validate_actor({"id": "jugendring-by-hand", "name": "Jugendring", "kind": "ngo"}), by="hand")
    any_store.create_actor(validate_actor({"id": "dana-by-hand", "name": "Dana Neu", "kind": "person"}), by="hand")
    any_store.create_tie(validate_tie({"source_id": "dana-by-hand", "target_id": ring["id"], "type": "works_for"}), by="hand")
    # and the synced person renamed in graph-service, while a hand-made one now has the old name
    any_store.update_actor(dana["id"], {"name": "Dana Neu-Berg"}, by="hand")
    again = import_files(any_store, [path], dry_run=True, options=opts())
    assert again["counts"]["actors"]["created"] == 0 and again["counts"]["actors"]["missing"] == 0
    seen = {e["id"] for state in ("updated", "unchanged") for e in again["actors"][state]}
    assert seen == {dana["id"], ring["id"]}
