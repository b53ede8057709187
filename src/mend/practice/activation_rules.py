"""Behavioural activation: the pure rules (weeks, summaries, activity against mood).

Behavioural activation asks a person to plan small, valued activities, notice how
each went (a sense of achievement — "mastery" — and of enjoyment — "pleasure"), and
look at how what they do and how they feel move together (Martell, Dimidjian &
Herman-Dunn, *Behavioral Activation for Depression*, 2010; Lejuez et al., BATD-R,
2011). Mend only counts and averages what the client recorded; it draws no
conclusion about cause.

No database, no web: everything here is table-tested in tests/practice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

RATING_MIN = 0
RATING_MAX = 10
DAYS_IN_WEEK = 7


def week_start(day: date) -> date:
    """The Monday of the week holding `day` (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(DAYS_IN_WEEK)]


def parse_week(value: str | None, today: date) -> date:
    """The Monday a `?week=` address names; today's week for anything unreadable, so a
    mistyped link still opens a useful page."""
    if value:
        try:
            return week_start(date.fromisoformat(value))
        except ValueError:
            pass
    return week_start(today)


@dataclass(frozen=True)
class ActivityFacts:
    """What the rules need to know about one planned activity."""

    planned_on: date
    done_on: date | None = None
    mastery: int | None = None
    pleasure: int | None = None
    category: str = ""

    @property
    def done(self) -> bool:
        return self.done_on is not None


@dataclass(frozen=True)
class WeekSummary:
    planned: int
    done: int
    average_mastery: float | None
    average_pleasure: float | None
    done_by_category: tuple[tuple[str, int], ...]

    @property
    def not_done(self) -> int:
        return self.planned - self.done


def _average(values: Iterable[int | None]) -> float | None:
    found = [v for v in values if v is not None]
    if not found:
        return None
    return round(sum(found) / len(found), 1)


def weekly_summary(activities: Sequence[ActivityFacts]) -> WeekSummary:
    """Planned against done for the activities planned in one week, and the average
    mastery and pleasure of those done (ratings left blank are not counted as 0)."""
    done = [a for a in activities if a.done]
    categories: dict[str, int] = defaultdict(int)
    for a in done:
        categories[a.category] += 1
    return WeekSummary(
        planned=len(activities),
        done=len(done),
        average_mastery=_average(a.mastery for a in done),
        average_pleasure=_average(a.pleasure for a in done),
        done_by_category=tuple(sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def summary_sentence(summary: WeekSummary) -> str:
    """The week in one kind sentence. Never a verdict: a week with nothing done is a
    week to plan something small, not a failure."""
    if summary.planned == 0:
        return "Nothing planned this week yet. One small thing is a fine place to start."
    if summary.done == 0:
        return (
            f"You planned {summary.planned} "
            f"{'thing' if summary.planned == 1 else 'things'} this week. "
            "None marked done yet — that's okay; you can mark them as you go."
        )
    if summary.done == summary.planned:
        if summary.planned == 1:
            return "You did the one thing you planned this week."
        return f"You did all {summary.planned} things you planned this week."
    return f"You did {summary.done} of the {summary.planned} things you planned this week."


@dataclass(frozen=True)
class DayPoint:
    """One day: how many activities were done, and the average mood checked in (0–10),
    or None when there was no check-in that day."""

    day: date
    activities: int
    average_mood: float | None


def daily_points(
    done_days: Iterable[date], moods: Iterable[tuple[date, int]], first: date, last: date
) -> list[DayPoint]:
    """Every day from `first` to `last`, with activities done and average mood."""
    counts: dict[date, int] = defaultdict(int)
    for day in done_days:
        counts[day] += 1
    by_day: dict[date, list[int]] = defaultdict(list)
    for day, mood in moods:
        by_day[day].append(mood)
    points = []
    day = first
    while day <= last:
        moods_today = by_day.get(day)
        points.append(
            DayPoint(
                day,
                counts.get(day, 0),
                round(sum(moods_today) / len(moods_today), 1) if moods_today else None,
            )
        )
        day += timedelta(days=1)
    return points


def activity_mood_pairs(points: Sequence[DayPoint]) -> list[tuple[int, float]]:
    """(activities done, average mood) for each day that has a mood check-in; days
    without a check-in say nothing about mood and are left out."""
    return [(p.activities, p.average_mood) for p in points if p.average_mood is not None]


@dataclass(frozen=True)
class MoodComparison:
    days_with: int
    mood_with: float | None
    days_without: int
    mood_without: float | None


def compare_mood(pairs: Sequence[tuple[int, float]]) -> MoodComparison:
    """Average mood on days with at least one activity done against days with none."""
    with_ = [m for n, m in pairs if n > 0]
    without = [m for n, m in pairs if n == 0]
    return MoodComparison(
        days_with=len(with_),
        mood_with=round(sum(with_) / len(with_), 1) if with_ else None,
        days_without=len(without),
        mood_without=round(sum(without) / len(without), 1) if without else None,
    )


# Below this many days on each side a comparison is mostly noise; the page says so
# rather than show two averages that invite a conclusion.
MIN_DAYS_TO_COMPARE = 3


def comparison_sentence(comparison: MoodComparison) -> str | None:
    if (
        comparison.mood_with is None
        or comparison.mood_without is None
        or comparison.days_with < MIN_DAYS_TO_COMPARE
        or comparison.days_without < MIN_DAYS_TO_COMPARE
    ):
        return None
    return (
        f"On days you did at least one planned activity, your mood averaged "
        f"{comparison.mood_with:g} out of 10 ({comparison.days_with} days); on days "
        f"without one, {comparison.mood_without:g} ({comparison.days_without} days)."
    )
