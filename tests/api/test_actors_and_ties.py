"""Reading and writing the graph through the JSON API."""


def test_search_ignores_case_and_accents(client, auth):
    resp = client.get("/api/v1/actors?q=munchen", headers=auth("viewer"))
    assert resp.status_code == 200
    names = [a["name"] for a in resp.json["items"]]
    assert names == ["München ist Bunt"]
    assert client.get("/api/v1/search?q=MÜNCHEN", headers=auth("viewer")).json["items"][0]["id"] == "munchen-ist-bunt"


def test_list_filters_and_paging(client, auth):
    cities = client.get("/api/v1/actors?kind=city&limit=5", headers=auth("viewer")).json
    assert cities["total"] == 14 and len(cities["items"]) == 5
    page2 = client.get("/api/v1/actors?kind=city&limit=5&offset=5", headers=auth("viewer")).json
    assert not {a["id"] for a in cities["items"]} & {a["id"] for a in page2["items"]}
    edu = client.get("/api/v1/actors?tag=education", headers=auth("viewer")).json
    assert {a["name"] for a in edu["items"]} >= {"Antwerp", "Helsinki", "Munich", "Nuremberg"}
    nyc = client.get("/api/v1/actors?city=new york city&kind=agency", headers=auth("viewer")).json
    assert nyc["total"] == 7


def test_create_update_delete_actor_with_provenance(client, auth):
    resp = client.post("/api/v1/actors", json={"name": "Oslo Youth Council", "kind": "community_actor", "tags": ["youth"], "city": "Oslo"}, headers=auth())
    assert resp.status_code == 201
    actor = resp.json
    assert actor["id"] == "oslo-youth-council" and resp.headers["Location"].endswith("/oslo-youth-council")
    assert actor["created_by"] == "editor-script (token)"
    same = client.patch(f"/api/v1/actors/{actor['id']}", json={"city": "Oslo"}, headers=auth()).json
    assert same["updated_at"] == actor["updated_at"]  # nothing changed
    renamed = client.patch(f"/api/v1/actors/{actor['id']}", json={"name": "Oslo Youth Council (UngOslo)"}, headers=auth()).json
    assert renamed["id"] == actor["id"] and renamed["name"] == "Oslo Youth Council (UngOslo)"
    assert client.delete(f"/api/v1/actors/{actor['id']}", headers=auth()).status_code == 204
    assert client.get(f"/api/v1/actors/{actor['id']}", headers=auth()).status_code == 404
    history = client.get(f"/api/v1/actors/{actor['id']}/history", headers=auth()).json["items"]
    assert [h["action"] for h in history] == ["create", "update", "delete"]


def test_duplicate_id_is_a_409(client, auth):
    resp = client.post("/api/v1/actors", json={"id": "munich", "name": "Munich again", "kind": "city"}, headers=auth())
    assert resp.status_code == 409 and resp.mimetype == "application/problem+json"


def test_ties_crud_and_unknown_ends(client, auth):
    bad = client.post("/api/v1/ties", json={"source_id": "oslo", "target_id": "nobody", "type": "knows"}, headers=auth())
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "target_id"
    tie = client.post("/api/v1/ties", json={"source_id": "oslo", "target_id": "berlin", "type": "learns from", "direction": "mutual", "strength": 3, "last_contact": "2026-06-01"}, headers=auth())
    assert tie.status_code == 201
    t = tie.json
    assert (t["type"], t["label"], t["directed"], t["strength"]) == ("learns_from", "learns from", False, 3)
    bad_strength = client.patch(f"/api/v1/ties/{t['id']}", json={"strength": 9}, headers=auth())
    assert bad_strength.status_code == 422 and bad_strength.json["errors"][0]["field"] == "strength"
    assert client.patch(f"/api/v1/ties/{t['id']}", json={"strength": 5}, headers=auth()).json["strength"] == 5
    oslo_ties = client.get("/api/v1/actors/oslo/ties", headers=auth("viewer")).json
    assert t["id"] in {x["id"] for x in oslo_ties["items"]}
    assert client.delete(f"/api/v1/ties/{t['id']}", headers=auth()).status_code == 204
    assert client.get(f"/api/v1/ties/{t['id']}", headers=auth()).status_code == 404


def test_ego_network_to_depth(client, auth):
    one = client.get("/api/v1/actors/munich/ego?depth=1", headers=auth("viewer")).json
    ids = {a["id"] for a in one["actors"]}
    assert {"munich", "munchen-ist-bunt"} <= ids
    two = client.get("/api/v1/actors/munich/ego?depth=2", headers=auth("viewer")).json
    assert len(two["actors"]) > len(one["actors"])
    assert all(t["source_id"] in {a["id"] for a in two["actors"]} for t in two["ties"])


