"""Pure rules for thought records: checking what was typed, the four steps, the change in
how strong feelings were before and after, and tallies of the thinking-trap suggestions.

No database, no web. A thought record here follows the usual cognitive-restructuring
columns (situation, automatic thought, emotions rated 0–100, evidence for and against, a
balanced thought, emotions re-rated); see Greenberger & Padesky, *Mind Over Mood*, 2nd ed.
(2015), ch. 5–9, and J. S. Beck, *Cognitive Behavior Therapy: Basics and Beyond*, 3rd ed.
(2020), ch. 12. Mend makes no claim about what a change in ratings means: it shows the
numbers the client gave.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mend.language.traps_catalogue import TRAP_IDS
from mend.platform.errors import Invalid

MAX_SITUATION = 2_000
MAX_THOUGHT = 1_000
MAX_EVIDENCE = 4_000
MAX_BALANCED = 2_000
MAX_EMOTION_NAME = 40
MAX_EMOTIONS = 6
MIN_INTENSITY, MAX_INTENSITY = 0, 100

# Words offered in the feeling box (a <datalist>): a prompt, never a limit.
EMOTION_WORDS = (
    "sad",
    "hurt",
    "rejected",
    "lonely",
    "anxious",
    "afraid",
    "angry",
    "ashamed",
    "embarrassed",
    "guilty",
    "jealous",
    "hopeless",
    "numb",
    "overwhelmed",
    "frustrated",
)

# The four steps, in order. `steps_done` on a record counts how many have been saved.
STEP_THOUGHT, STEP_TRAPS, STEP_EVIDENCE, STEP_BALANCE = 1, 2, 3, 4
STEPS: tuple[tuple[int, str, str], ...] = (
    (STEP_THOUGHT, "thought", "What happened"),
    (STEP_TRAPS, "traps", "Thinking traps"),
    (STEP_EVIDENCE, "evidence", "Looking at the evidence"),
    (STEP_BALANCE, "balance", "A balanced thought"),
)
STEP_SLUGS: dict[int, str] = {n: slug for n, slug, _ in STEPS}

_SPACES = re.compile(r"[ \t]+")


# --- checking what was typed ---


def clean_text(raw: str, *, limit: int, what: str, required: str | None = None) -> str:
    """Trim a free-text answer and check its length. `required` is the message for a
    blank answer; without it a blank answer is allowed and stored as ""."""
    text = raw.strip()
    if not text and required:
        raise Invalid(required)
    if len(text) > limit:
        raise Invalid(
            f"{what} can be up to {limit:,} characters; this is {len(text):,}. "
            "Please shorten it a little."
        )
    return text


def parse_intensity(raw: str, what: str) -> int:
    """A whole number from 0 to 100, or a message saying plainly what to type."""
    text = raw.strip()
    if not text:
        raise Invalid(f"Please rate how strong {what} is, from 0 to 100. A rough guess is fine.")
    if not re.fullmatch(r"[0-9]{1,3}", text) or not MIN_INTENSITY <= int(text) <= MAX_INTENSITY:
        raise Invalid(
            f"Please rate {what} with a whole number from 0 (not at all) to 100 (the "
            f"strongest you can imagine). “{text[:20]}” isn't one of those."
        )
    return int(text)


@dataclass(frozen=True)
class Emotion:
    """One feeling, how strong it was (before) and, once re-rated, how strong it is now."""

    name: str
    before: int
    after: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "before": self.before, "after": self.after}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Emotion:
        after = data.get("after")
        return cls(str(data["name"]), int(data["before"]), None if after is None else int(after))


def read_emotions(rows: Sequence[tuple[str, str]]) -> tuple[Emotion, ...]:
    """(name, intensity) rows as typed: blank rows are skipped, at least one is needed."""
    emotions: list[Emotion] = []
    for name_raw, rating_raw in rows:
        name = _SPACES.sub(" ", name_raw).strip()
        if not name and not rating_raw.strip():
            continue
        if not name:
            raise Invalid(
                f"You gave a rating of {rating_raw.strip()[:20]} without naming the feeling. "
                "Please add a word for it, like “sad” or “angry”."
            )
        if len(name) > MAX_EMOTION_NAME:
            raise Invalid(
                f"Please name each feeling in {MAX_EMOTION_NAME} characters or fewer "
                "(a word or two is plenty)."
            )
        if any(e.name.casefold() == name.casefold() for e in emotions):
            raise Invalid(f"“{name}” is listed twice. Please keep one of them.")
        emotions.append(Emotion(name, parse_intensity(rating_raw, f"“{name}”")))
    if not emotions:
        raise Invalid(
            "Please name at least one feeling and how strong it is, from 0 to 100 — "
            "for example “hurt, 80”."
        )
    if len(emotions) > MAX_EMOTIONS:
        raise Invalid(f"Please choose the {MAX_EMOTIONS} strongest feelings at most.")
    return tuple(emotions)


def carry_ratings(old: Sequence[Emotion], new: Sequence[Emotion]) -> tuple[Emotion, ...]:
    """When the feelings are edited, keep the re-rating of any feeling still there
    (matched by name, ignoring case); a new feeling waits for its own."""
    earlier = {e.name.casefold(): e.after for e in old}
    return tuple(replace(e, after=earlier.get(e.name.casefold())) for e in new)


def rerate(
    emotions: Sequence[Emotion], raws: Sequence[str], *, partial: bool = False
) -> tuple[Emotion, ...]:
    """Each feeling's rating now, in the same order as the feelings. `partial` (saving to
    finish later) lets a rating stay blank; anything typed must still be 0–100."""
    if len(raws) != len(emotions):
        raise Invalid("Please rate each feeling again, from 0 to 100.")
    return tuple(
        replace(
            e,
            after=None if partial and not raw.strip() else parse_intensity(raw, f"“{e.name}” now"),
        )
        for e, raw in zip(emotions, raws, strict=True)
    )


_FEELING_FIELD = re.compile(r"^feeling-(\d{1,2})-(name|rating)$")
_AFTER_FIELD = re.compile(r"^after-(\d{1,2})$")


def feeling_rows(form: Mapping[str, object]) -> list[tuple[str, str]]:
    """(name, rating) rows from a form's `feeling-<n>-name` / `feeling-<n>-rating` fields,
    in row order, as typed."""
    found: dict[int, dict[str, str]] = {}
    for key, value in form.items():
        match = _FEELING_FIELD.match(key)
        if match and isinstance(value, str):
            found.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return [(r.get("name", ""), r.get("rating", "")) for _, r in sorted(found.items())]


def after_ratings(form: Mapping[str, object]) -> list[str]:
    """The re-ratings from a form's `after-<n>` fields, in feeling order, as typed."""
    found: dict[int, str] = {}
    for key, value in form.items():
        match = _AFTER_FIELD.match(key)
        if match and isinstance(value, str):
            found[int(match.group(1))] = value
    return [found[i] for i in sorted(found)]


