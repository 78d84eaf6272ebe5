"""Wording shared by explanations, pages and the command line."""
from __future__ import annotations


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``"1 actor"``, ``"2 actors"``, ``"0 communities"``: a number with its noun agreeing."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
