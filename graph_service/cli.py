"""The ``graph-service`` command line. Every command honours ``GRAPH_SERVICE_DB`` / ``NEO4J_URI``.

Commands that print data take ``--json``. A bad argument or a failed command prints one line
(``graph-service <cmd>: error: ...``) and exits non-zero; never a traceback.
"""
from __future__ import annotations

import json
import secrets
import signal
import sys
import threading
from pathlib import Path

import click

from .config import Settings
from .errors import GraphServiceError, ImportRefused, describe_error
from .text import counted, terminal_safe

EXIT_ERROR = 1
EXIT_USAGE = 2


class Context:
    """Lazily opened store shared by the commands of one invocation."""

    def __init__(self):
        self.settings = Settings.from_env()
        self._store = None
        # read-only commands set this, so a mistyped GRAPH_SERVICE_DB is an error, not a new empty store
        self.existing_only = False

    @property
    def store(self):
        if self._store is None:
            from .store import open_store

            self._store = open_store(self.settings, create=not self.existing_only)
            click.get_current_context().call_on_close(self._store.close)
            self._store.init_schema()
        return self._store


pass_ctx = click.make_pass_decorator(Context, ensure=True)


_completed: list[int] = []  # the status of a command whose output is complete (see output_complete)


def output_complete(status: int = 0) -> None:
    """For a command that has printed all it has to say (an import's report): it ends with
    ``status``, and Ctrl-C is ignored from here on.

    Nothing is left to interrupt but closing the store and the interpreter's exit (freeing a big
    import's memory takes a noticeable fraction of a second); a Ctrl-C there would turn a finished
    command into ``aborted``, a traceback or a SIGINT exit status. :func:`main` called with
    ``argv`` (from Python, not as the process's entry point) restores the caller's handler.
    """
    _completed.append(status)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _emit(data, as_json: bool, text: str) -> None:
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(text)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """graph-service: who knows whom among cities, agencies, NGOs and communities.

    The store is the SQLite file GRAPH_SERVICE_DB (default ~/.local/share/graph-service/graph.sqlite3),
    or Neo4j when NEO4J_URI is set.
    """


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads; more than a few per core only adds contention for the GIL.")
@pass_ctx
def serve(ctx: Context, host: str, port: int, threads: int):
    """Serve the web pages and the JSON API (waitress, a production WSGI server)."""
    from waitress import serve as waitress_serve

    from .app import create_app

    app = create_app(settings=ctx.settings, store=ctx.store)
    click.echo(f"graph-service on http://{host}:{port}/  (store: {ctx.store.describe()})")
    click.echo("Log in with a user from 'graph-service create-user', or send 'Authorization: Bearer <token>'.")
    waitress_serve(app, host=host, port=port, threads=threads, ident="graph-service")


def _ensure_admin(store) -> tuple[str, str] | None:
    """Create an ``admin`` user with a generated password if the store has no users yet."""
    from .auth import create_user

    if store.list_users():
        return None
    password = secrets.token_urlsafe(12)
    create_user(store, "admin", password, "admin", by="demo")
    return "admin", password


@cli.command()
@click.option("--reload", is_flag=True, help="Import the demo files again even if the store holds data (overwrites edits to demo actors).")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def demo(ctx: Context, reload: bool, as_json: bool):
    """Load the bundled demo data (the transatlantic mayoral roundtable, 40 actors, 55 ties).

    Only into a store that holds no actors yet, so restarting never undoes your edits.
    """
    from .services.sync import demo_files, import_files

    _, existing = ctx.store.list_actors(limit=1, include_deleted=True)
    counts = None
    if not existing or reload:
        counts = import_files(ctx.store, demo_files(), by="demo")["counts"]
    login = _ensure_admin(ctx.store)
    stats = ctx.store.stats()
    if as_json:
        _emit({"import": counts, "loaded": counts is not None, "stats": stats, "admin_created": bool(login),
               "admin_password": login[1] if login else None}, True, "")
        return
    if counts is None:
        click.echo(f"{ctx.store.describe()} already holds data ({stats['actors_total']} actors, {stats['ties_total']} ties);"
                   " the demo was not loaded again (use --reload to overwrite the demo actors).")
    else:
        c = counts
        click.echo(f"Demo data loaded into {ctx.store.describe()}: {c['actors']['created']} actors and {c['ties']['created']} ties"
                   f" created, {c['actors']['updated'] + c['ties']['updated']} updated; the store now holds"
                   f" {stats['actors_total']} actors and {stats['ties_total']} ties.")
    if login:
        click.echo(f"Created user '{login[0]}' (role admin) with password: {login[1]}")
        click.echo("Keep it; it is not shown again. More users: graph-service create-user NAME --role editor")


