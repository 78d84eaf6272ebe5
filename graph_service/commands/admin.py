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
    users = {u["id"]: u for u in store.list_users()}
    tokens = [{**t, "username": users.get(t["user_id"], {}).get("username"), "role": users.get(t["user_id"], {}).get("role")}
              for t in store.list_tokens(user_id)]
    if as_json:
        click.echo(json.dumps(tokens, indent=2))
        return
    for t in tokens:
        state = f"revoked {t['revoked_at']}" if t["revoked_at"] else f"expires {t['expires_at'] or 'never'}"
        click.echo(f"{t['id']}  {t['name']}  owner {t['username']} ({t['role']})  [{', '.join(t['scopes'])}]  {state}")


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
@click.option("--verify", is_flag=True, help="Check the whole log against its hash chain instead (exit 1 if broken).")
@click.option("--anchor", default=None, metavar="HASH", help="With --verify: a last hash noted earlier, which must still be in the chain.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def audit(ctx, since, action, limit, verify, anchor, as_json):
    """Show the audit log, newest first: logins, failed logins, contact-detail views, exports, changes.

    With --verify, recompute the hash chain of every entry: a changed, inserted or removed entry
    (by anyone with direct access to the database) shows as the first entry that does not match.
    """
    if verify:
        from graph_service.store.common import verify_audit_chain

        entries, _ = ctx.store.list_audit(limit=10**9)
        result = verify_audit_chain(reversed(entries), starts_after=ctx.store.audit_chain_start(), anchor=anchor)
        if as_json:
            click.echo(json.dumps(result, indent=2))
        elif result["ok"]:
            older = f" ({result['unchained']} older entries from before the chain)" if result["unchained"] else ""
            click.echo(f"The audit log is intact: {result['chained']} entries chained{older}; last hash {result['last_hash']}."
                       " Keep that hash elsewhere and check with --anchor HASH later: that also shows entries removed from the end.")
        else:
            where = f"entry {result['broken_at']} does not match" if result["broken_at"] else "the check failed"
            click.echo(f"The audit log was tampered with: {where} ({result['problem']}).", err=True)
        if not result["ok"]:
            raise SystemExit(1)
        return
    if since:
        import datetime as dt

        try:
            dt.datetime.fromisoformat(since.replace("Z", "+00:00"))
        except ValueError:
            raise click.BadParameter(f"{since!r} is not an ISO date or time such as 2026-11-01", param_hint="--since") from None
    items, total = ctx.store.list_audit(since=since, action=action, limit=limit)
    if as_json:
        click.echo(json.dumps({"items": items, "total": total}, indent=2, ensure_ascii=False))
        return
    users = {u["id"]: u["username"] for u in ctx.store.list_users()}
    for e in items:
        # logins and user changes name a user by id: show the name people know
        target = f" {users.get(e['target'], e['target'])}" if e["target"] else ""
        detail = f" {json.dumps(e['detail'], ensure_ascii=False)}" if e["detail"] else ""
        click.echo(f"{e['at']}  {e['actor']}  {e['action']}{target}{detail}")
    click.echo(f"({len(items)} of {total} entries)")


def _user(store, username: str) -> dict:
    user = store.get_user_by_name(username)
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


@cli.command("users")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def list_users(ctx, as_json):
    """List users: name, role, whether they can log in to the web pages, disabled or not."""
    users = [{k: v for k, v in u.items() if k != "password_hash"} | {"web_login": bool(u.get("password_hash"))}
             for u in ctx.store.list_users()]
    if as_json:
        click.echo(json.dumps(users, indent=2))
        return
    for u in users:
        state = "disabled" if u["disabled_at"] else ("web login" if u["web_login"] else "tokens only")
        click.echo(f"{u['username']}  {u['role']}  {state}")


@cli.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@click.option("--generate", is_flag=True, help="Generate a password and print it.")
@pass_ctx
def set_password(ctx, name, password_stdin, generate):
    """Set a user's password (also how a lost admin password is reset, by whoever runs the server)."""
    import secrets
    import sys

    from werkzeug.security import generate_password_hash

    from graph_service.errors import ValidationError

    user = _user(ctx.store, name)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif generate or not sys.stdin.isatty():
        password, generate = secrets.token_urlsafe(12), True
    else:
        password = click.prompt("New password (10+ characters)", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise ValidationError([{"field": "password", "message": "must be at least 10 characters"}])
    ctx.store.set_user(user["id"], {"password_hash": generate_password_hash(password),
                                    "session_epoch": (user.get("session_epoch") or 0) + 1})  # old sessions end
    ctx.store.audit("cli", "user.password", target=user["id"])
    click.echo(f"Password of '{name}' changed." + (f"\nPassword: {password}" if generate else ""))


@cli.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(["viewer", "editor", "admin"]))
@pass_ctx
def set_role(ctx, name, role):
    """Change a user's role (viewer, editor, admin); their tokens act with the new role at once."""
    user = _user(ctx.store, name)
    ctx.store.set_user(user["id"], {"role": role})
    ctx.store.audit("cli", "user.role", target=user["id"], detail={"from": user["role"], "to": role})
    click.echo(f"'{name}' is now {role} (was {user['role']}).")


@cli.command("disable-user")
@click.argument("name")
@click.option("--enable", is_flag=True, help="Enable the user again instead.")
@pass_ctx
def disable_user(ctx, name, enable):
    """Disable a user: their logins and tokens stop working at once (--enable undoes it)."""
    from graph_service.model import now_iso

    user = _user(ctx.store, name)
    ctx.store.set_user(user["id"], {"disabled_at": None if enable else now_iso(),
                                    "session_epoch": (user.get("session_epoch") or 0) + 1})  # sessions end either way
    ctx.store.audit("cli", "user.enable" if enable else "user.disable", target=user["id"])
    click.echo(f"'{name}' is {'enabled' if enable else 'disabled'}.")
