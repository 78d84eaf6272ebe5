"""``graph-service import`` / ``merge`` / ``export``: spreadsheet sync from and back to the files people keep."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from graph_service.cli import cli, output_complete, pass_ctx
from graph_service.errors import ImportRefused
from graph_service.model import ACTOR_KINDS
from graph_service.text import counted, terminal_safe
from importers.records import DATE_ORDERS, FORMATS

SHOWN = 20


def _where(e: dict) -> str:
    csv_sheet = e.get("file") and e.get("sheet") and Path(str(e["file"])).stem == e["sheet"]
    parts = [f"{k} {e[k]}" for k in ("file", "sheet", "row", "column")
             if e.get(k) not in (None, "") and not (k == "sheet" and csv_sheet)]
    return ", ".join(parts)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "...'"


def _change(old, new) -> str:
    """``old -> new``; for lists (contact details, tags) only what went and what came, so a long
    list's one changed phone number is not cut off."""
    if isinstance(old, list) and isinstance(new, list) and old and new:
        gone, came = [x for x in old if x not in new], [x for x in new if x not in old]
        if gone or came:
            return " ".join([*(f"-{_short(x)}" for x in gone), *(f"+{_short(x)}" for x in came)])
    return f"{_short(old)} -> {_short(new)}"


def _out(text: str) -> None:
    """A line of the plan: names and values come from the file, so control characters in them are
    written as escapes (a name holding an escape sequence must not drive the terminal)."""
    click.echo(terminal_safe(text))


def _list(title: str, items: list, line, hint: str = "", total: int | None = None) -> None:
    """The first :data:`SHOWN` items; ``total``: how many there are when ``items`` (what --json
    lists) holds only some of them."""
    total = len(items) if total is None else total
    if not total:
        return
    _out(f"  {title} ({total}){': ' + hint if hint else ''}")
    for item in items[:SHOWN]:
        _out(f"    {line(item)}")
    if total > len(items):
        _out(f"    ... and {total - min(len(items), SHOWN)} more; --json lists the first {len(items)} of the {total}")
    elif len(items) > SHOWN:
        _out(f"    ... and {len(items) - SHOWN} more (--json lists all)")


def print_plan(result: dict) -> None:
    """The plan as a person reads it: counts, then what changes, what was refused and why."""
    files = ", ".join(result.get("files", []))
    state = "applied" if result.get("applied") else "dry run, nothing written"
    _out(f"Import of {files} as {result['format']} (source {result['source']!r}): {state}")
    for note in result.get("notes", []):
        _out(f"  note: {note}")
    for kind in ("actors", "ties"):
        c = result["counts"][kind]
        text = f"  {kind}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
        if c["missing"]:
            text += f", {c['missing']} missing since the last sync"
        if c["reactivated"]:
            text += f", {c['reactivated']} back again"
        _out(text)
        label = lambda e: e.get("name") or e.get("tie") or e["id"]  # noqa: E731
        for e in result[kind]["created"][:SHOWN]:
            row = e.get("row", {}).get("row")
            _out(f"    + {label(e)}" + (f"  (row {row})" if row else ""))
        if len(result[kind]["created"]) > SHOWN:
            _out(f"    ... and {len(result[kind]['created']) - SHOWN} more created")
        shown = 0
        for e in result[kind]["updated"]:
            for f, (old, new) in e["changes"].items():
                if shown < SHOWN * 3:
                    _out(f"    ~ {label(e)}: {f}: {_change(old, new)}")
                shown += 1
        if shown > SHOWN * 3:
            _out(f"    ... and {shown - SHOWN * 3} more changed fields")
        for e in result[kind]["missing"][:SHOWN]:
            _out(f"    - {label(e)}: not in this sync (last seen {e['last_seen_at'][:10]}); "
                       f"{'marked' if result.get('applied') else 'will be marked'} inactive, not deleted")
    _list("rejected rows", result["rejected"], lambda e: f"{_where(e)}: {e['message']}",
          "" if result.get("applied") else "nothing is written while rows are rejected: fix them, or apply the rest with --skip-rejected")
    _list("warnings", result["warnings"], lambda e: f"{_where(e)}: {e['message']}")
    _list("possible duplicates", result["duplicates"], lambda e: e["explanation"],
          "listed for review, the most alike first, never merged on their own",
          total=result["counts"].get("duplicates", len(result["duplicates"])))


