"""A static PNG or SVG of any view, for briefings and printed contact sheets (matplotlib).

The same encoding as the interactive views: colour by kind, size by the chosen metric, line
width by strength, stale ties dashed, marks (centre star, cut-vertex diamond) and a highlighted
path in red. Positions come from :func:`visualisations.layout.positions`. Uses matplotlib's
object API with the Agg/SVG canvases (no pyplot, no GUI, safe in a web server's threads). Text
is drawn with ``parse_math=False`` (a ``$`` in a name is not TeX) and SVG keeps it as escaped
XML text.
"""
from __future__ import annotations

import datetime as dt
import io

from matplotlib import rc_context
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from . import layout
from .filters import STALE_DAYS, is_stale
from .network import EDGE_COLOUR, HIGHLIGHT, KIND_COLOURS, OTHER_COLOUR, tie_width

FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
LABEL_LIMIT = 150  # past this many actors, only marked, highlighted and the largest are labelled
A4_LANDSCAPE = (11.69, 8.27)  # inches
_MARKERS = {"centre": "*", "cut": "D"}


def _short(name: str, limit: int = 36) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def render_static(
    actors: list[dict],
    ties: list[dict],
    *,
    fmt: str = "png",
    title: str = "",
    note: str = "",
    sizes: dict[str, float] | None = None,
    highlight: set[str] | None = None,
    highlight_ties: set[str] | None = None,
    marks: dict[str, str] | None = None,
    stale_days: int = STALE_DAYS,
    today: dt.date | None = None,
    dpi: int = 150,
    figsize: tuple[float, float] = A4_LANDSCAPE,
    highlight_label: str = "highlighted",
) -> bytes:
    """The view drawn on an A4-landscape page, as PNG or SVG bytes.

    Arguments as :func:`visualisations.network.build_network`; ``fmt`` is ``"png"`` or
    ``"svg"`` (ValueError otherwise). ``note`` (e.g. a cut message) is printed under the title.
    ``figsize`` is in inches (default A4 landscape); ``highlight_label`` names the red-ringed
    actors in the legend.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}")
    sizes, highlight, highlight_ties, marks = sizes or {}, highlight or set(), highlight_ties or set(), marks or {}
    ids = [a["id"] for a in actors]
    pos = layout.positions(ids, ties)
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_aspect("equal", adjustable="datalim")  # a map in a line (a chain of ties) still fills the box
    heading = title + (f"\n{note}" if note else "")
    if heading:
        ax.set_title(heading, fontsize=11, loc="left", parse_math=False)

    segments, widths, colours, styles = [], [], [], []
    for t in ties:
        if t["source_id"] not in pos or t["target_id"] not in pos:
            continue
        (x1, y1), (x2, y2) = pos[t["source_id"]], pos[t["target_id"]]
        on_path = t.get("id") in highlight_ties
        segments.append([(x1, -y1), (x2, -y2)])
        widths.append(tie_width(t.get("strength")) * 0.6 + (1.5 if on_path else 0))
        colours.append(HIGHLIGHT if on_path else EDGE_COLOUR)
        styles.append((0, (4, 3)) if is_stale(t, today, stale_days) else "solid")
    if segments:
        ax.add_collection(LineCollection(segments, linewidths=widths, colors=colours, linestyles=styles, alpha=0.8, zorder=1))

    big = len(actors) > LABEL_LIMIT
    by_size = sorted(ids, key=lambda i: -sizes.get(i, 0.0))[:40] if big else ids
    labelled = set(by_size) | highlight | set(marks)
    for marker in ("o", "*", "D"):
        group = [a for a in actors if _MARKERS.get(marks.get(a["id"]), "o") == marker]
        if not group:
            continue
        ax.scatter(
            [pos[a["id"]][0] for a in group],
            [-pos[a["id"]][1] for a in group],
            s=[(40 + 260 * sizes.get(a["id"], 0.0)) * (3 if marker != "o" else 1) for a in group],
            c=[KIND_COLOURS.get(a.get("kind"), OTHER_COLOUR) for a in group],
            marker=marker,
            edgecolors=[HIGHLIGHT if (a["id"] in highlight or a["id"] in marks) else "white" for a in group],
            linewidths=[2.0 if (a["id"] in highlight or a["id"] in marks) else 0.6 for a in group],
            zorder=2,
        )
    for a in actors:
        if a["id"] in labelled:
            x, y = pos[a["id"]]
            ax.annotate(_short(a["name"]), (x, -y), xytext=(0, -7), textcoords="offset points", fontsize=6 if big else 7,
                        va="top", ha="center", zorder=3, parse_math=False, annotation_clip=False,
                        bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none", "alpha": 0.7})

    kinds = sorted({a.get("kind") or "other" for a in actors})
    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=7, markerfacecolor=KIND_COLOURS.get(k, OTHER_COLOUR), markeredgecolor="white", label=k.replace("_", " "))
        for k in kinds
    ]
    handles.append(Line2D([], [], color=EDGE_COLOUR, linewidth=3, label="strong tie (thicker = stronger)"))
    handles.append(Line2D([], [], color=EDGE_COLOUR, linewidth=1.2, linestyle=(0, (4, 3)), label=f"stale tie (no contact {stale_days}+ days)"))
    if highlight_ties:
        handles.append(Line2D([], [], color=HIGHLIGHT, linewidth=3, label="path"))
    if highlight:
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=7, markerfacecolor="white", markeredgecolor=HIGHLIGHT,
                              markeredgewidth=2, label=highlight_label))
    if "centre" in marks.values():
        handles.append(Line2D([], [], marker="*", linestyle="", markersize=11, color="#555", label="starting actor"))
    if "cut" in marks.values():
        handles.append(Line2D([], [], marker="D", linestyle="", markersize=7, color="#555", label="single point of failure"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    ax.autoscale_view()
    ax.margins(x=0.12, y=0.08)

    buf = io.BytesIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "graph-service"}):
        fig.savefig(buf, format=fmt, metadata={"Software": None} if fmt == "png" else {"Creator": None, "Date": None}, **({"dpi": dpi} if fmt == "png" else {}))
    return buf.getvalue()
