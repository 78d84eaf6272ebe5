"""Read CSV and XLSX sheets as text tables, keeping where each value came from (file, sheet, row).

Every cell is text: leading zeros (``01067``) and the name ``NA`` survive, Excel text formulas
(``="+49 30"``) read as their text. Row numbers are those a spreadsheet program shows (the first
line of a CSV is row 1; a quoted multi-line note is one row).

- CSV: encoding by :mod:`importers.textfile`; the separator (``,`` ``;`` tab ``|``) is the one
  that splits the first records into the most consistent number of fields (Python's ``csv``
  module does the parsing). Both can be given.
- XLSX/XLS/ODS: python-calamine (fast, Rust). Merged header cells are filled from their first
  cell; a second header row under merged group titles (``Kontakt`` over ``E-Mail`` and
  ``Telefon``) gives the column names.
- The header row is the first row, within the first 30, with the most known column names
  (:func:`importers.headers.is_known`); ``header_row`` overrides.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from graph_service.errors import ImportRefused

from .headers import is_known
from .normalise import cell_text
from .records import InputFile
from .textfile import decode

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
HEADER_SEARCH_ROWS = 30
_DELIMITERS = (",", ";", "\t", "|")
csv.field_size_limit(16 * 1024 * 1024)


@dataclass
class Table:
    """One sheet: ``header`` (unique column names), ``rows`` as ``(row_number, [text, ...])``."""

    file: str
    sheet: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    header_row: int = 1
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)

    def where(self, row: int | None = None, column: str | None = None) -> dict:
        """A location dict for reports: ``{file, sheet, row?, column?}``."""
        loc = {"file": self.file, "sheet": self.sheet}
        if row is not None:
            loc["row"] = row
        if column is not None:
            loc["column"] = column
        return loc

    def column(self, *names: str) -> str | None:
        """The header among ``names`` (case-, space- and underscore-insensitive), as spelled in the file."""
        wanted = {n.lower().replace(" ", "").replace("_", "") for n in names}
        for h in self.header:
            if h.lower().replace(" ", "").replace("_", "") in wanted:
                return h
        return None

    def records(self):
        """``(row_number, {header: text})`` for each row (convenient, slower than ``rows``)."""
        for row, values in self.rows:
            yield row, dict(zip(self.header, values))


# --- cells ------------------------------------------------------------------------------------
def to_text(value) -> str:
    """A spreadsheet value as the text a person sees: ``12.0`` -> ``"12"``, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return cell_text(value) if value and value[0] in "='" else value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def _column_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


# --- header -----------------------------------------------------------------------------------
def _nonempty(row: list[str]) -> int:
    return sum(1 for v in row if v and v.strip())


def _known(row: list[str]) -> int:
    return sum(1 for v in row if v and v.strip() and is_known(v.strip()))


def find_header_row(raw: list[list[str]], header_row: int | None, where: dict) -> int:
    """Index (0-based) of the header within ``raw``. Raises ImportRefused naming where to look."""
    if header_row is not None:
        if header_row < 1 or header_row > len(raw) or not _nonempty(raw[header_row - 1]):
            raise ImportRefused([{**where, "row": header_row, "message": f"row {header_row} is empty or past the end; give the row that names the columns"}])
        return header_row - 1
    best, best_score = None, (-1, -1)
    first_candidate = None
    for i, row in enumerate(raw[:HEADER_SEARCH_ROWS]):
        filled = _nonempty(row)
        if filled < 2 and not (filled == 1 and len(row) == 1 and len(raw) > 1):
            continue
        if first_candidate is None:
            first_candidate = i
        score = (_known(row), 0)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        raise ImportRefused([{**where, "message": f"found no header row (a row naming the columns) in the first {HEADER_SEARCH_ROWS} rows; give --header-row N"}])
    if best_score[0] == 0:
        best = first_candidate
    return best


def _merged_spans(merged, header_index: int, offset: tuple[int, int]) -> list[tuple[int, int]]:
    """Column spans ``(first, last)`` of merged cells that include the header row."""
    spans = []
    r0, c0 = offset
    for (top, left), (bottom, right) in merged or []:
        if top - r0 <= header_index <= bottom - r0 and right > left:
            spans.append((left - c0, right - c0))
    return spans