@cli.command()
@click.argument("from_actor", metavar="FROM")
@click.argument("to_actor", metavar="TO")
@click.option("--max-depth", default=6, show_default=True, type=click.IntRange(1, 10))
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def path(ctx: Context, from_actor: str, to_actor: str, max_depth: int, as_json: bool):
    """Who knows whom: the shortest chain of ties from FROM to TO (names or ids)."""
    ctx.existing_only = True
    from .services.directory import visible_actor
    from .services.paths import describe_step_tie, who_knows_whom

    for name, value in (("FROM", from_actor), ("TO", to_actor)):
        if not value.strip():
            raise click.BadParameter("give an actor id or name, not an empty string", param_hint=name)

    result = who_knows_whom(ctx.store, from_actor, to_actor, max_depth=max_depth)
    if as_json:
        result["from"] = visible_actor(result["from"], False)
        result["to"] = visible_actor(result["to"], False)
        result["steps"] = [{"actor": visible_actor(s["actor"], False), "tie": s["tie"]} for s in result["steps"]]
        _emit(result, True, "")
    elif not result["found"]:
        click.echo(f"No path from {result['from']['name']} to {result['to']['name']} within {max_depth} ties.")
        sys.exit(EXIT_ERROR)
    else:
        prev = None
        for step in result["steps"]:
            if step["tie"] is not None:
                click.echo(f"    {describe_step_tie(step['tie'], prev)}")
            click.echo(f"{step['actor']['name']}  [{step['actor']['kind']}]")
            prev = step["actor"]["id"]


@cli.command("create-user")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["viewer", "editor", "admin"]))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--generate", is_flag=True, help="Generate a password and print it.")
@pass_ctx
def create_user_cmd(ctx: Context, name: str, role: str, password_stdin: bool, generate: bool):
    """Create a user who logs in to the web pages. Asks for a password, or generates one."""
    from .auth import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif generate or not sys.stdin.isatty():
        password = secrets.token_urlsafe(12)
        generate = True
    else:
        password = click.prompt("Password (10+ characters)", hide_input=True, confirmation_prompt=True)
    create_user(ctx.store, name, password, role, by="cli")
    click.echo(f"Created user '{name}' with role {role}.")
    if generate:
        click.echo(f"Password: {password}")


@cli.command("create-token")
@click.argument("name")
@click.option("--role", default=None, type=click.Choice(["viewer", "editor", "admin"]),
              help="Role of the token-only account created when NAME is not a user yet (default editor).")
@click.option("--days", default=None, type=click.IntRange(1, 3650), help="Lifetime in days (default GRAPH_SERVICE_TOKEN_DAYS, 365).")
@click.option("--scope", "scopes", multiple=True, type=click.Choice(["read", "write", "import"]),
              help="What the token may do (repeat; default all three).")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def create_token_cmd(ctx: Context, name: str, role: str, days: int | None, scopes: tuple[str, ...], as_json: bool):
    """Print a new API token for user NAME (a token-only account with --role is created if absent)."""
    from .auth import issue_token

    existing = ctx.store.get_user_by_name(name)
    if existing is not None and role and role != existing["role"]:
        raise click.BadParameter(
            f"{name} is a user with role {existing['role']}; a token acts with its user's role."
            " For a read-only token use --scope read, or give the token its own NAME with --role.",
            param_hint="--role",
        )
    token, record = issue_token(ctx.store, name, role=role or "editor", days=days or ctx.settings.token_days,
                                scopes=list(scopes) or None)
    user = ctx.store.get_user(record["user_id"])
    if as_json:
        _emit({"token": token, "token_id": record["id"], "user": name, "role": user["role"],
               "scopes": record["scopes"], "expires_at": record["expires_at"]}, True, "")
    else:
        click.echo(token)
        click.echo(f"(for {name}, role {user['role']}, scopes {', '.join(record['scopes'])}, expires {record['expires_at']};"
                   f" id {record['id']}; send as 'Authorization: Bearer <token>')", err=True)


