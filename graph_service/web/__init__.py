"""Server-rendered pages for coordinators (Flask + Jinja, autoescaped), one module per page:

- :mod:`.views`: log in, log out, home;  :mod:`.search`: find actors as you type;
- :mod:`.actors`: an actor's details, ties and ego network;  :mod:`.network`: the filtered
  network view and its PNG/SVG/HTML exports;  :mod:`.paths`: who knows whom;
- :mod:`.gaps` and :mod:`.crisis`: the coordination-gap and crisis call-list views;
- :mod:`.imports`: upload a file, see the dry-run plan, confirm;  :mod:`.assets`: vis-network and
  the drawing script, served by the app (never from a CDN: the crisis room may be offline).

Pages carry no inline script, so they satisfy the Content-Security-Policy in :mod:`.security`.
"""
from __future__ import annotations

from flask import Flask

from . import actors, assets, crisis, gaps, imports, network, paths, search, security, views  # noqa: F401  (routes)
from .blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    security.init_app(app)
