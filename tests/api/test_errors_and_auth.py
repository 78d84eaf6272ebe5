"""Every route but the health checks needs a login or a token; every error is problem+json."""
import pytest

from tests.conftest import csrf_token_from, log_in

PROTECTED = [
    ("GET", "/api/v1/actors"),
    ("GET", "/api/v1/actors/munich"),
    ("POST", "/api/v1/actors"),
    ("GET", "/api/v1/ties"),
    ("GET", "/api/v1/search?q=munchen"),
    ("GET", "/api/v1/path?from=oslo&to=berlin"),
    ("GET", "/api/v1/stats"),
    ("GET", "/api/v1/actors/munich/ego"),
]


@pytest.mark.parametrize("method, url", PROTECTED)
def test_without_a_token_the_api_answers_401_problem_json(client, method, url):
    resp = client.open(url, method=method)
    assert resp.status_code == 401
    assert resp.mimetype == "application/problem+json"
    assert resp.json["status"] == 401 and resp.json["title"]


def test_health_checks_need_no_login(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").json["status"] == "ready"


def test_a_wrong_or_revoked_token_is_refused(client, demo_store, tokens):
    assert client.get("/api/v1/stats", headers={"Authorization": "Bearer gs_nonsense"}).status_code == 401
    record = demo_store.get_token_by_hash(__import__("graph_service.auth", fromlist=["hash_token"]).hash_token(tokens["viewer"]))
    demo_store.revoke_token(record["id"])
    assert client.get("/api/v1/stats", headers={"Authorization": f"Bearer {tokens['viewer']}"}).status_code == 401


def test_malformed_json_body_is_a_400_problem_naming_the_parse_error(client, auth):
    resp = client.post("/api/v1/actors", data="{bad", headers={**auth(), "Content-Type": "application/json"})
    assert resp.status_code == 400
    assert resp.mimetype == "application/problem+json"
    assert "not valid JSON" in resp.json["detail"]


def test_a_body_that_is_not_json_is_a_415_problem(client, auth):
    resp = client.post("/api/v1/actors", data="name=x", headers={**auth(), "Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status_code == 415
    assert resp.mimetype == "application/problem+json"


def test_invalid_fields_are_a_422_naming_each_field(client, auth):
    resp = client.post("/api/v1/actors", json={"name": "", "kind": "spaceship"}, headers=auth())
    assert resp.status_code == 422
    assert {e["field"] for e in resp.json["errors"]} == {"name", "kind"}


@pytest.mark.parametrize("url", ["/api/v1/actors?limit=abc", "/api/v1/actors?limit=0", "/api/v1/actors?kind=spaceship", "/api/v1/actors/munich/ego?depth=99", "/api/v1/search?q="])
def test_bad_query_parameters_are_400_naming_the_parameter(client, auth, url):
    resp = client.get(url, headers=auth("viewer"))
    assert resp.status_code == 400
    assert resp.json["errors"][0]["field"] in url


def test_unknown_things_are_404_problem_json(client, auth):
    resp = client.get("/api/v1/actors/no-such-actor", headers=auth())
    assert resp.status_code == 404 and resp.mimetype == "application/problem+json"
    assert client.get("/api/v1/nothing-here", headers=auth()).status_code == 404


def test_viewers_read_but_cannot_write(client, auth):
    assert client.get("/api/v1/actors", headers=auth("viewer")).status_code == 200
    resp = client.post("/api/v1/actors", json={"name": "X", "kind": "ngo"}, headers=auth("viewer"))
    assert resp.status_code == 403 and "editor" in resp.json["detail"]
    assert client.delete("/api/v1/actors/munich", headers=auth("viewer")).status_code == 403


def test_contact_details_are_hidden_from_viewers(client, auth):
    created = client.post(
        "/api/v1/actors",
        json={"name": "Jane Example", "kind": "person", "contact_details": [{"type": "email", "value": "jane@example.org"}]},
        headers=auth("editor"),
    ).json
    as_editor = client.get(f"/api/v1/actors/{created['id']}", headers=auth("editor")).json
    as_viewer = client.get(f"/api/v1/actors/{created['id']}", headers=auth("viewer")).json
    assert as_editor["contact_details"] == [{"type": "email", "value": "jane@example.org"}]
    assert "contact_details" not in as_viewer
    listed = client.get("/api/v1/search?q=jane", headers=auth("viewer")).json["items"]
    assert listed and all("contact_details" not in a for a in listed)


def test_web_login_gives_a_session_that_the_api_accepts(client, web_user):
    assert client.get("/api/v1/me").status_code == 401
    bad = log_in(client, web_user[0], "wrong password")
    assert bad.status_code == 401
    resp = log_in(client, *web_user)
    assert resp.status_code == 302
    assert client.get("/api/v1/me").json == {"username": "coordinator", "role": "editor", "via_token": False, "can_see_contacts": True}
    client.post("/logout", data={"csrf_token": csrf_token_from(client, "/")})
    assert client.get("/api/v1/me").status_code == 401


def test_forms_and_session_writes_without_a_csrf_token_are_refused(client, web_user):
    no_token = client.post("/login", data={"username": web_user[0], "password": web_user[1]})
    assert no_token.status_code == 400 and "CSRF" in no_token.json["title"]
    log_in(client, *web_user)
    resp = client.post("/api/v1/actors", json={"name": "Forged", "kind": "ngo"})
    assert resp.status_code == 400 and resp.mimetype == "application/problem+json"
    token = csrf_token_from(client, "/")
    ok = client.post("/api/v1/actors", json={"name": "Not forged", "kind": "ngo"}, headers={"X-CSRFToken": token})
    assert ok.status_code == 201


@pytest.mark.parametrize("target", ["//evil.example.org/", "/\\evil.example.org", "https://evil.example.org/"])
def test_login_never_redirects_off_site(client, web_user, target):
    resp = log_in(client, *web_user, next_url=target)
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/"


def test_pages_redirect_to_login_when_logged_out(client):
    resp = client.get("/", headers={"Accept": "text/html"})
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")
