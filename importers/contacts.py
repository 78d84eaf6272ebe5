"""Contact lists: people and their organisations from any table (CSV/XLSX exports of Outlook,
Google Contacts (current and legacy headers), Thunderbird, or a city's own sheet) and vCards.

Each row becomes a Person (or an Organization when the row names only an organisation); the
organisation a person works for becomes an actor too, joined by a ``works_for`` tie carrying the
role and department (a Popolo Membership); ``member_of`` columns (network, Fraktion) give
``member_of`` ties. Columns are recognised by :mod:`importers.headers` or an explicit mapping
(:mod:`importers.mapping`); every other non-empty cell is kept in the actor's ``attributes``
under its header. Values are normalised by :mod:`importers.normalise`: phones to E.164 (with the
import's region), e-mail syntax and case, NFC names, dates as the user states them.

A phone or e-mail address that cannot be normalised is kept as written in ``attributes`` and
reported as a warning; a row without any name, e-mail or phone, with a bad date or an unknown
kind is rejected.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from graph_service.errors import ImportRefused
from graph_service.model import ACTOR_KINDS, fold, kind_of

from . import normalise as norm
from .headers import CONTACT_FIELDS, field_for, google_column, key
from .records import ActorRecord, Batch, ImportOptions, TieRecord
from .tabular import Table

_NAME_PARTS = ("first_name", "middle_name", "last_name")
_GOOGLE_SYSTEM_GROUPS = {"mycontacts", "starred"}  # Google's own groups, not labels a person chose
_KEPT_AS_ATTRIBUTES = {"prefix", "suffix", "region", "street", "postcode", "from", "to", "tie_type", "direction",
                       "strength", "since", "until", "last_contact"}
PERSONISH = {"first_name", "last_name", "middle_name", "organization", "role", "department", "prefix", "nickname", "birthday"}


@dataclass
class Column:
    """How one column is read: ``field`` (None: kept as an attribute), a ContactDetail ``label``,
    and for Google's numbered columns the ``group`` (``("email", 1)``) joining value and label."""

    index: int
    header: str
    field: str | None
    label: str | None = None
    group: tuple | None = None
    part: str | None = None  # "value" or "label" for grouped columns


@dataclass
class ContactRow:
    """One contact as read (a table row or a vCard), before it becomes records."""

    where: dict
    values: dict = field(default_factory=dict)       # field -> text
    columns: dict = field(default_factory=dict)      # field -> header (for messages)
    contacts: list = field(default_factory=list)     # (type, raw value, label, header)
    member_of: list = field(default_factory=list)
    attributes: dict = field(default_factory=dict)
    present: set = field(default_factory=set)        # fields the source has columns for


def plan_columns(table: Table, options: ImportOptions) -> tuple[list[Column], list[tuple[str, list[int]]]]:
    """``(columns, combined)``: how each column is read, and ``(field, [column indexes])`` joins."""
    mapping = options.mapping
    explicit = mapping.columns if mapping else {}
    combined: list[tuple[str, list[int]]] = []
    used: set[int] = set()
    keys = [key(h) for h in table.header]
    if mapping:
        for target, groups in mapping.combine.items():
            for wanted in groups:
                idx = []
                for w in wanted:
                    if w not in keys:
                        raise ImportRefused([{"file": mapping.file, "column": f"combine.{target}",
                                              "message": f"no column {w!r} in {table.file} ({table.sheet}); its columns are {', '.join(table.header)}"}])
                    idx.append(keys.index(w))
                combined.append((target, idx))
                used.update(idx)
    cols: list[Column] = []
    for i, header in enumerate(table.header):
        if i in used:
            continue
        k = keys[i]
        if k in explicit:
            target = explicit[k]
            cols.append(Column(i, header, None if target == "attribute" else target))
            continue
        g = google_column(k)
        if g and g[2] in ("label", "type") and g[0] in ("e mail", "email", "phone", "website", "address"):
            kind = {"e mail": "email", "email": "email", "phone": "phone", "website": "url", "address": "address"}[g[0]]
            cols.append(Column(i, header, "contact_label", group=(kind, g[1]), part="label"))
            continue
        found = field_for(header)
        if k == "action":
            cols.append(Column(i, header, "action"))
        elif found is None:
            cols.append(Column(i, header, None))
        else:
            f, label = found
            group = None
            if g and f in CONTACT_FIELDS:
                group = (CONTACT_FIELDS[f], g[1])
            cols.append(Column(i, header, f, label=label, group=group, part="value" if group else None))
    if mapping:
        for k in explicit:
            if k not in keys:
                raise ImportRefused([{"file": mapping.file, "column": f"columns.{k}",
                                      "message": f"no column {k!r} in {table.file} ({table.sheet}); its columns are {', '.join(table.header)}"}])
    return cols, combined


