"""An explicit mapping file: a city's own column layout, stated once and reused on every sync.

TOML (or the same structure as JSON)::

    # options: anything the command line also takes
    format = "contacts"
    sheet = "Kontakte"
    header_row = 3
    region = "DE"
    date_order = "day-first"
    kind = "person"          # kind of rows without a (known) type
    org_kind = "agency"      # kind of organisations named in contact rows

    [columns]                # header -> field; "attribute" keeps it as an attribute, "ignore" drops it
    "NAMENSZEILE" = "ignore"
    "FRAKTION" = "member_of"
    "EMAIL1" = "email"

    [combine]                # field <- several columns joined with a space (area code + number)
    phone = [["TELEFONVORWAHLPARL", "TELEFONNUMMERPARL"], ["TELEFONVORWAHLWK", "TELEFONNUMMERWK"]]

    [kinds]                  # values of the type column -> actor kinds; "*" for any other value
    "Action" = "initiative"
    "*" = "ngo"

Headers are compared ignoring case, accents and punctuation. Unknown fields or kinds refuse the
import naming the mapping file and the key.
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from graph_service.errors import ImportRefused
from graph_service.model import ACTOR_KINDS, fold, kind_of

from .headers import FIELDS, key

_OPTION_KEYS = {"format", "sheet", "header_row", "region", "date_order", "kind", "org_kind", "encoding",
                "delimiter", "source"}
SPECIAL_FIELDS = ("attribute", "ignore")


@dataclass
class Mapping:
    """A parsed mapping file. ``columns``: header key -> field; ``combine``: field -> lists of header keys;
    ``kinds``: folded type value (or ``"*"``) -> actor kind; ``options``: import options."""

    file: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    combine: dict[str, list[list[str]]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    options: dict = field(default_factory=dict)

    def kind_for(self, value: str) -> str | None:
        """The actor kind the mapping gives a type value, else ``None``."""
        return self.kinds.get(fold(value)) or self.kinds.get("*")


def parse_mapping(data: dict, file: str) -> Mapping:
    """Validate a mapping document (already parsed from TOML/JSON). Raises ImportRefused."""
    errors: list[dict] = []

    def bad(where: str, message: str) -> None:
        errors.append({"file": file, "column": where, "message": message})

    if not isinstance(data, dict):
        raise ImportRefused([{"file": file, "message": "a mapping file must be a table of settings"}])
    m = Mapping(file=file)
    allowed = set(FIELDS) | set(SPECIAL_FIELDS)
    for k, v in data.items():
        if k in _OPTION_KEYS:
            m.options[k] = v
        elif k == "options" and isinstance(v, dict):
            for ok, ov in v.items():
                if ok in _OPTION_KEYS:
                    m.options[ok] = ov
                else:
                    bad(f"options.{ok}", f"unknown option; use one of {', '.join(sorted(_OPTION_KEYS))}")
        elif k == "columns" and isinstance(v, dict):
            for header, target in v.items():
                if not isinstance(target, str) or target not in allowed:
                    bad(f"columns.{header}", f"{target!r} is not a field; use one of {', '.join(FIELDS + SPECIAL_FIELDS)}")
                else:
                    m.columns[key(header)] = target
        elif k == "combine" and isinstance(v, dict):
            for target, headers in v.items():
                if target not in FIELDS:
                    bad(f"combine.{target}", f"{target!r} is not a field; use one of {', '.join(FIELDS)}")
                else:
                    groups = headers if isinstance(headers, list) and headers and all(isinstance(h, list) for h in headers) else [headers]
                    if not all(isinstance(g, list) and len(g) >= 2 and all(isinstance(h, str) for h in g) for g in groups):
                        bad(f"combine.{target}", "give a list of two or more column headers (or a list of such lists)")
                    else:
                        m.combine[target] = [[key(h) for h in g] for g in groups]
        elif k == "kinds" and isinstance(v, dict):
            for value, kind in v.items():
                real = kind_of(kind) if isinstance(kind, str) else None
                if real is None:
                    bad(f"kinds.{value}", f"{kind!r} is not an actor kind; use one of {', '.join(ACTOR_KINDS)}")
                else:
                    m.kinds["*" if value == "*" else fold(value)] = real
        else:
            bad(k, "unknown setting; use options (format, sheet, region, ...), [columns], [combine] or [kinds]")
    if errors:
        raise ImportRefused(errors)
    return m


def load_mapping(path: Path | str, *, name: str | None = None, data: bytes | None = None) -> Mapping:
    """Read a mapping file (``.toml`` or ``.json``; by content when the suffix says neither)."""
    path = Path(path)
    name = name or path.name
    try:
        raw = data if data is not None else path.read_bytes()
    except OSError as exc:
        raise ImportRefused([{"file": name, "message": f"cannot read the mapping file: {exc.strerror}"}]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([{"file": name, "message": "the mapping file must be UTF-8 text"}]) from None
    as_json = path.suffix.lower() == ".json" or (path.suffix.lower() != ".toml" and text.lstrip().startswith("{"))
    try:
        doc = json.loads(text) if as_json else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ImportRefused([{"file": name, "message": f"not a valid {'JSON' if as_json else 'TOML'} mapping file: {exc}"}]) from None
    return parse_mapping(doc, name)
