"""Sensitive actors and ties over the API: seen by admins and the users they name, by nobody else.

The tokens' users are ``viewer-script``, ``editor-script`` and ``admin-script`` (tests/conftest.py).
"""
from __future__ import annotations

import pytest

from graph_service.app import create_app
from graph_service.services.access import PROTECTED_NAME


def _post(client, url, body, headers):
    r = client.post(url, json=body, headers=headers)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


@pytest.fixture
def hidden(client, auth):
    """A sensitive person, visible to editor-script, who alone joins a youth club to Oslo."""
    admin = auth("admin")
    person = _post(client, "/api/v1/actors", {
        "name": "Rana Example", "kind": "person", "tags": ["faith-leaders"],
        "contact_details": [{"type": "email", "value": "rana@example.org"}],
        "sensitive": True, "visible_to": ["editor-script"]}, admin)
    club = _post(client, "/api/v1/actors", {"name": "Hidden Valley Youth Club", "kind": "community_actor"}, admin)
    t1 = _post(client, "/api/v1/ties", {"source_id": club["id"], "target_id": person["id"], "type": "knows", "strength": 5}, admin)
    t2 = _post(client, "/api/v1/ties", {"source_id": person["id"], "target_id": "oslo", "type": "knows", "strength": 4}, admin)
    return {"person": person, "club": club, "ties": [t1, t2]}


def test_a_viewer_finds_a_sensitive_person_nowhere(client, auth, hidden):
    viewer = auth("viewer")
    pid = hidden["person"]["id"]
    assert client.get(f"/api/v1/actors/{pid}", headers=viewer).status_code == 404
    assert client.get("/api/v1/search?q=rana", headers=viewer).get_json()["total"] == 0
    listed = client.get("/api/v1/actors?kind=person&limit=500", headers=viewer).get_json()
    assert pid not in [a["id"] for a in listed["items"]]
    ties = client.get(f"/api/v1/ties?actor=oslo", headers=viewer).get_json()["items"]
    assert pid not in {t["source_id"] for t in ties} | {t["target_id"] for t in ties}
    assert client.get(f"/api/v1/ties/{hidden['ties'][0]['id']}", headers=viewer).status_code == 404
    ego = client.get("/api/v1/actors/oslo/ego?depth=2", headers=viewer).get_json()
    assert pid not in [a["id"] for a in ego["actors"]]
    path = client.get(f"/api/v1/path?from={hidden['club']['id']}&to=oslo", headers=viewer).get_json()
    assert path["found"] is False
    reach = client.get("/api/v1/analytics/reach?from=oslo&hops=2", headers=viewer).get_json()
    assert "Rana" not in str(reach)
    csv = client.get("/api/v1/exports/csv", headers=viewer).get_data(as_text=True)
    assert "Rana" not in csv and "Hidden Valley Youth Club" in csv
    r = client.get(f"/api/v1/path?from=Rana Example&to=oslo", headers=viewer)
    assert r.status_code == 404 and "Rana" in r.get_json()["detail"]  # only the name the caller typed


def test_admins_and_named_users_see_it_marked_sensitive(client, auth, hidden):
    pid = hidden["person"]["id"]
    for role in ("editor", "admin"):
        body = client.get(f"/api/v1/actors/{pid}", headers=auth(role)).get_json()
        assert body["sensitive"] is True and body["visible_to"] == ["editor-script"]
        assert body["contact_details"] == [{"type": "email", "value": "rana@example.org"}]
        path = client.get(f"/api/v1/path?from={hidden['club']['id']}&to=oslo", headers=auth(role)).get_json()
        assert [s["actor"]["name"] for s in path["steps"]] == ["Hidden Valley Youth Club", "Rana Example", "Oslo"]
    plain = client.get("/api/v1/actors/oslo", headers=auth("viewer")).get_json()
    assert plain["sensitive"] is False and "visible_to" not in plain


def test_with_the_placeholder_policy_others_see_a_protected_contact_on_the_route(settings, demo_store, auth, hidden):
    client = create_app({"TESTING": True, "GRAPH_SERVICE_PROTECTED": "placeholder"}, settings=settings,
                        store=demo_store).test_client()
    viewer = auth("viewer")
    pid = hidden["person"]["id"]
    path = client.get(f"/api/v1/path?from={hidden['club']['id']}&to=oslo", headers=viewer).get_json()
    middle = path["steps"][1]["actor"]
    assert path["found"] and middle["name"] == PROTECTED_NAME and middle["protected"] is True
    assert pid not in str(path) and "Rana" not in str(path) and "rana@example.org" not in str(path)
    warm = client.get(f"/api/v1/analytics/warm-paths?from={hidden['club']['id']}&to=oslo", headers=viewer).get_json()
    assert warm["found"] and PROTECTED_NAME in str(warm) and pid not in str(warm)
    # still nothing to look up, search or export
    assert client.get(f"/api/v1/actors/{middle['id']}", headers=viewer).status_code == 404
    assert client.get(f"/api/v1/actors/{pid}", headers=viewer).status_code == 404
    assert "Rana" not in client.get("/api/v1/exports/csv?table=connections", headers=viewer).get_data(as_text=True)


