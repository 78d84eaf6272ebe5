"""Administration commands: users, API tokens and the audit log."""
from __future__ import annotations

import json

import click

from graph_service.cli import cli, pass_ctx
from graph_service.errors import NotFound


@cli.command("tokens")
@click.option("--user", "username", default=None, help="Only this user's tokens.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def list_tokens(ctx, username, as_json):
    """List API tokens (never the tokens themselves): id, owner, scopes, expiry, revocation."""
    store = ctx.store
    user_id = None
    if username:
        user = store.get_user_by_name(username)
        if user is None:
            raise NotFound(f"no user named {username!r}")
        user_id = user["id"]
    tokens = store.list_tokens(user_id)
    if as_json:
        click.echo(json.dumps(tokens, indent=2))
        return
    for t in tokens:
        state = f"revoked {t['revoked_at']}" if t["revoked_at"] else f"expires {t['expires_at']}"
        click.echo(f"{t['id']}  {t['name']}  [{', '.join(t['scopes'])}]  {state}")


@cli.command("revoke-token")
@click.argument("token_id")
@pass_ctx
def revoke_token(ctx, token_id):
    """Revoke an API token by its id (see 'graph-service tokens'); it stops working at once."""
    store = ctx.store
    if not any(t["id"] == token_id for t in store.list_tokens()):
        raise NotFound(f"no token with id {token_id!r}")
    store.revoke_token(token_id)
    store.audit("cli", "token.revoke", target=token_id)
    click.echo(f"Revoked token {token_id}.")


@cli.command("audit")
@click.option("--since", default=None, help="ISO date or time, e.g. 2026-11-01.")
@click.option("--action", default=None, help="Only this action (login, login.failed, contacts.view, ...).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def audit(ctx, since, action, limit, as_json):
    """Show the audit log, newest first: logins, failed logins, contact-detail views, exports, changes."""
    items, total = ctx.store.list_audit(since=since, action=action, limit=limit)
    if as_json:
        click.echo(json.dumps({"items": items, "total": total}, indent=2, ensure_ascii=False))
        return
    for e in items:
        target = f" {e['target']}" if e["target"] else ""
        detail = f" {json.dumps(e['detail'], ensure_ascii=False)}" if e["detail"] else ""
        click.echo(f"{e['at']}  {e['actor']}  {e['action']}{target}{detail}")
    click.echo(f"({len(items)} of {total} entries)")
