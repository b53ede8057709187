"""Charts for the thought records and the daily check-ins, drawn with matplotlib as SVG on
the server (no JavaScript, prints cleanly), like `measures.charts`.

Figures are built with `matplotlib.figure.Figure` rather than pyplot, so no global
figure state is shared between requests and no lock is needed. Every chart has a table
of the same values beside it on the page, and a sentence for its alt text (`describe_*`).
The client's versions are smaller, with bigger type and fewer words; the clinician's are
denser.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

INK = "#1f2a30"
MUTED = "#4a5a63"
ACCENT = "#1d5c63"
BEFORE = "#9aa7ae"
SLEEP = "#a9c3cc"
# Window of tolerance: colour and shape both differ, so the states read in greyscale and
# for colour-blind readers (a blue/orange/green set that stays distinct in deuteranopia).
WINDOW_STYLE: dict[str, tuple[str, str]] = {
    "within": ("#1b7837", "o"),
    "hyper": ("#c2510a", "^"),
    "hypo": ("#2166ac", "v"),
}
MAX_CLIENT_RECORDS = 12  # beyond this the client's chart gets crowded; the table has all


@dataclass(frozen=True)
class ChangePoint:
    """One completed thought record: average intensity before and after."""

    when: datetime
    before: float
    after: float


@dataclass(frozen=True)
class CheckinPoint:
    when: datetime
    mood: int
    window: str
    window_label: str
    sleep_hours: float | None


def _figure(width: float, height: float) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def _svg(fig: Any) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _plain_axes(ax: Any, size: float) -> None:
    ax.tick_params(labelsize=size, colors=MUTED)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _dates_axis(ax: Any, most: int) -> None:
    import matplotlib.dates as mdates

    # matplotlib.dates carries no annotations (see the same note in measures.charts).
    # Day and month on every tick: a separate year/month "offset" label would collide with
    # the legend, and the table beside the chart carries the full dates.
    ax.xaxis.set_major_locator(
        mdates.AutoDateLocator(minticks=3, maxticks=most)  # type: ignore[no-untyped-call]
    )
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))  # type: ignore[no-untyped-call]


# --- thought records ---


def thought_changes_svg(points: Sequence[ChangePoint], *, for_client: bool) -> str:
    """Each completed record as a pair of dots joined by a line: how strong the feelings
    were at the start (grey) and after the balanced thought (teal), oldest on the left.
    Records are spaced evenly (in order, dated underneath) rather than by date, so two
    on one day do not sit on top of each other."""
    shown = list(points)[-MAX_CLIENT_RECORDS:] if for_client else list(points)
    size = 10.0 if for_client else 8.0
    fig = _figure(4.8, 3.2) if for_client else _figure(7.2, 3.0)
    ax = fig.add_subplot()
    xs = list(range(len(shown)))
    for x, p in zip(xs, shown, strict=True):
        ax.plot([x, x], [p.before, p.after], color="#c5ced3", linewidth=2.5, zorder=1)
    if shown:
        ax.scatter(
            xs,
            [p.before for p in shown],
            s=60 if for_client else 36,
            facecolors="white",
            edgecolors=BEFORE,
            linewidths=2,
            zorder=2,
            label="Before",
        )
        ax.scatter(
            xs,
            [p.after for p in shown],
            s=60 if for_client else 36,
            color=ACCENT,
            zorder=3,
            label="After",
        )
        every = max(1, len(shown) // (6 if for_client else 12))
        ax.set_xticks(xs[::every], [p.when.strftime("%-d %b") for p in shown][::every])
        ax.legend(
            loc="upper left",
            bbox_to_anchor=(0, -0.16 if for_client else -0.14),
            ncol=2,
            fontsize=size,
            frameon=False,
        )
    else:
        ax.set_xticks([])
        ax.text(
            0.5,
            0.5,
            "No finished records yet",
            transform=ax.transAxes,
            ha="center",
            fontsize=size,
            color=MUTED,
        )
    ax.set_xlim(-0.6, max(len(shown), 1) - 0.4)
    ax.set_ylim(0, 100)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_ylabel("How strong" if for_client else "Average intensity (0–100)", fontsize=size)
    ax.grid(axis="y", color="#e4e8ea", linewidth=0.8)
    ax.set_axisbelow(True)
    _plain_axes(ax, size)
    fig.subplots_adjust(left=0.14 if for_client else 0.08, right=0.98, top=0.95, bottom=0.28)
    return _svg(fig)


def describe_changes(points: Sequence[ChangePoint]) -> str:
    """The chart's alt text: the averages across the records it shows."""
    if not points:
        return "No finished thought records yet."
    before = sum(p.before for p in points) / len(points)
    after = sum(p.after for p in points) / len(points)
    count = "1 finished thought record" if len(points) == 1 else f"{len(points)} finished records"
    return (
        f"How strong feelings were before and after {count}: on average "
        f"{before:.0f} before and {after:.0f} after, out of 100."
    )


