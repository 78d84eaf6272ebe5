"""Wording shared by explanations, pages and the command line."""
from __future__ import annotations

import re

# C0 and C1 control characters but tab and newline: in a file's header or cell they could move the
# cursor, retitle or recolour the terminal showing an error that quotes them
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``"1 actor"``, ``"2 actors"``, ``"0 communities"``: a number with its noun agreeing."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def terminal_safe(text: str) -> str:
    """``text`` with control characters written as escapes (``"Foo\x1b]0;"`` -> ``"Foo\\x1b]0;"``),
    for messages quoting what a file holds."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
