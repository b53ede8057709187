"""Support network and trust: the pure rules.

After betrayal or abuse by someone close, working out who is safe to lean on is part
of recovery, and trust is rebuilt in small, graded steps rather than all at once
(Herman, *Trauma and Recovery*, 1992, on reconnection; graded task assignment in
cognitive therapy, Beck et al., 1979). The five "signs of a safe person" below are
Mend's own plain-language wording of themes common in trauma-informed
psychoeducation — a way to think someone through, not a validated measure, and the
pages say so.

No database, no web: table-tested in tests/practice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

RATING_MIN = 0
RATING_MAX = 10


@dataclass(frozen=True)
class Sign:
    id: str
    label: str
    hint: str


SIGNS: tuple[Sign, ...] = (
    Sign(
        "consistent",
        "They are consistent over time",
        "What they say and what they do line up, this week and last week.",
    ),
    Sign(
        "respects_no",
        "They respect my no",
        "When I say no, they accept it — no sulking, punishing or pushing.",
    ),
    Sign(
        "keeps_confidences",
        "They keep confidences",
        "What I tell them stays with them, and they don't gossip about others to me.",
    ),
    Sign(
        "empathy",
        "They show empathy",
        "They try to understand how I feel, and they care when I'm hurting.",
    ),
    Sign(
        "no_pressure",
        "There's no pressure",
        "I can go at my own pace: no pressure to share, meet or do more than I want.",
    ),
)
SIGN_IDS: tuple[str, ...] = tuple(s.id for s in SIGNS)
SIGN_LABELS: dict[str, str] = {s.id: s.label for s in SIGNS}
# "Safe people" for the relapse-prevention page: most signs, not perfection.
SAFE_MIN_SIGNS = 4


def clean_signs(ticked: Iterable[str]) -> list[str]:
    """Known signs only, once each, in the checklist's order."""
    chosen = set(ticked)
    return [s for s in SIGN_IDS if s in chosen]


def signs_score(ticked: Iterable[str]) -> int:
    return len(clean_signs(ticked))


def is_safe(ticked: Iterable[str]) -> bool:
    return signs_score(ticked) >= SAFE_MIN_SIGNS


def signs_summary(ticked: Iterable[str]) -> str:
    """The checklist in one gentle sentence; never a verdict on the person."""
    score = signs_score(ticked)
    total = len(SIGNS)
    if score == total:
        return f"Shows all {total} signs of a safe person."
    if score >= SAFE_MIN_SIGNS:
        return f"Shows {score} of {total} signs of a safe person."
    if score == 0:
        return (
            "No signs of a safe person ticked yet. That's okay: you can come back to this "
            "as you get to know them."
        )
    return (
        f"Shows {score} of {total} signs of a safe person so far. It's fine to take "
        "things slowly and keep some things to yourself."
    )


@dataclass(frozen=True)
class Ring:
    id: str
    title: str
    low: int  # closeness from
    high: int  # closeness to, inclusive


RINGS: tuple[Ring, ...] = (
    Ring("closest", "Closest to me", 8, 10),
    Ring("close", "Close", 5, 7),
    Ring("further", "Further out", 0, 4),
)


def ring_for(closeness: int) -> Ring:
    for ring in RINGS:
        if ring.low <= closeness <= ring.high:
            return ring
    raise ValueError(f"closeness {closeness} is outside 0-10")


# --- trust-building steps ---

UP, SAME, DOWN = "up", "same", "down"
TRUST_CHANGES: tuple[tuple[str, str], ...] = (
    (UP, "Trust went up"),
    (SAME, "About the same"),
    (DOWN, "Trust went down"),
)


@dataclass(frozen=True)
class StepKind:
    id: str
    label: str
    example: str


STEP_KINDS: tuple[StepKind, ...] = (
    StepKind(
        "small_share",
        "Share something small about myself",
        "A favourite film, what my weekend was like, a small worry.",
    ),
    StepKind(
        "ask_help",
        "Ask for a little help",
        "A lift, a recommendation, help carrying something.",
    ),
    StepKind(
        "share_feeling",
        "Tell them how I feel",
        "“I was nervous about today”, “I really enjoyed that”.",
    ),
    StepKind(
        "time_together",
        "Ask to spend time together",
        "A coffee, a walk, a phone call.",
    ),
    StepKind("other", "Something else", "A step of your own."),
)
STEP_LABELS: dict[str, str] = {k.id: k.label for k in STEP_KINDS}
STEP_SIZES: tuple[tuple[int, str], ...] = ((1, "Small"), (2, "Medium"), (3, "Big"))


@dataclass(frozen=True)
class Outcome:
    """How one step went: 0–10, and which way trust moved."""

    went: int
    change: str


@dataclass(frozen=True)
class Trend:
    kind: str  # "none", "growing", "steady", "shaky", "dipped"
    sentence: str


# The trend looks at the most recent few steps, so an old setback does not define it.
TREND_WINDOW = 3


def trust_trend(outcomes: Sequence[Outcome]) -> Trend:
    """Which way trust has been moving, oldest outcome first in `outcomes`."""
    if not outcomes:
        return Trend("none", "No steps recorded yet.")
    recent = outcomes[-TREND_WINDOW:]
    balance = sum(1 for o in recent if o.change == UP) - sum(1 for o in recent if o.change == DOWN)
    if recent[-1].change == DOWN:
        return Trend(
            "dipped",
            "Trust went down after the last step. It's okay to pause, go back to a smaller "
            "step, or talk it through with your clinician.",
        )
    if balance > 0:
        return Trend("growing", "Trust has been growing, one step at a time.")
    if balance < 0:
        return Trend(
            "shaky",
            "Trust has gone down more often than up lately. Going slowly is wise; you set "
            "the pace.",
        )
    return Trend("steady", "Trust has stayed about the same.")


