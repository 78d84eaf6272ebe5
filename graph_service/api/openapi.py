"""The OpenAPI 3.0 document of the JSON API, served at ``GET /api/v1/openapi.json`` (login needed).

Written out here rather than inferred, so it says what clients may rely on; a test checks that
every ``/api/v1`` route of the app is described with the same methods, and a Schemathesis run
fuzzes the API against it (no 5xx, every response as documented).
"""
from __future__ import annotations

from flask import Blueprint, jsonify

from ..model import ACTOR_KINDS, CONTACT_TYPES

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

TEXT = {"type": "string"}
DATE = {"type": "string", "format": "date", "nullable": True}
TIME = {"type": "string", "nullable": True}
STRINGS = {"type": "array", "items": TEXT}
OBJECT = {"type": "object", "additionalProperties": True}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _page(item: str) -> dict:
    return {"type": "object", "required": ["items", "total"], "properties": {
        "items": {"type": "array", "items": _ref(item)}, "total": {"type": "integer"},
        "limit": {"type": "integer"}, "offset": {"type": "integer"}}}


def _q(name: str, schema: dict | None = None, required: bool = False, desc: str = "") -> dict:
    param = {"name": name, "in": "query", "required": required, "schema": schema or TEXT, "description": desc}
    if not required:
        param["allowEmptyValue"] = True  # ?limit= (a form field left blank) means the default
    return param


def _many(name: str, items: dict | None = None, required: bool = False) -> dict:
    """A query parameter that may repeat (``?remove=a&remove=b``)."""
    return {"name": name, "in": "query", "required": required, "style": "form", "explode": True,
            "schema": {"type": "array", "items": items or TEXT, **({"minItems": 1} if required else {})}}


def _int(name: str, lo: int, hi: int, default: int | None = None, desc: str = "") -> dict:
    schema = {"type": "integer", "minimum": lo, "maximum": hi}
    if default is not None:
        schema["default"] = default
    return _q(name, schema, desc=desc)


