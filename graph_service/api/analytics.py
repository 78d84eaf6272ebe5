"""``/api/v1/analytics``: who knows whom (warm paths, reach, mutual connections, ego networks) and
the coordination-gap reports (gaps, single points of failure, what-if, brokers, silos, stale ties,
redundancy, snapshots). Every report is JSON whose findings each carry an ``explanation`` sentence.

Actors are named by id or by name (case and accents ignored). Ties are usable in either
direction unless ``directed=true``. All reads need the viewer role; saving a snapshot needs editor.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from ..analytics import brokers, gaps, reach, redundancy, silos, snapshots, stale, warm_paths
from ..analytics.projection import get_projection
from ..auth import require_role
from ..errors import NotFound, ValidationError
from ..model import ACTOR_KINDS, kind_of
from ..services.access import AccessView, Viewer, scrub
from ..services.directory import resolve_actor
from .helpers import BadParameter, access_view, get_store, int_param, json_body, str_param, who

bp = Blueprint("analytics", __name__, url_prefix="/api/v1/analytics")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _bool(name: str, default: bool = False) -> bool:
    raw = request.args.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BadParameter(f"{name} must be true or false", [{"field": name, "message": "must be true or false"}])


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = str_param(name) or default
    if value not in choices:
        raise BadParameter(f"{name} must be one of {', '.join(choices)}",
                           [{"field": name, "message": f"must be one of {', '.join(choices)}"}])
    return value


def _kind(name: str = "kind") -> str | None:
    raw = str_param(name)
    if raw is None:
        return None
    kind = kind_of(raw)
    if kind is None:
        raise BadParameter(f"{name} must be one of {', '.join(ACTOR_KINDS)}",
                           [{"field": name, "message": f"must be one of {', '.join(ACTOR_KINDS)}"}])
    return kind


def _actor(name: str, required: bool = True) -> str | None:
    """Id of the actor a query parameter names (id or name); the error names the parameter."""
    ref = str_param(name, required=required)
    if ref is None:
        return None
    try:
        return resolve_actor(get_store(), ref, exclude=access_view().exclude)["id"]
    except ValidationError as exc:
        raise ValidationError([{**e, "field": name} for e in exc.errors]) from None
    except NotFound as exc:
        raise NotFound(f"{name}: {exc.detail}") from None


def _proj():
    """The projection as the caller may see it: sensitive actors and ties left out (or placeholders)."""
    return access_view().projection(get_projection(get_store()))


@bp.get("/warm-paths")
def warm_paths_view():
    """``?from=&to=[&k=2][&mode=disjoint|yen][&directed=false]``: the warm path and k next-best distinct paths."""
    src, dst = _actor("from"), _actor("to")
    return jsonify(warm_paths.warm_paths(_proj(), src, dst, k=int_param("k", 2, 0, 10), directed=_bool("directed"),
                                         mode=_choice("mode", "disjoint", warm_paths.MODES)))


@bp.get("/reach")
def reach_view():
    """``?from=[&hops=2][&tag=][&kind=][&city=][&country=][&directed=][&limit=100]``: who do we know."""
    src = _actor("from")
    return jsonify(reach.who_do_we_know(
        _proj(), src, hops=int_param("hops", 2, 1, reach.MAX_HOPS), tag=str_param("tag"), kind=_kind(),
        city=str_param("city"), country=str_param("country"), directed=_bool("directed"),
        limit=int_param("limit", 100, 1, 5000)))


@bp.get("/mutual")
def mutual_view():
    """``?a=&b=``: actors tied to both."""
    a, b = _actor("a"), _actor("b")
    return jsonify(reach.mutual_connections(_proj(), a, b))


@bp.get("/ego")
def ego_view():
    """``?actor=[&depth=1][&min_strength=][&type=...][&fresh_days=][&tag=][&kind=][&directed=]``."""
    centre = _actor("actor")
    min_strength = int_param("min_strength", 0, 0, 5) or None
    fresh = request.args.get("fresh_days")
    return jsonify(reach.ego_network(
        _proj(), centre, depth=int_param("depth", 1, 1, reach.MAX_HOPS), min_strength=min_strength,
        types=[t for t in request.args.getlist("type") if t.strip()] or None,
        fresh_days=None if fresh in (None, "") else int_param("fresh_days", 0, 0, 100_000),
        tag=str_param("tag"), kind=_kind(), directed=_bool("directed")))


def _gap_params() -> dict:
    return {"hops": int_param("hops", 3, 1, 6), "min_strength": int_param("min_strength", 4, 1, 5),
            "stale_days": int_param("stale_days", 180, 0, 100_000)}


@bp.get("/gaps")
def gaps_view():
    """``?coordinator=[&hops=3][&min_strength=4][&stale_days=180][&limit=20]``: coverage gaps with their
    reasons, and the single points of failure."""
    c = _actor("coordinator")
    return jsonify(gaps.gap_report(_proj(), c, limit=int_param("limit", 20, 1, 10_000), **_gap_params()))


@bp.get("/single-points")
def single_points_view():
    """``?coordinator=[&min_strength=][&limit=20]``: cut vertices and bridges and what each cuts off."""
    c = _actor("coordinator")
    return jsonify(gaps.single_points_of_failure(_proj(), c, min_strength=int_param("min_strength", 0, 0, 5) or None,
                                                 limit=int_param("limit", 20, 1, 10_000)))


@bp.get("/what-if")
def what_if_view():
    """``?coordinator=&remove=<actor>[&remove=...][&hops=][&min_strength=][&stale_days=]``."""
    c = _actor("coordinator")
    refs = [r for r in request.args.getlist("remove") if r.strip()]
    if not refs:
        raise BadParameter("the query parameter remove is required", [{"field": "remove", "message": "is required"}])
    store = get_store()
    removed = []
    for ref in refs:
        try:
            removed.append(resolve_actor(store, ref, exclude=access_view().exclude)["id"])
        except ValidationError as exc:
            raise ValidationError([{**e, "field": "remove"} for e in exc.errors]) from None
    return jsonify(gaps.what_if(_proj(), c, removed, **_gap_params()))


@bp.get("/brokers")
def brokers_view():
    """``?[top=20][&sample=K][&seed=0]``: betweenness (exact up to 10,000 actors, else sampled with
    its stated error), Burt's constraint and effective size."""
    sample = request.args.get("sample")
    return jsonify(brokers.broker_report(
        _proj(), top=int_param("top", 20, 1, 1000),
        sample=None if sample in (None, "") else int_param("sample", 256, 1, 1_000_000),
        seed=int_param("seed", 0, 0, 2**31)))


