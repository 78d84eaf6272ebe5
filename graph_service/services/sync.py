"""Import as plan-then-apply: diff validated rows against the store, then apply in one transaction.

A plan is ``{"actors": {"created": [...], "updated": [...], "unchanged": [...]}, "ties": {...},
"counts": {...}}`` where each updated entry lists ``changes: {field: [old, new]}``. Applying
calls ``GraphStore.apply_batch``: all or nothing.
"""
from __future__ import annotations

from pathlib import Path

from importers import kumu

from ..store.common import ACTOR_DATA_FIELDS, TIE_DATA_FIELDS, changed_fields


def _describe_tie(tie: dict, names: dict) -> str:
    return f"{names.get(tie['source_id'], tie['source_id'])} -[{tie.get('label') or tie['type']}]-> {names.get(tie['target_id'], tie['target_id'])}"


def plan(store, actors: list[dict], ties: list[dict]) -> dict:
    """Compare rows with the store; nothing is written."""
    result = {
        "actors": {"created": [], "updated": [], "unchanged": []},
        "ties": {"created": [], "updated": [], "unchanged": []},
    }
    names = {a["id"]: a["name"] for a in actors}
    for actor in actors:
        before = store.get_actor(actor["id"], include_deleted=True)
        entry = {"id": actor["id"], "name": actor["name"], "source": actor.get("source", "")}
        if before is None:
            result["actors"]["created"].append(entry)
            continue
        diff = changed_fields(before, actor, ACTOR_DATA_FIELDS)
        diff.pop("source", None)
        if before.get("deleted_at"):
            diff["deleted_at"] = None
        if diff:
            entry["changes"] = {f: [before.get(f), v] for f, v in diff.items()}
            result["actors"]["updated"].append(entry)
        else:
            result["actors"]["unchanged"].append(entry)
    for tie in ties:
        for end in ("source_id", "target_id"):
            if tie[end] not in names:
                other = store.get_actor(tie[end])
                if other:
                    names[tie[end]] = other["name"]
        before = store.get_tie(tie["id"], include_deleted=True)
        entry = {"id": tie["id"], "tie": _describe_tie(tie, names), "source": tie.get("source", "")}
        if before is None:
            result["ties"]["created"].append(entry)
            continue
        diff = changed_fields(before, tie, TIE_DATA_FIELDS)
        diff.pop("source", None)
        if before.get("deleted_at"):
            diff["deleted_at"] = None
        if diff:
            entry["changes"] = {f: [before.get(f), v] for f, v in diff.items()}
            result["ties"]["updated"].append(entry)
        else:
            result["ties"]["unchanged"].append(entry)
    result["counts"] = {
        kind: {status: len(items) for status, items in result[kind].items()} for kind in ("actors", "ties")
    }
    return result


def import_files(store, paths: list[Path], *, dry_run: bool = False, by: str = "import") -> dict:
    """Read Kumu-layout files, plan, and (unless ``dry_run``) apply in one transaction.

    Returns the plan plus ``applied: bool``. Raises ImportRefused (bad rows: nothing written),
    StoreUnavailable.
    """
    source = kumu.read([Path(p) for p in paths])
    actors, ties = kumu.parse(source, store)
    result = plan(store, actors, ties)
    result["files"] = [Path(p).name for p in paths]
    result["applied"] = False
    if not dry_run:
        store.apply_batch(actors, ties, by=by)
        result["applied"] = True
    return result


def demo_files() -> list[Path]:
    """The bundled demo data: the transatlantic mayoral roundtable as a Kumu workbook."""
    return [Path(__file__).resolve().parent.parent / "demo_data" / "roundtable.xlsx"]
