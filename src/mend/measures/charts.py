"""Score-over-time charts drawn with matplotlib as SVG, on the server, so they show
without JavaScript and print cleanly. Each chart draws the instrument's published
bands, its clinical cut-off, and marks every score by its reliable change."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from threading import Lock

from mend.measures.definitions import Instrument
from mend.measures.service import ScoredPoint

# Colour-blind-safe band shades, mildest first; a band is also labelled in text.
BAND_SHADES = ["#e8f3ec", "#f4f1dc", "#f9e7d2", "#f6dcd6", "#efcfd2", "#e9c4cb"]
CHANGE_STYLE = {
    "recovered": ("#1b7837", "^", "Recovered"),
    "reliably improved": ("#5aae61", "^", "Reliably improved"),
    "no reliable change": ("#4a5a63", "o", "No reliable change"),
    "reliably deteriorated": ("#b2182b", "v", "Reliably deteriorated"),
}
_lock = Lock()  # pyplot's state is global; one figure at a time per process


def render_svg(instrument: Instrument, points: Sequence[ScoredPoint]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    dated = [
        (p.administration.completed_at, p.administration.total, p)
        for p in points
        if p.administration.completed_at is not None and p.administration.total is not None
    ]
    if instrument.scoring.range is None:
        raise ValueError(f"{instrument.id} has no total score to chart")
    low, high = (float(v) for v in instrument.scoring.range)
    with _lock:
        fig, ax = plt.subplots(figsize=(7.2, 3.2), dpi=100)
        try:
            for i, band in enumerate(instrument.bands or []):
                shade = BAND_SHADES[min(i, len(BAND_SHADES) - 1)]
                ax.axhspan(
                    band.min - 0.5 if i else low,
                    band.max + 0.5 if band.max < high else high,
                    color=shade,
                    zorder=0,
                )
                ax.text(
                    1.01,
                    (max(band.min, low) + min(band.max, high)) / 2,
                    band.label,
                    transform=ax.get_yaxis_transform(),
                    va="center",
                    fontsize=7,
                    color="#33424a",
                )
            if instrument.cutoff is not None:
                ax.axhline(
                    instrument.cutoff.value,
                    color="#8a4b00",
                    linestyle="--",
                    linewidth=1.2,
                    zorder=2,
                )
                ax.text(
                    0.005,
                    instrument.cutoff.value,
                    f" cut-off {instrument.cutoff.value:g}",
                    transform=ax.get_yaxis_transform(),
                    va="bottom",
                    fontsize=7,
                    color="#8a4b00",
                )
            if dated:
                xs: list[datetime] = [d for d, _, _ in dated]
                ys = [float(t) for _, t, _ in dated if t is not None]
                ax.plot(mdates.date2num(xs), ys, color="#1d5c63", linewidth=1.6, zorder=3)
                used: set[str] = set()
                for when, total, point in dated:
                    key = point.change.category if point.change else None
                    colour, marker, label = CHANGE_STYLE.get(
                        key or "", ("#1d5c63", "o", "Baseline")
                    )
                    if point.administration.flags:
                        ax.scatter(
                            [mdates.date2num(when)],
                            [total],
                            s=140,
                            facecolors="none",
                            edgecolors="#a1262b",
                            linewidths=1.8,
                            zorder=5,
                        )
                    ax.scatter(
                        [mdates.date2num(when)],
                        [total],
                        color=colour,
                        marker=marker,
                        s=42,
                        zorder=4,
                        label=None if label in used else label,
                    )
                    used.add(label)
                ax.legend(
                    loc="upper left", bbox_to_anchor=(0, -0.18), ncol=5, fontsize=7, frameon=False
                )
                if len(xs) == 1:
                    # One score: show the fortnight around it, not an empty multi-year axis.
                    centre = mdates.date2num(xs[0])
                    ax.set_xlim(centre - 7, centre + 7)
                locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
                ax.xaxis.set_major_locator(locator)
                ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
            ax.set_ylim(low, high)
            ax.set_ylabel(
                "Score"
                if instrument.direction == "higher_is_worse"
                else "Score (higher is better)",
                fontsize=8,
            )
            ax.tick_params(labelsize=8)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            fig.subplots_adjust(left=0.08, right=0.83, top=0.95, bottom=0.3)
            out = io.StringIO()
            fig.savefig(out, format="svg", metadata={"Date": None})
            return out.getvalue()
        finally:
            plt.close(fig)


def describe(instrument: Instrument, points: Sequence[ScoredPoint]) -> str:
    """A sentence for the chart's alt text; the table beside it holds every value."""
    scored = [p for p in points if p.administration.total is not None]
    if not scored:
        return f"No {instrument.name} scores yet."
    first, last = scored[0], scored[-1]
    text = (
        f"{instrument.name} over {len(scored)} administrations: "
        f"from {first.administration.total:g} to {last.administration.total:g}"
    )
    if last.change is not None:
        text += f" ({last.change.category} against baseline)"
    return text + "."
