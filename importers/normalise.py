"""Normalising cell text with libraries: phone numbers, e-mail addresses, names, dates, multi-values.

- Phone numbers: ``phonenumbers`` (Google's libphonenumber) to E.164, with a default region for
  numbers written without ``+country``.
- E-mail addresses: ``email-validator`` (syntax only, no DNS), stored lower-cased.
- Names and text: Unicode NFC (UAX #15) and collapsed whitespace.
- Dates: ISO 8601 always; day-first or month-first only when the user states it. A date that
  could be read two ways is an error, never a guess.

Each function returns the normalised value or raises :class:`Unusable` with a message a person
can act on.
"""
from __future__ import annotations

import datetime as _dt
import functools
import re
import unicodedata

import email_validator
import phonenumbers

from graph_service.forked import ignore_interrupts
from graph_service.model import clean_text


class Unusable(ValueError):
    """A value that cannot be normalised; ``str(exc)`` says why and what to do."""


# Excel writes text that must stay text (leading zeros, "+49") as a formula: ="+49 30".
_TEXT_FORMULA = re.compile(r'^="(.*)"$', re.S)
# Our own export makes cells inert with a leading apostrophe (OWASP CSV injection advice).
_INERT = re.compile(r"^'(?=[=+\-@\t\r])")


def cell_text(value: str) -> str:
    """Raw cell text as a person sees it: Excel text formulas ``="+49 30"`` become ``+49 30``,
    an apostrophe that made a cell inert is dropped. Nothing else changes (no trimming)."""
    if not value:
        return value
    if value[0] == "=":
        m = _TEXT_FORMULA.match(value)
        if m:
            return m.group(1).replace('""', '"')
    elif value[0] == "'":
        return _INERT.sub("", value, count=1)
    return value


def text(value) -> str:
    """NFC-normalised text with whitespace collapsed (newlines kept out of names)."""
    if value.__class__ is str:  # clean_text inlined: a 100,000-row import normalises a million cells
        return " ".join(unicodedata.normalize("NFC", value).split()) if value else ""
    return clean_text(value)


def multiline(value) -> str:
    """NFC-normalised text keeping line breaks (notes): each line trimmed, blank ends dropped."""
    if value is None:
        return ""
    lines = [" ".join(line.split()) for line in unicodedata.normalize("NFC", str(value)).splitlines()]
    return "\n".join(lines).strip()


_MULTI_SEP = re.compile(r"\s+:::\s+|\s*[|;\n]\s*")
_EMAIL_SEP = re.compile(r"\s+:::\s+|[|;,\n]|\s+")
# what every match of the separators above holds (a cheaper search than splitting)
_MULTI_SEP_CHAR = re.compile(r":::|[|;\n]")
_EMAIL_SEP_CHAR = re.compile(r"[\s|;,]")


def split_values(value: str, *, emails: bool = False) -> list[str]:
    """Split a cell holding several values: Google's `` ::: ``, ``|``, ``;`` or line breaks (and
    commas or spaces between e-mail addresses). Order kept, empties and repeats dropped."""
    if not value:
        return []
    if not (_EMAIL_SEP_CHAR if emails else _MULTI_SEP_CHAR).search(value):  # one value, as in most cells
        one = text(value)
        return [one] if one else []
    parts = (_EMAIL_SEP if emails else _MULTI_SEP).split(value)
    out: list[str] = []
    for p in parts:
        p = text(p)
        if p and p not in out:
            out.append(p)
    return out


# --- e-mail -------------------------------------------------------------------------------------
# The common case (plain ASCII dot-atom addresses) is checked by these patterns, which accept a
# subset of what email-validator accepts; everything else goes through email-validator itself.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_PLAIN_DOMAIN = re.compile(rf"(?:{_LABEL}\.)+[A-Za-z]{{2,63}}")
_SPECIAL = tuple(email_validator.SPECIAL_USE_DOMAIN_NAMES)


@functools.lru_cache(maxsize=4096)  # the addresses of one list share few domains: each checked once
def _plain_domain(domain: str) -> bool:
    """True for an ASCII domain that is not special-use (``localhost``, ``*.test``... need email-validator)."""
    if not _PLAIN_DOMAIN.fullmatch(domain):
        return False
    d = domain.lower()
    return not any(d == s or d.endswith("." + s) for s in _SPECIAL)