def describe_columns(table: Table, cols: list[Column], combined) -> list[dict]:
    """``[{file, sheet, column, field}]`` for the plan: how each column was understood."""
    out = []
    for c in sorted(cols, key=lambda c: c.index):
        f = c.field or "attribute"
        if c.field == "contact_label":
            f = f"{c.group[0]} label"
        out.append({"file": table.file, "sheet": table.sheet, "column": c.header, "field": f})
    for target, idx in combined:
        out.append({"file": table.file, "sheet": table.sheet, "column": " + ".join(table.header[i] for i in idx), "field": target})
    return out


def looks_like_people(cols: list[Column], combined) -> bool:
    fields = {c.field for c in cols} | {t for t, _ in combined}
    return bool(fields & PERSONISH)


def rows_from_table(table: Table, options: ImportOptions, batch: Batch) -> list[ContactRow]:
    """Read a contact table into :class:`ContactRow` objects (skipping rows marked for deletion)."""
    cols, combined = plan_columns(table, options)
    batch.columns.extend(describe_columns(table, cols, combined))
    if not any(c.field in ("name", "first_name", "last_name", "organization", "email", "phone", "nickname") for c in cols) \
            and not any(t in ("name", "first_name", "last_name", "organization", "email", "phone") for t, _ in combined):
        raise ImportRefused([{**table.where(), "message": (
            f"no column gives a name, organisation, e-mail or phone (columns: {', '.join(table.header[:12])}"
            f"{'...' if len(table.header) > 12 else ''}); name them in a mapping file (--mapping) or rename a column to Name")}])
    present = {c.field for c in cols if c.field} | {t for t, _ in combined}
    label_cols = {c.group: c.index for c in cols if c.field == "contact_label"}
    out: list[ContactRow] = []
    for row, values in table.rows:
        cr = ContactRow(where=table.where(row), present=present)
        skip = False
        for c in cols:
            v = values[c.index]
            if not v or not v.strip():
                continue
            f = c.field
            if f is None:
                cr.attributes[c.header] = norm.multiline(v)
            elif f == "action":
                if v.strip().lower() == "delete":
                    batch.warn(table.where(row), f"the row says {c.header}=delete: not imported (delete the actor in graph-service if it should go)", c.header)
                    skip = True
            elif f == "contact_label":
                continue
            elif f in CONTACT_FIELDS:
                label = c.label
                if c.group and c.group in label_cols:
                    raw_label = values[label_cols[c.group]].strip()
                    label = raw_label.lstrip("* ").strip() or label
                for item in norm.split_values(v, emails=f == "email") if f != "address" else [norm.multiline(v)]:
                    cr.contacts.append((CONTACT_FIELDS[f], item, label, c.header))
            elif f == "member_of":
                cr.member_of.extend((item, c.header) for item in norm.split_values(v))
            elif f in cr.values:
                # a second column for the same field (e.g. two Notes columns): keep it as an attribute
                cr.attributes[c.header] = norm.multiline(v)
            else:
                cr.values[f] = v
                cr.columns[f] = c.header
        for target, idx in combined:
            joined = " ".join(values[i].strip() for i in idx if values[i].strip())
            if not joined:
                continue
            header = " + ".join(table.header[i] for i in idx)
            if target in CONTACT_FIELDS:
                cr.contacts.append((CONTACT_FIELDS[target], joined, None, header))
            else:
                cr.values[target] = joined
                cr.columns[target] = header
        if not skip:
            out.append(cr)
    return out