def test_a_sensitive_tie_hides_itself_but_not_its_ends(client, auth):
    admin = auth("admin")
    tie = _post(client, "/api/v1/ties", {"source_id": "munich", "target_id": "hartford", "type": "funds",
                                         "sensitive": True}, admin)
    assert tie["sensitive"] is True
    viewer = auth("viewer")
    assert client.get(f"/api/v1/ties/{tie['id']}", headers=viewer).status_code == 404
    assert tie["id"] not in [t["id"] for t in client.get("/api/v1/ties?actor=munich", headers=viewer).get_json()["items"]]
    assert client.get("/api/v1/actors/munich", headers=viewer).status_code == 200
    assert client.get(f"/api/v1/ties/{tie['id']}", headers=admin).status_code == 200


def test_an_editor_may_protect_but_only_an_admin_may_lift(client, auth, demo_store):
    editor, admin = auth("editor"), auth("admin")
    r = client.put("/api/v1/actors/hartford/access", json={"sensitive": True, "visible_to": ["viewer-script"]}, headers=editor)
    assert r.status_code == 200
    # the editor who protects it stays able to see it
    assert r.get_json()["visible_to"] == ["viewer-script", "editor-script"]
    assert client.get("/api/v1/actors/hartford", headers=auth("viewer")).status_code == 200
    r = client.put("/api/v1/actors/hartford/access", json={"sensitive": False}, headers=editor)
    assert r.status_code == 403 and r.headers["Content-Type"].startswith("application/problem+json")
    r = client.put("/api/v1/actors/hartford/access", json={"sensitive": True, "visible_to": ["editor-script"]}, headers=editor)
    assert r.status_code == 403 and "admin" in r.get_json()["detail"]
    r = client.put("/api/v1/actors/hartford/access", json={"sensitive": False}, headers=admin)
    assert r.status_code == 200 and r.get_json()["sensitive"] is False
    actions = [h["action"] for h in client.get("/api/v1/actors/hartford/history", headers=admin).get_json()["items"]]
    assert actions.count("access") == 2
    audit, _ = demo_store.list_audit(action="access.lift")
    assert audit and audit[0]["target"] == "hartford"


def test_bad_access_input_is_a_clear_problem(client, auth):
    admin = auth("admin")
    r = client.put("/api/v1/actors/hartford/access", json={"sensitive": True, "visible_to": ["nobody-here"]}, headers=admin)
    assert r.status_code == 422 and r.get_json()["errors"][0]["field"] == "visible_to[0]"
    assert "nobody-here" in r.get_json()["detail"]
    r = client.put("/api/v1/actors/hartford/access", json={"sensitive": "yes"}, headers=admin)
    assert r.status_code == 422 and r.get_json()["errors"][0]["field"] == "sensitive"
    r = client.post("/api/v1/actors", json={"name": "X", "kind": "ngo", "sensitive": True, "visible_to": "bob"}, headers=admin)
    assert r.status_code == 422
    assert client.get("/api/v1/search?q=X", headers=admin).get_json()["total"] == 0  # nothing half-created
    assert client.put("/api/v1/actors/hartford/access", json={"sensitive": True}, headers=auth("viewer")).status_code == 403


def test_a_viewer_cannot_tie_to_change_or_read_the_history_of_what_they_cannot_see(client, auth, hidden):
    editor_not_named = auth("editor")
    pid = hidden["person"]["id"]
    client.put(f"/api/v1/actors/{pid}/access", json={"sensitive": True, "visible_to": []}, headers=auth("admin"))
    r = client.post("/api/v1/ties", json={"source_id": "oslo", "target_id": pid, "type": "knows"}, headers=editor_not_named)
    assert r.status_code == 422 and r.get_json()["errors"][0]["field"] == "target_id"
    assert client.patch(f"/api/v1/actors/{pid}", json={"city": "Oslo"}, headers=editor_not_named).status_code == 404
    assert client.get(f"/api/v1/actors/{pid}/history", headers=editor_not_named).status_code == 404
    assert client.get(f"/api/v1/imports/provenance/{pid}", headers=editor_not_named).status_code == 404


def test_admins_list_every_sensitive_record(client, auth, hidden):
    items = client.get("/api/v1/access", headers=auth("admin")).get_json()["items"]
    assert [(i["id"], i["name"], i["visible_to"]) for i in items] == [
        (hidden["person"]["id"], "Rana Example", ["editor-script"])]
    assert client.get("/api/v1/access", headers=auth("editor")).status_code == 403