def test_who_knows_whom_path(client, auth):
    resp = client.get("/api/v1/path?from=Highland Park&to=Institute for Strategic Dialogue", headers=auth("viewer"))
    body = resp.json
    assert body["found"] and body["hops"] == 2
    names = [s["actor"]["name"] for s in body["steps"]]
    assert names[0] == "Highland Park" and names[-1] == "Institute for Strategic Dialogue"
    assert body["steps"][0]["tie"] is None and body["steps"][1]["tie"]["type"] == "participated_in"
    missing = client.get("/api/v1/path?from=Highland Park&to=Atlantis", headers=auth("viewer"))
    assert missing.status_code == 404 and "Atlantis" in missing.json["detail"]


def test_stats(client, auth):
    stats = client.get("/api/v1/stats", headers=auth("viewer")).json
    assert stats["actors_total"] == 40 and stats["ties_total"] == 55
    assert stats["actors"]["city"] == 14


def test_a_deleted_actor_can_be_restored_with_its_ties(client, auth):
    ties_before = {t["id"] for t in client.get("/api/v1/actors/munich/ties", headers=auth()).json["items"]}
    assert client.delete("/api/v1/actors/munich", headers=auth()).status_code == 204
    again = client.post("/api/v1/actors", json={"id": "munich", "name": "Munich", "kind": "city"}, headers=auth())
    assert again.status_code == 409 and "restore" in again.json["detail"]
    resp = client.post("/api/v1/actors/munich/restore", headers=auth())
    assert resp.status_code == 200 and resp.json["deleted_at"] is None
    ties_after = {t["id"] for t in client.get("/api/v1/actors/munich/ties", headers=auth()).json["items"]}
    assert ties_after == ties_before
    assert client.post("/api/v1/actors/munich/restore", headers=auth()).status_code == 409
    assert client.post("/api/v1/actors/munich/restore", headers=auth("viewer")).status_code == 403


def test_bodies_that_json_cannot_round_trip_are_refused_not_stored(client, auth):
    deep = client.post("/api/v1/actors", data="[" * 100000 + "]" * 100000, headers={**auth(), "Content-Type": "application/json"})
    assert deep.status_code == 400 and deep.mimetype == "application/problem+json"
    infinite = client.post("/api/v1/actors", data='{"name": "x", "kind": "ngo", "attributes": {"a": 1e999}}',
                           headers={**auth(), "Content-Type": "application/json"})
    assert infinite.status_code == 422 and infinite.json["errors"][0]["field"] == "attributes"
    nan = client.post("/api/v1/actors", data='{"name": "x", "kind": "ngo", "attributes": {"a": NaN}}',
                      headers={**auth(), "Content-Type": "application/json"})
    assert nan.status_code == 400
    surrogate = client.post("/api/v1/actors", data='{"name": "\\ud800", "kind": "ngo"}', headers={**auth(), "Content-Type": "application/json"})
    assert surrogate.status_code == 422 and surrogate.json["errors"][0]["field"] == "name"
    assert client.get("/api/v1/stats", headers=auth()).json["actors_total"] == 40


def test_ids_cannot_be_changed_and_path_errors_name_from_or_to(client, auth):
    resp = client.patch("/api/v1/actors/munich", json={"id": "muenchen"}, headers=auth())
    assert resp.status_code == 422 and resp.json["errors"][0]["field"] == "id"
    empty = client.get("/api/v1/path?from=munich&to=%20", headers=auth())
    assert empty.status_code == 400 and empty.json["errors"][0]["field"] == "to"
    assert client.get("/api/v1/ties?actor=nobody", headers=auth()).status_code == 404


def test_an_email_contact_that_is_no_email_address_is_refused(client, auth):
    r = client.post("/api/v1/actors", json={"name": "Mail Test", "kind": "ngo",
                                            "contact_details": [{"type": "email", "value": "call me maybe"}]}, headers=auth("editor"))
    assert r.status_code == 422 and r.get_json()["errors"][0]["field"] == "contact_details[0].value"
    r = client.patch("/api/v1/actors/munich", json={"contact_details": [{"type": "email", "value": "office@example.org"}]},
                     headers=auth("editor"))
    assert r.status_code == 200


def test_a_control_character_in_a_query_parameter_is_a_bad_parameter(client, auth):
    r = client.get("/api/v1/search?q=mun%00ich", headers=auth("viewer"))
    assert r.status_code == 400 and r.get_json()["errors"][0]["field"] == "q"
