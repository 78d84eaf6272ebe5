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
