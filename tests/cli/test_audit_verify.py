"""``graph-service audit --verify``: the audit log's hash chain shows an entry changed behind the store's back."""
from __future__ import annotations

import sqlite3


def test_audit_verify_passes_then_names_the_tampered_entry(run_cli, demo_store, db_path):
    for who in ("amira", "ben", "chloe"):
        demo_store.audit(who, "login", ip="127.0.0.1")
    code, out, _ = run_cli("audit", "--verify")
    assert code == 0 and "intact: 3 entries chained" in out
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER audit_log_append_only_update")
    conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE actor = 'ben'")
    conn.commit()
    conn.close()
    code, _, err = run_cli("audit", "--verify")
    assert code == 1 and "entry 2 does not match" in err


def _raw(db_path, *statements):
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_append_only_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_append_only_delete")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def test_hashes_wiped_or_entries_cut_from_the_end_do_not_pass(run_cli, demo_store, db_path):
    for who in ("amira", "ben", "chloe", "dana"):
        demo_store.audit(who, "contacts.view", target="person-1")
    code, out, _ = run_cli("audit", "--verify")
    anchor = out.split("last hash ")[1].split(".")[0]
    assert code == 0 and "(" not in out.split("intact:")[1].split(";")[0]  # the verdict alone, not the log
    code, out, _ = run_cli("audit", "--verify", "--anchor", anchor)
    assert code == 0
    _raw(db_path, "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    code, _, err = run_cli("audit", "--verify", "--anchor", anchor)
    assert code == 1 and "removed from its end" in err
    _raw(db_path, "UPDATE audit_log SET hash = NULL")
    code, _, err = run_cli("audit", "--verify")
    assert code == 1 and "has no hash" in err