class ContactBuilder:
    """Turns :class:`ContactRow` objects into actor and tie records of one batch.

    Organisations named in several rows become one record; a row that is itself an organisation
    replaces the implicit one of the same name.
    """

    def __init__(self, batch: Batch, options: ImportOptions, *, people: bool):
        self.batch = batch
        self.options = options
        self.people = people
        self.org_kind = kind_of(options.org_kind or "") or "ngo"
        self.orgs: dict[str, ActorRecord] = {}
        self.phone_map = norm.Phones([], options.region)

    def prepare(self, rows: list["ContactRow"]) -> None:
        """Start normalising every phone number of ``rows`` (ahead, in parallel, on big imports);
        :meth:`close` when done."""
        raws = [raw for cr in rows for ctype, raw, _, _ in cr.contacts if ctype == "phone"]
        if raws:
            self.phone_map = norm.phones(raws, self.options.region, self.options.workers)

    def close(self) -> None:
        self.phone_map.close()

    def _org(self, name: str, where: dict, column: str | None) -> ActorRecord:
        k = fold(name)
        rec = self.orgs.get(k)
        if rec is None:
            rec = ActorRecord(where={**where, "column": column} if column else dict(where), name=norm.text(name),
                              kind=self.org_kind, ref="org:" + k, match="org", implicit=True)
            self.orgs[k] = rec
            self.batch.actors.append(rec)
        return rec

    def _kind(self, cr: ContactRow, org_row: bool) -> tuple[str | None, str | None]:
        """``(kind, error)`` for a row: its type column, else an organisation row's ``org_kind``,
        else ``--kind``, else ``person`` in a list of people."""
        raw = cr.values.get("kind", "")
        if raw.strip():
            mapping = self.options.mapping
            kind = (mapping.kind_for(raw) if mapping else None) or kind_of(raw)
            if kind is None and self.options.kind:
                cr.attributes[cr.columns["kind"]] = norm.text(raw)
                kind = kind_of(self.options.kind)
            if kind is None:
                return None, (f"Type {norm.text(raw)!r} is not an actor kind; use one of {', '.join(ACTOR_KINDS)}, "
                              "or give --kind to import such rows as one kind (their type is kept as an attribute)")
            return kind, None
        if org_row:
            return self.org_kind, None
        if self.options.kind:
            return kind_of(self.options.kind), None
        return "person", None

    def _contacts(self, cr: ContactRow) -> list[dict]:
        contacts: list[dict] = []
        seen: set[tuple[str, str]] = set()
        for ctype, raw, label, header in cr.contacts:
            try:
                if ctype == "email":
                    value = norm.email(raw)
                elif ctype == "phone":
                    value, error = self.phone_map.get(raw)
                    if error is not None:
                        raise norm.Unusable(error)
                elif ctype == "address":
                    value = norm.multiline(raw)
                else:
                    value = norm.text(raw)
            except norm.Unusable as exc:
                self.batch.warn(cr.where, f"{exc}; kept as written in the attribute {header!r}", header)
                prev = cr.attributes.get(header)
                cr.attributes[header] = f"{prev}; {norm.text(raw)}" if prev else norm.text(raw)
                continue
            if (ctype, value) in seen:
                continue
            seen.add((ctype, value))
            entry = {"type": ctype, "value": value}
            if label:
                entry["label"] = label
            contacts.append(entry)
        return contacts

    def add(self, cr: ContactRow) -> None:
        """Add one contact (a person, or an organisation row) with its memberships."""
        batch, where, v = self.batch, cr.where, cr.values
        errors: list[tuple[str, str | None]] = []
        parts = {p: norm.text(v.get(p, "")) for p in _NAME_PARTS}
        composed = norm.person_name(parts["first_name"], parts["middle_name"], parts["last_name"])
        name = norm.text(v.get("name", ""))
        if name and composed:
            for p in _NAME_PARTS:  # the parts are kept, never dropped
                if parts[p]:
                    cr.attributes[cr.columns[p]] = parts[p]
        written_as = ""
        if name and composed and name != composed and sorted(fold(name).replace(",", " ").split()) == sorted(fold(composed).split()):
            written_as, name = name, composed  # "UNBEKANNT, Stephanie" + first/last columns: the name as one says it
        name = name or composed
        nickname = norm.text(v.get("nickname", ""))
        org = norm.text(v.get("organization", ""))
        contacts = self._contacts(cr)
        made_up = False
        if not name:
            if nickname:
                name = nickname
            elif org:
                name = org
            elif contacts:
                name, made_up = contacts[0]["value"], True
                batch.warn(where, f"no name: the contact is named after its {contacts[0]['type']} {name!r}; add a name to the row")
            else:
                batch.reject(where, "the row has no name, organisation, e-mail or phone", cr.columns.get("name"))
                return
        org_row = bool(org) and fold(name) == fold(org)
        kind, error = self._kind(cr, org_row)
        if error:
            errors.append((error, cr.columns.get("kind")))
        fields: dict = {}
        if "description" in cr.present:
            fields["description"] = norm.multiline(v.get("description", ""))
        for f in ("city", "country"):
            if f in cr.present:
                fields[f] = norm.text(v.get(f, ""))
        if "tags" in cr.present:
            tags: list[str] = []
            for t in norm.split_values(v.get("tags", "")):
                t = t.lstrip("* ").strip()
                if t and fold(t).replace(" ", "") not in _GOOGLE_SYSTEM_GROUPS and t not in tags:
                    tags.append(t)
            fields["tags"] = tags
        aliases = norm.split_values(v.get("aliases", "")) if "aliases" in cr.present else []
        for other in (nickname, written_as):
            if other and other != name and other not in aliases:
                aliases.append(other)
        if written_as:
            cr.present = cr.present | {"aliases"}
        if "aliases" in cr.present or "nickname" in cr.present:
            fields["aliases"] = aliases
        if v.get("birthday", "").strip():
            try:
                cr.attributes["birthday"] = norm.date(v["birthday"], self.options.date_order)
            except norm.Unusable as exc:
                errors.append((str(exc), cr.columns["birthday"]))
        actor_id = norm.text(v.get("id", "")) or None
        if errors:
            for message, column in errors:
                batch.reject(where, message, column)
            return
        for f, header in cr.columns.items():  # recognised but not an actor field: kept as an attribute
            if f in _KEPT_AS_ATTRIBUTES and v.get(f, "").strip():
                cr.attributes[header] = norm.multiline(v[f])
        is_org = kind != "person"
        for f in ("role", "department"):
            if v.get(f, "").strip() and (is_org or not org):
                cr.attributes[cr.columns[f]] = norm.text(v[f])
        if is_org and org and fold(org) != fold(name):
            cr.attributes[cr.columns["organization"]] = org
        if is_org:
            k = fold(name)
            record = ActorRecord(where=where, name=name, kind=kind, ref="org:" + k, match="org", id=actor_id,
                                 fields=fields, contacts=contacts, attributes=cr.attributes, name_columns=not made_up)
            known = self.orgs.get(k)
            if known is not None and known.implicit:
                batch.actors[batch.actors.index(known)] = record  # the row of the organisation itself wins
            else:
                batch.actors.append(record)  # a repeated organisation row is merged by the resolver
            if known is None or known.implicit:
                self.orgs[k] = record
            person = record
        else:
            person = ActorRecord(where=where, name=name, kind=kind, ref=f"row:{where.get('sheet')}:{where.get('row')}",
                                 match="person", id=actor_id, fields=fields, contacts=contacts,
                                 attributes=cr.attributes, organization=org, name_columns=not made_up)
            batch.actors.append(person)
            if org:
                org_rec = self._org(org, where, cr.columns.get("organization"))
                attrs = {f: norm.text(v[f]) for f in ("role", "department") if v.get(f, "").strip()}
                batch.ties.append(TieRecord(where=where, source_ref=person.ref, target_ref=org_rec.ref,
                                            type="works_for", label="works for", fields={"directed": True},
                                            attributes=attrs))
        for group, header in cr.member_of:
            grp = self._org(group, where, header)
            if grp is person:
                continue
            batch.ties.append(TieRecord(where=where, source_ref=person.ref, target_ref=grp.ref, type="member_of",
                                        label="member of", fields={"directed": True}))


