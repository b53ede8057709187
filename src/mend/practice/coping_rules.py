"""Pure rules for the coping toolkit: distress ratings, the change an exercise made,
per-tool averages, and which tools help this person most. No database, no web.

The 0-10 distress rating is a self-rated scale in the manner of Wolpe's Subjective
Units of Distress (SUDS; Wolpe 1969, "The Practice of Behavior Therapy"), here on 0-10
rather than 0-100 so it fits one tap on a phone. It describes how a person feels in the
moment; Mend draws no clinical conclusion from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from mend.platform.errors import Invalid

MIN_RATING = 0
MAX_RATING = 10
# A tool joins the "what helps you most" ranking once it has this many rated sessions:
# one session could be chance.
MIN_RATED_TO_RANK = 2
# An exercise left without an after-rating can be rated later, but only while the
# rating can still describe how the exercise went (a product choice, not a clinical one).
RATE_LATER_WITHIN = timedelta(hours=12)


def parse_rating(raw: str | None, *, required: bool) -> int | None:
    """A rating typed or tapped on a form: a whole number from 0 to 10, or None when
    it may be left out. Raises Invalid with a message for the person."""
    text = (raw or "").strip()
    if not text:
        if required:
            raise Invalid(
                f"Please choose a number from {MIN_RATING} to {MAX_RATING}. Whatever feels "
                "closest is fine."
            )
        return None
    # ASCII digits only: str.isdigit() also accepts superscripts and other scripts' digits.
    if not (text.isascii() and text.isdigit()) or not MIN_RATING <= int(text) <= MAX_RATING:
        raise Invalid(f"Please choose a whole number from {MIN_RATING} to {MAX_RATING}.")
    return int(text)


def drop(before: int, after: int | None) -> int | None:
    """How far distress came down: positive when the person felt better afterwards,
    negative when worse, None when there is no after-rating."""
    return None if after is None else before - after


def change_words(before: int, after: int | None) -> str:
    """The change in plain words, for the client and the clinician."""
    amount = drop(before, after)
    if amount is None:
        return "not rated afterwards"
    if amount == 0:
        return "no change"
    return f"down {points(amount)}" if amount > 0 else f"up {points(-amount)}"


def result_message(before: int, after: int) -> str:
    """What the client reads after rating an exercise. Never a verdict on them."""
    amount = before - after
    if amount > 0:
        return f"Your distress came down {points(amount)}."
    if amount == 0:
        return (
            "Your distress stayed the same. That happens: different tools suit different moments."
        )
    return (
        f"Your distress went up {points(-amount)}. That's useful to know, and it "
        "isn't your fault; another tool may suit this kind of moment better."
    )


def still_hard(before: int, after: int | None) -> bool:
    """Whether to point gently to other support: no after-rating, or no lower than before."""
    return after is None or after >= before


def can_rate_later(started_at: datetime, finished_at: datetime | None, now: datetime) -> bool:
    """Whether an exercise may still be given its after-rating."""
    return finished_at is None and now - started_at <= RATE_LATER_WITHIN


@dataclass(frozen=True)
class SessionFacts:
    """What the summaries need from one session, and nothing more."""

    tool: str
    before: int
    after: int | None

    @property
    def rated(self) -> bool:
        return self.after is not None


@dataclass(frozen=True)
class ToolSummary:
    tool: str
    started: int  # every session, rated or not
    rated: int  # sessions with both ratings: the ones averages are made from
    mean_before: Fraction | None
    mean_after: Fraction | None
    mean_drop: Fraction | None  # exact, so ranking ties are real ties

    @property
    def average_before(self) -> float | None:
        return None if self.mean_before is None else float(self.mean_before)

    @property
    def average_after(self) -> float | None:
        return None if self.mean_after is None else float(self.mean_after)

    @property
    def average_drop(self) -> float | None:
        return None if self.mean_drop is None else float(self.mean_drop)


def summarise(sessions: Iterable[SessionFacts], tool_order: Sequence[str]) -> list[ToolSummary]:
    """One summary per tool, in `tool_order`, followed by any other tool that appears in
    the sessions (a tool since retired from the catalogue keeps its history)."""
    started: dict[str, int] = {}
    befores: dict[str, list[int]] = {}
    afters: dict[str, list[int]] = {}
    for s in sessions:
        started[s.tool] = started.get(s.tool, 0) + 1
        if s.after is not None:
            befores.setdefault(s.tool, []).append(s.before)
            afters.setdefault(s.tool, []).append(s.after)
    order = list(tool_order) + sorted(set(started) - set(tool_order))
    summaries = []
    for tool in order:
        b, a = befores.get(tool, []), afters.get(tool, [])
        n = len(b)
        summaries.append(
            ToolSummary(
                tool=tool,
                started=started.get(tool, 0),
                rated=n,
                mean_before=Fraction(sum(b), n) if n else None,
                mean_after=Fraction(sum(a), n) if n else None,
                mean_drop=Fraction(sum(b) - sum(a), n) if n else None,
            )
        )
    return summaries


def ranking(
    summaries: Sequence[ToolSummary], min_rated: int = MIN_RATED_TO_RANK
) -> list[ToolSummary]:
    """Tools with at least `min_rated` rated sessions, the largest average drop first;
    equal averages put the more-used tool first, then keep the catalogue's order."""
    eligible = [
        (i, s) for i, s in enumerate(summaries) if s.rated >= min_rated and s.mean_drop is not None
    ]
    eligible.sort(key=lambda pair: (-(pair[1].mean_drop or 0), -pair[1].rated, pair[0]))
    return [s for _, s in eligible]


