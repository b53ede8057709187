"""When an unacknowledged alert moves up the chain. Pure.

Level 0 is the client's primary clinician(s); level 1 the covering clinicians on the
care team; level 2 the organisation's admins. An alert escalates one level each time
it has waited the organisation's time limit for its severity without being
acknowledged. Alerts never close or de-escalate by themselves.
"""

from __future__ import annotations

from datetime import datetime, timedelta

LEVEL_NAMES = ("care team", "covering clinician", "admin")
TOP_LEVEL = len(LEVEL_NAMES) - 1
DEFAULT_LIMIT_MINUTES = {"urgent": 15, "high": 60, "concern": 24 * 60}


def next_level(
    *, state: str, level: int, since: datetime, limit: timedelta, now: datetime
) -> int | None:
    """The level the alert should move to now, or None if it stays where it is."""
    if state != "open" or level >= TOP_LEVEL:
        return None
    if now - since >= limit:
        return level + 1
    return None


def limit_problem(minutes: int) -> str | None:
    if not 1 <= minutes <= 7 * 24 * 60:
        return "Please choose a time limit between 1 minute and 7 days."
    return None
