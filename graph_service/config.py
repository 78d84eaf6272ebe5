"""Settings from environment variables, each with a documented default (see README, Configuration).

| variable | default | meaning |
|---|---|---|
| GRAPH_SERVICE_DB | ``$XDG_DATA_HOME/graph-service/graph.sqlite3`` (``~/.local/share/...``) | SQLite file of the embedded store |
| NEO4J_URI | unset | set to use Neo4j instead of SQLite, e.g. ``bolt://127.0.0.1:7687`` |
| NEO4J_USERNAME (or NEO4J_USER) | ``neo4j`` | Neo4j user |
| NEO4J_PASSWORD | unset | Neo4j password |
| NEO4J_DATABASE | ``neo4j`` | Neo4j database name |
| SECRET_KEY | generated once and kept beside the SQLite file (``secret_key``) | signs session cookies |
| GRAPH_SERVICE_SESSION_HOURS | ``8`` | how long a web login lasts |
| GRAPH_SERVICE_TOKEN_DAYS | ``365`` | lifetime of new API tokens |
| GRAPH_SERVICE_SECURE_COOKIES | ``true`` | session cookie only over HTTPS (browsers exempt localhost); ``false`` for plain-HTTP intranets |
| GRAPH_SERVICE_PROTECTED | ``hide`` | what users not named on a sensitive actor see of it: ``hide`` (nothing) or ``placeholder`` ("a protected contact" in network views, paths and analytics) |
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping


def default_data_dir(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "graph-service"


@dataclass(frozen=True)
class Settings:
    db_path: str
    neo4j_uri: str | None = None
    neo4j_username: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"
    secret_key: str = ""
    session_hours: float = 8.0
    token_days: int = 365
    secure_cookies: bool = True
    protected_policy: str = "hide"
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        db_path = env.get("GRAPH_SERVICE_DB") or str(default_data_dir(env) / "graph.sqlite3")
        return cls(
            db_path=os.path.expanduser(db_path),
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_username=env.get("NEO4J_USERNAME") or env.get("NEO4J_USER") or "neo4j",
            neo4j_password=env.get("NEO4J_PASSWORD"),
            neo4j_database=env.get("NEO4J_DATABASE") or "neo4j",
            secret_key=env.get("SECRET_KEY") or "",
            session_hours=_number(env, "GRAPH_SERVICE_SESSION_HOURS", 8.0),
            token_days=int(_number(env, "GRAPH_SERVICE_TOKEN_DAYS", 365)),
            secure_cookies=(env.get("GRAPH_SERVICE_SECURE_COOKIES", "true").strip().lower() not in ("0", "false", "no")),
            protected_policy=_choice(env, "GRAPH_SERVICE_PROTECTED", ("hide", "placeholder")),
        )

    def resolved_secret_key(self) -> str:
        """SECRET_KEY, or one generated once and kept (mode 600) beside the SQLite file."""
        if self.secret_key:
            return self.secret_key
        path = Path(self.db_path).parent / "secret_key"
        if path.exists():
            return path.read_text().strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a number") from None


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    raw = (env.get(name) or choices[0]).strip().lower()
    if raw not in choices:
        raise SystemExit(f"{name}={raw!r} is not one of {', '.join(choices)}")
    return raw
