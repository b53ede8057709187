"""The clinician's chart of the coping toolkit: average drop in distress per tool, drawn
with matplotlib as SVG on the server (like measures/charts.py) so it shows without
JavaScript and prints. The page puts a table with every value beside it."""

from __future__ import annotations

import io
from collections.abc import Sequence
from threading import Lock

from mend.practice import coping_catalogue as catalogue
from mend.practice.coping_rules import ToolSummary, one_decimal

HELPED = "#1d5c63"  # distress lower afterwards
NOT_HELPED = "#b35c00"  # the same or higher; also told apart by the label, not colour alone
_lock = Lock()  # pyplot's state is global; one figure at a time per process


def _rated(summaries: Sequence[ToolSummary]) -> list[ToolSummary]:
    return [s for s in summaries if s.rated and s.mean_drop is not None]


def render_svg(summaries: Sequence[ToolSummary]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rated = _rated(summaries)
    height = 1.2 + 0.42 * max(1, len(rated))
    with _lock:
        fig, ax = plt.subplots(figsize=(7.2, height), dpi=100)
        try:
            if rated:
                names = [catalogue.name_of(s.tool) for s in rated]
                drops = [s.average_drop or 0.0 for s in rated]
                ys = list(range(len(rated)))
                colours = [HELPED if d > 0 else NOT_HELPED for d in drops]
                ax.barh(ys, drops, color=colours, height=0.6, zorder=3)
                for y, s, d in zip(ys, rated, drops, strict=True):
                    sessions = "session" if s.rated == 1 else "sessions"
                    ax.annotate(
                        f"{one_decimal(d)}  ({s.rated} {sessions})",
                        (d, y),
                        xytext=(4 if d >= 0 else -4, 0),
                        textcoords="offset points",
                        ha="left" if d >= 0 else "right",
                        va="center",
                        fontsize=8,
                        color="#1f2a30",
                    )
                ax.set_yticks(ys, names, fontsize=8)
                ax.invert_yaxis()  # the toolkit's order, top to bottom
                low = min(0.0, *drops)
                high = max(0.0, *drops)
                pad = max(1.0, (high - low) * 0.35)
                ax.set_xlim(low - (pad if low < 0 else 0.2), high + pad)
            else:
                ax.set_yticks([])
                ax.text(0.5, 0.5, "No rated sessions yet", ha="center", va="center")
            ax.axvline(0, color="#4a5a63", linewidth=1, zorder=4)
            ax.grid(axis="x", color="#e3e7e9", zorder=0)
            ax.set_xlabel("Average drop in distress, 0-10 scale (higher = felt better)", fontsize=8)
            ax.tick_params(labelsize=8)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            fig.tight_layout()
            out = io.StringIO()
            fig.savefig(out, format="svg", metadata={"Date": None})
            return out.getvalue()
        finally:
            plt.close(fig)


def describe(summaries: Sequence[ToolSummary]) -> str:
    """A sentence for the chart's alt text; the table beside it holds every value."""
    rated = _rated(summaries)
    if not rated:
        return "No rated coping sessions yet."
    parts = [
        f"{catalogue.name_of(s.tool)} {one_decimal(s.average_drop or 0.0)} ({s.rated})"
        for s in rated
    ]
    return "Average drop in distress per tool (rated sessions): " + "; ".join(parts) + "."
