"""When a questionnaire is due. Pure: no database, no clock of its own.

An assignment starts at `starts_at` and recurs every `interval_days` (None = once).
Only the latest occurrence that has arrived is due; missed earlier ones are not
piled up on the client, because a stack of overdue forms is discouraging and the
clinician sees the gap in the history anyway.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

MAX_INTERVAL_DAYS = 365
SCHEDULE_CHOICES = {"once": None, "weekly": 7, "fortnightly": 14, "monthly": 28}


def current_occurrence(
    starts_at: datetime, interval_days: int | None, now: datetime
) -> datetime | None:
    """The occurrence in force at `now`, or None before the first one."""
    if now < starts_at:
        return None
    if interval_days is None:
        return starts_at
    period = timedelta(days=interval_days)
    return starts_at + ((now - starts_at) // period) * period


def due_occurrence(
    starts_at: datetime,
    interval_days: int | None,
    now: datetime,
    completed: Collection[datetime],
) -> datetime | None:
    """The occurrence the client should complete now, or None if nothing is due."""
    occurrence = current_occurrence(starts_at, interval_days, now)
    if occurrence is None or occurrence in completed:
        return None
    return occurrence


def next_occurrence(
    starts_at: datetime, interval_days: int | None, now: datetime
) -> datetime | None:
    """The next occurrence after `now` (for "next due" hints); None for one-off assignments."""
    if interval_days is None:
        return starts_at if now < starts_at else None
    current = current_occurrence(starts_at, interval_days, now)
    if current is None:
        return starts_at
    return current + timedelta(days=interval_days)


def interval_problem(interval_days: int | None) -> str | None:
    if interval_days is None:
        return None
    if not 1 <= interval_days <= MAX_INTERVAL_DAYS:
        return f"Please choose a repeat interval between 1 and {MAX_INTERVAL_DAYS} days."
    return None


def describe(interval_days: int | None) -> str:
    if interval_days is None:
        return "Once"
    if interval_days == 7:
        return "Weekly"
    if interval_days == 14:
        return "Every 2 weeks"
    return f"Every {interval_days} days"
