"""Lossless dumps of a whole store: backup, restore, and moving between SQLite and Neo4j.

Format: one JSON document ``{"format": "graph-service-dump", "version": 1, "created_at",
"store", "records": {actors, ties, history, users, tokens, audit}}`` (also ``sync_sources``,
``sync_records``, ``actor_merges`` and ``analytics_snapshots`` where there are any; both stores
keep and restore them), gzip-compressed when the
file name ends in ``.gz``. Keys are sorted so two dumps of the same data are byte-identical
apart from ``created_at`` and ``store``.
"""
from __future__ import annotations

import gzip
import json
import os
import tempfile
from pathlib import Path

from ..errors import ValidationError
from ..model import now_iso

FORMAT = "graph-service-dump"
VERSION = 1


def _open(path: Path, mode: str):
    return gzip.open(path, mode + "t", encoding="utf-8") if path.suffix == ".gz" else open(path, mode, encoding="utf-8")


def backup(store, path: str | Path) -> dict:
    """Write the whole store to ``path`` atomically (temp file + rename). Returns record counts."""
    path = Path(path)
    records = store.export_records()
    doc = {"format": FORMAT, "version": VERSION, "created_at": now_iso(), "store": store.name, "records": records}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".backup-", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp).with_suffix(path.suffix)
    os.replace(tmp, tmp_path)
    try:
        with _open(tmp_path, "w") as fh:
            json.dump(doc, fh, ensure_ascii=False, sort_keys=True, indent=1)
        os.chmod(tmp_path, 0o600)  # it holds personal data and password hashes
        os.replace(tmp_path, path)
    finally:
        tmp_path.unlink(missing_ok=True)
    return {k: len(v) for k, v in records.items()}


def read_dump(path: str | Path) -> dict:
    """The records of a dump file. Raises ValidationError for anything that is not one."""
    path = Path(path)
    try:
        with _open(path, "r") as fh:
            doc = json.load(fh)
    except (OSError, ValueError, EOFError) as exc:
        raise ValidationError([{"file": path.name, "message": f"not a readable graph-service dump: {exc}"}]) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValidationError([{"file": path.name, "message": "not a graph-service dump (no 'format': 'graph-service-dump')"}])
    if doc.get("version") != VERSION:
        raise ValidationError([{"file": path.name, "message": f"dump version {doc.get('version')!r} is not supported (expected {VERSION})"}])
    return doc["records"]


def restore(store, path: str | Path) -> dict:
    """Load a dump into an empty store in one transaction. Returns record counts.

    Raises ValidationError (bad file) or Conflict (store not empty).
    """
    records = read_dump(path)
    store.import_records(records)
    return {k: len(v) for k, v in records.items()}
