"""The domain model: actors (nodes) and ties (relationships), validated in one place.

Vocabulary follows Popolo (Person, Organization, Membership, ContactDetail) and the project's
design notes: an *actor* is any node (city, agency, NGO, community actor, network, funder,
person, event, initiative); a *tie* is a typed relationship between two actors with a strength
from 1 (weak) to 5 (strong: reliable in a crisis).

Every ``validate_*`` function takes untrusted input (a JSON body or an importer row) and either
returns a clean ``dict`` or raises :class:`ValidationError` listing each bad field.
"""
from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import math
import re
import unicodedata
import uuid
from typing import Any, Iterable

from slugify import slugify

from .errors import ValidationError

ACTOR_KINDS = (
    "city",
    "agency",
    "ngo",
    "community_actor",
    "network",
    "funder",
    "person",
    "event",
    "initiative",
)

# Spellings seen in spreadsheets (Kumu "Type" column, Gephi tables) mapped onto the kinds.
KIND_ALIASES = {
    "organisation": "ngo",
    "organization": "ngo",
    "think tank": "ngo",
    "think-tank": "ngo",
    "community": "community_actor",
    "community actor": "community_actor",
    "community-actor": "community_actor",
    "community based organisation": "community_actor",
    "cbo": "community_actor",
    "government": "agency",
    "public body": "agency",
    "foundation": "funder",
    "municipality": "city",
    "people": "person",
}

# Tie types the product knows; any other label is kept as free text in ``label`` with its
# snake_case form as ``type`` (see :func:`tie_type_of`).
KNOWN_TIE_TYPES = (
    "works_for",
    "member_of",
    "part_of",
    "partners_with",
    "coordinates",
    "supports",
    "funds",
    "knows",
    "participated_in",
    "hosted",
    "mobilises",
    "shares_data_with",
    "learns_from",
)

CONTACT_TYPES = ("email", "phone", "url", "address", "other")
DIRECTIONS = ("directed", "mutual")
MIN_STRENGTH, MAX_STRENGTH = 1, 5

ACTOR_FIELDS = (
    "id",
    "name",
    "kind",
    "aliases",
    "description",
    "tags",
    "country",
    "city",
    "contact_details",
    "attributes",
    "source",
)
TIE_FIELDS = (
    "id",
    "source_id",
    "target_id",
    "type",
    "label",
    "directed",
    "strength",
    "since",
    "until",
    "last_contact",
    "source",
    "description",
    "attributes",
)

_TIE_TYPE_RE = re.compile(r"^[a-z0-9][a-z0-9_]{0,63}$")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")
MAX_TEXT = 10_000
MAX_NAME = 500


def fold(text: str | None) -> str:
    """Fold text for matching: NFKD, accents stripped, case-folded, whitespace collapsed.

    ``fold("München ist  Bunt") == "munchen ist bunt"``. Used for accent-insensitive search on
    both stores (Unicode TR15 normalisation plus ``str.casefold``).
    """
    if not text:
        return ""
    if text.isascii():  # NFKD leaves ASCII as it is, and casefold() is lower() there
        return " ".join(text.lower().split())
    return _fold_unicode(text)


@functools.lru_cache(maxsize=1 << 17)  # an import folds each name several times (matching, keys, storing)
def _fold_unicode(text: str) -> str:
    stripped = unicodedata.normalize("NFKD", text).translate(_combining_marks())
    return " ".join(stripped.casefold().split())


@functools.cache
def _combining_marks() -> dict[int, None]:
    """``str.translate`` table dropping every combining character (``unicodedata.combining`` > 0):
    one C call per name instead of a Python test per character; built on first use (10 ms)."""
    # Unicode puts combining marks in planes 0 and 1 only: planes 2-3 hold ideographs, 14 tags and
    # variation selectors (combining class 0), 15-16 private use, the rest is unassigned
    return {c: None for c in range(0x80, 0x20000) if unicodedata.combining(chr(c))}


def clean_text(value: Any) -> str:
    """NFC-normalise and trim a text value; ``None`` becomes ``""``."""
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def slug_id(name: str) -> str:
    """A readable, stable actor id derived from a name (``"München ist Bunt"`` -> ``munchen-ist-bunt``)."""
    s = slugify(name, max_length=80, word_boundary=True)
    return s or uuid.uuid4().hex[:12]


def new_actor_id(name: str, kind: str) -> str:
    """The id a new actor gets: a readable slug of its name, except for people.

    A person's id is opaque (``person-`` and 12 random hex digits) so that URLs, logs, the audit
    log and exports never carry a name, and erasing the person's details leaves nothing in the id.
    """
    if kind == "person":
        return "person-" + uuid.uuid4().hex[:12]
    return slug_id(name)


