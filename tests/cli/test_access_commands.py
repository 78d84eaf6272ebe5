"""``graph-service protect|unprotect|protected`` on a real SQLite file."""
from __future__ import annotations

from graph_service.auth import create_user


def test_protect_list_and_unprotect_an_actor(run_cli, demo_store):
    create_user(demo_store, "amira", "a long password", "editor", by="test")
    code, out, _ = run_cli("protect", "Hartford", "--visible-to", "AMIRA")
    assert code == 0 and "hartford is now sensitive: visible to admins and amira" in out
    code, out, _ = run_cli("protected")
    assert code == 0 and "hartford" in out and "visible to: amira" in out
    assert demo_store.access_entries()["hartford"]["visible_to"] == ["amira"]
    code, out, _ = run_cli("unprotect", "hartford")
    assert code == 0 and "no longer sensitive" in out
    assert demo_store.access_entries() == {}
    assert run_cli("protected")[1].strip() == "Nothing is marked sensitive."


def test_protect_refuses_an_unknown_user_and_changes_nothing(run_cli, demo_store):
    code, _, err = run_cli("protect", "hartford", "--visible-to", "nobody")
    assert code != 0 and "no user named 'nobody'" in err
    assert demo_store.access_entries() == {}
    code, _, err = run_cli("unprotect", "hartford")
    assert code == 1 and "not sensitive" in err


def test_protect_adds_names_unless_told_to_replace(run_cli, demo_store):
    for name in ("amira", "ben"):
        create_user(demo_store, name, "a long password", "editor", by="test")
    run_cli("protect", "hartford", "--visible-to", "amira")
    run_cli("protect", "hartford", "--visible-to", "ben")
    assert demo_store.access_entries()["hartford"]["visible_to"] == ["amira", "ben"]
    run_cli("protect", "hartford", "--visible-to", "ben", "--replace")
    assert demo_store.access_entries()["hartford"]["visible_to"] == ["ben"]


def test_the_module_runs_as_a_script_with_every_command(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "GRAPH_SERVICE_DB": str(tmp_path / "g.sqlite3")}
    out = subprocess.run([sys.executable, "-m", "graph_service.cli", "protected"], capture_output=True, text=True, env=env)
    assert out.returncode == 0 and "Nothing is marked sensitive." in out.stdout
