"""The graph-service command line, run as a user would against a real SQLite file."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO_DIR, log_in


@pytest.fixture
def run(run_cli):
    return run_cli


def test_demo_loads_the_roundtable_and_creates_an_admin_once(run):
    code, out, _ = run("demo")
    assert code == 0
    assert "40 actors and 55 ties created" in out
    assert re.search(r"Created user 'admin' \(role admin\) with password: \S{10,}", out)
    code, out, _ = run("demo")
    assert code == 0 and "Created user" not in out and "not loaded again" in out
    code, out, _ = run("stats", "--json")
    assert json.loads(out)["actors_total"] == 40


def test_demo_never_undoes_edits_made_since(run, db_path):
    from graph_service.store.sqlite import SQLiteStore

    run("demo")
    store = SQLiteStore(db_path)
    store.update_actor("berlin", {"description": "Edited by a coordinator"}, by="me")
    store.delete_actor("oslo", by="me")
    store.close()
    assert run("demo")[0] == 0
    store = SQLiteStore(db_path)
    assert store.get_actor("berlin")["description"] == "Edited by a coordinator"
    assert store.get_actor("oslo") is None
    store.close()


def test_path_prints_one_actor_per_line_with_tie_types_between(run):
    run("demo")
    code, out, _ = run("path", "Highland Park", "Institute for Strategic Dialogue")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("Highland Park")
    assert "participated in" in lines[1]
    assert lines[-1].startswith("Institute for Strategic Dialogue")
    code, out, _ = run("path", "highland park", "isd head of research", "--json")
    data = json.loads(out)
    assert data["found"] and data["hops"] == 2 and data["steps"][-1]["actor"]["name"] == "ISD Head of Research"


@pytest.mark.parametrize("args", [("path", "Highland Park"), ("path",), ("create-user", "x"), ("create-user", "x", "--role", "god"), ("frobnicate",), ("view",), ("create-token", "admin", "--role", "viewer")])
def test_a_missing_or_wrong_argument_is_one_line_and_exit_2(run, args):
    run("demo")
    code, out, err = run(*args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "error:" in err and "Traceback" not in err


def test_no_arguments_prints_the_help(run):
    code, out, _ = run()
    assert code == 2 and "Commands:" in out and "path" in out


def test_an_unknown_actor_is_one_line_and_nonzero(run):
    run("demo")
    code, _, err = run("path", "Atlantis", "Oslo")
    assert code == 1 and err.strip().count("\n") == 0 and "Atlantis" in err


def test_create_token_works_against_the_api(run, db_path):
    from graph_service.app import create_app
    from graph_service.config import Settings

    run("demo")
    code, out, _ = run("create-token", "nightly-sync")
    token = out.strip()
    assert code == 0 and token.startswith("gs_")
    app = create_app({"TESTING": True}, settings=Settings(db_path=str(db_path), secret_key="x"))
    resp = app.test_client().get("/api/v1/actors?q=munchen", headers={"Authorization": f"Bearer {token}"})
    assert [a["name"] for a in resp.json["items"]] == ["München ist Bunt"]


def test_create_user_generates_a_password_that_logs_in(run, db_path):
    from graph_service.app import create_app
    from graph_service.config import Settings

    code, out, _ = run("create-user", "amira", "--role", "viewer", "--generate")
    password = out.strip().splitlines()[-1].split(": ", 1)[1]
    app = create_app({"TESTING": True}, settings=Settings(db_path=str(db_path), secret_key="x"))
    client = app.test_client()
    assert log_in(client, "amira", password).status_code == 302
    assert client.get("/api/v1/me").json["role"] == "viewer"
    code, _, err = run("create-user", "amira", "--role", "viewer", "--generate")
    assert code == 1 and "already exists" in err


def test_view_writes_a_self_contained_page(run, tmp_path):
    run("demo")
    out_file = tmp_path / "map.html"
    code, out, _ = run("view", "--out", str(out_file))
    assert code == 0 and "40 actors" in out
    html = out_file.read_text()
    assert "new vis.Network" in html
    # nothing is fetched from the network: no src= or href= pointing off the page
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", html)
    code, out, _ = run("view", "--out", str(tmp_path / "ego.html"), "--around", "Munich", "--depth", "1")
    assert code == 0 and "Munich" in (tmp_path / "ego.html").read_text()


def test_import_dry_run_then_apply(run):
    code, out, _ = run("import", str(DEMO_DIR / "elements.csv"), str(DEMO_DIR / "connections.csv"), "--dry-run")
    assert code == 0 and "dry run" in out and "40 created" in out
    assert json.loads(run("stats", "--json")[1])["actors_total"] == 0
    code, out, _ = run("import", str(DEMO_DIR / "roundtable.xlsx"), "--json")
    assert json.loads(out)["counts"]["ties"]["created"] == 55


def test_a_refused_import_names_the_cell(run, tmp_path):
    broken = tmp_path / "connections.csv"
    broken.write_text((DEMO_DIR / "connections.csv").read_text().replace(",mutual,4,", ",mutual,9,", 1))
    code, _, err = run("import", str(DEMO_DIR / "elements.csv"), str(broken))
    assert code == 1
    assert "nothing was written" in err and "file connections.csv, sheet connections, row 4, column Strength" in err


def test_console_script_is_installed_and_honours_the_db_variable(db_path):
    exe = Path(sys.executable).parent / "graph-service"
    env = {"GRAPH_SERVICE_DB": str(db_path), "PATH": "/usr/bin:/bin", "HOME": str(db_path.parent)}
    done = subprocess.run([str(exe), "demo", "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stats"]["ties_total"] == 55
    assert db_path.exists()


def test_an_admin_can_reset_a_lost_password_and_disable_a_user(run, db_path):
    from graph_service.app import create_app
    from graph_service.config import Settings

    run("demo")
    code, out, _ = run("set-password", "admin", "--generate")
    password = out.strip().splitlines()[-1].split(": ", 1)[1]
    app = create_app({"TESTING": True}, settings=Settings(db_path=str(db_path), secret_key="x"))
    assert log_in(app.test_client(), "admin", password).status_code == 302
    assert run("set-role", "admin", "viewer")[0] == 0
    code, out, _ = run("users", "--json")
    assert json.loads(out)[0]["role"] == "viewer"
    assert run("disable-user", "admin")[0] == 0
    assert log_in(app.test_client(), "admin", password).status_code == 401
    assert run("set-password", "nobody", "--generate")[0] == 1


@pytest.mark.parametrize("command", ["path", "warm-path", "mutual"])
def test_an_empty_actor_argument_is_a_usage_error(run_cli, demo_store, command):
    code, _, err = run_cli(command, "", "")
    assert code == 2 and "not an empty string" in err


def test_tokens_lists_each_owner_and_role(run_cli, demo_store):
    from graph_service.auth import issue_token

    issue_token(demo_store, "script-bot", role="viewer", by="test")
    code, out, _ = run_cli("tokens")
    assert code == 0 and "owner script-bot (viewer)" in out


def test_backup_never_overwrites_an_existing_file_unless_told(run_cli, demo_store, tmp_path):
    target = tmp_path / "graph-backup.json"
    assert run_cli("backup", target)[0] == 0
    first = target.read_bytes()
    code, _, err = run_cli("backup", target)
    assert code == 1 and "already exists" in err and target.read_bytes() == first
    assert run_cli("backup", target, "--force")[0] == 0
