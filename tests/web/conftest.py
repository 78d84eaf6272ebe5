"""Fixtures for the page tests: the app served on a loopback port (a thread running werkzeug's
server) on a temporary SQLite file with the demo loaded, and headless Chromium logged in to it."""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from graph_service.app import create_app
from graph_service.auth import create_user
from graph_service.config import Settings
from graph_service.model import validate_actor, validate_tie
from graph_service.services.sync import demo_files, import_files
from graph_service.store.sqlite import SQLiteStore

from .browser import SCREENSHOTS, launch, need_browser

PASSWORDS = {"viewer": "viewer password 1", "editor": "editor password 1", "admin": "admin password 1"}
# Names that would run script if any page wrote them as markup.
XSS_NAMES = {
    "xss-img": "<img src=x onerror=alert(1)>",
    "xss-script": "</script><script>window.__pwned = 1; alert(2)</script>",
}


@pytest.fixture(scope="session")
def live_store(tmp_path_factory):
    """A SQLite store with the demo (40 actors, 55 ties), one user per role, and two actors
    with script-bearing names tied to Munich."""
    db = tmp_path_factory.mktemp("live") / "graph.sqlite3"
    store = SQLiteStore(db)
    store.init_schema()
    import_files(store, demo_files(), by="test")
    for role, password in PASSWORDS.items():
        create_user(store, role, password, role, by="test")
    for actor_id, name in XSS_NAMES.items():
        store.create_actor(validate_actor({"id": actor_id, "name": name, "kind": "community_actor", "tags": ["youth"], "city": "Munich",
                            "contact_details": [{"type": "email", "value": "contact@example.org"}]}), by="test")
        store.create_tie(validate_tie({"source_id": "munich", "target_id": actor_id, "type": "supports", "strength": 4,
                                       "directed": False, "last_contact": "2026-10-01"}), by="test")
    yield store
    store.close()


@pytest.fixture(scope="session")
def live_server(live_store, tmp_path_factory):
    """Base URL of the app served on 127.0.0.1 (port chosen by the OS), for the whole session."""
    settings = Settings(db_path=live_store.path, secret_key="browser-test-key")
    app = create_app({"TESTING": False}, settings=settings, store=live_store)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def browser():
    sync_playwright, path = need_browser()
    with sync_playwright() as p:
        b = launch(p, path)
        yield b
        b.close()


def login_state(browser, base: str, role: str) -> dict:
    """Log in through the form once; the cookies are reused by every later page of that role."""
    context = browser.new_context(base_url=base)
    page = context.new_page()
    page.goto("/login")
    page.fill("#username", role)
    page.fill("#password", PASSWORDS[role])
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture(scope="session")
def states(browser, live_server):
    cache: dict[str, dict] = {}

    def get(role: str) -> dict:
        if role not in cache:
            cache[role] = login_state(browser, live_server, role)
        return cache[role]

    return get


class Watch:
    """Records what a page did that it should not: dialogs, script errors, CSP violations,
    requests leaving the loopback address."""

    def __init__(self, page, base: str):
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        self.off_site: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.console.append(m.text) if m.type in ("error", "warning") else None)

        def route(r):
            if r.request.url.startswith(base) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                self.off_site.append(r.request.url)
                r.abort()

        page.route("**/*", route)  # the crisis room may be offline: nothing may leave loopback

    def clean(self) -> bool:
        return not (self.dialogs or self.errors or self.off_site or [c for c in self.console if "Content Security Policy" in c])


@pytest.fixture
def open_page(browser, live_server, states):
    """``open_page(role="editor")`` -> ``(page, watch)``: a fresh tab logged in as ``role``, offline
    except for the app; the page is closed after the test."""
    contexts = []

    def make(role: str | None = "editor"):
        context = browser.new_context(base_url=live_server, storage_state=states(role) if role else None,
                                      viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        return page, Watch(page, live_server)

    yield make
    for c in contexts:
        c.close()


def shot(page, name: str, full_page: bool = True) -> None:
    """Save a screenshot to test-artifacts/screenshots/NAME.png (look at them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