def _path_param(name: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema or {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$"}}


def _op(summary: str, ok: dict | None, *, status: str = "200", params=(), body: str | None = None, tag: str = "graph",
        role: str = "viewer") -> dict:
    op = {"summary": summary, "tags": [tag], "description": f"Needs the {role} role.", "parameters": list(params),
          "responses": {"default": {"description": "An error (RFC 9457 problem)", "content": {
              "application/problem+json": {"schema": _ref("Problem")}}}}}
    if ok is None:
        op["responses"][status] = {"description": "Done; no content"}
    else:
        op["responses"][status] = {"description": "OK", "content": {"application/json": {"schema": ok}}}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
    return op


# an empty ?kind= (a form left blank) means no filter
KIND_FILTER = {"type": "string", "enum": ["", *ACTOR_KINDS]}
ACTOR_ID = _path_param("actor_id")
TIE_ID = _path_param("tie_id")
ACTOR_FILTERS = [
    _q("kind", KIND_FILTER),
    _q("tag", desc="community tag"),
    _q("city"),
    _q("q", {"type": "string", "maxLength": 500}, desc="name or alias contains this, case and accents ignored"),
    _int("limit", 1, 500, 50),
    _int("offset", 0, 10**9, 0),
]
COORDINATOR = _q("coordinator", required=True, desc="the coordinating actor (id or name)")


def _analytics() -> dict:
    a = {"tag": "analytics"}
    hops, strength = _int("hops", 1, 6), _int("min_strength", 0, 5)
    return {
        "/api/v1/analytics/warm-paths": {"get": _op("Warm paths ranked by trust (best and k alternatives)", OBJECT, params=[
            _q("from", required=True), _q("to", required=True), _int("k", 0, 10, 2),
            _q("directed", {"type": "boolean"}), _q("mode", {"type": "string", "enum": ["disjoint", "yen"]})], **a)},
        "/api/v1/analytics/reach": {"get": _op("Who do we know: actors within N hops, by path strength", OBJECT, params=[
            _q("from", required=True), hops, _q("tag"), _q("kind", KIND_FILTER),
            _q("city"), _q("country"), _q("directed", {"type": "boolean"}), _int("limit", 1, 5000)], **a)},
        "/api/v1/analytics/mutual": {"get": _op("Mutual connections of two actors", OBJECT, params=[
            _q("a", required=True), _q("b", required=True)], **a)},
        "/api/v1/analytics/ego": {"get": _op("Ego network with filters", OBJECT, params=[
            _q("actor", required=True), _int("depth", 1, 6), strength, _many("type"), _int("fresh_days", 0, 100000),
            _q("tag"), _q("kind", KIND_FILTER), _q("directed", {"type": "boolean"})], **a)},
        "/api/v1/analytics/gaps": {"get": _op("Coverage gaps of a coordinator, each with its reason", OBJECT, params=[
            COORDINATOR, hops, _int("min_strength", 1, 5), _int("stale_days", 0, 100000), _int("limit", 1, 10000)], **a)},
        "/api/v1/analytics/single-points": {"get": _op("Cut vertices and bridges that cut the coordinator off", OBJECT,
                                                       params=[COORDINATOR, strength, _int("limit", 1, 10000)], **a)},
        "/api/v1/analytics/what-if": {"get": _op("Coverage lost if actors leave", OBJECT, params=[
            COORDINATOR, _many("remove", required=True), hops, _int("min_strength", 1, 5), _int("stale_days", 0, 100000)], **a)},
        "/api/v1/analytics/brokers": {"get": _op("Brokers: betweenness, Burt's constraint, effective size", OBJECT, params=[
            _int("top", 1, 1000), _int("sample", 1, 1000000), _int("seed", 0, 2**31)], **a)},
        "/api/v1/analytics/silos": {"get": _op("Components, communities (Louvain) and unconnected agencies", OBJECT, params=[
            _int("seed", 0, 2**31), _many("kind", KIND_FILTER), _int("min_strength", 1, 5),
            _int("limit", 1, 10000)], **a)},
        "/api/v1/analytics/stale": {"get": _op("Stale ties by community and owner", OBJECT, params=[
            _int("days", 0, 100000), _q("around"), _int("hops", 1, 6), _int("limit", 1, 10000)], **a)},
        "/api/v1/analytics/redundancy": {"get": _op("Independent paths from the coordinator to each community", OBJECT,
                                                    params=[COORDINATOR, strength], **a)},
        "/api/v1/analytics/snapshots": {
            "get": _op("Saved metric snapshots", OBJECT, params=[_int("limit", 1, 10000)], **a),
            "post": _op("Save a snapshot of the metrics", OBJECT, status="201", body="SnapshotInput", role="editor", **a),
        },
        "/api/v1/analytics/snapshots/{snapshot_id}": {"get": _op("One snapshot", OBJECT, params=[
            _path_param("snapshot_id", {"type": "integer", "minimum": 1, "maximum": 2**63 - 1})], **a)},
        "/api/v1/analytics/snapshots/diff": {"get": _op("What changed between two snapshots", OBJECT, params=[
            _q("from", required=True), _q("to", required=True)], **a)},
    }


def _sync() -> dict:
    from ..services import export as exporter

    form = {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "array", "items": {"type": "string", "format": "binary"}},
        "mapping": {"type": "string", "format": "binary"},
        "dry_run": {"type": "string", "enum": ["true", "false"]},
        "skip_rejected": {"type": "string", "enum": ["true", "false"]},
        **{k: {"type": "string", "maxLength": 200} for k in (
            "format", "sheet", "encoding", "delimiter", "region", "date_order", "kind", "org_kind", "source")},
        "header_row": {"type": "integer", "minimum": 1}}}
    upload = _op("Import files: the sync plan (dry_run=true, 200) or apply it (201)", OBJECT, role="editor", tag="sync")
    upload["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": form}}}
    upload["responses"]["201"] = {"description": "Applied", "content": {"application/json": {"schema": OBJECT}}}
    media = {mt.split(";")[0]: {"schema": {"type": "string", "format": "binary"}} for mt in exporter.MEDIA_TYPES.values()}
    export = _op("The graph or a filtered part as a file", None, tag="sync", params=[
        _path_param("fmt", {"type": "string", "enum": list(exporter.FORMATS)}),
        _q("table", {"type": "string", "enum": ["", *exporter.CSV_TABLES]}), _q("kind", KIND_FILTER), _q("tag"),
        _q("around"), _int("depth", 1, 4, 1), _q("source"), _q("active_only", {"type": "string", "enum": ["", "true", "false", "1", "0"]})])
    export["responses"]["200"] = {"description": "The file (contact details for editors only)", "content": media}
    return {
        "/api/v1/imports": {"post": upload},
        "/api/v1/imports/sources": {"get": _op("Sync sources and their last sync", OBJECT, tag="sync", role="editor")},
        "/api/v1/imports/provenance/{entity_id}": {"get": _op(
            "Where an actor or tie came from: source, file, sheet, row, when, by whom", OBJECT, tag="sync", role="editor",
            params=[_path_param("entity_id")])},
        "/api/v1/exports/{fmt}": {"get": export},
    }