def kind_of(value: str) -> str | None:
    """Map a spreadsheet spelling of an actor kind to one of :data:`ACTOR_KINDS`, else ``None``."""
    key = clean_text(value).lower()
    if not key:
        return None
    snake = key.replace(" ", "_").replace("-", "_")
    if snake in ACTOR_KINDS:
        return snake
    if key in KIND_ALIASES:
        return KIND_ALIASES[key]
    if key.endswith("s") and key[:-1].replace(" ", "_") in ACTOR_KINDS:
        return key[:-1].replace(" ", "_")
    return None


def tie_type_of(label: str) -> str:
    """snake_case type for a tie label: ``"partners with"`` -> ``partners_with``."""
    s = slugify(label, separator="_", max_length=64)
    return s or "related_to"


def parse_date(value: Any, field: str) -> str | None:
    """Parse an ISO 8601 date (``YYYY-MM-DD``, a datetime is cut to its date); ``""``/None -> None.

    Raises :class:`ValidationError` for anything else: a day-first or month-first date is
    ambiguous, so it is refused rather than guessed.
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return _dt.date.fromisoformat(text).isoformat()
        return _dt.datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        raise ValidationError(
            [{"field": field, "message": f"{text!r} is not a valid date; use YYYY-MM-DD"}]
        ) from None


def parse_strength(value: Any, field: str = "strength") -> int | None:
    """Tie strength as an int 1..5; ``""``/None -> None. ``"4.0"`` is accepted as 4."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError([{"field": field, "message": "strength must be a whole number 1-5"}])
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValidationError(
            [{"field": field, "message": f"{value!r} is not a number; strength is 1 (weak) to 5 (strong)"}]
        ) from None
    if not number.is_integer() or not MIN_STRENGTH <= number <= MAX_STRENGTH:
        raise ValidationError(
            [{"field": field, "message": f"{value!r} is out of range; strength is a whole number 1 (weak) to 5 (strong)"}]
        )
    return int(number)


def parse_direction(value: Any, field: str = "direction") -> bool:
    """``directed``/``mutual`` (also ``undirected``, ``->``, ``<->``) -> ``directed`` flag."""
    key = clean_text(value).lower()
    if key in ("", "directed", "->", "one-way", "one way"):
        return True
    if key in ("mutual", "undirected", "<->", "two-way", "both", "bidirectional"):
        return False
    raise ValidationError(
        [{"field": field, "message": f"{value!r} is not a direction; use 'directed' or 'mutual'"}]
    )


