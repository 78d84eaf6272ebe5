"""Personal data rights (GDPR Art. 15 access and Art. 17 erasure; similar US state laws).

:func:`subject_access` gathers everything held about one actor; :func:`erase` removes their
personal details everywhere (history included) and records that it did in the audit log.
"""
from __future__ import annotations

from ..errors import ValidationError
from ..services.directory import resolve_actor


def subject_access(store, ref: str) -> dict:
    """Everything held about the actor ``ref`` (id or name).

    ``{"actor", "ties", "history", "provenance", "audit"}``: the record with contact details, every
    tie (deleted ones too), its change history, where imports said it came from, and audit entries
    naming it (who viewed or exported its contact details). Raises NotFound / ValidationError.
    """
    actor = store.get_actor(ref, include_deleted=True) or resolve_actor(store, ref)
    ties, _ = store.list_ties(actor_id=actor["id"], limit=10**6, include_deleted=True)
    audit, _ = store.list_audit(limit=10**6)
    return {
        "actor": actor,
        "ties": ties,
        "history": store.history(actor["id"]),
        "provenance": store.provenance(actor["id"]) if hasattr(store, "provenance") else [],
        "audit": [e for e in audit if actor["id"] in (e.get("target") or "").split(",")],
    }


def erase(store, ref: str, *, by: str) -> dict:
    """Erase the personal details of ``ref`` everywhere and write ``person.erase`` to the audit log."""
    actor = store.get_actor(ref, include_deleted=True) or resolve_actor(store, ref)
    if actor["kind"] != "person":
        raise ValidationError([{"field": "actor", "message": f"{actor['name']} is a {actor['kind'].replace('_', ' ')}, not a"
                                " person: erasure is for people's personal data (delete an organisation instead)"}])
    result = store.erase_personal_data(actor["id"], by=by)
    store.audit(by, "person.erase", target=actor["id"], detail={"history_entries_erased": result["history_entries_erased"]})
    return result
