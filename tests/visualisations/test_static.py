"""Static PNG/SVG images of a view, for briefings."""
from __future__ import annotations

import pytest

from visualisations.static import render_static

ACTORS = [
    {"id": "a", "name": "<script>alert(1)</script> & $x$", "kind": "ngo"},
    {"id": "b", "name": "Second", "kind": "city"},
]
TIES = [{"id": "t", "source_id": "a", "target_id": "b", "type": "knows", "strength": 3, "last_contact": "2020-01-01"}]


def test_png_is_an_image_of_a4_landscape_at_the_given_resolution():
    png = render_static(ACTORS, TIES, fmt="png", title="Briefing", dpi=100)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1169, 827)


def test_svg_keeps_names_as_escaped_text_and_dollars_literal():
    svg = render_static(ACTORS, TIES, fmt="svg", title="Briefing <b>", highlight={"b"}, marks={"a": "centre"}).decode()
    assert svg.startswith("<?xml") and "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; $x$" in svg  # text, not markup, and no TeX
    assert "Briefing &lt;b&gt;" in svg and "starting actor" in svg and "highlighted" in svg


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        render_static(ACTORS, TIES, fmt="gif")