@bp.get("/silos")
def silos_view():
    """``?[seed=0][&kind=agency][&min_strength=4][&limit=50]``: components, Louvain groups and the ties
    between them, same-city actors of a kind with no tie path."""
    kinds = tuple(kind_of(k) for k in request.args.getlist("kind") if k.strip()) or ("agency",)
    if None in kinds:
        raise BadParameter("kind must be an actor kind", [{"field": "kind", "message": f"must be one of {', '.join(ACTOR_KINDS)}"}])
    return jsonify(silos.silo_report(_proj(), seed=int_param("seed", 0, 0, 2**31), kinds=kinds,
                                     min_strength=int_param("min_strength", 4, 1, 5), limit=int_param("limit", 50, 1, 10_000)))


@bp.get("/stale")
def stale_view():
    """``?[days=180][&around=<actor>][&hops=2][&limit=50]``: stale ties by owner and by community."""
    around = _actor("around", required=False)
    return jsonify(stale.stale_ties(_proj(), days=int_param("days", 180, 0, 100_000), around=around,
                                    hops=int_param("hops", 2, 1, 6), limit=int_param("limit", 50, 1, 10_000)))


@bp.get("/redundancy")
def redundancy_view():
    """``?coordinator=[&min_strength=][&groups=all|communities|areas]``: independent paths per group."""
    c = _actor("coordinator")
    return jsonify(redundancy.redundancy(_proj(), c, min_strength=int_param("min_strength", 0, 0, 5) or None,
                                         groups=_choice("groups", "all", ("all", "communities", "areas"))))


@bp.get("/snapshots")
def list_snapshots_view():
    """Saved snapshots, newest first (without their metrics)."""
    store = get_store()
    snapshots._require_snapshots(store)
    return jsonify(items=store.list_snapshots(limit=int_param("limit", 100, 1, 10_000)))


@bp.post("/snapshots")
@require_role("editor")
def save_snapshot_view():
    """Body ``{"coordinator": id or name, "name"?, "hops"?, "min_strength"?, "stale_days"?}``: save the metrics now."""
    body = json_body()
    errors = []
    ref = body.get("coordinator")
    if not isinstance(ref, str) or not ref.strip():
        errors.append({"field": "coordinator", "message": "is required (an actor id or name)"})
    name = body.get("name", "")
    if not isinstance(name, str) or len(name) > 200:
        errors.append({"field": "name", "message": "must be a string of at most 200 characters"})
    params = {}
    for field, lo, hi in (("hops", 1, 6), ("min_strength", 1, 5), ("stale_days", 0, 100_000)):
        if field in body:
            value = body[field]
            if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
                errors.append({"field": field, "message": f"must be a whole number {lo}-{hi}"})
            else:
                params[field] = value
    unknown = set(body) - {"coordinator", "name", "hops", "min_strength", "stale_days"}
    errors += [{"field": k, "message": "is not a known field"} for k in sorted(unknown)]
    if errors:
        raise ValidationError(errors)
    store = get_store()
    try:
        c = resolve_actor(store, ref, exclude=access_view().exclude)["id"]
    except ValidationError as exc:
        raise ValidationError([{**e, "field": "coordinator"} for e in exc.errors]) from None
    # snapshots are read by everyone: they are taken of the graph without any sensitive record
    shared = AccessView(store.access_entries(), Viewer(None, False)).projection(get_projection(store))
    if c not in shared.index:
        raise ValidationError([{"field": "coordinator", "message": "is sensitive; a snapshot, which every user can read,"
                                " cannot be taken around it"}])
    snap = snapshots.save_snapshot(store, shared, c, name=name, by=who(), **params)
    resp = jsonify(snap)
    resp.status_code = 201
    resp.headers["Location"] = url_for("analytics.get_snapshot_view", snapshot_id=snap["id"])
    return resp


@bp.get("/snapshots/<int(max=9223372036854775807):snapshot_id>")  # SQLite INTEGER range
def get_snapshot_view(snapshot_id: int):
    return jsonify(scrub(snapshots.find_snapshot(get_store(), snapshot_id), access_view(), get_store()))


@bp.get("/snapshots/diff")
def diff_snapshots_view():
    """``?from=<id or YYYY-MM-DD>&to=<id or date>``: what changed, in sentences (a date picks the latest
    snapshot taken on or before it)."""
    store = get_store()
    old = _snapshot_param(store, "from")
    new = _snapshot_param(store, "to")
    return jsonify(scrub(snapshots.diff_snapshots(old, new), access_view(), store))


def _snapshot_param(store, name: str) -> dict:
    ref = str_param(name, required=True)
    try:
        return snapshots.find_snapshot(store, ref)
    except ValidationError as exc:
        raise BadParameter(exc.detail, [{**e, "field": name} for e in exc.errors]) from None
