"""The coordinators' pages in a real browser (headless Chromium), against the app on loopback.

Every page is opened with all non-loopback requests blocked (the crisis room may be offline),
and every test checks that no dialog opened, no script error or CSP violation happened, and no
request tried to leave. Screenshots go to test-artifacts/screenshots/.
"""
from __future__ import annotations

import re

import pytest

from .conftest import XSS_NAMES, shot

pytestmark = pytest.mark.browser

ELEMENTS_CSV = (
    "Label,Type,Description,Tags,City\n"
    "Riverside Youth Forum,Community,Youth group in the river district,youth|newcomers,Munich\n"
    "<b>Bold</b> Parents Network,Community,Parents' network,newcomers,Munich\n"
)
CONNECTIONS_CSV = (
    "From,To,Type,Direction,Strength,Last Contact\n"
    "Munich,Riverside Youth Forum,supports,mutual,5,2026-11-01\n"
    "Riverside Youth Forum,<b>Bold</b> Parents Network,partners with,mutual,3,2026-09-15\n"
)


def drawn_nodes(page, selector="[data-graph]") -> int:
    """How many nodes vis-network has positioned on the canvas (after the first drawing)."""
    page.wait_for_selector(f"{selector}[data-ready='1']", timeout=15000)
    return page.eval_on_selector(selector, "el => Object.keys(el.graphServiceNetwork.getPositions()).length")


def test_log_in_shows_the_role_and_log_out_ends_the_session(open_page, live_server):
    page, watch = open_page(role=None)
    page.goto("/network")
    assert page.url.startswith(live_server + "/login")  # sent to log in first
    page.fill("#username", "viewer")
    page.fill("#password", "wrong password")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").inner_text() == "Unknown user name or wrong password."
    shot(page, "01-login-failed")
    page.fill("#username", "viewer")
    page.fill("#password", "viewer password 1")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/network$"))  # back where they wanted to go
    assert page.locator("header .who").inner_text() == "viewer viewer"
    assert page.locator("header .who").get_attribute("data-role") == "viewer"
    page.click("text=Log out")
    page.wait_for_url(re.compile(r".*/login$"))
    assert page.locator(".flash").inner_text() == "You are logged out."
    page.goto("/")
    assert "/login" in page.url
    assert watch.clean(), vars(watch)


def test_search_as_you_type_ignores_accents(open_page):
    page, watch = open_page()
    page.goto("/")
    shot(page, "02-home")
    page.fill("#top-search", "munchen")
    page.wait_for_selector("#top-search-suggestions li a")
    names = page.locator("#top-search-suggestions li a").evaluate_all("els => els.map(e => e.firstChild.textContent)")
    assert names == ["München ist Bunt"]
    shot(page, "03-search-suggestions", full_page=False)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/actors/munchen-ist-bunt$"))
    assert page.locator("#actor-name").inner_text().startswith("München ist Bunt")
    assert watch.clean(), vars(watch)


def test_actor_page_groups_ties_and_hides_contacts_from_viewers(open_page):
    page, watch = open_page("editor")
    page.goto("/actors/xss-img")
    assert page.locator("#contacts").inner_text() == "email\tcontact@example.org"
    page.goto("/actors/munich")
    assert drawn_nodes(page) == page.locator("[data-graph]").evaluate("el => JSON.parse(document.getElementById('graph-data').textContent).node_count")
    groups = page.locator(".ties-group h3").all_inner_texts()
    assert "supports (2)" in groups
    shot(page, "04-actor-munich")
    viewer, vwatch = open_page("viewer")
    viewer.goto("/actors/xss-img")
    assert viewer.locator("#contacts-hidden").inner_text() == "Contact details are shown to editors and admins only."
    assert "contact@example.org" not in viewer.content()
    assert watch.clean() and vwatch.clean(), (vars(watch), vars(vwatch))


def test_network_view_draws_every_actor_and_filters(open_page, live_store):
    page, watch = open_page()
    page.goto("/network")
    total = live_store.stats()["actors_total"]
    assert drawn_nodes(page) == total
    assert page.locator(".count").get_attribute("data-nodes") == str(total)
    shot(page, "05-network-all")
    page.select_option("#f-kind", "city")
    page.select_option("#f-size", "betweenness")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*kind=city.*"))
    assert drawn_nodes(page) == 14  # the demo's 14 cities
    assert page.locator("h1").inner_text() == "Stakeholder network: kind city"
    shot(page, "06-network-cities")
    assert watch.clean(), vars(watch)