@cli.command()
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write.")
@click.option("--around", default=None, help="Centre actor (name or id): draw its ego network only.")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(1, 4))
@pass_ctx
def view(ctx: Context, out: Path, around: str | None, depth: int):
    """Write an interactive network view: one self-contained HTML file that works offline."""
    ctx.existing_only = True
    from visualisations.network import write_view

    from .services.directory import resolve_actor

    if around:
        centre = resolve_actor(ctx.store, around)
        net = ctx.store.ego_network(centre["id"], depth)
        actors, ties = net["actors"], net["ties"]
        title = f"{centre['name']}: ego network, depth {depth}"
        highlight = {centre["id"]}
    else:
        actors, ties = ctx.store.projection()
        title = "Stakeholder network"
        highlight = None
    write_view(out, actors, ties, title=title, highlight=highlight)
    click.echo(f"Wrote {out} ({len(actors)} actors, {len(ties)} ties); open it in a browser, no network needed.")


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def stats(ctx: Context, as_json: bool):
    """Counts of actors by kind and of ties by type."""
    ctx.existing_only = True
    s = ctx.store.stats()
    lines = [f"{ctx.store.describe()}", f"actors: {s['actors_total']}"]
    lines += [f"  {k}: {v}" for k, v in s["actors"].items()]
    lines.append(f"ties: {s['ties_total']}")
    lines += [f"  {k}: {v}" for k, v in s["ties"].items()]
    _emit(s, as_json, "\n".join(lines))


@cli.command("init-db")
@pass_ctx
def init_db(ctx: Context):
    """Create the store's schema (tables, constraints, indexes) if missing; safe to repeat."""
    ctx.store.init_schema()
    click.echo(f"Schema ready in {ctx.store.describe()}.")


def _load_command_modules() -> None:
    """Each module in :mod:`graph_service.commands` adds its commands to :data:`cli` on import."""
    import importlib
    import pkgutil

    from . import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}")


_load_command_modules()


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: run the CLI and turn every failure into one line and an exit code.

    ``argv``: the arguments when called from Python; the process's own (and its Ctrl-C handling,
    see :func:`output_complete`) when None.
    """
    embedded = argv is not None and threading.current_thread() is threading.main_thread()
    handler = signal.getsignal(signal.SIGINT) if embedded else None
    _completed.clear()
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    finally:
        if handler is not None:
            signal.signal(signal.SIGINT, handler)


def _say(message: str) -> None:
    """An error on stderr; what it quotes from a file cannot drive the terminal."""
    click.echo(terminal_safe(message), err=True)


def _main(args: list[str]) -> int:
    prog = "graph-service"
    if not args:
        with click.Context(cli, info_name=prog) as ctx:
            click.echo(cli.get_help(ctx))
        return EXIT_USAGE
    try:
        cli.main(args=args, prog_name=prog, standalone_mode=False)
    except click.exceptions.Abort:
        if _completed:  # a Ctrl-C that came just as the output was complete
            return _completed[-1]
        click.echo(f"{prog}: aborted", err=True)
        return EXIT_ERROR
    except click.UsageError as exc:
        cmd = exc.ctx.command_path if exc.ctx else prog
        message = " ".join(exc.format_message().split())  # one line, even for click's choice lists
        _say(f"{cmd}: error: {message} (see '{cmd} --help')")
        return EXIT_USAGE
    except click.ClickException as exc:
        _say(f"{prog}: error: {exc.format_message()}")
        return exc.exit_code
    except ImportRefused as exc:
        _say(f"{prog}: error: import refused, nothing was written ({counted(len(exc.errors), 'problem')}):")
        for err in exc.errors:
            _say(f"  {describe_error(err)}")
        return EXIT_ERROR
    except GraphServiceError as exc:
        _say(f"{prog}: error: {' '.join(str(exc.detail).split())}")
        return EXIT_ERROR
    except OSError as exc:
        _say(f"{prog}: error: {exc}")
        return EXIT_ERROR
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    return 0


if __name__ == "__main__":
    # run as "python -m graph_service.cli": the commands modules register on graph_service.cli, not
    # on this __main__ copy of it
    from graph_service.cli import main as _main

    sys.exit(_main())
