"""``graph-service backup`` / ``restore``: a lossless dump of the whole store, for either store."""
from __future__ import annotations

from pathlib import Path

import click

from graph_service.cli import cli, pass_ctx


def _counts(counts: dict) -> str:
    return ", ".join(f"{n} {k}" for k, n in counts.items())


@cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@pass_ctx
def backup_cmd(ctx, file: Path, force: bool):
    """Write everything (actors, ties, history, users, tokens, audit log) to FILE (.json or .json.gz).

    The file holds personal data and password hashes: it is written with mode 600; keep it safe.
    """
    from graph_service.services.dump import backup

    if file.exists() and not force:  # an older backup may be the only good copy
        raise click.ClickException(f"{file} already exists; choose another name or give --force to overwrite it")
    counts = backup(ctx.store, file)
    ctx.store.audit("cli", "backup", target=file.name, detail=counts)
    click.echo(f"Backed up {ctx.store.describe()} to {file}: {_counts(counts)}.")


@cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_ctx
def restore_cmd(ctx, file: Path):
    """Load a backup FILE into the configured store, which must be empty (all or nothing).

    Also moves a graph between stores: back up with GRAPH_SERVICE_DB set, restore with NEO4J_URI set.
    """
    from graph_service.services.dump import restore

    counts = restore(ctx.store, file)
    click.echo(f"Restored {file} into {ctx.store.describe()}: {_counts(counts)}.")
