"""What the pages' network views share: reading filter parameters, building the drawing data,
and the options for the filter form. Thin glue over :mod:`visualisations` (no HTTP here but
``request.args``)."""
from __future__ import annotations

import datetime as dt

from flask import current_app, request, url_for

from visualisations.filters import STALE_CHOICES, ViewFilter, apply_filter, cap
from visualisations.metrics import SIZE_METRICS, node_sizes
from visualisations.network import MAX_VIEW_NODES, build_network, view_data

from ..api.helpers import BadParameter, access_view, int_param, str_param
from ..model import ACTOR_KINDS, fold


def max_nodes() -> int:
    """The node cap of a page's view (``GRAPH_VIEW_MAX_NODES`` in the app config, default 2,500)."""
    return int(current_app.config.get("GRAPH_VIEW_MAX_NODES", MAX_VIEW_NODES))


def size_param() -> str:
    """``?size=degree|betweenness`` (default degree); BadParameter (400) otherwise."""
    size = str_param("size") or "degree"
    if size not in SIZE_METRICS:
        raise BadParameter(f"size must be one of {', '.join(SIZE_METRICS)}", [{"field": "size", "message": "unknown metric"}])
    return size


def filter_from_request() -> ViewFilter:
    """The :class:`ViewFilter` named by the query string (``kind, tag, city, min_strength, stale``).

    Raises BadParameter (400) for an unknown kind or stale choice or a strength outside 1-5.
    """
    kind = str_param("kind") or ""
    if kind and kind not in ACTOR_KINDS:
        raise BadParameter(f"kind must be one of {', '.join(ACTOR_KINDS)}", [{"field": "kind", "message": "unknown kind"}])
    stale = str_param("stale") or ""
    if stale not in STALE_CHOICES:
        raise BadParameter("stale must be 'only' or 'hide'", [{"field": "stale", "message": "must be 'only' or 'hide'"}])
    min_strength = int_param("min_strength", 0, 0, 5) or None
    return ViewFilter(kind=kind, tag=str_param("tag") or "", city=str_param("city") or "", min_strength=min_strength, stale=stale)


def filter_choices(actors: list[dict]) -> dict:
    """Values for the filter form's selects: ``{"kinds", "tags", "cities"}``, sorted (folded)."""
    tags = {t for a in actors for t in a.get("tags") or ()}
    cities = {a["city"] for a in actors if a.get("city")}
    kinds = [k for k in ACTOR_KINDS if any(a.get("kind") == k for a in actors)]
    return {"kinds": kinds, "tags": sorted(tags, key=fold), "cities": sorted(cities, key=fold)}


def graph_payload(
    actors: list[dict],
    ties: list[dict],
    *,
    size: str = "degree",
    keep: set[str] | None = None,
    highlight: set[str] | None = None,
    highlight_ties: set[str] | None = None,
    marks: dict[str, str] | None = None,
    note: str = "",
    highlight_label: str = "",
    today: dt.date | None = None,
) -> tuple[dict, list[dict]]:
    """Cap, size and build a view; returns ``(view_data dict, actors drawn)``.

    ``keep`` ids survive the cap first; the cap's message is joined to ``note``; the legend names
    the ``highlight`` ring ``highlight_label``. Clicking a node opens its actor page.
    """
    actors, ties, cut = cap(actors, ties, max_nodes(), keep=(keep or set()) | (highlight or set()) | set(marks or {}))
    sizes = node_sizes([a["id"] for a in actors], ties, size)
    net = build_network(actors, ties, sizes=sizes, highlight=highlight, highlight_ties=highlight_ties, marks=marks, today=today)
    notes = " ".join(x for x in (note, cut.message()) if x)
    link_base = url_for("web.actor_page", actor_id="X")[:-1]
    data = view_data(net, note=notes, link_base=link_base, marks_used=set((marks or {}).values()),
                     highlight_label=highlight_label)
    return data, actors


def viewer_projection(store):
    """The analytics' projection as the logged-in user may see it (sensitive records left out or
    shown as placeholders, see :mod:`graph_service.services.access`)."""
    from ..analytics.projection import get_projection

    return access_view().projection(get_projection(store))


def graph_rows(store) -> tuple[list[dict], list[dict]]:
    """All live actors and current ties the user may see (no contact details): the analytics'
    projection, kept in memory and rebuilt only when the store changes, else ``store.projection()``."""
    if analytics() is not None:
        proj = viewer_projection(store)
        return proj.actors, proj.ties
    actors, ties = store.projection()
    return access_view().actors(actors), access_view().ties(ties)


def filtered_projection(store, flt: ViewFilter) -> tuple[list[dict], list[dict]]:
    """All live actors and current ties (see :func:`graph_rows`), filtered."""
    actors, ties = graph_rows(store)
    return apply_filter(actors, ties, flt)


def export_args() -> dict:
    """The current query string as a dict, for links to the PNG/SVG/HTML exports of a view."""
    return {k: v for k, v in request.args.items() if v}


# actors named in forms -------------------------------------------------------------------------
def resolve_or_error(store, ref: str | None, field: str) -> tuple[dict | None, str]:
    """``(actor, "")`` for an id or name, ``(None, message)`` when it names nobody or several
    actors (the message says which and suggests close names), ``(None, "")`` when empty."""
    from ..errors import NotFound, ValidationError
    from ..services.directory import resolve_actor

    if not ref:
        return None, ""
    try:
        return resolve_actor(store, ref, exclude=access_view().exclude), ""
    except NotFound as exc:
        return None, f"{field}: {exc.detail}"
    except ValidationError as exc:
        return None, f"{field}: " + "; ".join(e.get("message", "") for e in exc.errors)


def coordinator_from_request(store) -> tuple[dict | None, str]:
    """The coordinating actor of the gap and crisis views: ``?coordinator=`` (id or name), else
    the one this session used last. Remembered in the session once resolved."""
    from flask import session

    ref = str_param("coordinator") or session.get("coordinator") or ""
    actor, error = resolve_or_error(store, ref, "Coordinating actor")
    if actor is not None:
        session["coordinator"] = actor["id"]
    return actor, error


def analytics():
    """The analytics package (``graph_service.analytics``) or ``None`` when it is not installed,
    so the pages that need it can say so instead of failing."""
    try:
        from .. import analytics as pkg
        from ..analytics import gaps, reach, stale, warm_paths  # noqa: F401
        from ..analytics.projection import get_projection  # noqa: F401
    except ImportError:
        return None
    return pkg


def ties_among(ties: list[dict], ids: set[str]) -> list[dict]:
    """The ties whose both ends are in ``ids``."""
    return [t for t in ties if t["source_id"] in ids and t["target_id"] in ids]
