"""``graph-service protect|unprotect|protected``: sensitive actors and ties.

A protected record is seen only by admins and the users it names; everyone else finds it in no
search, view, path, export or report (see :mod:`graph_service.services.access`). The command
line acts as an admin: whoever runs it holds the database or its credentials.
"""
from __future__ import annotations

import click

from graph_service.cli import _emit, cli, pass_ctx


def _record(store, ref: str) -> tuple[str, dict]:
    """``("actor"|"tie", record)`` for an actor id or name, or a tie id."""
    from graph_service.services.directory import resolve_actor

    tie = store.get_tie(ref, include_deleted=True)
    if tie is not None:
        return "tie", tie
    actor = store.get_actor(ref, include_deleted=True)
    return "actor", actor or resolve_actor(store, ref)


@cli.command("protect")
@click.argument("ref")
@click.option("--visible-to", "names", multiple=True, metavar="USER",
              help="A user who may see it besides admins (repeat for several); added to those already named.")
@click.option("--replace", is_flag=True, help="Name only the --visible-to users (drop those named before).")
@pass_ctx
def protect(ctx, ref, names, replace):
    """Mark REF (an actor id or name, or a tie id) sensitive: only admins and --visible-to users see it."""
    from graph_service.services.access import check_names

    kind, record = _record(ctx.store, ref)
    current = ctx.store.access_entries().get(record["id"])
    before = [] if replace or current is None else list(current["visible_to"])
    visible_to = check_names(ctx.store, before + list(names))
    ctx.store.set_access(kind, record["id"], visible_to, by="cli")
    ctx.store.audit("cli", "access.set", target=record["id"], detail={"entity_type": kind, "visible_to": visible_to})
    who = "admins" + (f" and {', '.join(visible_to)}" if visible_to else " only")
    click.echo(f"{kind.capitalize()} {record['id']} is now sensitive: visible to {who}.")


@cli.command("unprotect")
@click.argument("ref")
@pass_ctx
def unprotect(ctx, ref):
    """Lift the protection of REF (an actor id or name, or a tie id): every user sees it again."""
    kind, record = _record(ctx.store, ref)
    if record["id"] not in ctx.store.access_entries():
        raise click.ClickException(f"{kind} {record['id']} is not sensitive")
    ctx.store.set_access(kind, record["id"], None, by="cli")
    ctx.store.audit("cli", "access.lift", target=record["id"], detail={"entity_type": kind, "visible_to": []})
    click.echo(f"{kind.capitalize()} {record['id']} is no longer sensitive: every user with access to the graph sees it.")


@cli.command("protected")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def protected(ctx, as_json):
    """List every sensitive actor and tie and who may see it."""
    entries = ctx.store.access_entries()
    lines = []
    for entity_id, entry in sorted(entries.items()):
        names = ", ".join(entry["visible_to"]) or "admins only"
        lines.append(f"{entry['entity_type']:5}  {entity_id}  visible to: {names}  (set {entry['set_at'][:10]} by {entry['set_by']})")
    _emit(sorted(entries.values(), key=lambda e: e["entity_id"]), as_json,
          "\n".join(lines) if lines else "Nothing is marked sensitive.")
