"""Choosing what a view draws: filters on actors and ties, staleness, and a node cap.

All functions take and return plain actor and tie dicts in the shapes of
:mod:`graph_service.store.base` (``projection()`` rows are enough) and never touch a store.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from graph_service.analytics.projection import UNKNOWN_STRENGTH
from graph_service.model import fold

STALE_DAYS = 180
STALE_CHOICES = ("", "only", "hide")  # "" = all ties; "only" = stale ties only; "hide" = fresh or undated only


def is_stale(tie: dict, today: dt.date | None = None, stale_days: int = STALE_DAYS) -> bool:
    """True when the tie's ``last_contact`` (ISO date) is more than ``stale_days`` days before ``today``.

    A tie with no (or an unreadable) last contact is not called stale: we do not know. Staleness
    follows the design notes' definition (default threshold 180 days).
    """
    last = tie.get("last_contact")
    if not last:
        return False
    try:
        when = dt.date.fromisoformat(str(last)[:10])
    except ValueError:
        return False
    return ((today or dt.date.today()) - when).days > stale_days


@dataclass
class ViewFilter:
    """What the network view shows. Empty values mean "no filter".

    ``kind``, ``tag`` and ``city`` select actors (kind exactly, tag and city compared folded:
    case and accents ignored); only ties between selected actors are drawn. ``min_strength``
    (1-5) keeps ties of at least that strength, an unrated tie counting as a weak one (2), as the
    analytics count it (``analytics.projection.UNKNOWN_STRENGTH``);
    ``stale`` is ``"only"`` (stale ties only) or ``"hide"``. When a tie filter is set, actors
    left without any tie are dropped too, so the view shows the network that remains.
    """

    kind: str = ""
    tag: str = ""
    city: str = ""
    min_strength: int | None = None
    stale: str = ""
    stale_days: int = STALE_DAYS
    today: dt.date | None = None

    @property
    def active(self) -> bool:
        return bool(self.kind or self.tag or self.city or self.min_strength or self.stale)

    def describe(self) -> str:
        """``"kind ngo, strength ≥ 3"``: the active filters in words ('' when none)."""
        bits = []
        if self.kind:
            bits.append(f"kind {self.kind.replace('_', ' ')}")
        if self.tag:
            bits.append(f"community {self.tag}")
        if self.city:
            bits.append(f"city {self.city}")
        if self.min_strength:
            bits.append(f"strength ≥ {self.min_strength}")
        if self.stale == "only":
            bits.append(f"stale ties only (no contact for {self.stale_days}+ days)")
        elif self.stale == "hide":
            bits.append("stale ties hidden")
        return ", ".join(bits)


def apply_filter(actors: list[dict], ties: list[dict], flt: ViewFilter) -> tuple[list[dict], list[dict]]:
    """The actors and ties that ``flt`` keeps (order preserved). See :class:`ViewFilter`."""
    tag, city = fold(flt.tag), fold(flt.city)
    kept = [
        a
        for a in actors
        if (not flt.kind or a.get("kind") == flt.kind)
        and (not tag or tag in {fold(t) for t in a.get("tags") or ()})
        and (not city or fold(a.get("city")) == city)
    ]
    ids = {a["id"] for a in kept}
    out_ties = []
    for t in ties:
        if t["source_id"] not in ids or t["target_id"] not in ids:
            continue
        if flt.min_strength and (t.get("strength") or UNKNOWN_STRENGTH) < flt.min_strength:
            continue
        if flt.stale:
            stale = is_stale(t, flt.today, flt.stale_days)
            if (flt.stale == "only") != stale:
                continue
        out_ties.append(t)
    if flt.min_strength or flt.stale:
        touched = {t["source_id"] for t in out_ties} | {t["target_id"] for t in out_ties}
        kept = [a for a in kept if a["id"] in touched]
    return kept, out_ties


@dataclass
class Cut:
    """What :func:`cap` left out: ``shown``/``total`` actors and the message to show the user."""

    shown: int
    total: int
    dropped_ids: set[str] = field(default_factory=set)

    @property
    def cut(self) -> bool:
        return self.shown < self.total

    def message(self) -> str:
        if not self.cut:
            return ""
        return (
            f"Showing {self.shown:,} of {self.total:,} actors (the most connected). "
            "Narrow the view with the filters, or start from an actor's page."
        )


def cap(actors: list[dict], ties: list[dict], max_nodes: int, *, keep: set[str] | None = None) -> tuple[list[dict], list[dict], Cut]:
    """At most ``max_nodes`` actors: those in ``keep`` first, then the highest degree (ties
    among the kept actors only; ties broken by name then id, so the cut is stable).

    Returns ``(actors, ties, Cut)``; ``Cut.message()`` is the sentence to show when cut.
    """
    total = len(actors)
    if total <= max_nodes:
        return actors, ties, Cut(total, total)
    degree: dict[str, int] = {}
    for t in ties:
        degree[t["source_id"]] = degree.get(t["source_id"], 0) + 1
        degree[t["target_id"]] = degree.get(t["target_id"], 0) + 1
    keep = keep or set()
    ranked = sorted(actors, key=lambda a: (a["id"] not in keep, -degree.get(a["id"], 0), a.get("name", ""), a["id"]))
    chosen = ranked[:max_nodes]
    ids = {a["id"] for a in chosen}
    dropped = {a["id"] for a in ranked[max_nodes:]}
    chosen.sort(key=lambda a: (a.get("name", ""), a["id"]))
    kept_ties = [t for t in ties if t["source_id"] in ids and t["target_id"] in ids]
    return chosen, kept_ties, Cut(len(chosen), total, dropped)