def test_clicking_a_node_opens_its_page(open_page):
    page, watch = open_page()
    page.goto("/network?city=Munich")
    drawn_nodes(page)
    x, y = page.eval_on_selector("[data-graph]", """el => {
        const net = el.graphServiceNetwork; const p = net.canvasToDOM(net.getPositions(['munich'])['munich']);
        const r = el.getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""")
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r".*/actors/munich$"))
    assert watch.clean(), vars(watch)


def test_path_view_highlights_the_path_and_lists_alternatives(open_page):
    page, watch = open_page()
    page.goto("/path")
    page.fill("#p-from", "munchen ist")
    page.wait_for_selector("#p-from-suggestions li a")
    page.click("#p-from-suggestions li a")
    assert page.input_value("#p-from") == "München ist Bunt"
    page.fill("#p-to", "Oslo")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("#paths")
    best = page.locator("ol.best > li > a").all_inner_texts()
    assert best[0] == "München ist Bunt" and best[-1] == "Oslo"
    red = page.eval_on_selector("[data-graph]", """el => { drawn = el; return JSON.parse(document.getElementById('graph-data').textContent)
        .edges.filter(e => e.color === '#d00000').length; }""")
    assert red == len(best) - 1  # every hop of the best path drawn in red
    assert drawn_nodes(page) >= len(best)
    assert page.locator("#no-alternatives").inner_text() == "No alternative path avoids the people on the best one."
    page.goto("/path?from=Alliance+for+Securing+Democracy&to=New+York+City&k=3")
    assert page.locator(".alternative h3").all_inner_texts() == ["Alternative 1: 2 ties"]
    alt = page.locator("ol.alt > li > a").all_inner_texts()
    assert alt[0] == "Alliance for Securing Democracy" and alt[-1] == "New York City"
    assert not set(alt[1:-1]) & set(page.locator("ol.best > li > a").all_inner_texts()[1:-1])  # avoids the best path's people
    drawn_nodes(page)
    shot(page, "07-path")
    assert watch.clean(), vars(watch)


def test_crisis_view_ranks_the_call_list_and_prints_on_a4(open_page, tmp_path):
    page, watch = open_page()
    page.goto("/crisis?coordinator=new-york-city&community=education&hops=3")
    rows = page.locator("#call-list tr").count() - 1
    assert rows == 5
    first = page.locator("#call-list tr").nth(1).locator("td").nth(1).inner_text()
    assert first.startswith("NYC Department of Education")
    drawn_nodes(page)
    shot(page, "08-crisis")
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden() and page.locator(".graph").is_hidden()
    shot(page, "09-crisis-print")
    pdf = tmp_path / "sheet.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and re.search(rb"/MediaBox \[0 0 594\.9\d* 841\.9\d*\]", data)  # A4 in points
    assert watch.clean(), vars(watch)


def test_gap_view_marks_single_points_of_failure(open_page):
    page, watch = open_page()
    page.goto("/gaps?coordinator=munich")
    assert page.locator("#single-points tr").count() > 1
    cuts = page.eval_on_selector("[data-graph]", "el => JSON.parse(document.getElementById('graph-data').textContent).nodes.filter(n => n.shape === 'diamond').length")
    assert cuts == page.locator("#single-points tr td:first-child", has_text="◆").count()
    drawn_nodes(page)
    shot(page, "10-gaps")
    assert watch.clean(), vars(watch)


def test_import_a_file_through_the_page(open_page, tmp_path, live_store):
    (tmp_path / "elements.csv").write_text(ELEMENTS_CSV, encoding="utf-8")
    (tmp_path / "connections.csv").write_text(CONNECTIONS_CSV, encoding="utf-8")
    page, watch = open_page()
    page.goto("/import")
    page.set_input_files("#files", [str(tmp_path / "elements.csv"), str(tmp_path / "connections.csv")])
    page.click("#upload")
    page.wait_for_selector("#import-plan")
    assert page.locator("#plan-counts tr").nth(1).locator("td").all_inner_texts()[0] == "2"  # 2 new actors
    assert "<b>Bold</b> Parents Network" in page.locator(".plan-created").first.inner_text()  # shown as text
    shot(page, "11-import-plan")
    assert live_store.find_actors_by_name("Riverside Youth Forum") == []  # dry run: nothing written
    page.click("#confirm-import")
    page.wait_for_selector("#import-done")
    shot(page, "12-import-done")
    assert [a["name"] for a in live_store.find_actors_by_name("Riverside Youth Forum")] == ["Riverside Youth Forum"]
    assert watch.clean(), vars(watch)


