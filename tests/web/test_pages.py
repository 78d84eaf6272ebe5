"""The coordinators' pages through Flask's test client: what each role sees, filters, exports,
errors as pages (never a 500), the import flow, and the page security headers."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import time

import pytest

from graph_service.app import create_app
from graph_service.auth import create_user
from tests.conftest import csrf_token_from, log_in

HTML = {"Accept": "text/html"}


def graph_data(html: str, element_id: str = "graph-data") -> dict:
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


@pytest.fixture
def editor(client, web_user):
    log_in(client, *web_user)
    return client


@pytest.fixture
def viewer(app, demo_store):
    create_user(demo_store, "watcher", "a viewer password", "viewer", by="test")
    c = app.test_client()
    log_in(c, "watcher", "a viewer password")
    return c


@pytest.fixture
def with_contact(demo_store):
    demo_store.update_actor("munchen-ist-bunt", {"contact_details": [{"type": "phone", "value": "+49 89 0000000", "label": "office"}]}, by="test")


def get(client, url, status=200):
    resp = client.get(url, headers=HTML)
    assert resp.status_code == status, resp.get_data(as_text=True)[:500]
    return resp.get_data(as_text=True)


def test_session_expires(settings, demo_store, web_user):
    app = create_app({"TESTING": True, "PERMANENT_SESSION_LIFETIME": dt.timedelta(seconds=1)}, settings=settings, store=demo_store)
    c = app.test_client()
    assert log_in(c, *web_user).status_code == 302
    assert c.get("/", headers=HTML).status_code == 200
    time.sleep(2.1)  # cookie timestamps have whole seconds
    resp = c.get("/", headers=HTML)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


def test_login_page_says_how_long_a_session_lasts(client):
    assert "You stay logged in for 8 hours, then you are asked again." in get(client, "/login")


def test_every_page_shows_the_user_and_role_and_carries_no_inline_script(editor):
    for url in ("/", "/search?q=munchen", "/actors/munich", "/network", "/path?from=munich&to=oslo",
                "/gaps?coordinator=munich", "/crisis?coordinator=munich&area=Munich", "/import"):
        resp = editor.get(url, headers=HTML)
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200, url
        assert '<span class="who" data-role="editor">coordinator <span class="role">editor</span></span>' in html
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        assert all('src="' in attrs or 'type="application/json"' in attrs for attrs, _ in scripts), url
        assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
        assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", html), url  # nothing from a CDN


def test_search_page_ignores_accents(editor):
    html = get(editor, "/search?q=munchen")
    assert "1 actor matches “munchen”." in html and ">München ist Bunt</a>" in html


def test_actor_page_groups_ties_by_type(editor):
    html = get(editor, "/actors/munich")
    assert re.findall(r"<h3>([^<]+)</h3>", html) == ["learns from (1)", "mobilises (1)", "participated in (1)"]
    assert "Ties (3)" in html
    data = graph_data(html)
    assert data["node_count"] == 4 and {n["id"] for n in data["nodes"] if n["shape"] == "star"} == {"munich"}
    assert graph_data(get(editor, "/actors/munich?depth=2"))["node_count"] > 4


def test_contact_details_only_for_editors(editor, viewer, with_contact):
    assert "+49 89 0000000" in get(editor, "/actors/munchen-ist-bunt")
    html = get(viewer, "/actors/munchen-ist-bunt")
    assert "+49 89 0000000" not in html and "Contact details are shown to editors and admins only." in html


def test_unknown_actor_is_a_404_page(editor):
    assert "There is no actor with id &#39;nobody&#39;" in get(editor, "/actors/nobody", 404)


@pytest.mark.parametrize("query, nodes", [
    ("", 40), ("?kind=city", 14), ("?city=munich", 2), ("?tag=education", 5), ("?min_strength=5", 15), ("?stale=only", 24),
])
def test_network_filters(editor, query, nodes):
    assert graph_data(get(editor, "/network" + query))["node_count"] == nodes


@pytest.mark.parametrize("query", ["?kind=god", "?min_strength=9", "?stale=maybe", "?size=pagerank", "?min_strength=x"])
def test_bad_filters_are_400_pages(editor, query):
    assert "400" in get(editor, "/network" + query, 400)


def test_a_capped_view_says_it_was_cut(app, editor):
    app.config["GRAPH_VIEW_MAX_NODES"] = 10
    data = graph_data(get(editor, "/network"))
    assert data["node_count"] == 10
    assert data["note"] == "Showing 10 of 40 actors (the most connected). Narrow the view with the filters, or start from an actor's page."


def test_exports(editor):
    png = editor.get("/network.png?kind=city")
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data[:4] == b"\x89PNG"
    svg = editor.get("/network.svg")
    assert svg.mimetype == "image/svg+xml" and b"Stakeholder network" in svg.data
    html = editor.get("/network.html?min_strength=4")
    assert html.headers["Content-Disposition"] == 'attachment; filename="network.html"'
    assert "new vis.Network" in html.get_data(as_text=True)
    assert editor.get("/network.gif", headers=HTML).status_code == 404


def test_path_view(editor):
    html = get(editor, "/path?from=M%C3%BCnchen+ist+Bunt&to=oslo")
    best = re.search(r'<ol class="path best">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r">([^<>]+)</a>", best) == ["München ist Bunt", "Munich", "Mayoral Roundtable on Fighting Polarisation and Fortifying Democracy in Cities", "Strong Cities Network", "Oslo"]
    data = graph_data(html)
    assert sum(e["color"] == "#d00000" for e in data["edges"]) == 4


def test_path_view_explains_bad_names(editor):
    assert "From: no actor with id or name &#39;nobody&#39;" in get(editor, "/path?from=nobody&to=oslo", 404)
    assert "From and To are the same actor." in get(editor, "/path?from=oslo&to=Oslo", 422)


def test_crisis_call_list_ranks_and_shows_contacts_to_editors_only(editor, viewer, with_contact):
    html = get(editor, "/crisis?coordinator=munich&area=Munich&hops=2")
    rows = re.findall(r'<td class="rank">(\d+)</td>\s*<td><a href="/actors/([^"]+)"', html)
    assert rows == [("1", "munchen-ist-bunt")]
    assert "office: +49 89 0000000" in html
    assert 'src="/crisis.png?' in html
    assert "office: +49 89 0000000" not in get(viewer, "/crisis?coordinator=munich&area=Munich&hops=2")
    png = editor.get("/crisis.png?coordinator=munich&area=Munich&hops=2")
    assert png.mimetype == "image/png" and png.data[:4] == b"\x89PNG"


def test_crisis_remembers_the_coordinator_and_asks_for_a_community(editor):
    get(editor, "/crisis?coordinator=new-york-city&community=education")
    html = get(editor, "/crisis")
    assert 'value="New York City"' in html and "Choose a community or an area." in html
    assert "Coordinating actor: no actor with id or name" in get(editor, "/crisis?coordinator=nobody&community=education", 422)


def test_print_stylesheet_sets_a4(editor):
    with editor.get("/static/app.css") as resp:
        css = resp.get_data(as_text=True)
    assert "@page { size: A4;" in css and "@media print" in css


def test_gap_view_lists_gaps_and_marks_cut_vertices(editor):
    html = get(editor, "/gaps?coordinator=munich")
    assert re.search(r'<span class="status-gap">\d+ gaps</span>', html)
    data = graph_data(html)
    diamonds = {n["id"] for n in data["nodes"] if n["shape"] == "diamond"}
    assert "strong-cities-network" in diamonds and "munich" not in diamonds


ELEMENTS = b"Label,Type,Tags,City\nRiverside Youth Forum,Community,youth,Munich\n"
CONNECTIONS = b"From,To,Type,Strength\nMunich,Riverside Youth Forum,supports,5\n"


def upload(client, files):
    data = {"csrf_token": csrf_token_from(client, "/import"), "files": [(io.BytesIO(body), name) for name, body in files]}
    return client.post("/import", data=data, content_type="multipart/form-data", headers=HTML)


def test_import_shows_the_plan_then_applies_it(editor, demo_store):
    resp = upload(editor, [("elements.csv", ELEMENTS), ("connections.csv", CONNECTIONS)])
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "nothing has been changed yet" in html
    assert "<li>Riverside Youth Forum</li>" in html
    assert demo_store.find_actors_by_name("Riverside Youth Forum") == []
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    done = editor.post("/import/confirm", data={"csrf_token": csrf_token_from(editor, "/import"), "token": token}, headers=HTML)
    assert done.status_code == 200 and re.search(r'<h2 id="import-done">Imported (elements|connections).csv, (elements|connections).csv</h2>', done.get_data(as_text=True))
    assert [a["id"] for a in demo_store.find_actors_by_name("riverside youth forum")] == ["riverside-youth-forum"]
    again = editor.post("/import/confirm", data={"csrf_token": csrf_token_from(editor, "/import"), "token": token})
    assert again.status_code == 302  # an upload is applied once


def test_import_plan_says_how_many_look_alike_pairs_it_does_not_list(editor, monkeypatch):
    from graph_service.services import merge

    monkeypatch.setattr(merge, "MAX_REPORTED", 2)
    people = ("Name,E-Mail\nAnna Müller,a1@example.org\nAnna Mueller,a2@example.org\n"
              "\"Mueller, Anna\",a3@example.org\nDr. Anna Müller,a4@example.org\n").encode()
    data = {"csrf_token": csrf_token_from(editor, "/import"), "files": [(io.BytesIO(people), "people.csv")], "kind": "person"}
    html = editor.post("/import", data=data, content_type="multipart/form-data", headers=HTML).get_data(as_text=True)
    assert "<h3>Possible duplicates (6; " in html
    assert len(re.findall(r"<li>[^<]*graph-service merge", html)) == 2
    assert '<p class="muted" id="import-duplicates-more">and 4 more pairs with similar names, not listed here.</p>' in html


def test_import_refusals_are_explained(editor):
    assert "Choose one or more files to import." in upload(editor, []).get_data(as_text=True)
    resp = upload(editor, [("contacts.pdf", b"%PDF-1.4 binary")])
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "nothing was changed" in html and "contacts.pdf" in html


def test_import_needs_the_editor_role(viewer):
    assert viewer.get("/import", headers=HTML).status_code == 403
    assert ">Import</a>" not in get(viewer, "/")


def test_assets_are_served_by_the_app(editor):
    with editor.get("/assets/vis-network.min.js") as js:
        assert js.status_code == 200 and js.mimetype == "text/javascript" and len(js.data) > 400_000
    with editor.get("/assets/graph-view.js") as view:
        assert view.status_code == 200 and b"graphServiceNetwork" in view.data
    assert editor.get("/assets/evil.js").status_code == 404


def test_a_plan_with_rejected_rows_names_them_and_cannot_be_confirmed(editor):
    resp = upload(editor, [("elements.csv", ELEMENTS), ("connections.csv", b"From,To,Type,Strength\nMunich,Riverside Youth Forum,supports,9\n")])
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "file connections.csv · sheet connections · row 2 · column Strength · &#39;9&#39; is out of range" in html
    assert 'id="confirm-import"' not in html


CITIES = b"Name,Country\nRiverside City,DE\nHill Town,NL\n"


def test_import_options_on_the_page_name_their_fields_and_reach_the_import(editor, demo_store):
    refused = upload(editor, [("cities.csv", CITIES)])
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "“Kind of rows: person”" in html and "“Kind of rows: city”" in html
    assert "--kind" not in html  # the page has no flags: it names its own field
    assert 'id="opt-kind"' in html and 'id="opt-region"' in html and 'id="opt-mapping"' in html
    data = {"csrf_token": csrf_token_from(editor, "/import"), "files": [(io.BytesIO(CITIES), "cities.csv")], "kind": "city",
            "date_order": "day-first"}
    plan = editor.post("/import", data=data, content_type="multipart/form-data", headers=HTML)
    html = plan.get_data(as_text=True)
    assert plan.status_code == 200 and "<li>Riverside City</li>" in html and "Kind of rows: city" in html
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    done = editor.post("/import/confirm", data={"csrf_token": csrf_token_from(editor, "/import"), "token": token}, headers=HTML)
    assert done.status_code == 200
    assert [a["kind"] for a in demo_store.find_actors_by_name("Riverside City")] == ["city"]  # the option was kept for the confirmation


def test_a_bad_import_option_names_the_field_on_the_page(editor):
    data = {"csrf_token": csrf_token_from(editor, "/import"), "files": [(io.BytesIO(CITIES), "cities.csv")], "region": "Atlantis"}
    resp = editor.post("/import", data=data, content_type="multipart/form-data", headers=HTML)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "field Phone region · " in html and "Atlantis" in html
