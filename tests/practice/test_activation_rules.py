"""Behavioural activation rules, as tables: weeks, weekly summaries, and days of
activity against mood."""

from __future__ import annotations

from datetime import date

import pytest

from mend.practice.activation_rules import (
    ActivityFacts,
    DayPoint,
    MoodComparison,
    activity_mood_pairs,
    compare_mood,
    comparison_sentence,
    daily_points,
    parse_week,
    summary_sentence,
    week_days,
    week_start,
    weekly_summary,
)

MON = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2026, 3, 2), MON),  # a Monday is its own week's start
        (date(2026, 3, 8), MON),  # Sunday closes the same week
        (date(2026, 3, 9), date(2026, 3, 9)),
        (date(2026, 1, 1), date(2025, 12, 29)),  # across a year end
    ],
)
def test_week_start(day: date, monday: date) -> None:
    assert week_start(day) == monday


def test_week_days_run_monday_to_sunday() -> None:
    days = week_days(MON)
    assert [d.strftime("%a") for d in days] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-04", MON),
        ("2026-03-09", date(2026, 3, 9)),
        ("", MON),
        (None, MON),
        ("next tuesday", MON),
        ("2026-02-30", MON),
    ],
)
def test_parse_week_falls_back_to_this_week(value: str | None, expected: date) -> None:
    assert parse_week(value, today=date(2026, 3, 5)) == expected


def _a(
    done: bool, mastery: int | None = None, pleasure: int | None = None, cat: str = "x"
) -> ActivityFacts:
    return ActivityFacts(MON, MON if done else None, mastery, pleasure, cat)


@pytest.mark.parametrize(
    ("activities", "planned", "done", "mastery", "pleasure", "by_category"),
    [
        ([], 0, 0, None, None, ()),
        ([_a(False), _a(False)], 2, 0, None, None, ()),
        ([_a(True, 4, 6), _a(False)], 2, 1, 4.0, 6.0, (("x", 1),)),
        # Blank ratings are not zeros; averages are over what was rated.
        ([_a(True, 4, None), _a(True, None, None), _a(True, 7, 9)], 3, 3, 5.5, 9.0, (("x", 3),)),
        ([_a(True, 1, 2), _a(True, 2, 2), _a(True, 2, 3)], 3, 3, 1.7, 2.3, (("x", 3),)),
        (
            [_a(True, cat="movement"), _a(True, cat="connection"), _a(True, cat="movement")],
            3,
            3,
            None,
            None,
            (("movement", 2), ("connection", 1)),
        ),
        # Ratings on an activity not (or no longer) done do not count.
        ([ActivityFacts(MON, None, 10, 10), _a(True, 0, 0)], 2, 1, 0.0, 0.0, (("x", 1),)),
    ],
)
def test_weekly_summary(
    activities: list[ActivityFacts],
    planned: int,
    done: int,
    mastery: float | None,
    pleasure: float | None,
    by_category: tuple[tuple[str, int], ...],
) -> None:
    summary = weekly_summary(activities)
    assert (summary.planned, summary.done, summary.not_done) == (planned, done, planned - done)
    assert (summary.average_mastery, summary.average_pleasure) == (mastery, pleasure)
    assert summary.done_by_category == by_category


@pytest.mark.parametrize(
    ("activities", "sentence"),
    [
        ([], "Nothing planned this week yet"),
        ([_a(False)], "You planned 1 thing this week. None marked done yet"),
        ([_a(False), _a(False)], "You planned 2 things this week."),
        ([_a(True), _a(False)], "You did 1 of the 2 things you planned this week."),
        ([_a(True)], "You did the one thing you planned this week."),
        ([_a(True), _a(True)], "You did all 2 things you planned this week."),
    ],
)
def test_summary_sentence_is_kind_and_plain(activities: list[ActivityFacts], sentence: str) -> None:
    text = summary_sentence(weekly_summary(activities))
    assert sentence in text
    assert "fail" not in text.lower() and "only" not in text.lower()


def test_daily_points_cover_every_day_with_counts_and_average_mood() -> None:
    tue, wed, thu = date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5)
    points = daily_points(
        [MON, MON, wed, date(2026, 3, 20)],  # a day outside the range is ignored
        [(MON, 4), (MON, 7), (tue, 3), (date(2026, 2, 1), 9)],
        MON,
        thu,
    )
    assert points == [
        DayPoint(MON, 2, 5.5),
        DayPoint(tue, 0, 3.0),
        DayPoint(wed, 1, None),
        DayPoint(thu, 0, None),
    ]
    assert activity_mood_pairs(points) == [(2, 5.5), (0, 3.0)]


@pytest.mark.parametrize(
    ("pairs", "comparison"),
    [
        ([], MoodComparison(0, None, 0, None)),
        ([(2, 6.0), (1, 4.0), (0, 3.0)], MoodComparison(2, 5.0, 1, 3.0)),
        ([(0, 3.0), (0, 4.0)], MoodComparison(0, None, 2, 3.5)),
        ([(1, 7.0), (3, 8.0)], MoodComparison(2, 7.5, 0, None)),
    ],
)
def test_compare_mood(pairs: list[tuple[int, float]], comparison: MoodComparison) -> None:
    assert compare_mood(pairs) == comparison


@pytest.mark.parametrize(
    ("comparison", "shown"),
    [
        (MoodComparison(3, 6.0, 3, 4.5), True),
        (MoodComparison(2, 6.0, 5, 4.5), False),  # too few days to say anything
        (MoodComparison(5, 6.0, 2, 4.5), False),
        (MoodComparison(5, 6.0, 0, None), False),
    ],
)
def test_comparison_needs_enough_days_on_each_side(comparison: MoodComparison, shown: bool) -> None:
    sentence = comparison_sentence(comparison)
    assert (sentence is not None) == shown
    if sentence:
        assert "6 out of 10 (3 days)" in sentence and "4.5 (3 days)" in sentence