# --- traps: what was suggested, and what the client made of it ---


@dataclass(frozen=True)
class TrapChoice:
    """What happened to the suggestions: `accepted` and `dismissed` split `suggested`;
    `chosen` are traps the client picked from the full list themself. `withheld` is set
    when the thought spoke of suicide or self-harm and no traps were offered."""

    suggested: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    dismissed: tuple[str, ...] = ()
    chosen: tuple[str, ...] = ()
    withheld: bool = False

    @property
    def fitting(self) -> tuple[str, ...]:
        """Every trap the client said fits, suggested or picked, in catalogue order."""
        picked = set(self.accepted) | set(self.chosen)
        return tuple(t for t in TRAP_IDS if t in picked)

    def to_json(self) -> dict[str, Any]:
        return {
            "suggested": list(self.suggested),
            "accepted": list(self.accepted),
            "dismissed": list(self.dismissed),
            "chosen": list(self.chosen),
            "withheld": self.withheld,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> TrapChoice:
        data = data or {}
        return cls(
            tuple(data.get("suggested", ())),
            tuple(data.get("accepted", ())),
            tuple(data.get("dismissed", ())),
            tuple(data.get("chosen", ())),
            bool(data.get("withheld", False)),
        )


def choose_traps(
    suggested: Sequence[str], ticked: Iterable[str], *, withheld: bool = False
) -> TrapChoice:
    """Split the ticked boxes into accepted suggestions and traps picked from the list;
    every suggestion left unticked was dismissed. Unknown ids are refused."""
    ticked_set = set(ticked)
    unknown = ticked_set - set(TRAP_IDS)
    if unknown:
        raise Invalid("Please choose thinking traps from the list shown.")
    if withheld:
        # No traps were offered for this thought, so none can be ticked.
        return TrapChoice(withheld=True)
    accepted = tuple(t for t in suggested if t in ticked_set)
    dismissed = tuple(t for t in suggested if t not in ticked_set)
    chosen = tuple(t for t in TRAP_IDS if t in ticked_set and t not in suggested)
    return TrapChoice(tuple(suggested), accepted, dismissed, chosen)


@dataclass(frozen=True)
class TrapTally:
    """How one trap fared across a client's records (for the clinician, and for judging
    the suggestions): offered, ticked when offered, left unticked, picked unprompted."""

    trap: str
    suggested: int = 0
    accepted: int = 0
    dismissed: int = 0
    chosen: int = 0

    @property
    def acceptance(self) -> float | None:
        """Share of suggestions the client accepted; None when never suggested."""
        return self.accepted / self.suggested if self.suggested else None


def trap_tallies(choices: Iterable[TrapChoice]) -> list[TrapTally]:
    """One row per trap that appeared at all, in catalogue order."""
    counts: dict[str, dict[str, int]] = {t: {} for t in TRAP_IDS}
    for choice in choices:
        for kind in ("suggested", "accepted", "dismissed", "chosen"):
            for trap in getattr(choice, kind):
                if trap in counts:
                    counts[trap][kind] = counts[trap].get(kind, 0) + 1
    return [TrapTally(t, **c) for t, c in counts.items() if c]


# --- steps and completeness ---


@dataclass(frozen=True)
class RecordState:
    """What a record holds, enough to say which step comes next."""

    steps_done: int
    balanced: str = ""
    emotions: tuple[Emotion, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return (
            self.steps_done >= STEP_BALANCE
            and bool(self.balanced)
            and bool(self.emotions)
            and all(e.after is not None for e in self.emotions)
        )

    @property
    def next_step(self) -> int:
        """The step to continue from: the first not yet saved, or the last while any
        feeling still waits for its re-rating."""
        if self.complete:
            return STEP_BALANCE
        return min(max(self.steps_done + 1, STEP_THOUGHT), STEP_BALANCE)


def steps_done_after(previous: int, saved_step: int) -> int:
    """Saving a step never forgets that later steps were already saved."""
    return max(previous, saved_step)


# --- the change in intensity ---


@dataclass(frozen=True)
class IntensityChange:
    """Average intensity over the feelings rated both times, before and after."""

    before: float
    after: float
    rated: int  # how many feelings were rated both times

    @property
    def drop(self) -> float:
        """Positive when feelings eased, negative when they grew stronger."""
        return round(self.before - self.after, 1)


def intensity_change(emotions: Sequence[Emotion]) -> IntensityChange | None:
    """None until at least one feeling has been rated both before and after."""
    pairs = [(e.before, e.after) for e in emotions if e.after is not None]
    if not pairs:
        return None
    before = sum(b for b, _ in pairs) / len(pairs)
    after = sum(a for _, a in pairs) / len(pairs)
    return IntensityChange(round(before, 1), round(after, 1), len(pairs))


@dataclass(frozen=True)
class ChangeSummary:
    records: int
    average_drop: float | None
    eased: int  # records whose average intensity went down
    same: int
    grew: int


def summarise(changes: Iterable[IntensityChange | None]) -> ChangeSummary:
    """Across completed records: how many eased, stayed the same or grew stronger."""
    known = [c for c in changes if c is not None]
    if not known:
        return ChangeSummary(0, None, 0, 0, 0)
    drops = [c.drop for c in known]
    return ChangeSummary(
        records=len(known),
        average_drop=round(sum(drops) / len(drops), 1),
        eased=sum(d > 0 for d in drops),
        same=sum(d == 0 for d in drops),
        grew=sum(d < 0 for d in drops),
    )


def describe_change(change: IntensityChange | None) -> str:
    """One plain sentence for the client and for chart alt text; no judgement either way."""
    if change is None:
        return "Not re-rated yet."
    if change.drop > 0:
        return f"Eased by {change.drop:g} points, from {change.before:g} to {change.after:g}."
    if change.drop < 0:
        return f"Stronger by {-change.drop:g} points, from {change.before:g} to {change.after:g}."
    return f"About the same, at {change.before:g}."