def print_refusal(errors: list[dict]) -> None:
    """Many rejected rows, grouped: one line per reason and column, with the rows it applies to."""
    groups: dict[tuple, list] = {}
    for e in errors:
        groups.setdefault((e.get("file"), e.get("sheet"), e.get("column"), e["message"]), []).append(e.get("row"))
    click.echo(f"graph-service: error: import refused, nothing was written ({counted(len(errors), 'problem')}):", err=True)
    for (file, sheet, column, message), rows in groups.items():
        where = _where({"file": file, "sheet": sheet, "column": column})
        rows = [r for r in rows if r is not None]
        listed = ", ".join(map(str, rows[:8])) + (f" and {len(rows) - 8} more" if len(rows) > 8 else "")
        click.echo(terminal_safe(f"  {where}{', row' + ('s ' if len(rows) > 1 else ' ') + listed if rows else ''}: {message}"),
                   err=True)


def print_refusal_json(exc: ImportRefused) -> None:
    """A refused import for ``--json``, on stdout: the API's problem document for it (RFC 9457:
    ``type``, ``title``, ``status``, ``detail``, ``errors``) with ``applied: false``."""
    from graph_service.problems import PROBLEM_TYPE_BASE

    click.echo(json.dumps({"type": PROBLEM_TYPE_BASE + exc.type_slug, "title": exc.title, "status": exc.status,
                           "detail": exc.detail, "errors": exc.errors, "applied": False},
                          ensure_ascii=False, indent=2, default=str))


def _progress_callback(enabled: bool):
    if not enabled:
        return None, lambda: None
    bars: dict = {}

    def update(stage: str, done: int, total: int) -> None:
        entry = bars.get(stage)
        if entry is None:
            label = f"{stage} ({total:,})" if total > 1 else stage
            bar = click.progressbar(length=max(total, 1), label=label, file=sys.stderr)
            bar.__enter__()
            entry = bars[stage] = [bar, 0]
        entry[0].update(done - entry[1])
        entry[1] = done

    def close() -> None:
        for bar, _ in bars.values():
            bar.__exit__(None, None, None)

    return update, close