# --- check-ins ---


def _mood_axes(ax: Any, points: Sequence[CheckinPoint], size: float, marker_size: float) -> None:
    ax.plot([p.when for p in points], [p.mood for p in points], color=ACCENT, linewidth=1.6)
    for window, (colour, marker) in WINDOW_STYLE.items():
        mine = [p for p in points if p.window == window]
        if mine:
            ax.scatter(
                [p.when for p in mine],
                [p.mood for p in mine],
                color=colour,
                marker=marker,
                s=marker_size,
                zorder=3,
                label=mine[0].window_label,
            )
    ax.set_ylim(-0.5, 10.5)
    ax.set_yticks([0, 2, 4, 6, 8, 10])
    ax.grid(axis="y", color="#e4e8ea", linewidth=0.8)
    ax.set_axisbelow(True)
    _plain_axes(ax, size)


def _span(ax: Any, points: Sequence[CheckinPoint]) -> None:
    first, last = points[0].when, points[-1].when
    if last - first < timedelta(days=6):
        # A few days of check-ins: show a week around them, not an hour-by-hour axis.
        middle = first + (last - first) / 2
        ax.set_xlim(middle - timedelta(days=3.5), middle + timedelta(days=3.5))


def checkins_svg(points: Sequence[CheckinPoint], *, for_client: bool) -> str:
    """Mood over time, each check-in marked by where the client was in their window of
    tolerance; for the clinician, sleep as bars underneath on the same dates."""
    points = sorted(points, key=lambda p: p.when)
    if for_client:
        fig = _figure(4.8, 3.0)
        mood = fig.add_subplot()
        sleep = None
    else:
        fig = _figure(7.2, 4.2)
        grid = fig.add_gridspec(2, 1, height_ratios=(3, 1.3), hspace=0.12)
        mood = fig.add_subplot(grid[0])
        sleep = fig.add_subplot(grid[1], sharex=mood)
    size = 10.0 if for_client else 8.0
    if not points:
        mood.text(
            0.5,
            0.5,
            "No check-ins yet",
            transform=mood.transAxes,
            ha="center",
            fontsize=size,
            color=MUTED,
        )
        mood.set_xticks([])
        _plain_axes(mood, size)
        if sleep is not None:
            sleep.set_visible(False)
        return _svg(fig)
    _mood_axes(mood, points, size, 60 if for_client else 36)
    mood.set_ylabel("Mood (0–10)", fontsize=size)
    mood.legend(
        loc="upper left",
        bbox_to_anchor=(0, -0.14 if for_client else -0.62),
        ncol=3,
        fontsize=size if not for_client else 9,
        frameon=False,
    )
    if sleep is not None:
        slept = [p for p in points if p.sleep_hours is not None]
        sleep.bar(
            [p.when for p in slept],
            [p.sleep_hours or 0 for p in slept],
            width=0.35,
            color=SLEEP,
            edgecolor="#6f8f9b",
            linewidth=0.6,
        )
        top = max([12.0, *[(p.sleep_hours or 0) for p in slept]])
        sleep.set_ylim(0, top)
        sleep.set_yticks([0, 4, 8, 12] if top <= 12 else [0, 6, 12, 18, 24])
        sleep.set_ylabel("Sleep (h)", fontsize=size)
        sleep.grid(axis="y", color="#e4e8ea", linewidth=0.8)
        sleep.set_axisbelow(True)
        _plain_axes(sleep, size)
        mood.tick_params(labelbottom=False)
        _dates_axis(sleep, 8)
    else:
        _dates_axis(mood, 5)
    _span(mood, points)
    if for_client:
        fig.subplots_adjust(left=0.13, right=0.97, top=0.95, bottom=0.3)
    else:
        fig.subplots_adjust(left=0.08, right=0.98, top=0.96, bottom=0.2)
    return _svg(fig)


def describe_checkins(points: Sequence[CheckinPoint]) -> str:
    if not points:
        return "No check-ins yet."
    ordered = sorted(points, key=lambda p: p.when)
    latest = ordered[-1]
    count = "1 check-in" if len(ordered) == 1 else f"{len(ordered)} check-ins"
    return (
        f"Mood over {count} from {ordered[0].when:%-d %b} to {latest.when:%-d %b %Y}; "
        f"the latest was {latest.mood} out of 10 ({latest.window_label.lower()})."
    )