def _access_ops(noun: str, id_param: dict) -> dict:
    return {
        "parameters": [id_param],
        "get": _op(f"Whether the {noun} is sensitive and to whom it is visible", _ref("Access"), role="editor"),
        "put": _op(f"Protect the {noun} (only admins and the named users see it) or, as an admin, lift it",
                   _ref("Access"), body="AccessInput", role="editor"),
    }


def document() -> dict:
    """The OpenAPI document as a dict."""
    paths = {
        "/api/v1/actors": {
            "get": _op("List and filter actors", _page("Actor"), params=ACTOR_FILTERS),
            "post": _op("Create an actor", _ref("Actor"), status="201", body="ActorInput", role="editor"),
        },
        "/api/v1/actors/{actor_id}": {
            "parameters": [ACTOR_ID],
            "get": _op("One actor (contact details for editors and admins only)", _ref("Actor")),
            "patch": _op("Change fields of an actor", _ref("Actor"), body="ActorPatch", role="editor"),
            "delete": _op("Delete an actor and its ties (soft; can be restored)", None, status="204", role="editor"),
        },
        "/api/v1/actors/{actor_id}/restore": {"parameters": [ACTOR_ID],
                                              "post": _op("Restore a deleted actor with its ties", _ref("Actor"), role="editor")},
        "/api/v1/actors/{actor_id}/ties": {"parameters": [ACTOR_ID], "get": _op("An actor's ties", _page("Tie"), params=[
            _q("type"), _int("limit", 1, 1000, 100), _int("offset", 0, 10**9, 0)])},
        "/api/v1/actors/{actor_id}/ego": {"parameters": [ACTOR_ID], "get": _op("Ego network to a depth", _ref("Network"),
                                                                               params=[_int("depth", 1, 4, 1)])},
        "/api/v1/actors/{actor_id}/history": {"parameters": [ACTOR_ID],
                                              "get": _op("Change history with old and new values", OBJECT, role="editor")},
        "/api/v1/actors/{actor_id}/access": _access_ops("actor", ACTOR_ID),
        "/api/v1/access": {"get": _op("Every sensitive actor and tie", OBJECT, role="admin")},
        "/api/v1/ties": {
            "get": _op("List ties", _page("Tie"), params=[_q("actor"), _q("type"), _int("limit", 1, 1000, 100), _int("offset", 0, 10**9, 0)]),
            "post": _op("Create a tie", _ref("Tie"), status="201", body="TieInput", role="editor"),
        },
        "/api/v1/ties/{tie_id}": {
            "parameters": [TIE_ID],
            "get": _op("One tie", _ref("Tie")),
            "patch": _op("Change fields of a tie", _ref("Tie"), body="TiePatch", role="editor"),
            "delete": _op("Delete a tie (soft)", None, status="204", role="editor"),
        },
        "/api/v1/ties/{tie_id}/history": {"parameters": [TIE_ID], "get": _op("Change history of a tie", OBJECT, role="editor")},
        "/api/v1/ties/{tie_id}/access": _access_ops("tie", TIE_ID),
        "/api/v1/search": {"get": _op("Search actors by name or alias", _page("Actor"), params=[
            _q("q", {"type": "string", "minLength": 1, "maxLength": 500}, required=True), _int("limit", 1, 200, 20)])},
        "/api/v1/path": {"get": _op("Who knows whom: the shortest chain of ties", _ref("Path"), params=[
            _q("from", required=True), _q("to", required=True), _int("max_depth", 1, 10, 6)])},
        "/api/v1/stats": {"get": _op("Counts of actors by kind and ties by type", _ref("Stats"))},
        "/api/v1/me": {"get": _op("Who you are", OBJECT)},
        "/api/v1/openapi.json": {"get": _op("This document", OBJECT)},
        **_analytics(),
        **_sync(),
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "graph-service API", "version": "1",
                 "description": "Stakeholder relationship graph for cities that prevent hate, extremism and polarisation. "
                                "Errors are RFC 9457 problem documents."},
        "servers": [{"url": "/"}],
        "security": [{"bearerToken": []}, {"session": []}],
        "paths": paths,
        "components": {"securitySchemes": {
            "bearerToken": {"type": "http", "scheme": "bearer", "description": "graph-service create-token NAME"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session",
                        "description": "web login; writes also need the X-CSRFToken header"}},
            "schemas": _schemas()},
    }