def read_tables(tables: list[Table], options: ImportOptions, fmt: str = "contacts") -> Batch:
    """A :class:`Batch` of people, organisations and memberships from contact tables."""
    batch = Batch(format=fmt, files=sorted({t.file for t in tables}))
    for table in tables:
        rows = rows_from_table(table, options, batch)
        cols, combined = plan_columns(table, options)
        people = looks_like_people(cols, combined) or fmt in ("google", "outlook", "vcard")
        has_kind = any(c.field == "kind" for c in cols)
        if not (people or has_kind or options.kind):
            raise ImportRefused([{**table.where(), "message": (
                "the table does not say what kind of actor each row is (no Type column, no first/last name, "
                "organisation or role column); give --kind person for a list of people, or the kind of the "
                f"organisations it lists (one of {', '.join(k for k in ACTOR_KINDS if k != 'person')}), e.g. --kind city")}])
        builder = ContactBuilder(batch, options, people=people)
        try:
            builder.prepare(rows)
            progress = options.progress
            total = len(rows)
            for i, cr in enumerate(rows):
                builder.add(cr)
                if progress and i % 2000 == 0:
                    progress("reading rows", i, total)
        finally:
            builder.close()
        if progress:
            progress("reading rows", total, total)
        batch.rows_read += len(table.rows)
        for note in table.notes:
            batch.notes.append(f"{table.file} ({table.sheet}): {note}")
    return batch
