"""Stale ties: relationships whose last contact is older than a threshold, so staff know whom to call.

A tie is *stale* when its ``last_contact`` is more than ``days`` (default 180) before today; a tie
without a date is *undated* (counted apart: nobody knows). Stale ties are grouped

* by *owner*: the actor at the tie's source end, who holds the relationship (a mutual tie is
  listed under both ends, since either can call);
* by *community*: every tag of either end.

Within a group the strongest ties come first (losing them costs most), then the oldest.
"""
from __future__ import annotations

from collections import defaultdict

from ..errors import ValidationError
from ..model import fold
from ..text import counted
from .gaps import bfs
from .projection import Projection, days_since

DEFAULT_DAYS = 180
MAX_LISTED = 50  # ties listed per owner (``total`` counts them all)


def stale_ties(proj: Projection, *, days: int = DEFAULT_DAYS, around: str | None = None, hops: int = 2,
               limit: int = 50) -> dict:
    """Ties not renewed for more than ``days`` days, grouped by owner and by community.

    Parameters
    ----------
    days : int
        Threshold in days (>= 0).
    around : str, optional
        Only ties among actors within ``hops`` ties of this actor id.
    limit : int
        Longest list of owners and of communities returned.

    Returns
    -------
    ``{"days", "today", "total", "undated", "owners", "by_owner": [{actor, total, ties: [{tie, other, days_since}],
    explanation}], "communities", "by_community": [{community, ties, strongest, oldest_days, first_ties, explanation}],
    "explanation"}``; ``owners``/``communities`` count all groups, the lists hold the first ``limit``.
    """
    if days < 0:
        raise ValidationError([{"field": "days", "message": "must be 0 or more"}])
    keep = None
    if around:
        c = proj.require(around)
        keep = set(bfs(proj.nbr, c, hops)[0])
    stale, undated = [], 0
    for t, tie in enumerate(proj.ties):
        u, v = proj.index[tie["source_id"]], proj.index[tie["target_id"]]
        if keep is not None and (u not in keep or v not in keep):
            continue
        age = days_since(tie.get("last_contact"), proj.today)
        if age is None:
            undated += 1
        elif age > days:
            stale.append((t, u, v, age))
    order = lambda item: (-(proj.ties[item[0]].get("strength") or 0), -item[3], proj.ties[item[0]]["id"])  # noqa: E731
    stale.sort(key=order)
    owners: dict[int, list] = defaultdict(list)
    communities: dict[str, list] = {}  # tag -> [count, strongest, oldest, first ties]
    tags = [a.get("tags") or [] for a in proj.actors]
    for item in stale:
        t, u, v, age = item
        owners[u].append((t, v, age))
        if not proj.ties[t].get("directed", True):
            owners[v].append((t, u, age))
        for tag in set(tags[u]).union(tags[v]):
            entry = communities.get(tag)
            if entry is None:
                entry = communities[tag] = [0, 0, 0, []]
            entry[0] += 1
            entry[1] = max(entry[1], proj.ties[t].get("strength") or 0)
            entry[2] = max(entry[2], age)
            if len(entry[3]) < 5:
                entry[3].append(t)
    ranked = sorted(owners.items(), key=lambda kv: (-(proj.ties[kv[1][0][0]].get("strength") or 0), -len(kv[1]),
                                                    fold(proj.name(kv[0])), proj.ids[kv[0]]))
    by_owner = []
    for u, items in ranked[:limit]:
        calls = ", ".join(
            f"{proj.name(o)} ({_strength(proj, t)}, last contact {proj.ties[t]['last_contact']}, {age} days ago)"
            for t, o, age in items[:5]
        )
        more = f" and {len(items) - 5} more" if len(items) > 5 else ""
        by_owner.append({
            "actor": proj.brief(u), "total": len(items),
            "ties": [{"tie": proj.tie_brief(t), "other": proj.brief(o), "days_since": age} for t, o, age in items[:MAX_LISTED]],
            "explanation": f"{proj.name(u)} has {len(items)} {'tie' if len(items) == 1 else 'ties'} not renewed in {days} days: call {calls}{more}.",
        })
    by_community = []
    for tag, (count, strongest, oldest, first) in sorted(communities.items(), key=lambda kv: (-kv[1][0], fold(kv[0])))[:limit]:
        strongest = strongest or None
        by_community.append({
            "community": tag, "ties": count, "strongest": strongest, "oldest_days": oldest,
            "first_ties": [proj.tie_brief(t) for t in first],
            "explanation": (f"The {tag} community has {count} stale {'tie' if count == 1 else 'ties'}"
                            f"{f' (the strongest of strength {strongest})' if strongest else ''}; the oldest was last "
                            f"renewed {oldest} days ago."),
        })
    scope = f" around {proj.name(proj.require(around))} ({counted(hops, 'tie')})" if around else ""
    summary = (f"{counted(len(stale), 'tie')}{scope} {'was' if len(stale) == 1 else 'were'} last renewed more than {days} days before {proj.today.isoformat()}; "
               f"{undated} {'has' if undated == 1 else 'have'} no last-contact date.")
    return {"days": days, "today": proj.today.isoformat(), "around": around, "total": len(stale), "undated": undated,
            "by_owner": by_owner, "owners": len(owners), "by_community": by_community,
            "communities": len(communities), "explanation": summary}


def _strength(proj: Projection, t: int) -> str:
    s = proj.ties[t].get("strength")
    return f"strength {s}" if s else "strength unknown"