@pytest.mark.parametrize("actor_id", sorted(XSS_NAMES))
def test_script_bearing_names_show_as_text_and_never_run(open_page, actor_id, live_store):
    page, watch = open_page()
    name = XSS_NAMES[actor_id]
    page.goto(f"/actors/{actor_id}")
    assert page.locator("#actor-name").inner_text().startswith(name)
    drawn_nodes(page)
    page.goto("/network?city=Munich")
    assert drawn_nodes(page) == live_store.list_actors(city="Munich")[1]
    node = page.eval_on_selector("[data-graph]", f"el => el.graphServiceNetwork.body.data.nodes.get({actor_id!r})")
    assert node["title"].split("\n")[0] == name and name.startswith(node["label"].rstrip("…"))  # drawn as text
    page.hover("[data-graph]")
    page.goto("/search?q=" + ("onerror" if actor_id == "xss-img" else "pwned"))
    assert page.locator("table.results a").all_inner_texts() == [name]
    page.fill("#top-search", name[:12])
    page.wait_for_selector("#top-search-suggestions li a")
    shot(page, f"13-{actor_id}")
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    assert watch.dialogs == [] and watch.clean(), vars(watch)


def test_views_render_offline_with_only_the_app_reachable(open_page):
    page, watch = open_page()
    for path in ("/network", "/actors/munich", "/path?from=munich&to=oslo", "/crisis?coordinator=munich&area=Munich", "/gaps?coordinator=munich"):
        page.goto(path)
        assert drawn_nodes(page) > 0, path
    assert watch.off_site == [] and watch.clean(), vars(watch)


def test_standalone_export_works_from_disk_without_network(open_page, live_server, tmp_path, browser):
    page, _ = open_page()
    resp = page.request.get(live_server + "/network.html")
    assert resp.headers["content-disposition"] == 'attachment; filename="network.html"'
    path = tmp_path / "network.html"
    path.write_bytes(resp.body())
    context = browser.new_context(offline=True)
    offline = context.new_page()
    errors = []
    offline.on("pageerror", lambda e: errors.append(str(e)))
    offline.goto(path.as_uri())
    assert drawn_nodes(offline, "#network") == int(offline.locator("#count").get_attribute("data-nodes"))
    context.close()
    assert errors == []


def test_picking_one_of_two_actors_with_the_same_name_fills_its_id(open_page, live_store):
    from graph_service.model import validate_actor

    twins = [live_store.create_actor(validate_actor({"name": "Twin Name Forum", "kind": "ngo", "city": city}), by="test")
             for city in ("Lyon", "Graz")]
    try:
        page, watch = open_page()
        page.goto("/gaps")
        page.fill("#g-coord", "twin name")
        page.wait_for_selector("#g-coord-suggestions li a")
        page.locator("#g-coord-suggestions li a", has_text="Graz").click()
        assert page.input_value("#g-coord") == twins[1]["id"]
        assert watch.clean(), vars(watch)
    finally:
        for t in twins:
            live_store.delete_actor(t["id"], by="test")


def test_import_a_list_that_needs_a_kind_through_the_page_options(open_page, tmp_path, live_store):
    (tmp_path / "cities.csv").write_text("Name,Country\nRiverbend Town,DE\n", encoding="utf-8")
    page, watch = open_page()
    page.goto("/import")
    page.set_input_files("#files", [str(tmp_path / "cities.csv")])
    page.click("#upload")
    page.wait_for_selector("#import-errors")
    assert "“Kind of rows: person”" in page.locator("#import-errors").inner_text()  # names the field, not a flag
    page.set_input_files("#files", [str(tmp_path / "cities.csv")])
    page.select_option("#opt-kind", "city")
    page.click("#upload")
    page.wait_for_selector("#import-plan")
    assert "Kind of rows: city" in page.locator("#import-options-used").inner_text()
    shot(page, "13-import-with-options")
    page.click("#confirm-import")
    page.wait_for_selector("#import-done")
    assert [a["kind"] for a in live_store.find_actors_by_name("Riverbend Town")] == ["city"]
    assert watch.clean(), vars(watch)