def email(value: str) -> str:
    """A syntactically valid e-mail address, lower-cased (``Anna.M@Example.ORG`` -> ``anna.m@example.org``).

    Raises :class:`Unusable` with email-validator's reason. No DNS lookups are made.
    """
    raw = text(value)
    if raw.lower().startswith("mailto:"):
        raw = raw[7:]
    local, at, domain = raw.rpartition("@")
    if at and len(raw) <= 254 and len(local) <= 64 and _PLAIN_LOCAL.fullmatch(local) and _plain_domain(domain):
        return raw.lower()
    try:
        info = email_validator.validate_email(raw, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        raise Unusable(f"{raw!r} is not a usable e-mail address: {exc}") from None
    return info.normalized.lower()


# --- phone --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=65536)
def _phone(raw: str, region: str | None) -> str:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE and not region:
            raise Unusable(f"{raw!r} has no country code; give the region of the import (e.g. --region DE)") from None
        raise Unusable(f"{raw!r} is not a phone number ({exc._msg})") from None
    if not phonenumbers.is_possible_number(number):
        where = f" for region {region}" if region and not raw.startswith("+") else ""
        raise Unusable(f"{raw!r} is not a possible phone number{where}")
    return "+" + str(number.country_code) + phonenumbers.national_significant_number(number)


def phone(value: str, region: str | None = None) -> str:
    """A phone number in E.164 (``030 227-11111`` with region ``DE`` -> ``+493022711111``).

    ``tel:`` URIs (vCard 4.0) are accepted. Raises :class:`Unusable` when the number cannot be
    read (no country code and no region, too short or long for its country).
    """
    raw = text(value)
    if raw.lower().startswith("tel:"):
        raw = raw[4:]
    if not raw:
        raise Unusable("empty phone number")
    return _phone(raw, region.upper() if region else None)


def _phone_or_error(args: tuple[str, str | None]) -> tuple[str | None, str | None]:
    raw, region = args
    try:
        return phone(raw, region), None
    except Unusable as exc:
        return None, str(exc)


def _phones_or_errors(args: tuple[list[str], str | None]) -> list[tuple[str | None, str | None]]:
    raws, region = args
    return [_phone_or_error((r, region)) for r in raws]


class Phones:
    """``raw -> (e164 or None, error or None)`` for the numbers of an import, parsed ahead of use.

    phonenumbers parses about 25,000 numbers a second on one core. With ``workers`` > 1 and at
    least 20,000 distinct numbers (or ``ahead``: a big table whose numbers come in with
    :meth:`add` while its rows are read), ``workers`` - 1 forked processes parse them in chunks, in the
    order the numbers first appear, while the caller goes on with the rows: :meth:`get` waits
    only for the chunk holding the number it asks for. Use workers only from a single-threaded
    program (the command line); :meth:`close` ends them (also a context manager).
    """

    CHUNK = 2_000

    def __init__(self, raws: list[str], region: str | None, workers: int = 1, *, ahead: bool = False):
        self.region = region
        self.done: dict[str, tuple[str | None, str | None]] = {}
        self._pool = None
        self._sent: list = []       # (numbers, their pending results), in the order sent
        self._next = 0              # the first of _sent not yet in done
        self._waiting: list[str] = []  # numbers not sent yet (less than a chunk)
        self._known: set[str] = set()  # numbers sent or waiting
        distinct = list(dict.fromkeys(raws))
        if workers > 1 and (ahead or len(distinct) >= 20_000):
            import multiprocessing

            # forked before the rows are built: a smaller process to copy, and the workers
            # parse while the caller reads on (with a core of its own: one worker fewer than
            # cores, on two cores a 100,000-row read takes 3.1 s instead of 3.4 s)
            self._pool = multiprocessing.get_context("fork").Pool(max(1, workers - 1), initializer=ignore_interrupts)
            self.add(distinct)
            if distinct:
                self.flush()

    def add(self, raws) -> None:
        """Send numbers to the workers (each once, in chunks); nothing to do without workers."""
        if self._pool is None:
            return
        known, waiting = self._known, self._waiting
        for raw in raws:
            if raw not in known:
                known.add(raw)
                waiting.append(raw)
                if len(waiting) >= self.CHUNK:
                    self.flush()
                    waiting = self._waiting

    def flush(self) -> None:
        """Send the numbers still waiting for a full chunk (call when all are added)."""
        if self._pool is not None and self._waiting:
            chunk, self._waiting = self._waiting, []
            self._sent.append((chunk, self._pool.apply_async(_phones_or_errors, ((chunk, self.region),))))

    def get(self, raw: str) -> tuple[str | None, str | None]:
        """``(e164, None)`` or ``(None, why)`` for one raw number (parsed here when not ahead)."""
        found = self.done.get(raw)
        while found is None and self._next < len(self._sent):
            chunk, pending = self._sent[self._next]
            self._sent[self._next] = None
            self._next += 1
            self.done.update(zip(chunk, pending.get()))
            found = self.done.get(raw)
        if found is None:
            found = self.done[raw] = _phone_or_error((raw, self.region))
        return found

    __getitem__ = get

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            self._sent, self._next = [], 0

    def __enter__(self) -> "Phones":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def phones(raws: list[str], region: str | None, workers: int = 1) -> Phones:
    """The numbers of an import, normalised ahead of use (see :class:`Phones`)."""
    return Phones(raws, region, workers)


def region_code(value: str | None) -> str | None:
    """Validate a region for phone numbers: an ISO 3166-1 alpha-2 code phonenumbers knows."""
    if not value:
        return None
    code = value.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise Unusable(f"{value!r} is not a region code; use a two-letter country code such as DE, NL, FR, FI")
    return code


# --- names --------------------------------------------------------------------------------------
def person_name(first: str = "", middle: str = "", last: str = "") -> str:
    """``"Anna", "van der", "Berg"`` -> ``"Anna van der Berg"`` (NFC, single spaces)."""
    return text(" ".join(p for p in (first, middle, last) if p and p.strip()))


# --- dates --------------------------------------------------------------------------------------
_DMY = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{2,4})$")