class _RefusalsAsJson(click.Command):
    """``import``: a bad option value, which click refuses before the command runs, is printed
    as a problem document on stdout too when ``--json`` is given, as every other refusal is."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)
        try:
            return super().parse_args(ctx, args)
        except click.BadParameter as exc:
            if "--json" in given:
                # named as the option is (--format: format), as the other option errors are
                field = max(exc.param.opts, key=len).lstrip("-").replace("-", "_") if exc.param is not None else ""
                print_refusal_json(ImportRefused([{"field": field, "message": exc.format_message()}]))
            raise


@cli.command("import", cls=_RefusalsAsJson)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show the plan; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True, help="What the files are.")
@click.option("--sheet", default=None, help="Workbook sheet to read (name or number); default: the one whose columns fit.")
@click.option("--header-row", type=click.IntRange(1, 10_000), default=None, help="Row holding the column names, if not found.")
@click.option("--encoding", default=None, help="CSV text encoding (utf-8, cp1252, latin-1, utf-16); default: detected.")
@click.option("--delimiter", default=None, help="CSV separator (, ; tab |); default: detected.")
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Mapping file (TOML/JSON) naming what your columns mean.")
@click.option("--region", default=None, help="Country of phone numbers written without +code (DE, NL, FR, FI...).")
@click.option("--date-order", type=click.Choice(DATE_ORDERS), default="iso", show_default=True,
              help="How dates other than YYYY-MM-DD are written; an ambiguous date is an error, never a guess.")
@click.option("--kind", type=click.Choice(ACTOR_KINDS), default=None, help="Kind of rows whose type is missing or not a kind.")
@click.option("--org-kind", type=click.Choice(ACTOR_KINDS), default=None, help="Kind of organisations named in contact lists (default ngo).")
@click.option("--source", default=None, help="Name this source is synced under (default: the file names).")
@click.option("--skip-rejected", is_flag=True, help="Apply the good rows even when some rows are rejected.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@pass_ctx
def import_(ctx, files, dry_run, as_json, fmt, sheet, header_row, encoding, delimiter, mapping, region, date_order,
            kind, org_kind, source, skip_rejected, progress):
    """Sync FILES into the graph: contact lists (CSV/XLSX, Outlook, Google, vCard), Kumu maps
    (xlsx, CSV pair, JSON), Gephi tables, edge lists, GraphML, GEXF.

    Prints the plan (created, updated field by field, unchanged, missing since the last sync,
    rejected rows, duplicates) and applies it in one transaction unless --dry-run.
    """
    from graph_service.services.sync import prepare_options, run_import
    from importers.records import ImportOptions, InputFile

    for f, hint in [*((f, "FILES") for f in files), *([(mapping, "--mapping")] if mapping else [])]:
        if not f.exists():
            if as_json:
                print_refusal_json(ImportRefused([{"file": str(f), "message": "file not found"}]))
            raise click.BadParameter(f"{f} does not exist", param_hint=hint)
    show = sys.stderr.isatty() if progress is None else progress
    update, close = _progress_callback(show and not as_json)
    options = ImportOptions(format=fmt, sheet=sheet, header_row=header_row, encoding=encoding, delimiter=delimiter,
                            region=region, date_order=date_order, kind=kind, org_kind=org_kind, source=source,
                            skip_rejected=skip_rejected, progress=update, workers=min(os.cpu_count() or 1, 4))
    try:
        options = prepare_options(options, mapping)
        result = run_import(ctx.store, [InputFile(f) for f in files], options, dry_run=dry_run, by="cli import")
    except ImportRefused as exc:
        close()
        if as_json:
            print_refusal_json(exc)
        if len(exc.errors) <= 5:
            raise
        print_refusal(exc.errors)
        sys.exit(1)
    finally:
        close()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    else:
        print_plan(result)
    # the import is written and reported: a Ctrl-C while the store closes and the process exits
    # (a big import's memory takes a while to free) must not end it as "aborted" or killed
    output_complete()


@cli.command("merge")
@click.argument("keep", metavar="A")
@click.argument("gone", metavar="B")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def merge_cmd(ctx, keep: str, gone: str, as_json: bool):
    """Merge actor B into actor A (ids or names): A keeps its id, gains B's aliases, contact
    details and ties; B is deleted with its history kept, and later imports naming B find A."""
    from graph_service.services.merge import merge_actors

    result = merge_actors(ctx.store, keep, gone, by="cli merge")
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    kept = result["kept"]
    _out(f"Merged {result['merged']} into {kept['name']!r} ({kept['id']}): {result['ties_moved']} ties moved, "
               f"{result['ties_folded']} duplicate or self ties removed (kept in history).")


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "graphml", "vcard"]), required=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@click.option("--table", type=click.Choice(["elements", "connections", "contacts"]), default="elements", show_default=True,
              help="CSV only: which table.")
@click.option("--kind", type=click.Choice(ACTOR_KINDS), default=None, help="Only actors of this kind.")
@click.option("--tag", default=None, help="Only actors with this tag.")
@click.option("--around", default=None, help="Only this actor's ego network (name or id).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1, 4))
@click.option("--source", default=None, help="Only records a sync of this source saw.")
@click.option("--active-only", is_flag=True, help="Leave out records gone from every source that had them.")
@click.option("--no-contacts", is_flag=True, help="Leave out contact details (e-mail, phone, address).")
@pass_ctx
def export_cmd(ctx, fmt, out, table, kind, tag, around, depth, source, active_only, no_contacts):
    """Write the graph (or a filtered part) as CSV, XLSX (Kumu layout), GraphML or vCard.
    Spreadsheet cells starting with = + - @ are made inert."""
    from graph_service.services.export import export

    data, counts = export(ctx.store, fmt, table=table, contacts=not no_contacts, kind=kind, tag=tag, around=around,
                          depth=depth, source=source, active_only=active_only)
    out.write_bytes(data)
    if not no_contacts and hasattr(ctx.store, "audit"):
        ctx.store.audit("cli", "export", target=out.name, detail={"format": fmt, "rows": counts["rows"]})
    click.echo(f"Wrote {out} ({_contents(fmt, table, counts)}).")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _contents(fmt: str, table: str, counts: dict) -> str:
    """What an export file holds, as its reader will find it: a CSV file holds one table."""
    actors, ties = _count(counts["actors"], "actor", "actors"), _count(counts["ties"], "tie", "ties")
    if fmt == "csv":
        noun = {"elements": ("actor", "actors"), "connections": ("tie", "ties"), "contacts": ("person", "people")}[table]
        hint = "; ties: --table connections" if table == "elements" else ""
        return f"the {table} table only: {_count(counts['rows'], *noun)}{hint}"
    if fmt == "xlsx":
        return f"{actors} on the Elements sheet, {ties} on the Connections sheet"
    if fmt == "vcard":
        return _count(counts["rows"], "vCard", "vCards") + ", one per person or organisation"
    return f"{actors}, {ties}"