def test_snapshots_every_user_reads_never_contain_a_sensitive_actor(client, auth, hidden):
    r = client.post("/api/v1/analytics/snapshots", json={"coordinator": hidden["club"]["id"], "name": "club"},
                    headers=auth("admin"))
    assert r.status_code == 201
    assert "Rana" not in str(r.get_json())
    r = client.post("/api/v1/analytics/snapshots", json={"coordinator": hidden["person"]["id"]}, headers=auth("admin"))
    assert r.status_code == 422 and r.get_json()["errors"][0]["field"] == "coordinator"


def test_an_import_touching_a_sensitive_person_never_shows_what_the_uploader_may_not_see(client, auth, hidden):
    import io

    pid = hidden["person"]["id"]
    client.put(f"/api/v1/actors/{pid}/access", json={"sensitive": True, "visible_to": []}, headers=auth("admin"))
    csv = "Name,E-mail,Organisation\nR. Example,rana@example.org,Hidden Valley Youth Club\nNew Person,new@example.org,Oslo\n"
    r = client.post("/api/v1/imports", data={"file": [(io.BytesIO(csv.encode()), "contacts.csv")], "dry_run": "true"},
                    headers=auth("editor"), content_type="multipart/form-data")
    assert r.status_code == 200, r.get_json()
    plan = r.get_json()
    text = str(plan)
    assert pid not in text and "Rana" not in text and "protected-" not in text
    assert "rana@example.org" not in text.replace("R. Example,rana@example.org", "")
    assert [e["name"] for e in plan["actors"]["created"]] == ["New Person"] and plan["actors"]["updated"] == []
    assert plan["counts"]["protected"] >= 1 and any("sensitive records" in n for n in plan["notes"])
    # nothing tells an updated row from an unchanged one: the plan is no oracle for guesses
    csv2 = "Name,E-mail,Organisation\nRana Example,rana@example.org,\n"
    again = client.post("/api/v1/imports", data={"file": [(io.BytesIO(csv2.encode()), "contacts.csv")], "dry_run": "true"},
                        headers=auth("editor"), content_type="multipart/form-data").get_json()
    assert again["actors"]["updated"] == [] and again["actors"]["unchanged"] == []


def test_an_import_with_more_look_alikes_than_listed_does_not_count_those_of_a_sensitive_person(
        client, auth, hidden, monkeypatch):
    import io

    from graph_service.services import merge

    monkeypatch.setattr(merge, "MAX_REPORTED", 1)
    pid = hidden["person"]["id"]
    client.put(f"/api/v1/actors/{pid}/access", json={"sensitive": True, "visible_to": []}, headers=auth("admin"))
    csv = "Name,E-mail\n\"Example, Rana\",r2@example.org\nDr. Rana Example,r3@example.org\n"
    post = lambda who: client.post("/api/v1/imports", data={  # noqa: E731
        "file": [(io.BytesIO(csv.encode()), "contacts.csv")], "dry_run": "true", "kind": "person"},
        headers=auth(who), content_type="multipart/form-data").get_json()
    full = post("admin")
    assert full["counts"]["duplicates"] == 3 and full["counts"]["duplicates_listed"] == 1  # two of them with Rana
    plan = post("editor")
    assert pid not in str(plan)
    # how many pairs went unlisted would tell how many look like someone the uploader may not see
    assert plan["counts"]["duplicates"] == plan["counts"]["duplicates_listed"] == len(plan["duplicates"])
    assert any("their number is not shown" in n for n in plan["notes"])


def test_a_snapshot_taken_before_an_actor_was_protected_no_longer_shows_it(client, auth):
    r = client.post("/api/v1/analytics/snapshots", json={"coordinator": "new-york-city", "name": "before"}, headers=auth("admin"))
    snap_id = r.get_json()["id"]
    before = client.get(f"/api/v1/analytics/snapshots/{snap_id}", headers=auth("viewer")).get_json()
    assert "strong-cities-network" in str(before) and "Strong Cities Network" in str(before)
    client.put("/api/v1/actors/strong-cities-network/access", json={"sensitive": True}, headers=auth("admin"))
    after = client.get(f"/api/v1/analytics/snapshots/{snap_id}", headers=auth("viewer")).get_json()
    assert "strong-cities-network" not in str(after) and "Strong Cities Network" not in str(after)
    assert "Strong Cities Network" in str(client.get(f"/api/v1/analytics/snapshots/{snap_id}", headers=auth("admin")).get_json())
    diff = client.get(f"/api/v1/analytics/snapshots/diff?from={snap_id}&to={snap_id}", headers=auth("viewer")).get_json()
    assert "Strong Cities Network" not in str(diff)
