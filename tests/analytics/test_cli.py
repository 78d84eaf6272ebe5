"""``graph-service gaps / brokers / warm-path / reach / what-if / snapshot ...`` on a real SQLite file."""
import json

import pytest



@pytest.fixture
def run(run_cli):
    """The CLI on a store holding the roundtable demo."""
    assert run_cli("demo")[0] == 0
    return run_cli


def test_gaps_explain_each_finding(run):
    code, out, _ = run("gaps", "German Marshall Fund")
    assert code == 0
    assert "German Marshall Fund reaches Oslo within 3 ties only through weak ties (strength below 4): " \
           "Strong Cities Network-Oslo (strength unknown) on the way German Marshall Fund -> Strong Cities Network -> Oslo." in out
    assert "If Strong Cities Network drops out, German Marshall Fund loses every tie path to 4 actors" in out
    data = json.loads(run("gaps", "german-marshall-fund", "--json")[1])
    assert data["coverage"]["coordinator"]["id"] == "german-marshall-fund"


def test_warm_path_prints_each_hop(run):
    code, out, _ = run("warm-path", "Highland Park", "Berlin")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "One independent path from Highland Park to Berlin; no alternative avoids its intermediaries."
    assert "  Strong Cities Network  [network]" in lines and lines[-1] == "  Berlin  [city]"
    assert "    -> plans activity in, strength ?, last contact ?" in lines


def test_reach_mutual_what_if_brokers_silos_stale_redundancy(run):
    code, out, _ = run("reach", "Strong Cities Network", "--hops", "1", "--kind", "city")
    assert code == 0 and out.splitlines()[0] == "3 actors within 1 ties of Strong Cities Network (kind city):"
    code, out, _ = run("mutual", "Munich", "Nuremberg")
    assert out.splitlines()[0] == "Munich and Nuremberg are tied directly (learns from) and have 1 mutual connection."
    code, out, _ = run("what-if", "German Marshall Fund", "--remove", "Strong Cities Network")
    assert code == 0 and "Out of reach altogether: Berlin, Hague Mayoral Declaration, Oslo, The Hague." in out
    code, out, _ = run("brokers", "--top", "2")
    assert code == 0 and out.splitlines()[1].startswith("    1. Mayoral Roundtable")
    for args in (("silos",), ("stale", "--days", "180"), ("redundancy", "German Marshall Fund")):
        code, out, _ = run(*args)
        assert code == 0 and out.strip()


def test_snapshot_save_list_diff(run):
    code, out, _ = run("snapshot", "save", "German Marshall Fund", "--name", "baseline")
    assert code == 0 and out.startswith("Saved snapshot 1 (")
    assert "baseline" in run("snapshot", "list")[1]
    code, out, _ = run("snapshot", "diff", "1", "1")
    assert code == 0 and out.startswith("Nothing changed between snapshot 1")


@pytest.mark.parametrize("args", [("gaps",), ("warm-path", "Oslo"), ("reach", "Oslo", "--kind", "dragon"),
                                  ("gaps", "Oslo", "--hops", "0"), ("what-if", "Oslo")])
def test_bad_arguments_are_one_line_and_exit_2(run, args):
    code, _, err = run(*args)
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_unknown_actor_or_snapshot_is_one_line_and_exit_1(run):
    code, _, err = run("gaps", "Atlantis")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Atlantis" in err
    code, _, err = run("snapshot", "diff", "1", "2")
    assert code == 1 and "no snapshot with id 1" in err