def split_multi(value: Any, sep: str = "|") -> list[str]:
    """Split a multi-value cell (Kumu uses ``|``), trimming and dropping empties, order kept."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = value
    else:
        items = str(value).split(sep)
    out: list[str] = []
    for item in items:
        text = clean_text(item)
        if text and text not in out:
            out.append(text)
    return out


def _text(data: dict, field: str, errors: list, *, required=False, limit=MAX_TEXT) -> str | None:
    if field not in data:
        if required:
            errors.append({"field": field, "message": "is required"})
        return None
    value = data[field]
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append({"field": field, "message": "must be a string"})
        return None
    text = clean_text(value)
    if not _encodable(text):
        errors.append({"field": field, "message": "contains characters that are not valid Unicode (lone surrogates)"})
        return None
    if required and not text:
        errors.append({"field": field, "message": "must not be empty"})
    if len(text) > limit:
        errors.append({"field": field, "message": f"is longer than {limit} characters"})
    return text


MAX_LIST = 200


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _string_list(data: dict, field: str, errors: list) -> list[str] | None:
    if field not in data:
        return None
    value = data[field]
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append({"field": field, "message": "must be a list of strings"})
        return None
    items = split_multi(value)
    if len(items) > MAX_LIST or any(len(v) > MAX_NAME for v in items):
        errors.append({"field": field, "message": f"at most {MAX_LIST} entries of at most {MAX_NAME} characters"})
        return None
    if not all(_encodable(v) for v in items):
        errors.append({"field": field, "message": "contains characters that are not valid Unicode (lone surrogates)"})
        return None
    return items


def _contact_details(data: dict, errors: list) -> list[dict] | None:
    if "contact_details" not in data:
        return None
    value = data["contact_details"]
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append({"field": "contact_details", "message": "must be a list of {type, value}"})
        return None
    out = []
    for i, item in enumerate(value):
        where = f"contact_details[{i}]"
        if not isinstance(item, dict):
            errors.append({"field": where, "message": "must be an object with type and value"})
            continue
        extra = sorted(set(item) - {"type", "value", "label"})
        if extra:
            errors.append({"field": f"{where}.{extra[0]}", "message": "is not a known field (type, value, label)"})
            continue
        if not all(isinstance(item.get(k, ""), str) for k in ("type", "value", "label")):
            errors.append({"field": where, "message": "type, value and label must be strings"})
            continue
        ctype = clean_text(item.get("type")).lower()
        cvalue = clean_text(item.get("value"))
        if ctype not in CONTACT_TYPES:
            errors.append({"field": f"{where}.type", "message": f"must be one of {', '.join(CONTACT_TYPES)}"})
        if not cvalue:
            errors.append({"field": f"{where}.value", "message": "must not be empty"})
        elif not _encodable(cvalue) or len(cvalue) > MAX_NAME:
            errors.append({"field": f"{where}.value", "message": f"must be valid Unicode text of at most {MAX_NAME} characters"})
        entry = {"type": ctype, "value": cvalue}
        label = clean_text(item.get("label"))
        if label:
            entry["label"] = label
        out.append(entry)
    return out


def _attributes(data: dict, errors: list) -> dict | None:
    if "attributes" not in data:
        return None
    value = data["attributes"]
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, (str, int, float, bool))) for k, v in value.items()
    ):
        errors.append({"field": "attributes", "message": "must be an object of scalar values"})
        return None
    if len(value) > MAX_LIST or not all(
        _encodable(k) and (not isinstance(v, str) or (_encodable(v) and len(v) <= MAX_TEXT)) for k, v in value.items()
    ):
        errors.append({"field": "attributes", "message": f"at most {MAX_LIST} entries of valid Unicode text"})
        return None
    if any(isinstance(v, float) and not math.isfinite(v) for v in value.values()):
        errors.append({"field": "attributes", "message": "numbers must be finite"})
        return None
    return {clean_text(k): v for k, v in value.items() if clean_text(k)}


def _unknown(data: dict, allowed: Iterable[str], errors: list) -> None:
    for key in data:
        if key not in allowed:
            errors.append({"field": key, "message": "is not a known field"})


def validate_actor(data: Any, *, partial: bool = False) -> dict:
    """Validate an actor body; returns only the fields given (all required ones when not partial).

    Raises :class:`ValidationError` with one entry per bad field.
    """
    if not isinstance(data, dict):
        raise ValidationError([{"field": "(body)", "message": "must be a JSON object"}])
    errors: list[dict] = []
    read_only = ("created_at", "created_by", "updated_at", "updated_by", "deleted_at", "active")
    _unknown(data, ACTOR_FIELDS + read_only, errors)
    out: dict[str, Any] = {}
    if "id" in data and partial:
        errors.append({"field": "id", "message": "cannot be changed; ids are stable"})
    if "id" in data and not partial:
        if not isinstance(data["id"], str) or not _ID_RE.match(data["id"]):
            errors.append({"field": "id", "message": "must be 1-128 letters, digits, '-', '_', '.' or ':'"})
        else:
            out["id"] = data["id"]
    name = _text(data, "name", errors, required=not partial, limit=MAX_NAME)
    if name is not None:
        if partial and not name and "name" in data:
            errors.append({"field": "name", "message": "must not be empty"})
        out["name"] = name
    if "kind" in data or not partial:
        raw = data.get("kind")
        kind = kind_of(raw) if isinstance(raw, str) else None
        if kind is None:
            errors.append({"field": "kind", "message": f"must be one of {', '.join(ACTOR_KINDS)}"})
        else:
            out["kind"] = kind
    for field in ("description", "country", "city", "source"):
        value = _text(data, field, errors)
        if value is not None:
            out[field] = value
    for field in ("aliases", "tags"):
        value = _string_list(data, field, errors)
        if value is not None:
            out[field] = value
    contacts = _contact_details(data, errors)
    if contacts is not None:
        out["contact_details"] = contacts
    attributes = _attributes(data, errors)
    if attributes is not None:
        out["attributes"] = attributes
    if errors:
        raise ValidationError(errors)
    if not partial:
        out.setdefault("aliases", [])
        out.setdefault("tags", [])
        out.setdefault("contact_details", [])
        out.setdefault("attributes", {})
        for field in ("description", "country", "city", "source"):
            out.setdefault(field, "")
    return out


def check_email_contacts(actor: dict) -> dict:
    """Refuse an ``email`` contact detail that is not an e-mail address (``email-validator``,
    syntax only, no DNS). Importers normalise addresses themselves; this guards hand entry.
    Returns ``actor``; raises :class:`ValidationError` naming each bad entry."""
    import email_validator

    errors = []
    for i, c in enumerate(actor.get("contact_details") or []):
        if c["type"] != "email":
            continue
        try:
            email_validator.validate_email(c["value"].removeprefix("mailto:"), check_deliverability=False)
        except email_validator.EmailNotValidError as exc:
            errors.append({"field": f"contact_details[{i}].value", "message": f"is not an e-mail address: {exc}"})
    if errors:
        raise ValidationError(errors)
    return actor


def validate_tie(data: Any, *, partial: bool = False) -> dict:
    """Validate a tie body. ``type`` may be any label (kept in ``label``); ``direction`` or
    ``directed`` set the direction; dates are ISO 8601. Raises :class:`ValidationError`.
    """
    if not isinstance(data, dict):
        raise ValidationError([{"field": "(body)", "message": "must be a JSON object"}])
    errors: list[dict] = []
    read_only = ("created_at", "created_by", "updated_at", "updated_by", "deleted_at", "active")
    _unknown(data, TIE_FIELDS + ("direction",) + read_only, errors)
    out: dict[str, Any] = {}
    if "id" in data and partial:
        errors.append({"field": "id", "message": "cannot be changed; ids are stable"})
    if "id" in data and not partial:
        if not isinstance(data["id"], str) or not _ID_RE.match(data["id"]):
            errors.append({"field": "id", "message": "must be 1-128 letters, digits, '-', '_', '.' or ':'"})
        else:
            out["id"] = data["id"]
    for field in ("source_id", "target_id"):
        if partial and field in data:
            errors.append({"field": field, "message": "cannot be changed; delete the tie and create a new one"})
            continue
        value = _text(data, field, errors, required=not partial, limit=128)
        if value:
            out[field] = value
    if partial and "type" in data and not clean_text(data["type"]):
        errors.append({"field": "type", "message": "must not be empty"})
    label = _text(data, "type", errors, required=not partial, limit=200)
    explicit_label = _text(data, "label", errors, limit=200)
    if label:
        ttype = tie_type_of(label)
        out["type"] = ttype
        out["label"] = explicit_label or label
    elif explicit_label:
        out["label"] = explicit_label
    if "direction" in data:
        try:
            out["directed"] = parse_direction(data["direction"])
        except ValidationError as exc:
            errors.extend(exc.errors)
    if "directed" in data:
        if not isinstance(data["directed"], bool):
            errors.append({"field": "directed", "message": "must be true or false"})
        else:
            out["directed"] = data["directed"]
    if "strength" in data:
        try:
            out["strength"] = parse_strength(data["strength"])
        except ValidationError as exc:
            errors.extend(exc.errors)
    for field in ("since", "until", "last_contact"):
        if field in data:
            try:
                out[field] = parse_date(data[field], field)
            except ValidationError as exc:
                errors.extend(exc.errors)
    for field in ("description", "source"):
        value = _text(data, field, errors)
        if value is not None:
            out[field] = value
    attributes = _attributes(data, errors)
    if attributes is not None:
        out["attributes"] = attributes
    if out.get("last_contact") and out["last_contact"] > (_dt.date.today() + _dt.timedelta(days=1)).isoformat():
        errors.append({"field": "last_contact", "message": f"{out['last_contact']} is in the future"})
    if out.get("source_id") and out.get("source_id") == out.get("target_id"):
        errors.append({"field": "target_id", "message": "a tie joins two different actors"})
    if not errors and out.get("since") and out.get("until") and out["until"] < out["since"]:
        errors.append({"field": "until", "message": "is before since"})
    if errors:
        raise ValidationError(errors)
    if not partial:
        out.setdefault("directed", True)
        out.setdefault("strength", None)
        for field in ("since", "until", "last_contact"):
            out.setdefault(field, None)
        out.setdefault("description", "")
        out.setdefault("source", "")
        out.setdefault("attributes", {})
    return out


def tie_natural_key(tie: dict) -> str:
    """Deterministic tie id from its ends and type, so re-importing a sheet finds the same tie.

    For a mutual tie the ends are ordered, so ``A-B`` and ``B-A`` are one tie.
    """
    a, b = tie["source_id"], tie["target_id"]
    if not tie.get("directed", True) and b < a:
        a, b = b, a
    # the first 20 hex digits of uuid5(NAMESPACE_URL, ...), computed without building a UUID (six
    # times faster; an import makes one per row): SHA-1 with the version and variant bits set
    digest = bytearray(hashlib.sha1(_URL_NAMESPACE + f"graph-service:{a}|{b}|{tie['type']}".encode("utf-8")).digest()[:10])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    return "t-" + digest.hex()


_URL_NAMESPACE = uuid.NAMESPACE_URL.bytes


def now_iso() -> str:
    """Current UTC time as ISO 8601 with milliseconds and ``Z``."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
