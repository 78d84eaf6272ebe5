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

from dataclasses import dataclass

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


class ContactRow:
    """One contact as read (a table row or a vCard), before it becomes records: ``values`` (field
    -> text), ``columns`` (field -> header, for messages), ``contacts`` (``(type, raw value,
    label, header)``), ``member_of`` (``(name, header)``), ``attributes`` (header -> text) and
    ``present`` (the fields the source has columns for)."""

    # a plain class with slots: a 100,000-row import makes one per row (a dataclass with
    # default factories costs several times as much to build)
    __slots__ = ("where", "values", "columns", "contacts", "member_of", "attributes", "present")

    def __init__(self, where: dict, values: dict | None = None, columns: dict | None = None,
                 contacts: list | None = None, member_of: list | None = None, attributes: dict | None = None,
                 present: set | None = None):
        self.where = where
        self.values = {} if values is None else values
        self.columns = {} if columns is None else columns
        self.contacts = [] if contacts is None else contacts
        self.member_of = [] if member_of is None else member_of
        self.attributes = {} if attributes is None else attributes
        self.present = set() if present is None else present


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


# what rows_from_table does with a cell of a column (the column's field decides)
_FIELD, _ATTRIBUTE, _ACTION, _CONTACT, _MEMBER = range(5)


def looks_like_people(cols: list[Column], combined) -> bool:
    fields = {c.field for c in cols} | {t for t, _ in combined}
    return bool(fields & PERSONISH)


def rows_from_table(table: Table, options: ImportOptions, batch: Batch,
                    phones: norm.Phones | None = None) -> list[ContactRow]:
    """Read a contact table into :class:`ContactRow` objects (skipping rows marked for deletion).

    ``phones``: where the phone numbers go as they are read (:meth:`~importers.normalise.Phones.add`),
    so that its workers parse them meanwhile."""
    cols, combined = plan_columns(table, options)
    batch.columns.extend(describe_columns(table, cols, combined))
    if not any(c.field in ("name", "first_name", "last_name", "organization", "email", "phone", "nickname") for c in cols) \
            and not any(t in ("name", "first_name", "last_name", "organization", "email", "phone") for t, _ in combined):
        raise ImportRefused([{**table.where(), "message": (
            f"no column gives a name, organisation, e-mail or phone (columns: {', '.join(table.header[:12])}"
            f"{'...' if len(table.header) > 12 else ''}); name them in a mapping file (--mapping) or rename a column to Name")}])
    present = {c.field for c in cols if c.field} | {t for t, _ in combined}
    label_cols = {c.group: c.index for c in cols if c.field == "contact_label"}
    # each column's work decided once, not per cell: (index, what, header, field, contact type,
    # its label, the index of its label column, e-mail splitting); label columns are read with
    # the values they label
    plan = []
    for c in cols:
        f = c.field
        if f == "contact_label":
            continue
        if f is None:
            plan.append((c.index, _ATTRIBUTE, c.header, None, None, None, None, False))
        elif f == "action":
            plan.append((c.index, _ACTION, c.header, f, None, None, None, False))
        elif f in CONTACT_FIELDS:
            label_index = label_cols.get(c.group) if c.group else None
            plan.append((c.index, _CONTACT, c.header, f, CONTACT_FIELDS[f], c.label, label_index, f == "email"))
        elif f == "member_of":
            plan.append((c.index, _MEMBER, c.header, f, None, None, None, False))
        else:
            plan.append((c.index, _FIELD, c.header, f, None, None, None, False))
    combined_plan = [(target, idx, " + ".join(table.header[i] for i in idx)) for target, idx in combined]
    multiline, split_values = norm.multiline, norm.split_values
    send = phones.add if phones is not None else None
    file, sheet = table.file, table.sheet
    out: list[ContactRow] = []
    for row, values in table.rows:
        where = {"file": file, "sheet": sheet, "row": row}
        found: dict = {}
        columns: dict = {}
        contacts: list = []
        member_of: list = []
        attributes: dict = {}
        skip = False
        for index, what, header, f, ctype, label, label_index, emails in plan:
            v = values[index]
            if not v or not v.strip():
                continue
            if what is _FIELD:
                if f in found:
                    # a second column for the same field (e.g. two Notes columns): keep it as an attribute
                    attributes[header] = multiline(v)
                else:
                    found[f] = v
                    columns[f] = header
            elif what is _CONTACT:
                if label_index is not None:
                    label = values[label_index].strip().lstrip("* ").strip() or label
                if ctype == "address":
                    contacts.append((ctype, multiline(v), label, header))
                else:
                    items = split_values(v, emails=emails)
                    for item in items:
                        contacts.append((ctype, item, label, header))
                    if ctype == "phone" and send is not None:
                        send(items)
            elif what is _ATTRIBUTE:
                attributes[header] = multiline(v)
            elif what is _MEMBER:
                member_of.extend((item, header) for item in split_values(v))
            elif v.strip().lower() == "delete":  # _ACTION
                batch.warn(where, f"the row says {header}=delete: not imported (delete the actor in graph-service if it should go)", header)
                skip = True
        for target, idx, header in combined_plan:
            joined = " ".join(values[i].strip() for i in idx if values[i].strip())
            if not joined:
                continue
            if target in CONTACT_FIELDS:
                contacts.append((CONTACT_FIELDS[target], joined, None, header))
                if target == "phone" and send is not None:
                    send((joined,))
            else:
                found[target] = joined
                columns[target] = header
        if not skip:
            out.append(ContactRow(where, found, columns, contacts, member_of, attributes, present))
    if phones is not None:
        phones.flush()
    return out