def build_header(raw: list[list[str]], h: int, spans: list[tuple[int, int]], where: dict) -> tuple[list[str], int, list[str]]:
    """``(names, first_data_index, notes)`` from header row ``h``: merged cells filled, a second
    header row under group titles used, empty names made ``Column C``, repeats numbered."""
    width = max((len(r) for r in raw[h: h + 200]), default=0)
    top = [(raw[h][i].strip() if i < len(raw[h]) else "") for i in range(width)]
    notes: list[str] = []
    filled = list(top)
    grouped = set()
    for a, b in spans:
        for i in range(a + 1, min(b + 1, width)):
            if not filled[i]:
                filled[i] = top[a]
                grouped.add(i)
        grouped.add(a)
    start = h + 1
    if start < len(raw):
        sub = [(raw[start][i].strip() if i < len(raw[start]) else "") for i in range(width)]
        under_groups = [i for i, v in enumerate(sub) if v]
        # a second header row: text only under group titles or empty titles, and it names known columns
        if under_groups and _known(sub) and all((i in grouped) or not top[i] for i in under_groups) \
                and _nonempty(sub) < _nonempty(filled):
            filled = [sub[i] or filled[i] for i in range(width)]
            notes.append(f"column names from rows {h + 1}-{h + 2} (group titles over sub-headings)")
            start += 1
        elif spans:
            notes.append(f"merged header cells on row {h + 1} filled from their first cell")
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(filled):
        name = " ".join(name.split()) or f"Column {_column_letter(i)}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        names.append(name)
    return names, start, notes


def _make_table(raw: list[list[str]], file: str, sheet: str, header_row: int | None, *, row_offset: int = 0,
                merged=None, offset=(0, 0)) -> Table:
    where = {"file": file, "sheet": sheet}
    h = find_header_row(raw, header_row, where)
    names, start, notes = build_header(raw, h, _merged_spans(merged, h, offset), where)
    width = len(names)
    rows: list[tuple[int, list[str]]] = []
    extra_width = width
    for i in range(start, len(raw)):
        values = raw[i]
        if len(values) > extra_width and any(v.strip() for v in values[extra_width:]):
            extra_width = len(values)
        if not "".join(values).strip():
            continue  # blank lines are not rows (a row is blank when its cells together are)
        rows.append((i + 1 + row_offset, values))
    if extra_width > width:
        names += [f"Column {_column_letter(i)}" for i in range(width, extra_width)]
        notes.append(f"some rows have more cells than the header; the extra cells are columns {names[width]}..")
        width = extra_width
    for idx, (row, values) in enumerate(rows):
        if len(values) != width:
            rows[idx] = (row, (values + [""] * (width - len(values)))[:width])
    if h:
        notes.append(f"header found on row {h + 1 + row_offset}")
    return Table(file=file, sheet=sheet, header=names, rows=rows, header_row=h + 1 + row_offset, notes=notes)


# --- CSV --------------------------------------------------------------------------------------
def sniff_delimiter(text: str) -> str:
    """The separator that splits the first records most consistently (ties: , ; tab |)."""
    sample = text[:64 * 1024]
    best, best_score = ",", (-1.0, 0)
    for d in _DELIMITERS:
        try:
            rows = [r for _, r in zip(range(30), csv.reader(io.StringIO(sample), delimiter=d))]
        except csv.Error:
            continue
        rows = [r for r in rows if any(c.strip() for c in r)]
        if len(rows) > 1 and len(rows) >= 30 // 2:
            rows = rows[:-1]  # the sample may cut the last record
        if not rows:
            continue
        widths = [len(r) for r in rows]
        common = max(set(widths), key=widths.count)
        if common < 2:
            continue
        score = (widths.count(common) / len(widths), common)
        if score > best_score:
            best, best_score = d, score
    return best


