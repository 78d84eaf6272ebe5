"""``/api/v1/analytics``: JSON results with sentences, problem+json errors, roles."""
import pytest


def get(client, auth, url, role="viewer"):
    return client.get(url, headers=auth(role))


def test_warm_paths_by_name(client, auth):
    r = get(client, auth, "/api/v1/analytics/warm-paths?from=Highland Park&to=berlin&k=2")
    assert r.status_code == 200
    data = r.json
    assert data["found"] and len(data["paths"]) == 1
    assert [s["actor"]["id"] for s in data["paths"][0]["steps"]][-2:] == ["strong-cities-network", "berlin"]
    assert data["paths"][0]["explanation"].startswith("Warm path: Highland Park -> ")


@pytest.mark.parametrize("url,field", [
    ("/api/v1/analytics/warm-paths?from=oslo&to=berlin&k=abc", "k"),
    ("/api/v1/analytics/warm-paths?from=oslo&to=berlin&k=99", "k"),
    ("/api/v1/analytics/warm-paths?from=oslo&to=berlin&mode=quickest", "mode"),
    ("/api/v1/analytics/warm-paths?from=oslo&to=berlin&directed=maybe", "directed"),
    ("/api/v1/analytics/warm-paths?to=berlin", "from"),
    ("/api/v1/analytics/reach?from=oslo&kind=dragon", "kind"),
    ("/api/v1/analytics/gaps?coordinator=oslo&hops=9", "hops"),
    ("/api/v1/analytics/what-if?coordinator=oslo", "remove"),
    ("/api/v1/analytics/snapshots/diff?from=last-spring&to=1", "from"),
])
def test_bad_parameters_are_400_problems_naming_the_parameter(client, auth, url, field):
    r = get(client, auth, url)
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    assert r.json["errors"][0]["field"] == field


def test_unknown_actors_and_snapshots_are_404_and_same_actor_is_422(client, auth):
    r = get(client, auth, "/api/v1/analytics/warm-paths?from=Atlantis&to=berlin")
    assert r.status_code == 404 and r.mimetype == "application/problem+json" and "Atlantis" in r.json["detail"]
    assert get(client, auth, "/api/v1/analytics/snapshots/999").status_code == 404
    r = get(client, auth, "/api/v1/analytics/warm-paths?from=oslo&to=oslo")
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "to"


def test_the_api_needs_a_login(client):
    r = client.get("/api/v1/analytics/brokers")
    assert r.status_code == 401 and r.mimetype == "application/problem+json"


def test_gap_report_and_what_if(client, auth):
    data = get(client, auth, "/api/v1/analytics/gaps?coordinator=German Marshall Fund").json
    oslo = [f for f in data["coverage"]["findings"] if f["group"]["key"] == "area:oslo"][0]
    assert (oslo["status"], oslo["reason"]) == ("gap", "only_weak")
    aps = data["single_points_of_failure"]["articulation_points"]["findings"]
    scn = [f for f in aps if f["actor"]["id"] == "strong-cities-network"][0]
    assert "Oslo" in scn["explanation"] and "Berlin" in scn["explanation"]
    data = get(client, auth, "/api/v1/analytics/what-if?coordinator=german-marshall-fund&remove=Strong Cities Network").json
    assert {c["group"]["key"] for c in data["changes"]} >= {"area:oslo", "area:berlin"}
    assert data["lost_actors"]["total"] == 4


def test_reach_mutual_ego_and_single_points(client, auth):
    data = get(client, auth, "/api/v1/analytics/reach?from=strong-cities-network&hops=1&kind=city").json
    assert [r["actor"]["id"] for r in data["results"]] == ["berlin", "new-york-city", "oslo"]  # equal cost: by name
    data = get(client, auth, "/api/v1/analytics/mutual?a=munich&b=nuremberg").json
    assert [r["actor"]["name"] for r in data["results"]] == ["Mayoral Roundtable on Fighting Polarisation and Fortifying Democracy in Cities"]
    assert data["direct"]["type"] == "learns_from"
    data = get(client, auth, "/api/v1/analytics/ego?actor=munich&depth=1&min_strength=4").json
    assert [a["id"] for a in data["actors"]] == ["munich", "munchen-ist-bunt"]
    data = get(client, auth, "/api/v1/analytics/single-points?coordinator=german-marshall-fund&limit=1").json
    assert len(data["articulation_points"]["findings"]) == 1 and data["articulation_points"]["total"] == 7


def test_brokers_silos_stale_and_redundancy(client, auth):
    data = get(client, auth, "/api/v1/analytics/brokers?top=3").json
    assert data["method"] == "exact"
    assert data["brokers"][0]["actor"]["id"] == "mayoral-roundtable-on-fighting-polarisation-and-fortifying-democracy-in-cities"
    sampled = get(client, auth, "/api/v1/analytics/brokers?top=3&sample=10").json
    assert sampled["method"] == "sampled" and sampled["brokers"][0]["se"] is not None
    data = get(client, auth, "/api/v1/analytics/silos").json
    assert data["components"]["total"] == 1 and data["groups"]["total"] >= 2
    data = get(client, auth, "/api/v1/analytics/stale?days=180").json
    assert data["total"] + data["undated"] == 55
    data = get(client, auth, "/api/v1/analytics/redundancy?coordinator=german-marshall-fund&groups=areas").json
    oslo = [f for f in data["findings"] if f["group"]["key"] == "area:oslo"][0]
    assert oslo["independent_paths"] == 1


def test_snapshots_need_an_editor_to_save(client, auth):
    body = {"coordinator": "German Marshall Fund", "name": "baseline"}
    assert client.post("/api/v1/analytics/snapshots", json=body, headers=auth("viewer")).status_code == 403
    r = client.post("/api/v1/analytics/snapshots", json={"coordinator": "", "hops": 0, "colour": 1}, headers=auth("editor"))
    assert r.status_code == 422 and {e["field"] for e in r.json["errors"]} == {"coordinator", "hops", "colour"}
    r = client.post("/api/v1/analytics/snapshots", json=body, headers=auth("editor"))
    assert r.status_code == 201 and r.headers["Location"].endswith(f"/api/v1/analytics/snapshots/{r.json['id']}")
    assert r.json["metrics"]["coverage"]["area:oslo"]["reason"] == "only_weak"
    listed = get(client, auth, "/api/v1/analytics/snapshots").json["items"]
    assert [s["name"] for s in listed] == ["baseline"] and "metrics" not in listed[0]
    one = get(client, auth, f"/api/v1/analytics/snapshots/{r.json['id']}").json
    assert one["coordinator_id"] == "german-marshall-fund"
    diff = get(client, auth, f"/api/v1/analytics/snapshots/diff?from={r.json['id']}&to=2999-12-31").json
    assert diff["findings"] == [] and diff["explanation"].startswith("Nothing changed")