def helping(summaries: Sequence[ToolSummary]) -> list[ToolSummary]:
    """The ranking, keeping only tools that on average brought distress down: a tool
    after which people feel the same or worse is not shown as one that helps."""
    return [s for s in ranking(summaries) if s.mean_drop is not None and s.mean_drop > 0]


def one_decimal(value: Fraction | float) -> str:
    """2.25 -> "2.3", 2.0 -> "2": averages as people read them (halves round up)."""
    tenths = Fraction(value) * 10
    rounded = int(tenths + Fraction(1, 2)) if tenths >= 0 else -int(-tenths + Fraction(1, 2))
    whole, rest = divmod(abs(rounded), 10)
    sign = "-" if rounded < 0 else ""
    return f"{sign}{whole}" if rest == 0 else f"{sign}{whole}.{rest}"


def summary_for_client(summary: ToolSummary) -> str:
    """The "what has helped you" line under each tool on the toolkit page. Kind in
    every case: a tool that has not helped is useful to know about, not a failure."""
    if summary.started == 0:
        return "Not tried yet."
    if summary.rated == 0:
        times = "once" if summary.started == 1 else f"{summary.started} times"
        return f"Started {times}, with no rating afterwards yet."
    assert summary.mean_drop is not None
    if summary.rated == 1:
        amount = int(summary.mean_drop)
        if amount > 0:
            return f"Rated once: your distress went down {points(amount)}."
        if amount == 0:
            return "Rated once: your distress stayed the same."
        return f"Rated once: your distress went up {points(-amount)}."
    lead = f"Rated {summary.rated} times: on average your distress"
    if summary.mean_drop > 0:
        return f"{lead} went down {points(summary.mean_drop)}."
    if summary.mean_drop == 0:
        return f"{lead} stayed about the same."
    return (
        f"{lead} went up {points(-summary.mean_drop)}. Knowing that is useful "
        "too; other tools may suit you better."
    )


def points(value: Fraction | float) -> str:
    """A number of points as it is shown: "1 point", "2.5 points", "0 points"."""
    shown = one_decimal(value)
    return f"{shown} point" if shown in ("1", "-1") else f"{shown} points"


def minutes_between(start: datetime, end: datetime | None) -> int | None:
    """Whole minutes an exercise took (at least 1 once finished), for the clinician."""
    if end is None:
        return None
    return max(1, round((end - start).total_seconds() / 60))


@dataclass(frozen=True)
class PhaseWindow:
    """Where one breathing phase sits in the animation's cycle, in percent."""

    start: float
    end: float


def phase_windows(seconds: Sequence[int]) -> list[PhaseWindow]:
    """The cycle split into each phase's share, as CSS keyframe percentages (coping.css
    hand-writes these for each pattern; a test checks they match)."""
    total = sum(seconds)
    if total <= 0 or any(s <= 0 for s in seconds):
        raise ValueError("every phase needs a positive length")
    windows = []
    elapsed = 0
    for s in seconds:
        windows.append(
            PhaseWindow(round(100 * elapsed / total, 2), round(100 * (elapsed + s) / total, 2))
        )
        elapsed += s
    return windows
