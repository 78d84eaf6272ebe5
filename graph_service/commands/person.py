"""``graph-service person export|erase``: a person's data rights (access, erasure)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from graph_service.cli import cli, pass_ctx


@cli.group("person")
def person():
    """Personal data rights: everything held about a person, or erasing it."""


@person.command("export")
@click.argument("actor")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file (mode 600) instead of printing.")
@pass_ctx
def export_cmd(ctx, actor, out):
    """Everything held about ACTOR (id or name): record, ties, history, provenance, audit entries."""
    from graph_service.services.personal_data import subject_access

    data = subject_access(ctx.store, actor)
    ctx.store.audit("cli", "person.export", target=data["actor"]["id"])
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if out:
        out.write_text(text, encoding="utf-8")
        out.chmod(0o600)
        click.echo(f"Wrote everything held about {data['actor']['id']} to {out}.")
    else:
        click.echo(text)


@person.command("erase")
@click.argument("actor")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def erase_cmd(ctx, actor, yes):
    """Remove ACTOR's personal details everywhere, history included; ties and id stay. Cannot be undone."""
    from graph_service.services.directory import resolve_actor
    from graph_service.services.personal_data import erase

    record = ctx.store.get_actor(actor, include_deleted=True) or resolve_actor(ctx.store, actor)
    if not yes:
        click.confirm(f"Erase the personal details of {record['name']} ({record['id']}) everywhere?", abort=True)
    result = erase(ctx.store, record["id"], by="cli")
    click.echo(f"Erased the personal details of {record['id']} ({result['history_entries_erased']} history entries cleared);"
               " recorded in the audit log.")
