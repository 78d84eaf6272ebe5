"""Read CSV and XLSX sheets as text, keeping where each value came from (file, sheet, row, column).

Every cell is read as a string (``dtype=str, keep_default_na=False``) so leading zeros and the
name "NA" survive. Row numbers are those a spreadsheet program shows: the header is row 1.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from graph_service.errors import ImportRefused

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


@dataclass
class Table:
    """One sheet: ``header`` as in the file, ``rows`` as ``(row_number, {header: text})``."""

    file: str
    sheet: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def where(self, row: int | None = None, column: str | None = None) -> dict:
        """A location dict for error reports: ``{file, sheet, row, column}``."""
        loc = {"file": self.file, "sheet": self.sheet}
        if row is not None:
            loc["row"] = row
        if column is not None:
            loc["column"] = column
        return loc

    def column(self, *names: str) -> str | None:
        """The header among ``names`` (case- and space-insensitive), as spelled in the file."""
        wanted = {n.lower().replace(" ", "").replace("_", "") for n in names}
        for h in self.header:
            if h.lower().replace(" ", "").replace("_", "") in wanted:
                return h
        return None


def _frame_to_table(df: pd.DataFrame, file: str, sheet: str) -> Table:
    header = [str(c).strip() for c in df.columns]
    seen = set()
    for h in header:
        if h in seen:
            raise ImportRefused([{"file": file, "sheet": sheet, "row": 1, "column": h, "message": "this column header appears twice"}])
        seen.add(h)
    df.columns = header
    rows = []
    for i, record in enumerate(df.to_dict("records")):
        values = {k: ("" if v is None else str(v)) for k, v in record.items()}
        if not any(v.strip() for v in values.values()):
            continue  # blank lines are not rows
        rows.append((i + 2, values))
    return Table(file=file, sheet=sheet, header=header, rows=rows)


def read_csv(path: Path, *, encoding: str = "utf-8-sig", sep: str | None = None) -> Table:
    """A CSV file as a :class:`Table`; its sheet is named after the file. Raises ImportRefused."""
    name = path.name
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, sep=sep, engine="python" if sep is None else "c")
    except FileNotFoundError:
        raise ImportRefused([{"file": name, "message": "file not found"}]) from None
    except UnicodeDecodeError as exc:
        raise ImportRefused([{"file": name, "message": f"not readable as {encoding} text ({exc.reason}); give the encoding"}]) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise ImportRefused([{"file": name, "message": f"not a readable CSV file: {exc}"}]) from None
    return _frame_to_table(df, name, path.stem)


def read_excel_sheets(path: Path) -> dict[str, Table]:
    """Every sheet of a workbook, keyed by sheet name. Raises ImportRefused."""
    name = path.name
    try:
        frames = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False, engine="calamine")
    except FileNotFoundError:
        raise ImportRefused([{"file": name, "message": "file not found"}]) from None
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise ImportRefused([{"file": name, "message": f"not a readable spreadsheet: {exc}"}]) from None
    return {sheet: _frame_to_table(df, name, sheet) for sheet, df in frames.items()}
