"""vCard files (RFC 2426 3.0, RFC 6350 4.0 and the older 2.1) read with ``vobject``.

Each card becomes a :class:`~importers.contacts.ContactRow` and then a Person (or an Organization
for ``KIND:org`` cards and cards naming only an organisation): FN/N -> name, NICKNAME -> alias,
ORG -> organisation (and department), TITLE/ROLE -> role, EMAIL/TEL/URL/ADR -> contact details
with their TYPE as label, NOTE -> description, CATEGORIES -> tags, BDAY -> birthday,
UID -> matches an existing actor with that id (our own exports). Other properties are kept as
attributes. Locations name the card: ``row`` is the card's number in the file.
"""
from __future__ import annotations

import vobject

from graph_service.errors import ImportRefused
from graph_service.model import fold

from . import normalise as norm
from .contacts import ContactBuilder, ContactRow
from .records import Batch, ImportOptions, InputFile
from .textfile import decode

_SKIP = {"version", "prodid", "rev", "photo", "logo", "sound", "key", "fn", "n", "nickname", "org", "title", "role",
         "email", "tel", "url", "adr", "note", "categories", "bday", "uid", "kind", "label", "x-abshowas"}
_TEL_LABELS = {"cell": "mobile", "mobile": "mobile", "work": "work", "home": "home", "fax": "fax", "pager": "pager"}


def _types(prop) -> list[str]:
    values = []
    for v in prop.params.get("TYPE", []):
        values.extend(x.strip().lower() for x in str(v).split(","))
    values.extend(s.lower() for s in getattr(prop, "singletonparams", []) or [])
    return [v for v in values if v and v not in ("internet", "voice", "pref", "x400")]


def _label(prop, table=None) -> str | None:
    for t in _types(prop):
        if table is None:
            return t
        if t in table:
            return table[t]
    return None


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(norm.text(v) for v in value if norm.text(v))
    return str(value or "")


def _address(value) -> str:
    """A vobject Address as one line: ``street, postcode city, region, country``."""
    try:
        street = _text(value.street)
        city_line = " ".join(p for p in (_text(value.code), _text(value.city)) if p)
        parts = [_text(value.box), _text(value.extended), street, city_line, _text(value.region), _text(value.country)]
        return ", ".join(norm.text(p) for p in parts if norm.text(p))
    except AttributeError:
        return norm.text(_text(value))


