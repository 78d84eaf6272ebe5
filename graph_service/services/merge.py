"""Duplicates: finding likely ones on import (listed, never merged silently) and merging two actors.

Names are compared in a *name key*: Unicode NFKC, German umlauts transliterated (``ü`` -> ``ue``,
``ß`` -> ``ss``), accents removed, case folded, titles and honorifics dropped (Dr., Prof.,
Mag., Herr, Frau, Mevrouw, Mme, ...), punctuation removed and the words sorted, so that
``"Dr. Anna Müller"`` and ``"Mueller, Anna"`` have the same key ``"anna mueller"``. Keys are
compared with RapidFuzz's normalised Indel similarity (``fuzz.ratio``, 0-100) within blocks of
names whose words start with the same two letters; pairs scoring at least :data:`THRESHOLD` are
candidates. People are compared with people, organisations with organisations.

:func:`merge_actors` merges B into A through the store (one transaction): A keeps its id and
values, takes B's missing values, B's name becomes an alias, every tie of B moves to A, B is
soft-deleted with ``merged into A`` in its history, and later imports naming B find A.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from ..errors import ValidationError
from ..model import fold
from .directory import resolve_actor
from .sync import row_of

THRESHOLD = 90
MAX_REPORTED = 1000
MAX_BLOCK_CELLS = 4_000_000
_TITLES = {
    "dr", "prof", "professor", "mag", "dipl", "ing", "dipl ing", "mr", "mrs", "ms", "miss", "mx", "sir", "dame",
    "herr", "frau", "hr", "fr", "dres", "phd", "md", "ba", "ma", "msc", "bsc", "mba", "llm", "jr", "sr",
    "mevrouw", "meneer", "dhr", "mw", "mevr", "drs", "ir", "mr", "ing", "m", "mme", "mlle", "monsieur", "madame",
    "me", "pr", "rouva", "herra", "tri", "fil", "toht", "von", "van", "der", "den", "de", "zu", "vom",
}
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
_TOKEN = re.compile(r"[a-z0-9]+")


def name_key(name: str) -> str:
    """The comparison key of a name: ``"Dr. Anna Müller"`` -> ``"anna mueller"``."""
    text = name or ""
    if not text.isascii():  # NFKC and the umlauts' transliteration change nothing in ASCII
        text = unicodedata.normalize("NFKC", text).translate(_TRANSLIT)
    tokens = [t for t in _TOKEN.findall(fold(text)) if t not in _TITLES]
    return " ".join(sorted(tokens))


_NUMBERED = re.compile(r"^(\d+|[ivxl]+)$")


def numbered_apart(a: str, b: str) -> bool:
    """True when two keys differ in a number or roman numeral (``Fund II`` vs ``Fund III``): not duplicates."""
    return _numbers(a) != _numbers(b)


@functools.lru_cache(maxsize=1 << 16)  # a key is compared with every look-alike of its block
def _numbers(key: str) -> frozenset:
    return frozenset(t for t in key.split() if _NUMBERED.match(t))


def _block(key: str) -> str:
    """Names are compared only within a block: the first two letters of each word, sorted."""
    return " ".join(sorted(t[:2] for t in key.split())) if key else ""


def duplicate_candidates(created: list[tuple[dict, object]], index) -> tuple[list[dict], int]:
    """Likely duplicates among actors about to be created: ``([{id, name, row, candidate, score,
    explanation}], pairs found)``.

    ``created``: ``(values, record)`` pairs of new actors; ``index``: the store's
    :class:`~graph_service.services.sync.Index`. Each new actor is compared with live existing
    actors and with the other new actors of the same class (person / organisation). At most
    :data:`MAX_REPORTED` pairs are listed, the most alike first; the count is of all pairs found.
    """
    if not created:
        return [], 0
    pairs: list[tuple[float, int, object]] = []  # (score, new index, existing actor dict | other new index)
    for person in (True, False):
        new = [i for i, (v, _) in enumerate(created) if (v.get("kind") == "person") == person]
        if not new:
            continue
        new_keys = {i: name_key(created[i][0]["name"]) for i in new}
        old = [a for a in index.by_id.values()
               if not a["deleted_at"] and not a.get("merged_into") and (a["kind"] == "person") == person]
        old_keys = [name_key(a["name"]) for a in old]
        blocks_new: dict[str, list[int]] = {}
        for i in new:
            blocks_new.setdefault(_block(new_keys[i]), []).append(i)
        blocks_old: dict[str, list[int]] = {}
        for j, k in enumerate(old_keys):
            blocks_old.setdefault(_block(k), []).append(j)
        for b, members in blocks_new.items():
            if not b:
                continue
            queries = [new_keys[i] for i in members]
            olds = blocks_old.get(b, [])
            if olds and len(members) * len(olds) <= MAX_BLOCK_CELLS:
                scores = cdist(queries, [old_keys[j] for j in olds], scorer=fuzz.ratio, score_cutoff=THRESHOLD)
                for qi, oj in zip(*scores.nonzero()):
                    if not numbered_apart(queries[qi], old_keys[olds[oj]]):
                        pairs.append((float(scores[qi, oj]), members[qi], old[olds[oj]]))
            if len(members) > 1 and len(members) ** 2 <= MAX_BLOCK_CELLS:
                scores = cdist(queries, queries, scorer=fuzz.ratio, score_cutoff=THRESHOLD)
                for qi, qj in zip(*scores.nonzero()):
                    if qj > qi and not numbered_apart(queries[qi], queries[qj]):
                        pairs.append((float(scores[qi, qj]), members[qj], members[qi]))
    pairs.sort(key=lambda p: (-p[0], created[p[1]][0]["name"], created[p[1]][0]["id"]))
    out = []
    for score, i, other in pairs[:MAX_REPORTED]:
        v, r = created[i]
        if isinstance(other, dict):
            cand = {"id": other["id"], "name": other["name"], "existing": True}
        else:
            v2, r2 = created[other]
            cand = {"id": v2["id"], "name": v2["name"], "existing": False,
                    "row": row_of(r2.where)}
        out.append(_entry(v, r, cand, score))
    return out, len(pairs)


def _entry(values: dict, record, candidate: dict, score: float) -> dict:
    row = row_of(record.where)
    where = f"row {row.get('row')}" if row.get("row") else "this import"
    other = "an existing actor" if candidate["existing"] else f"row {candidate.get('row', {}).get('row')} of this import"
    return {
        "id": values["id"], "name": values["name"], "row": row, "candidate": candidate, "score": round(score, 1),
        "explanation": (f"{values['name']!r} ({where}) looks like {candidate['name']!r} ({other}, {candidate['id']}): "
                        f"names {round(score)}% alike. If they are one, import and then run: "
                        f"graph-service merge {candidate['id']} {values['id']}"),
    }


def merge_actors(store, keep_ref: str, gone_ref: str, *, by: str) -> dict:
    """Merge actor ``gone_ref`` into ``keep_ref`` (ids or names) in one transaction.

    Returns the store's summary ``{"kept": actor, "merged": id, "ties_moved": n, "ties_folded": n}``.
    Raises NotFound, ValidationError (same actor twice, or a store that cannot merge).
    """
    keep = resolve_actor(store, keep_ref)
    gone = resolve_actor(store, gone_ref)
    if keep["id"] == gone["id"]:
        raise ValidationError([{"field": "actor", "message": f"{keep_ref!r} and {gone_ref!r} are the same actor ({keep['id']})"}])
    if not hasattr(store, "merge_actors"):
        raise ValidationError([{"field": "store", "message": f"merging is not available on {store.describe()} yet"}])
    # the merged actor holds what both held: it is protected if either was, visible only to who
    # could see both; protected first, so that no moment shows the merged details to anyone else
    entries = store.access_entries()
    kept_entry, gone_entry = entries.get(keep["id"]), entries.get(gone["id"])
    if gone_entry is not None:
        names = list(gone_entry["visible_to"])
        if kept_entry is not None:
            both = {n.casefold() for n in kept_entry["visible_to"]}
            names = [n for n in names if n.casefold() in both]
        store.set_access("actor", keep["id"], names, by=by)
    try:
        return store.merge_actors(keep["id"], gone["id"], by=by)
    except BaseException:
        if gone_entry is not None:
            store.set_access("actor", keep["id"], kept_entry["visible_to"] if kept_entry else None, by=by)
        raise