class ContactBuilder:
    """Turns :class:`ContactRow` objects into actor and tie records of one batch.

    Organisations named in several rows become one record; a row that is itself an organisation
    replaces the implicit one of the same name. ``phones``: the numbers of the rows, already on
    their way to being parsed (:class:`~importers.normalise.Phones`); else :meth:`prepare` them.
    """

    def __init__(self, batch: Batch, options: ImportOptions, *, people: bool, phones: norm.Phones | None = None):
        self.batch = batch
        self.options = options
        self.people = people
        self.org_kind = kind_of(options.org_kind or "") or "ngo"
        # the kind of a row without a type column that is not an organisation's own row
        self._default_kind = kind_of(options.kind) if options.kind else "person"
        self.orgs: dict[str, ActorRecord] = {}
        self._texts: dict[str, str] = {}   # cell text -> norm.text of it (for values that repeat)
        self._folded: dict[str, str] = {}  # organisation name -> fold of it
        self.phone_map = phones if phones is not None else norm.Phones([], options.region)

    def prepare(self, rows: list["ContactRow"]) -> None:
        """Start normalising every phone number of ``rows`` (ahead, in parallel, on big imports);
        :meth:`close` when done."""
        raws = [raw for cr in rows for ctype, raw, _, _ in cr.contacts if ctype == "phone"]
        if raws:
            self.phone_map = norm.phones(raws, self.options.region, self.options.workers)

    def close(self) -> None:
        self.phone_map.close()

    def _org(self, name: str, where: dict, column: str | None, k: str | None = None) -> ActorRecord:
        """The organisation record named ``name`` (``k``: its folded name, when known), made implicit if new."""
        if k is None:
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
        phone_get, email = self.phone_map.get, norm.email
        for ctype, raw, label, header in cr.contacts:
            try:
                if ctype == "email":
                    value = email(raw)
                elif ctype == "phone":
                    value, error = phone_get(raw)
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
            contacts.append({"type": ctype, "value": value, "label": label} if label else {"type": ctype, "value": value})
        return contacts

    def add(self, cr: ContactRow) -> None:
        """Add one contact (a person, or an organisation row) with its memberships."""
        # Hot on big imports (once per row): a field the row has no value for is never normalised
        # (text("") is ""), and each value is normalised and folded once.
        batch, where, v, columns, attributes = self.batch, cr.where, cr.values, cr.columns, cr.attributes
        text = norm.text
        get = v.get
        errors: list[tuple[str, str | None]] = []
        first, middle, last = get("first_name"), get("middle_name"), get("last_name")
        first = text(first) if first else ""
        middle = text(middle) if middle else ""
        last = text(last) if last else ""
        composed = " ".join(filter(None, (first, middle, last)))  # normalised text: empty or not blank
        composed = text(composed) if composed else ""
        name = get("name")
        name = text(name) if name else ""
        if name and composed:
            for p, value in zip(_NAME_PARTS, (first, middle, last)):  # the parts are kept, never dropped
                if value:
                    attributes[columns[p]] = value
        written_as = ""
        if name and composed and name != composed and sorted(fold(name).replace(",", " ").split()) == sorted(fold(composed).split()):
            written_as, name = name, composed  # "UNBEKANNT, Stephanie" + first/last columns: the name as one says it
        name = name or composed
        nickname = get("nickname")
        nickname = text(nickname) if nickname else ""
        # organisations, roles, cities repeat from row to row: each text normalised once
        memo = self._texts
        org = get("organization")
        if org:
            org = memo.get(org) or memo.setdefault(org, text(org))
        else:
            org = ""
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
                batch.reject(where, "the row has no name, organisation, e-mail or phone", columns.get("name"))
                return
        if org:
            org_key = self._folded.get(org)
            if org_key is None:
                org_key = self._folded[org] = fold(org)
        else:
            org_key = ""
        name_key = fold(name) if org else None  # folded below when needed
        org_row = bool(org) and name_key == org_key
        if "kind" in v:
            kind, error = self._kind(cr, org_row)
            if error:
                errors.append((error, columns.get("kind")))
        else:
            kind = self.org_kind if org_row else self._default_kind
        present = cr.present
        fields: dict = {}
        if "description" in present:
            d = get("description")
            fields["description"] = norm.multiline(d) if d else ""
        for f in ("city", "country"):
            if f in present:
                x = get(f)
                fields[f] = (memo.get(x) or memo.setdefault(x, text(x))) if x else ""
        if "tags" in present:
            tags: list[str] = []
            for t in norm.split_values(get("tags", "")):
                t = t.lstrip("* ").strip()
                if t and fold(t).replace(" ", "") not in _GOOGLE_SYSTEM_GROUPS and t not in tags:
                    tags.append(t)
            fields["tags"] = tags
        aliases = norm.split_values(get("aliases", "")) if "aliases" in present else []
        for other in (nickname, written_as):
            if other and other != name and other not in aliases:
                aliases.append(other)
        if written_as:
            cr.present = present = present | {"aliases"}
        if "aliases" in present or "nickname" in present:
            fields["aliases"] = aliases
        birthday = get("birthday")
        if birthday and birthday.strip():
            try:
                attributes["birthday"] = norm.date(birthday, self.options.date_order)
            except norm.Unusable as exc:
                errors.append((str(exc), columns["birthday"]))
        actor_id = get("id")
        actor_id = (text(actor_id) if actor_id else "") or None
        if errors:
            for message, column in errors:
                batch.reject(where, message, column)
            return
        for f, header in columns.items():  # recognised but not an actor field: kept as an attribute
            if f in _KEPT_AS_ATTRIBUTES:
                x = get(f)
                if x and x.strip():
                    attributes[header] = norm.multiline(x)
        is_org = kind != "person"
        role, department = get("role"), get("department")
        role = (memo.get(role) or memo.setdefault(role, text(role))) if role and role.strip() else None
        department = (memo.get(department) or memo.setdefault(department, text(department))) \
            if department and department.strip() else None
        if is_org or not org:
            if role is not None:
                attributes[columns["role"]] = role
            if department is not None:
                attributes[columns["department"]] = department
        if is_org:
            if name_key is None:
                name_key = fold(name)
            if org and org_key != name_key:
                attributes[columns["organization"]] = org
            k = name_key
            record = ActorRecord(where=where, name=name, kind=kind, ref="org:" + k, match="org", id=actor_id,
                                 fields=fields, contacts=contacts, attributes=attributes, name_columns=not made_up)
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
                                 attributes=attributes, organization=org, name_columns=not made_up)
            person.remember_folds(name_key, org_key)  # matching needs both: folded once
            batch.actors.append(person)
            if org:
                org_rec = self._org(org, where, columns.get("organization"), org_key)
                attrs = {}
                if role is not None:
                    attrs["role"] = role
                if department is not None:
                    attrs["department"] = department
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
        cols, combined = plan_columns(table, options)
        # a big table's phone numbers are parsed by workers while its rows are read
        ahead = len(table.rows) >= 20_000 and (any(c.field == "phone" for c in cols)
                                               or any(t == "phone" for t, _ in combined))
        phones = norm.Phones([], options.region, options.workers, ahead=ahead)
        builder = None
        try:
            rows = rows_from_table(table, options, batch, phones)
            people = looks_like_people(cols, combined) or fmt in ("google", "outlook", "vcard")
            has_kind = any(c.field == "kind" for c in cols)
            if not (people or has_kind or options.kind):
                raise ImportRefused([{**table.where(), "message": (
                    "the table does not say what kind of actor each row is (no Type column, no first/last name, "
                    "organisation or role column); give --kind person for a list of people, or the kind of the "
                    f"organisations it lists (one of {', '.join(k for k in ACTOR_KINDS if k != 'person')}), e.g. --kind city")}])
            builder = ContactBuilder(batch, options, people=people, phones=phones)
            if not ahead:
                builder.prepare(rows)
            progress = options.progress
            total = len(rows)
            for i, cr in enumerate(rows):
                builder.add(cr)
                if progress and i % 2000 == 0:
                    progress("reading rows", i, total)
        finally:
            phones.close()
            if builder is not None:
                builder.close()
        if progress:
            progress("reading rows", total, total)
        batch.rows_read += len(table.rows)
        for note in table.notes:
            batch.notes.append(f"{table.file} ({table.sheet}): {note}")
    return batch
