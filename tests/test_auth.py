"""Trust: scoped and expiring tokens, login lock-out, the append-only audit log."""
import sqlite3

import pytest

from graph_service.auth import hash_token, issue_token
from tests.conftest import log_in


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_read_scoped_token_reads_but_cannot_write(client, demo_store):
    token, _ = issue_token(demo_store, "dashboard", role="editor", scopes=["read"])
    assert client.get("/api/v1/actors", headers=bearer(token)).status_code == 200
    resp = client.post("/api/v1/actors", json={"name": "X", "kind": "ngo"}, headers=bearer(token))
    assert resp.status_code == 403 and "'write' scope" in resp.json["detail"]


def test_an_expired_token_is_refused(client, demo_store):
    user = demo_store.create_user("old-script", None, "viewer", by="test")
    demo_store.create_token(user["id"], "old-script", hash_token("gs_expired-token"), expires_at="2020-01-01T00:00:00Z")
    assert client.get("/api/v1/stats", headers=bearer("gs_expired-token")).status_code == 401


def test_unknown_scopes_are_refused(demo_store):
    from graph_service.errors import ValidationError

    with pytest.raises(ValidationError):
        issue_token(demo_store, "x", scopes=["everything"])


def test_five_failed_logins_lock_the_account(client, web_user):
    for _ in range(5):
        assert log_in(client, web_user[0], "wrong password!").status_code == 401
    locked = log_in(client, web_user[0], web_user[1])
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.get_data(as_text=True)


def test_logins_failures_and_contact_views_are_audited(app, client, demo_store, web_user, auth):
    browser = app.test_client()
    log_in(browser, web_user[0], "wrong password!")
    log_in(browser, *web_user)
    created = client.post("/api/v1/actors", headers=auth("editor"),
                          json={"name": "Sam Example", "kind": "person", "contact_details": [{"type": "phone", "value": "+1 555 0100"}]}).json
    client.get(f"/api/v1/actors/{created['id']}", headers=auth("editor"))
    client.get(f"/api/v1/actors/{created['id']}", headers=auth("viewer"))  # sees no contacts: not audited
    items, _ = demo_store.list_audit(limit=100)
    actions = [(e["actor"], e["action"]) for e in items]
    assert ("coordinator", "login.failed") in actions
    assert ("coordinator", "login") in actions
    views = [e for e in items if e["action"] == "contacts.view"]
    assert len(views) == 1 and views[0]["target"] == created["id"] and views[0]["actor"] == "editor-script (token)"


def test_the_audit_log_is_append_only(demo_store):
    demo_store.audit("someone", "login")
    conn = sqlite3.connect(demo_store.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_log")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit_log SET actor = 'nobody'")
    conn.close()


def test_logout_ends_the_session_even_for_a_copied_cookie(app, web_user):
    from tests.conftest import csrf_token_from

    browser = app.test_client()
    log_in(browser, *web_user)
    stolen = browser.get_cookie("session").value
    browser.post("/logout", data={"csrf_token": csrf_token_from(browser, "/")})
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/api/v1/me").status_code == 401
    assert log_in(browser, *web_user).status_code == 302  # a new login works


def test_logout_needs_a_post_with_the_csrf_token(app, web_user):
    browser = app.test_client()
    log_in(browser, *web_user)
    assert browser.get("/logout").status_code == 405
    assert browser.post("/logout").status_code == 400  # no CSRF token
    assert browser.get("/api/v1/me").status_code == 200


def test_a_newline_in_next_is_never_echoed_into_a_header(app, web_user):
    resp = log_in(app.test_client(), *web_user, next_url="/%0d%0aSet-Cookie:x=y")
    assert resp.status_code == 302 and resp.headers["Location"] == "/"


def test_a_password_change_ends_existing_sessions(app, web_user, db_path, monkeypatch):
    from graph_service.cli import main

    browser = app.test_client()
    log_in(browser, *web_user)
    assert browser.get("/api/v1/me").status_code == 200
    monkeypatch.setenv("GRAPH_SERVICE_DB", str(db_path))
    assert main(["set-password", web_user[0], "--generate"]) == 0
    assert browser.get("/api/v1/me").status_code == 401


def test_viewers_never_see_a_persons_attributes_and_pages_are_not_cached(client, auth):
    created = client.post("/api/v1/actors", headers=auth("editor"), json={
        "name": "Ola Example", "kind": "person", "attributes": {"Home Street": "Example Lane 1"}}).json
    as_viewer = client.get(f"/api/v1/actors/{created['id']}", headers=auth("viewer"))
    assert "attributes" not in as_viewer.json and "Example Lane" not in as_viewer.get_data(as_text=True)
    assert client.get(f"/api/v1/actors/{created['id']}", headers=auth("editor")).json["attributes"] == {"Home Street": "Example Lane 1"}
    assert as_viewer.headers["Cache-Control"] == "no-store"
    for fmt in ("csv", "graphml"):
        export = client.get(f"/api/v1/exports/{fmt}", headers=auth("viewer"))
        assert export.status_code == 200 and "Example Lane" not in export.get_data(as_text=True)
    assert client.post("/api/v1/ties", headers=auth("editor"), json={
        "source_id": "oslo", "target_id": "oslo", "type": "knows"}).status_code == 422