def read_csv(inp: InputFile, *, encoding: str | None = None, delimiter: str | None = None,
             header_row: int | None = None) -> Table:
    """A CSV file as a :class:`Table` whose sheet is the file's stem. Raises ImportRefused."""
    try:
        data = inp.path.read_bytes()
    except FileNotFoundError:
        raise ImportRefused([{"file": inp.name, "message": "file not found"}]) from None
    text, how = decode(data, inp.name, encoding)
    if not text.strip():
        raise ImportRefused([{"file": inp.name, "message": "the file is empty"}])
    if delimiter:
        delimiter = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ",", "pipe": "|"}.get(delimiter.lower(), delimiter)
        if delimiter not in _DELIMITERS:
            raise ImportRefused([{"file": inp.name, "message": "the separator must be , ; | or tab"}])
    sep = delimiter or sniff_delimiter(text)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
        if "=" in text or "'" in text:
            raw = [[cell_text(v) if v and v[0] in "='" else v for v in row] for row in reader]
        else:  # no cell can be a text formula or made inert: the rows are read as they are
            raw = list(reader)
    except csv.Error as exc:
        raise ImportRefused([{"file": inp.name, "message": f"not a readable CSV file: {exc}"}]) from None
    table = _make_table(raw, inp.name, Path(inp.name).stem, header_row)
    table.encoding = how
    table.delimiter = {"\t": "tab", ";": "semicolon", ",": "comma", "|": "pipe"}.get(sep, sep)
    return table


# --- workbooks --------------------------------------------------------------------------------
_STR_ONLY = {str}


def _plain_text(row: list) -> bool:
    """True when every cell of a workbook row is text that :func:`to_text` keeps as it is."""
    if set(map(type, row)) != _STR_ONLY:
        return not row
    joined = "".join(row)
    return "=" not in joined and "'" not in joined
def workbook_sheets(inp: InputFile) -> list[tuple[str, list[list[str]], object, tuple[int, int]]]:
    """``[(sheet name, rows of text, merged ranges, (first row, first column))]`` for each sheet."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(inp.path))
    except FileNotFoundError:
        raise ImportRefused([{"file": inp.name, "message": "file not found"}]) from None
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise ImportRefused([{"file": inp.name, "message": f"not a readable spreadsheet ({exc}); save it again as .xlsx"}]) from None
    out = []
    try:
        for name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(name)
            values = sheet.to_python(skip_empty_area=False)
            try:
                merged = sheet.merged_cell_ranges
            except Exception:  # not every format records merges
                merged = None
            # most rows are plain text (no number, date or formula in them): kept as they are,
            # without a look at each cell
            raw = [row if _plain_text(row) else
                   [v if v.__class__ is str and not (v and v[0] in "='") else to_text(v) for v in row]
                   for row in values]
            out.append((name, raw, merged, (0, 0)))
    except Exception as exc:
        raise ImportRefused([{"file": inp.name, "message": f"not a readable spreadsheet ({exc})"}]) from None
    finally:
        wb.close()
    return out


def read_workbook(inp: InputFile, *, header_row: int | None = None, sheet: str | None = None) -> tuple[list[Table], list[dict]]:
    """Tables of a workbook's sheets (only ``sheet`` when given: a name or a 1-based number) and
    ``[{sheet, message}]`` for sheets that hold no table. Raises ImportRefused."""
    sheets = workbook_sheets(inp)
    if sheet is not None:
        names = [s[0] for s in sheets]
        chosen = [s for s in sheets if s[0] == sheet] or [s for s in sheets if s[0].casefold() == sheet.casefold()]
        if not chosen and sheet.isdigit() and 1 <= int(sheet) <= len(sheets):
            chosen = [sheets[int(sheet) - 1]]
        if not chosen:
            raise ImportRefused([{"file": inp.name, "sheet": sheet, "message": f"no sheet {sheet!r}; the workbook has {', '.join(map(repr, names))}"}])
        sheets = chosen
    tables, skipped = [], []
    for name, raw, merged, offset in sheets:
        if not any(any(v.strip() for v in row) for row in raw):
            skipped.append({"file": inp.name, "sheet": name, "message": "empty sheet"})
            continue
        try:
            tables.append(_make_table(raw, inp.name, name, header_row, merged=merged, offset=offset))
        except ImportRefused as exc:
            if sheet is not None:
                raise
            skipped.append(exc.errors[0])
    return tables, skipped
