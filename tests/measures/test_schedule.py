"""When a questionnaire is due: a table of starts, intervals, moments and completions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mend.measures import schedule

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("interval", "now", "completed", "expected"),
    [
        (None, T0 - DAY, set(), None),  # not started yet
        (None, T0, set(), T0),  # a one-off is due from its start
        (None, T0 + 30 * DAY, set(), T0),  # and stays due until done
        (None, T0 + 30 * DAY, {T0}, None),  # done once means done
        (7, T0 + 6 * DAY, set(), T0),  # first week
        (7, T0 + 6 * DAY, {T0}, None),  # first week done
        (7, T0 + 7 * DAY, {T0}, T0 + 7 * DAY),  # exactly a week later: the next is due
        (7, T0 + 7 * DAY - timedelta(seconds=1), {T0}, None),  # one second before
        (7, T0 + 23 * DAY, {T0}, T0 + 21 * DAY),  # missed weeks are not piled up
        (3, T0 + 4 * DAY, set(), T0 + 3 * DAY),  # every N days
    ],
)
def test_due_occurrence(
    interval: int | None, now: datetime, completed: set[datetime], expected: datetime | None
) -> None:
    assert schedule.due_occurrence(T0, interval, now, completed) == expected


@pytest.mark.parametrize(
    ("interval", "now", "expected"),
    [
        (None, T0 - DAY, T0),
        (None, T0 + DAY, None),
        (7, T0 - DAY, T0),
        (7, T0 + DAY, T0 + 7 * DAY),
        (14, T0 + 14 * DAY, T0 + 28 * DAY),
    ],
)
def test_next_occurrence(interval: int | None, now: datetime, expected: datetime | None) -> None:
    assert schedule.next_occurrence(T0, interval, now) == expected


@pytest.mark.parametrize(
    ("interval", "problem"),
    [(None, False), (1, False), (365, False), (0, True), (-7, True), (366, True)],
)
def test_interval_limits(interval: int | None, problem: bool) -> None:
    assert (schedule.interval_problem(interval) is not None) is problem


@pytest.mark.parametrize(
    ("interval", "words"),
    [(None, "Once"), (7, "Weekly"), (14, "Every 2 weeks"), (10, "Every 10 days")],
)
def test_describe(interval: int | None, words: str) -> None:
    assert schedule.describe(interval) == words
