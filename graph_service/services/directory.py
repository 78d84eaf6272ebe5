"""Finding actors by id or name, and what a role may see of them."""
from __future__ import annotations

from ..errors import NotFound, ValidationError


def resolve_actor(store, ref: str, field: str = "actor", *, exclude=frozenset()) -> dict:
    """The live actor whose id is ``ref``, else whose name or alias equals it (case and accents ignored).
    Actors whose ids are in ``exclude`` (hidden from the caller) are treated as absent.

    Raises NotFound (with close matches in the message) or ValidationError when a name is ambiguous.
    """
    ref = (ref or "").strip()
    if not ref:
        raise ValidationError([{"field": field, "message": "an actor id or name is required"}])
    actor = store.get_actor(ref) if ref not in exclude else None
    if actor is not None:
        return actor
    matches = store.find_actors_by_name(ref, exclude=exclude)
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        ids = ", ".join(m["id"] for m in matches[:10])
        raise ValidationError([{"field": field, "message": f"{ref!r} names several actors ({ids}); use an id"}])
    close, _ = store.list_actors(q=ref, limit=5, exclude=exclude)
    hint = f"; did you mean {', '.join(repr(a['name']) for a in close)}?" if close else ""
    raise NotFound(f"no actor with id or name {ref!r}{hint}")


def visible_actor(actor: dict, can_see_contacts: bool) -> dict:
    """The actor as a role may see it: personal data only for editors and admins.

    Personal data are the contact details of every actor and, for people, the attributes too
    (importers keep unrecognised columns there: a private address, a birthday, a phone number
    that could not be normalised).
    """
    if can_see_contacts:
        return actor
    hidden = {"contact_details", "attributes"} if actor.get("kind") == "person" else {"contact_details"}
    return {k: v for k, v in actor.items() if k not in hidden}