def _schemas() -> dict:
    contact = {"type": "object", "required": ["type", "value"], "properties": {
        "type": {"type": "string", "enum": list(CONTACT_TYPES)}, "value": {"type": "string", "minLength": 1, "maxLength": 500},
        "label": TEXT}}
    attributes = {"type": "object", "additionalProperties": {"nullable": True, "oneOf": [
        {"type": "string"}, {"type": "number"}, {"type": "boolean"}]}}
    actor_fields = {
        "name": {"type": "string", "minLength": 1, "maxLength": 500},
        "kind": {"type": "string", "enum": list(ACTOR_KINDS)},
        "aliases": STRINGS, "description": TEXT, "tags": STRINGS, "country": TEXT, "city": TEXT,
        "contact_details": {"type": "array", "items": contact}, "attributes": attributes, "source": TEXT,
    }
    tie_fields = {
        "type": {"type": "string", "minLength": 1, "maxLength": 200, "description": "e.g. partners_with or 'partners with'"},
        "label": TEXT, "direction": {"type": "string", "enum": ["directed", "mutual"]}, "directed": {"type": "boolean"},
        "strength": {"type": "integer", "minimum": 1, "maximum": 5, "nullable": True},
        "since": DATE, "until": DATE, "last_contact": DATE, "source": TEXT, "description": TEXT, "attributes": attributes,
    }
    stamps = {"created_at": TEXT, "created_by": TEXT, "updated_at": TEXT, "updated_by": TEXT, "deleted_at": TIME}
    access = {"sensitive": {"type": "boolean", "description": "visible only to admins and the users in visible_to"},
              "visible_to": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 100}, "maxItems": 100}}
    shown = {**access, "protected": {"type": "boolean", "description": "a placeholder for a sensitive actor"}}
    return {
        "Problem": {"type": "object", "required": ["type", "title", "status"], "properties": {
            "type": TEXT, "title": TEXT, "status": {"type": "integer"}, "detail": TEXT, "instance": TEXT,
            "errors": {"type": "array", "items": OBJECT}}},
        "Actor": {"type": "object", "required": ["id", "name", "kind"], "properties": {
            "id": TEXT, **actor_fields, **stamps, **shown}},
        "ActorInput": {"type": "object", "required": ["name", "kind"], "additionalProperties": False,
                       "properties": {"id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$"}, **actor_fields,
                                      **access}},
        "ActorPatch": {"type": "object", "additionalProperties": False, "properties": actor_fields},
        "Tie": {"type": "object", "required": ["id", "source_id", "target_id", "type"], "properties": {
            "id": TEXT, "source_id": TEXT, "target_id": TEXT, **{k: v for k, v in tie_fields.items() if k != "direction"}, **stamps,
            **access}},
        "TieInput": {"type": "object", "required": ["source_id", "target_id", "type"], "additionalProperties": False,
                     "properties": {"source_id": TEXT, "target_id": TEXT, **tie_fields, **access}},
        "Access": {"type": "object", "required": ["id", "sensitive", "visible_to"], "properties": {
            "id": TEXT, "sensitive": {"type": "boolean"}, "visible_to": STRINGS, "set_at": TIME, "set_by": TIME}},
        "AccessInput": {"type": "object", "required": ["sensitive"], "additionalProperties": False, "properties": access},
        "TiePatch": {"type": "object", "additionalProperties": False, "properties": tie_fields},
        "Network": {"type": "object", "required": ["actors", "ties"], "properties": {
            "centre": TEXT, "depth": {"type": "integer"}, "actors": {"type": "array", "items": _ref("Actor")},
            "ties": {"type": "array", "items": _ref("Tie")}}},
        "Path": {"type": "object", "required": ["found", "steps"], "properties": {
            "found": {"type": "boolean"}, "hops": {"type": "integer", "nullable": True}, "from": _ref("Actor"), "to": _ref("Actor"),
            "max_depth": {"type": "integer"},
            "steps": {"type": "array", "items": {"type": "object", "properties": {
                "actor": _ref("Actor"), "tie": {"nullable": True, "allOf": [_ref("Tie")]}}}}}},
        "Stats": {"type": "object", "required": ["actors", "ties", "actors_total", "ties_total"], "properties": {
            "actors": {"type": "object", "additionalProperties": {"type": "integer"}},
            "ties": {"type": "object", "additionalProperties": {"type": "integer"}},
            "actors_total": {"type": "integer"}, "ties_total": {"type": "integer"}}},
        "SnapshotInput": {"type": "object", "required": ["coordinator"], "additionalProperties": False, "properties": {
            "coordinator": {"type": "string", "minLength": 1}, "name": {"type": "string", "maxLength": 200},
            "hops": {"type": "integer", "minimum": 1, "maximum": 6}, "min_strength": {"type": "integer", "minimum": 1, "maximum": 5},
            "stale_days": {"type": "integer", "minimum": 0, "maximum": 100000}}},
    }


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(document())