def card_rows(inp: InputFile, options: ImportOptions, batch: Batch) -> list[ContactRow]:
    """The cards of a .vcf file as contact rows. Raises ImportRefused for an unreadable file."""
    try:
        data = inp.path.read_bytes()
    except FileNotFoundError:
        raise ImportRefused([{"file": inp.name, "message": "file not found"}]) from None
    text, _ = decode(data, inp.name, options.encoding)
    if "BEGIN:VCARD" not in text.upper():
        raise ImportRefused([{"file": inp.name, "message": "not a vCard file (no BEGIN:VCARD)"}])
    rows: list[ContactRow] = []
    present = {"description", "tags", "aliases", "nickname", "organization"}
    try:
        cards = list(vobject.readComponents(text, validate=False, ignoreUnreadable=True))
    except Exception as exc:  # vobject.base.ParseError and friends
        line = getattr(exc, "lineNumber", None)
        raise ImportRefused([{"file": inp.name, "row": line, "message": f"not a readable vCard file: {exc}"}]) from None
    for number, card in enumerate(cards, start=1):
        if card.name.upper() != "VCARD":
            continue
        where = {"file": inp.name, "sheet": "", "row": number}
        cr = ContactRow(where=where, present=set(present))
        c = card.contents

        def first(name):
            items = c.get(name)
            return items[0] if items else None

        fn = first("fn")
        if fn is not None and norm.text(fn.value):
            cr.values["name"], cr.columns["name"] = norm.text(fn.value), "FN"
        n = first("n")
        if n is not None and hasattr(n.value, "given"):
            given, middle, family = _text(n.value.given), _text(n.value.additional), _text(n.value.family)
            # N spelling out what FN says (as every card we export does) adds nothing to keep
            if not cr.values.get("name") or fold(norm.person_name(given, middle, family)) != fold(cr.values["name"]):
                cr.values["first_name"], cr.values["middle_name"], cr.values["last_name"] = given, middle, family
                for p in ("first_name", "middle_name", "last_name"):
                    cr.columns[p] = "N"
            if _text(n.value.prefix):
                cr.attributes["prefix"] = norm.text(_text(n.value.prefix))
            if _text(n.value.suffix):
                cr.attributes["suffix"] = norm.text(_text(n.value.suffix))
        nick = first("nickname")
        if nick is not None:
            cr.values["nickname"], cr.columns["nickname"] = _text(nick.value), "NICKNAME"
        org = first("org")
        if org is not None:
            parts = org.value if isinstance(org.value, list) else [org.value]
            parts = [norm.text(p) for p in parts if norm.text(p)]
            if parts:
                cr.values["organization"], cr.columns["organization"] = parts[0], "ORG"
                if len(parts) > 1:
                    cr.values["department"], cr.columns["department"] = ", ".join(parts[1:]), "ORG"
        for prop_name in ("title", "role"):
            p = first(prop_name)
            if p is not None and norm.text(_text(p.value)) and "role" not in cr.values:
                cr.values["role"], cr.columns["role"] = norm.text(_text(p.value)), prop_name.upper()
        for prop in c.get("email", []):
            cr.contacts.append(("email", _text(prop.value), _label(prop), "EMAIL"))
        for prop in c.get("tel", []):
            cr.contacts.append(("phone", _text(prop.value), _label(prop, _TEL_LABELS), "TEL"))
        for prop in c.get("url", []):
            cr.contacts.append(("url", _text(prop.value), _label(prop), "URL"))
        for prop in c.get("adr", []):
            line = _address(prop.value)
            if line:
                cr.contacts.append(("address", line, _label(prop), "ADR"))
        note = first("note")
        if note is not None:
            cr.values["description"], cr.columns["description"] = str(note.value), "NOTE"
        cats = first("categories")
        if cats is not None:
            cr.values["tags"], cr.columns["tags"] = "|".join(cats.value if isinstance(cats.value, list) else [cats.value]), "CATEGORIES"
        bday = first("bday")
        if bday is not None and _text(bday.value).strip():
            raw = _text(bday.value).strip()
            if len(raw) == 8 and raw.isdigit():  # vCard basic format 19600510
                raw = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
            cr.values["birthday"], cr.columns["birthday"] = raw, "BDAY"
        kind = first("kind") or first("x-abshowas")
        if kind is not None and _text(kind.value).strip().lower() in ("org", "organization", "company"):
            # an organisation's own card: FN names it; a different ORG text is kept as an attribute
            name = cr.values.get("name") or cr.values.get("organization", "")
            org_text = "; ".join(p for p in (cr.values.get("organization"), cr.values.pop("department", None)) if p)
            if org_text and org_text != name:
                cr.attributes["ORG"] = org_text
            cr.values["organization"] = cr.values["name"] = name
            cr.columns.setdefault("organization", "ORG")
        uid = first("uid")
        if uid is not None and _text(uid.value).strip():
            cr.attributes["UID"] = _text(uid.value).strip()
        for name, props in c.items():
            if name in _SKIP:
                continue
            values = [norm.multiline(_text(p.value)) for p in props if norm.multiline(_text(p.value))]
            if values:
                cr.attributes[name.upper()] = "; ".join(values)
        rows.append(cr)
    return rows


def read(inputs: list[InputFile], options: ImportOptions) -> Batch:
    """A :class:`Batch` of the people and organisations on the cards of ``inputs``."""
    batch = Batch(format="vcard", files=[i.name for i in inputs])
    builder = ContactBuilder(batch, options, people=True)
    for inp in inputs:
        rows = card_rows(inp, options, batch)
        before = len(batch.actors)
        for cr in rows:
            builder.add(cr)
        for rec in batch.actors[before:]:
            uid = rec.attributes.get("UID") if not rec.implicit else None
            if uid:
                rec.lookup_id = uid
        batch.rows_read += len(rows)
        batch.columns.append({"file": inp.name, "sheet": "", "column": "FN, N, ORG, TITLE, EMAIL, TEL, URL, ADR, NOTE, CATEGORIES, BDAY",
                              "field": "name, organisation, role, contact details, description, tags, birthday"})
    return batch