# A step that went at least this well (0–10) and raised trust is a good base for a
# slightly bigger one; one that went this badly or lowered trust is a reason to slow down.
WENT_WELL = 7
WENT_BADLY = 3


def next_step_hint(last: Outcome | None) -> str:
    """A gentle suggestion for the size of the next step (graded: small before big)."""
    if last is None:
        return "Start with a small step — something that feels only a little bit brave."
    if last.change == DOWN or last.went <= WENT_BADLY:
        return (
            "The last step was hard. A smaller step, the same size again, or a pause are all "
            "fine choices."
        )
    if last.change == UP and last.went >= WENT_WELL:
        return (
            "The last step went well. You could stay at this size or try one a little "
            "bigger — whatever feels right to you."
        )
    return "Another step of a similar size could help you see how things go."


# --- how to reach someone ---

PHONE, EMAIL, OTHER = "phone", "email", "other"
REACH_KINDS: tuple[tuple[str, str], ...] = (
    (PHONE, "Phone"),
    (EMAIL, "Email"),
    (OTHER, "Another way"),
)
# The same limits as the safety plan's numbers, so anyone here can be added to it.
MIN_PHONE_DIGITS = 3
MAX_PHONE_DIGITS = 20
MAX_PHONE_CHARS = 40
MAX_EMAIL_CHARS = 254
MAX_OTHER_CHARS = 150
_PHONE_CHARS = re.compile(r"^[0-9+\-() ]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def reach_problem(kind: str, value: str) -> str | None:
    """What is wrong with a way of reaching someone, in words for a person, or None."""
    if kind == "" and not value:
        return None
    if kind not in dict(REACH_KINDS):
        return "Please choose how you reach them: phone, email or another way."
    if not value:
        return "Please add their number, email or how you reach them — or choose “Not now”."
    if kind == PHONE:
        digits = sum(c.isdigit() for c in value)
        if (
            len(value) > MAX_PHONE_CHARS
            or not _PHONE_CHARS.match(value)
            or not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS
        ):
            return (
                "That phone number doesn't look right. Please use digits, with spaces, +, - "
                f"or brackets if you like ({MIN_PHONE_DIGITS} to {MAX_PHONE_DIGITS} digits)."
            )
    if kind == EMAIL and (len(value) > MAX_EMAIL_CHARS or not _EMAIL.match(value)):
        return "That email address doesn't look right. It should look like name@example.org."
    if kind == OTHER and len(value) > MAX_OTHER_CHARS:
        return f"Please keep how you reach them to {MAX_OTHER_CHARS} characters or fewer."
    return None


def dial(phone: str) -> str:
    """A phone number as a tel:/sms: link needs it: digits, keeping a leading +."""
    digits = re.sub(r"[^0-9]", "", phone)
    return ("+" if phone.strip().startswith("+") else "") + digits


# --- the circles picture ---

CIRCLE_SIZE = 360
_CENTRE = CIRCLE_SIZE / 2
YOU_RADIUS = 26
# Outer edge of each ring (closest first) and how many names fit around it before
# the rest are counted as "+N".
RING_EDGES: tuple[float, ...] = (86, 132, 178)
RING_CAPACITY: tuple[int, ...] = (5, 9, 13)
MAX_LABEL = 11


@dataclass(frozen=True)
class Dot:
    person_id: int
    label: str
    x: float
    y: float
    ring: str


@dataclass(frozen=True)
class RingShape:
    id: str
    title: str
    radius: float
    more: int  # people not drawn because the ring is full (they are in the list)
    more_y: float


@dataclass(frozen=True)
class CircleLayout:
    size: int
    centre: float
    you_radius: int
    rings: tuple[RingShape, ...]
    dots: tuple[Dot, ...]

    @property
    def empty(self) -> bool:
        return not self.dots


def _short(name: str) -> str:
    """The whole name if it fits, else the first word, else the first word cut short."""
    if len(name) <= MAX_LABEL:
        return name
    first = name.split()[0]
    return first if len(first) <= MAX_LABEL else first[: MAX_LABEL - 1] + "…"


def circle_layout(people: Sequence[tuple[int, str, int]]) -> CircleLayout:
    """Where each (id, name, closeness) sits in concentric rings around "you": closest in
    the middle. Names are spread evenly around the middle of their ring; each ring
    starts at a different angle so labels in neighbouring rings do not line up."""
    rings: list[RingShape] = []
    dots: list[Dot] = []
    inner = float(YOU_RADIUS)
    for index, ring in enumerate(RINGS):
        edge = RING_EDGES[index]
        members = [p for p in people if ring.low <= p[2] <= ring.high]
        shown = members[: RING_CAPACITY[index]]
        middle = (inner + edge) / 2
        offset = -90 + index * 25
        for i, (person_id, name, _) in enumerate(shown):
            angle = math.radians(offset + i * 360 / len(shown))
            dots.append(
                Dot(
                    person_id,
                    _short(name),
                    round(_CENTRE + middle * math.cos(angle), 1),
                    round(_CENTRE + middle * math.sin(angle), 1),
                    ring.id,
                )
            )
        rings.append(
            RingShape(ring.id, ring.title, edge, len(members) - len(shown), _CENTRE + edge - 6)
        )
        inner = edge
    return CircleLayout(CIRCLE_SIZE, _CENTRE, YOU_RADIUS, tuple(rings), tuple(dots))
