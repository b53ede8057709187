"""Pure rules for the daily check-in: mood, the window of tolerance, body signals and
sleep. No database, no web.

The window of tolerance is the zone of arousal in which a person can think and feel at the
same time; above it is hyper-arousal (anxious, angry, overwhelmed), below it hypo-arousal
(numb, shut down, disconnected). Sources: D. J. Siegel, *The Developing Mind* (1999),
ch. 7; P. Ogden, K. Minton & C. Pain, *Trauma and the Body* (2006), ch. 2. The names and
descriptions shown to clients, and the body-signal checklist, are Mend's own words; no
signal is said to belong to a state, since the client decides where they are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from mend.platform.errors import Invalid

MOOD_MIN, MOOD_MAX = 0, 10
SLEEP_MAX_HOURS = 24
MAX_OTHER_SIGNALS = 200
MAX_NOTE = 2_000


@dataclass(frozen=True)
class WindowState:
    id: str
    label: str  # the client's words
    description: str  # the client's words
    clinical: str  # the clinician's words


WITHIN, HYPER, HYPO = "within", "hyper", "hypo"
WINDOWS: tuple[WindowState, ...] = (
    WindowState(
        WITHIN,
        "In my window",
        "Settled enough to think and feel at the same time, even if things are hard.",
        "Within window",
    ),
    WindowState(
        HYPER,
        "Revved up",
        "Too much, too fast: anxious, angry, on edge or overwhelmed.",
        "Hyper-aroused",
    ),
    WindowState(
        HYPO,
        "Shut down",
        "Too little, switched off: numb, flat, foggy or far away.",
        "Hypo-aroused",
    ),
)
WINDOW_BY_ID = {w.id: w for w in WINDOWS}


@dataclass(frozen=True)
class BodySignal:
    id: str
    label: str


BODY_SIGNALS: tuple[BodySignal, ...] = (
    BodySignal("racing-heart", "Racing or pounding heart"),
    BodySignal("tight-chest", "Tight chest"),
    BodySignal("shallow-breathing", "Fast or shallow breathing"),
    BodySignal("clenched-jaw", "Clenched jaw or fists"),
    BodySignal("tense-shoulders", "Tense neck or shoulders"),
    BodySignal("hot-shaky", "Hot, sweaty or shaky"),
    BodySignal("restless", "Restless, can't keep still"),
    BodySignal("stomach", "Churning or knotted stomach"),
    BodySignal("tearful", "Tearful"),
    BodySignal("heavy-limbs", "Heavy arms and legs"),
    BodySignal("far-away", "Feeling far away or foggy"),
    BodySignal("numb", "Numb, hard to feel anything"),
    BodySignal("drained", "Drained, no energy"),
    BodySignal("easy-breathing", "Slow, easy breathing"),
    BodySignal("loose-muscles", "Loose, relaxed muscles"),
)
SIGNAL_BY_ID = {s.id: s for s in BODY_SIGNALS}

_SLEEP = re.compile(r"^(\d{1,2})(?:[.,](\d{1,2}))?$")


def parse_mood(raw: str) -> int:
    text = raw.strip()
    if not re.fullmatch(r"\d{1,2}", text) or not MOOD_MIN <= int(text) <= MOOD_MAX:
        raise Invalid("Please choose your mood, from 0 (the lowest) to 10 (the best).")
    return int(text)


def parse_window(raw: str) -> str:
    if raw not in WINDOW_BY_ID:
        raise Invalid(
            "Please choose where you are right now: in your window, revved up, or shut down."
        )
    return raw


def parse_signals(raws: Iterable[str]) -> tuple[str, ...]:
    """Ticked body signals in checklist order; anything not on the list is refused."""
    ticked = set(raws)
    if ticked - set(SIGNAL_BY_ID):
        raise Invalid("Please choose body signals from the list shown.")
    return tuple(s.id for s in BODY_SIGNALS if s.id in ticked)


def parse_sleep(raw: str) -> int | None:
    """Hours slept as half-hours (7.5 → 15); blank means not given. A comma works as the
    decimal mark too, since many phones offer one."""
    text = raw.strip()
    if not text:
        return None
    match = _SLEEP.match(text)
    message = (
        f"Please give your sleep in hours, from 0 to {SLEEP_MAX_HOURS}, to the nearest half "
        "hour: like 7 or 6.5. You can also leave it blank."
    )
    if match is None:
        raise Invalid(message)
    whole, fraction = int(match.group(1)), match.group(2) or "0"
    if fraction not in ("0", "00", "5", "50"):
        raise Invalid(message)
    half_hours = whole * 2 + (1 if fraction.startswith("5") else 0)
    if half_hours > SLEEP_MAX_HOURS * 2:
        raise Invalid(message)
    return half_hours


def sleep_hours(half_hours: int | None) -> float | None:
    return None if half_hours is None else half_hours / 2


def clean_optional(raw: str, *, limit: int, what: str) -> str | None:
    text = raw.strip()
    if len(text) > limit:
        raise Invalid(
            f"{what} can be up to {limit:,} characters; this is {len(text):,}. "
            "Please shorten it a little."
        )
    return text or None


@dataclass(frozen=True)
class CheckinInput:
    """A check-in as checked: everything the table stores apart from time and screening."""

    mood: int
    window: str
    signals: tuple[str, ...]
    other_signals: str | None
    sleep_half_hours: int | None
    note: str | None


def read_checkin(
    *, mood: str, window: str, signals: Sequence[str], other_signals: str, sleep: str, note: str
) -> CheckinInput:
    """Check a whole form at once; the first problem found is the message."""
    return CheckinInput(
        mood=parse_mood(mood),
        window=parse_window(window),
        signals=parse_signals(signals),
        other_signals=clean_optional(
            other_signals, limit=MAX_OTHER_SIGNALS, what="Other things you notice"
        ),
        sleep_half_hours=parse_sleep(sleep),
        note=clean_optional(note, limit=MAX_NOTE, what="Your note"),
    )


# --- summaries for the clinician ---


@dataclass(frozen=True)
class CheckinFacts:
    """What one check-in says, without the free text (for summaries and charts)."""

    at: datetime
    mood: int
    window: str
    sleep_half_hours: int | None


@dataclass(frozen=True)
class CheckinSummary:
    count: int
    days: int  # distinct calendar days (UTC) with at least one check-in
    first: date | None
    last: date | None
    average_mood: float | None
    windows: dict[str, int]  # every state, zero included, in WINDOWS order
    average_sleep: float | None  # hours, over check-ins that gave sleep


def summarise(facts: Iterable[CheckinFacts]) -> CheckinSummary:
    found = sorted(facts, key=lambda f: f.at)
    counts = Counter(f.window for f in found)
    windows = {w.id: counts.get(w.id, 0) for w in WINDOWS}
    if not found:
        return CheckinSummary(0, 0, None, None, None, windows, None)
    slept = [f.sleep_half_hours for f in found if f.sleep_half_hours is not None]
    return CheckinSummary(
        count=len(found),
        days=len({f.at.date() for f in found}),
        first=found[0].at.date(),
        last=found[-1].at.date(),
        average_mood=round(sum(f.mood for f in found) / len(found), 1),
        windows=windows,
        average_sleep=round(sum(slept) / len(slept) / 2, 1) if slept else None,
    )


def checked_in_on(facts: Iterable[CheckinFacts], day: date) -> int:
    """How many check-ins fall on this calendar day (UTC): one a day is typical, more
    are welcome."""
    return sum(1 for f in facts if f.at.date() == day)
