"""Homework rules, pure: which tools can be assigned and where each one opens, what state a
piece of homework is in, how distress ratings changed, and which practice seemed to help.

No database and no web here; homework.py and the pages call these, so every screen that
shows a status or a change shows the same one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from mend.platform.errors import Invalid

# --- the tools a clinician can assign ---


@dataclass(frozen=True)
class Tool:
    id: str
    label: str  # what the client and clinician see
    url: str  # where the client goes to do it


# Each tool's client page is built in its own module; homework links by address only.
# The ids are stored with each piece of homework, so they never change; an address may.
# The coping addresses use the coping catalogue's own tool ids (coping_catalogue.py).
TOOLS: tuple[Tool, ...] = (
    Tool("journal", "Write in your journal", "/me/journal/new"),
    Tool("thought_record", "Fill in a thought record", "/me/thoughts/new"),
    Tool("check_in", "Do a check-in", "/me/check-in"),
    Tool("coping:breathing", "Paced breathing", "/me/coping/long-exhale-breathing"),
    Tool("coping:grounding", "Grounding", "/me/coping/grounding"),
    Tool("coping:safe_place", "Calm-place visualisation", "/me/coping/calm-place"),
    Tool("coping:self_compassion", "Self-compassion break", "/me/coping/self-compassion"),
    Tool("coping:pmr", "Progressive muscle relaxation", "/me/coping/muscle-relaxation"),
    Tool("activity", "Plan or do an activity", "/me/activities"),
    Tool("people", "Work on your support network", "/me/people"),
    Tool("boundaries", "Practise a boundary", "/me/boundaries"),
    Tool("strengths", "Add to your strengths log", "/me/strengths"),
    Tool("safety_plan", "Review your safety plan", "/me/safety-plan"),
)
TOOLS_BY_ID: dict[str, Tool] = {t.id: t for t in TOOLS}
READING = "reading:"
MAX_TOOL_ID = 100


def reading_tool(article_id: str) -> str:
    return f"{READING}{article_id}"


def tool_for(tool_id: str, titles: Mapping[str, str]) -> Tool:
    """The tool behind an id. `titles` maps article ids to titles; a reading whose article
    is no longer in the library still opens the library, with an honest label."""
    if tool_id in TOOLS_BY_ID:
        return TOOLS_BY_ID[tool_id]
    if tool_id.startswith(READING):
        article_id = tool_id.removeprefix(READING)
        title = titles.get(article_id)
        if title is not None:
            return Tool(tool_id, f"Read: {title}", f"/me/library/{article_id}")
        return Tool(tool_id, "A reading that is no longer in the library", "/me/library")
    return Tool(tool_id, "A practice tool", "/me/tools")


def tool_choices(titles: Mapping[str, str]) -> list[tuple[str, str]]:
    """Every assignable (id, label): the tools, then each reading."""
    return [(t.id, t.label) for t in TOOLS] + [
        (reading_tool(a), f"Read: {title}") for a, title in titles.items()
    ]


# --- checking what a clinician assigns and what a client reports ---

MAX_INSTRUCTIONS = 1000
MAX_NOTE = 500
MAX_DAYS_AHEAD = 366
# Distress is rated 0-10 like a short Subjective Units of Distress scale (Wolpe, "The
# Practice of Behavior Therapy", 1969, used 0-100; 0-10 is the common brief form).
DISTRESS_MIN = 0
DISTRESS_MAX = 10


@dataclass(frozen=True)
class NewHomework:
    tool: str
    instructions: str
    due_on: date


def check_assignment(
    tool: str, instructions: str, due_on: str, *, today: date, titles: Mapping[str, str]
) -> NewHomework:
    """The assign form, checked: a known tool or reading, instructions within length, and
    a real due date from today up to a year ahead. Raises Invalid with a plain message."""
    tool = tool.strip()
    if tool not in TOOLS_BY_ID and not (
        tool.startswith(READING) and tool.removeprefix(READING) in titles
    ):
        raise Invalid("Please choose a tool or a reading from the list.")
    instructions = instructions.strip()
    if len(instructions) > MAX_INSTRUCTIONS:
        raise Invalid(
            f"Instructions can be up to {MAX_INSTRUCTIONS:,} characters; these are "
            f"{len(instructions):,}. Please shorten them."
        )
    try:
        due = date.fromisoformat(due_on.strip())
    except ValueError:
        raise Invalid("Please choose a due date (for example 2026-03-09).") from None
    if due < today:
        raise Invalid("The due date can't be in the past. Please choose today or a later day.")
    if due > today + timedelta(days=MAX_DAYS_AHEAD):
        raise Invalid("Please choose a due date within the next year.")
    return NewHomework(tool, instructions, due)


def parse_distress(value: str, which: str) -> int | None:
    """A 0-10 rating from a form; blank means the client chose not to rate."""
    value = value.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not DISTRESS_MIN <= int(value) <= DISTRESS_MAX:
        raise Invalid(
            f"Please choose a number from {DISTRESS_MIN} to {DISTRESS_MAX} for how you felt "
            f"{which}, or leave it blank."
        )
    return int(value)


def check_note(note: str) -> str | None:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise Invalid(
            f"Notes can be up to {MAX_NOTE} characters; this one is {len(note)}. "
            "Please shorten it a little."
        )
    return note or None


# --- state ---


class Status(StrEnum):
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"
    CANCELLED = "cancelled"


def status(
    *, due_on: date, today: date, completed_at: datetime | None, cancelled_at: datetime | None
) -> Status:
    """Cancelled wins (the clinician withdrew it); then done; then overdue once the due
    day has passed (homework is due by the end of its day, in UTC)."""
    if cancelled_at is not None:
        return Status.CANCELLED
    if completed_at is not None:
        return Status.DONE
    return Status.OVERDUE if today > due_on else Status.DUE


def done_late(due_on: date, completed_at: datetime | None) -> bool:
    return completed_at is not None and completed_at.date() > due_on


def due_phrase(due_on: date, today: date) -> str:
    """How the client sees a due date: plain, and never scolding when it has passed."""
    days = (due_on - today).days
    if days == 0:
        return "Due today"
    if days == 1:
        return "Due tomorrow"
    if 1 < days < 7:
        return f"Due {due_on:%A}"
    if days >= 7:
        return f"Due {due_on:%-d %B}"
    if days == -1:
        return "Was due yesterday — you can still do it"
    return f"Was due {due_on:%-d %B} — you can still do it"


def distress_change(before: int | None, after: int | None) -> int | None:
    """After minus before: negative means distress went down. None unless both rated."""
    if before is None or after is None:
        return None
    return after - before


def change_phrase(before: int | None, after: int | None) -> str:
    """The change in words, for the client (no judgement either way)."""
    change = distress_change(before, after)
    if change is None:
        return ""
    if change < 0:
        return f"Your distress went down from {before} to {after}."
    if change > 0:
        return f"Your distress went up from {before} to {after}. That happens; it still counts."
    return f"Your distress stayed at {before}."


def sort_key(
    state: Status, due_on: date, completed_at: datetime | None, item_id: int
) -> tuple[int, float, int]:
    """Open work first (overdue, then due, soonest first), then done (newest first)."""
    if state in (Status.OVERDUE, Status.DUE):
        return (0, due_on.toordinal(), item_id)
    if state == Status.DONE and completed_at is not None:
        return (1, -completed_at.timestamp(), -item_id)
    return (2, -due_on.toordinal(), -item_id)


# --- what seemed to help ---


@dataclass(frozen=True)
class Rated:
    tool: str
    before: int | None
    after: int | None


@dataclass(frozen=True)
class ToolEffect:
    tool: str
    times: int  # how many completions had both ratings
    average_change: float  # after minus before; negative is a drop in distress


def helpful_from_ratings(rated: Iterable[Rated], *, limit: int = 5) -> list[ToolEffect]:
    """Tools whose completions lowered distress on average, biggest drop first (ties: more
    uses first, then the tool id, so the order never wobbles). Only completions with both
    ratings count; a tool that did not lower distress on average is left out."""
    changes: dict[str, list[int]] = {}
    for r in rated:
        change = distress_change(r.before, r.after)
        if change is not None:
            changes.setdefault(r.tool, []).append(change)
    effects = [
        ToolEffect(tool, len(values), sum(values) / len(values)) for tool, values in changes.items()
    ]
    helpful = [e for e in effects if e.average_change < 0]
    helpful.sort(key=lambda e: (e.average_change, -e.times, e.tool))
    return helpful[:limit]


@dataclass(frozen=True)
class Summary:
    assigned: int  # not counting cancelled
    done: int
    overdue: int
    rated: int  # done with both ratings
    average_change: float | None  # over the rated ones; negative is a drop


def summarise(items: Iterable[tuple[Status, int | None, int | None]]) -> Summary:
    """Counts for the clinician's header line, from (status, before, after) per item."""
    assigned = done = overdue = 0
    changes: list[int] = []
    for state, before, after in items:
        if state == Status.CANCELLED:
            continue
        assigned += 1
        if state == Status.OVERDUE:
            overdue += 1
        if state == Status.DONE:
            done += 1
            change = distress_change(before, after)
            if change is not None:
                changes.append(change)
    average = sum(changes) / len(changes) if changes else None
    return Summary(assigned, done, overdue, len(changes), average)
