"""Sensitive actors on the coordinators' pages: the named user sees and is told it is sensitive;
everyone else finds it in no search, actor page, network view, path or crisis call list."""
from __future__ import annotations

import pytest

from graph_service.auth import create_user
from graph_service.model import validate_actor, validate_tie
from tests.conftest import log_in

HTML = {"Accept": "text/html"}


@pytest.fixture
def sensitive(demo_store, web_user):
    """A person visible to the editor 'coordinator' only, the one link from Munich to a new group."""
    person = demo_store.create_actor(validate_actor({"name": "Rana Example", "kind": "person", "city": "Munich",
                                                     "contact_details": [{"type": "phone", "value": "+49 89 1234567"}]}),
                                     by="test", visible_to=["coordinator"])
    group = demo_store.create_actor(validate_actor({"name": "Quiet Courtyard Group", "kind": "community_actor",
                                                    "tags": ["youth"], "city": "Munich"}), by="test")
    demo_store.create_tie(validate_tie({"source_id": "munich", "target_id": person["id"], "type": "knows", "strength": 5}), by="test")
    demo_store.create_tie(validate_tie({"source_id": person["id"], "target_id": group["id"], "type": "knows", "strength": 5}), by="test")
    return person, group


@pytest.fixture
def other_editor(app, demo_store):
    create_user(demo_store, "second", "another editor pw", "editor", by="test")
    c = app.test_client()
    log_in(c, "second", "another editor pw")
    return c


def page(client, url, status=200):
    resp = client.get(url, headers=HTML)
    assert resp.status_code == status, resp.get_data(as_text=True)[:300]
    return resp.get_data(as_text=True)


def test_the_named_user_sees_the_person_and_is_told_it_is_sensitive(client, web_user, sensitive):
    person, _ = sensitive
    log_in(client, *web_user)
    html = page(client, f"/actors/{person['id']}")
    assert "Rana Example" in html and 'id="sensitive"' in html and "+49 89 1234567" in html
    assert "Rana Example" in page(client, "/search?q=rana")


def test_everyone_else_finds_it_nowhere(other_editor, sensitive):
    person, group = sensitive
    page(other_editor, f"/actors/{person['id']}", status=404)
    assert "Rana" not in page(other_editor, "/search?q=rana")
    assert "Rana" not in page(other_editor, "/actors/munich?depth=2")
    assert "Rana" not in page(other_editor, "/network?city=Munich")
    path = page(other_editor, f"/path?from=munich&to={group['id']}")
    assert "Rana" not in path and "No chain of ties" in path
    crisis = page(other_editor, "/crisis?coordinator=munich&area=Munich")
    assert "Rana" not in crisis and "+49 89 1234567" not in crisis


def test_an_editor_marks_an_actor_sensitive_on_its_page_and_cannot_lift_it(client, web_user, demo_store):
    from tests.conftest import csrf_token_from

    log_in(client, *web_user)
    token = csrf_token_from(client, "/actors/hartford")
    resp = client.post("/actors/hartford/access", data={"sensitive": "on", "visible_to": "", "csrf_token": token},
                       headers=HTML, follow_redirects=True)
    assert resp.status_code == 200 and "now sensitive: only admins and coordinator see it" in resp.get_data(as_text=True)
    assert demo_store.access_entries()["hartford"]["visible_to"] == ["coordinator"]
    resp = client.post("/actors/hartford/access", data={"csrf_token": token}, headers=HTML, follow_redirects=True)
    assert "Nothing changed: only an admin can lift" in resp.get_data(as_text=True)
    assert "hartford" in demo_store.access_entries()
    # without the CSRF token nothing happens
    assert client.post("/actors/hartford/access", data={"sensitive": "on"}, headers=HTML).status_code in (400, 403)


def test_with_placeholders_the_network_shows_a_protected_contact_without_a_page(settings, demo_store, sensitive):
    from graph_service.app import create_app
    from graph_service.services.access import PROTECTED_NAME
    from tests.web.test_pages import graph_data

    create_user(demo_store, "third", "a third editor pw", "editor", by="test")
    c = create_app({"TESTING": True, "GRAPH_SERVICE_PROTECTED": "placeholder"}, settings=settings, store=demo_store).test_client()
    log_in(c, "third", "a third editor pw")
    html = page(c, "/network")
    data = graph_data(html)
    placeholder = [n for n in data["nodes"] if n["label"] == PROTECTED_NAME]
    assert len(placeholder) == 1 and data["no_page"] == [placeholder[0]["id"]]
    assert "Rana" not in html and sensitive[0]["id"] not in html
    path = page(c, f"/path?from=munich&to={sensitive[1]['id']}")
    assert f"<em>{PROTECTED_NAME}</em>" in path and "/actors/protected-" not in path and "Rana" not in path