def date(value, order: str = "iso") -> str | None:
    """An ISO date (``YYYY-MM-DD``) from a cell; ``""`` -> ``None``.

    ``order`` is how the user says their dates are written: ``iso`` (only ISO 8601 is read),
    ``day-first`` (``31.12.2024``, ``31/12/2024``) or ``month-first`` (``12/31/2024``). Years need
    four digits. Raises :class:`Unusable` for anything else, naming the fix.
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    s = text(value)
    if not s:
        return None
    try:
        if len(s) == 10 and s[4] == "-":
            return _dt.date.fromisoformat(s).isoformat()
        if len(s) > 10 and s[4] == "-":
            return _dt.datetime.fromisoformat(s).date().isoformat()
    except ValueError:
        raise Unusable(f"{s!r} is not a valid date; use YYYY-MM-DD") from None
    m = _DMY.match(s)
    if m is None or order == "iso":
        hint = "use YYYY-MM-DD" if order != "iso" else (
            "use YYYY-MM-DD, or say how your dates are written with --date-order day-first or month-first")
        raise Unusable(f"{s!r} is not a valid date; {hint}")
    a, b, year = int(m.group(1)), int(m.group(3)), m.group(4)
    if len(year) != 4:
        raise Unusable(f"{s!r} is not a valid date: write the year with four digits")
    day, month = (a, b) if order == "day-first" else (b, a)
    try:
        return _dt.date(int(year), month, day).isoformat()
    except ValueError:
        raise Unusable(f"{s!r} is not a valid date when read {order} (day {day}, month {month})") from None


def contact_details(values: dict, columns: dict, region: str | None, batch, where: dict, attributes: dict) -> list[dict]:
    """Popolo ContactDetails ``[{type, value}]`` from a row's ``email``, ``phone`` and ``url`` fields.

    E-mail addresses and phone numbers are normalised (:func:`email`, :func:`phone`); one that
    cannot be is kept as written in ``attributes`` under its column header, with a warning on
    ``batch`` at ``where`` (so nothing is lost, and nothing unusable is dialled).
    """
    contacts = []
    for f in ("email", "phone", "url"):
        for raw in split_values(values.get(f, ""), emails=f == "email"):
            try:
                value = email(raw) if f == "email" else phone(raw, region) if f == "phone" else raw
            except Unusable as exc:
                header = columns.get(f, f)
                batch.warn(where, f"{exc}; kept as written in the attribute {header!r}", header)
                attributes[header] = raw
                continue
            contacts.append({"type": f, "value": value})
    return contacts
