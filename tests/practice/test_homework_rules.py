"""Homework's pure rules, table by table: the tool registry, checking an assignment, the
status of a piece of homework, how distress changed, and what seemed to help."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mend.platform.errors import Invalid
from mend.practice import homework_rules as rules
from mend.practice.homework_rules import Rated, Status, ToolEffect

TODAY = date(2026, 3, 2)  # a Monday
TITLES = {"boundaries": "Boundaries", "self-compassion": "Self-compassion"}


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tool_id", "label", "url"),
    [
        ("journal", "Write in your journal", "/me/journal/new"),
        ("thought_record", "Fill in a thought record", "/me/thoughts/new"),
        ("check_in", "Do a check-in", "/me/check-in"),
        ("coping:breathing", "Paced breathing", "/me/coping/long-exhale-breathing"),
        ("coping:grounding", "Grounding", "/me/coping/grounding"),
        ("coping:safe_place", "Calm-place visualisation", "/me/coping/calm-place"),
        ("coping:self_compassion", "Self-compassion break", "/me/coping/self-compassion"),
        ("coping:pmr", "Progressive muscle relaxation", "/me/coping/muscle-relaxation"),
        ("activity", "Plan or do an activity", "/me/activities"),
        ("people", "Work on your support network", "/me/people"),
        ("boundaries", "Practise a boundary", "/me/boundaries"),
        ("strengths", "Add to your strengths log", "/me/strengths"),
        ("safety_plan", "Review your safety plan", "/me/safety-plan"),
        ("reading:boundaries", "Read: Boundaries", "/me/library/boundaries"),
        ("reading:gone", "A reading that is no longer in the library", "/me/library"),
        ("mystery", "A practice tool", "/me/tools"),
    ],
)
def test_every_tool_has_a_label_and_a_client_address(tool_id: str, label: str, url: str) -> None:
    tool = rules.tool_for(tool_id, TITLES)
    assert (tool.id, tool.label, tool.url) == (tool_id, label, url)


def test_choices_list_the_tools_then_the_readings() -> None:
    choices = rules.tool_choices(TITLES)
    assert choices[0] == ("journal", "Write in your journal")
    assert choices[-2:] == [
        ("reading:boundaries", "Read: Boundaries"),
        ("reading:self-compassion", "Read: Self-compassion"),
    ]
    assert len(choices) == len(rules.TOOLS) + len(TITLES)
    assert all(len(tool_id) <= rules.MAX_TOOL_ID for tool_id, _ in choices)


@pytest.mark.parametrize(
    ("tool", "instructions", "due", "expected"),
    [
        (
            "journal",
            "  Write about Tuesday. ",
            "2026-03-02",
            ("journal", "Write about Tuesday.", 2),
        ),
        ("reading:boundaries", "", "2026-03-09", ("reading:boundaries", "", 9)),
        ("coping:pmr", "x" * 1000, "2027-03-02", ("coping:pmr", "x" * 1000, None)),
    ],
)
def test_good_assignments_are_tidied(
    tool: str, instructions: str, due: str, expected: tuple[str, str, int | None]
) -> None:
    checked = rules.check_assignment(tool, instructions, due, today=TODAY, titles=TITLES)
    assert (checked.tool, checked.instructions) == expected[:2]
    if expected[2] is not None:
        assert checked.due_on == date(2026, 3, expected[2])


@pytest.mark.parametrize(
    ("tool", "instructions", "due", "message"),
    [
        ("", "", "2026-03-09", "choose a tool or a reading"),
        ("hypnosis", "", "2026-03-09", "choose a tool or a reading"),
        ("reading:not-an-article", "", "2026-03-09", "choose a tool or a reading"),
        ("journal", "x" * 1001, "2026-03-09", "up to 1,000 characters"),
        ("journal", "", "", "choose a due date"),
        ("journal", "", "next week", "choose a due date"),
        ("journal", "", "2026-02-30", "choose a due date"),
        ("journal", "", "2026-03-01", "can't be in the past"),
        ("journal", "", "2027-03-04", "within the next year"),
    ],
)
def test_bad_assignments_say_what_is_wrong(
    tool: str, instructions: str, due: str, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        rules.check_assignment(tool, instructions, due, today=TODAY, titles=TITLES)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", None), ("  ", None), ("0", 0), ("7", 7), ("10", 10), (" 3 ", 3)],
)
def test_distress_ratings_are_optional_whole_numbers(value: str, expected: int | None) -> None:
    assert rules.parse_distress(value, "before") == expected


@pytest.mark.parametrize("value", ["11", "-1", "3.5", "seven", "١"])
def test_distress_outside_0_to_10_is_refused(value: str) -> None:
    with pytest.raises(Invalid, match="from 0 to 10 for how you felt after"):
        rules.parse_distress(value, "after")


def test_notes_are_optional_and_short() -> None:
    assert rules.check_note("  ") is None
    assert rules.check_note(" Felt lighter. ") == "Felt lighter."
    assert rules.check_note("x" * 500) == "x" * 500
    with pytest.raises(Invalid, match="up to 500 characters"):
        rules.check_note("x" * 501)


@pytest.mark.parametrize(
    ("due", "completed", "cancelled", "expected"),
    [
        (date(2026, 3, 5), None, None, Status.DUE),
        (TODAY, None, None, Status.DUE),  # due by the end of its day
        (date(2026, 3, 1), None, None, Status.OVERDUE),
        (date(2026, 3, 1), at(1), None, Status.DONE),
        (date(2026, 2, 20), at(1), None, Status.DONE),  # late, but done
        (date(2026, 3, 5), None, at(1), Status.CANCELLED),
        (date(2026, 2, 20), None, at(1), Status.CANCELLED),
    ],
)
def test_status_from_due_date_completion_and_cancellation(
    due: date, completed: datetime | None, cancelled: datetime | None, expected: Status
) -> None:
    assert (
        rules.status(due_on=due, today=TODAY, completed_at=completed, cancelled_at=cancelled)
        == expected
    )


@pytest.mark.parametrize(
    ("due", "completed", "late"),
    [
        (date(2026, 3, 2), at(2, 23), False),
        (date(2026, 3, 1), at(2, 0), True),
        (date(2026, 3, 1), None, False),
    ],
)
def test_done_late(due: date, completed: datetime | None, late: bool) -> None:
    assert rules.done_late(due, completed) is late


@pytest.mark.parametrize(
    ("due", "phrase"),
    [
        (date(2026, 3, 2), "Due today"),
        (date(2026, 3, 3), "Due tomorrow"),
        (date(2026, 3, 6), "Due Friday"),
        (date(2026, 3, 9), "Due 9 March"),
        (date(2026, 3, 1), "Was due yesterday — you can still do it"),
        (date(2026, 2, 20), "Was due 20 February — you can still do it"),
    ],
)
def test_due_phrases_are_plain_and_never_scold(due: date, phrase: str) -> None:
    assert rules.due_phrase(due, TODAY) == phrase


@pytest.mark.parametrize(
    ("before", "after", "change", "phrase"),
    [
        (7, 4, -3, "Your distress went down from 7 to 4."),
        (3, 5, 2, "Your distress went up from 3 to 5. That happens; it still counts."),
        (5, 5, 0, "Your distress stayed at 5."),
        (0, 0, 0, "Your distress stayed at 0."),
        (None, 4, None, ""),
        (6, None, None, ""),
        (None, None, None, ""),
    ],
)
def test_distress_change(
    before: int | None, after: int | None, change: int | None, phrase: str
) -> None:
    assert rules.distress_change(before, after) == change
    assert rules.change_phrase(before, after) == phrase


def test_sorting_puts_open_work_first_soonest_first_then_newest_done() -> None:
    rows = [
        (1, Status.DONE, date(2026, 3, 1), at(1)),
        (2, Status.DUE, date(2026, 3, 9), None),
        (3, Status.OVERDUE, date(2026, 2, 27), None),
        (4, Status.DONE, date(2026, 3, 2), at(2)),
        (5, Status.CANCELLED, date(2026, 3, 4), None),
        (6, Status.DUE, date(2026, 3, 3), None),
    ]
    ordered = sorted(rows, key=lambda r: rules.sort_key(r[1], r[2], r[3], r[0]))
    assert [r[0] for r in ordered] == [3, 6, 2, 4, 1, 5]


@pytest.mark.parametrize(
    ("rated", "expected"),
    [
        ([], []),
        ([Rated("journal", None, 3), Rated("journal", 5, None)], []),  # no pairs
        ([Rated("journal", 4, 6)], []),  # went up: not "helpful"
        ([Rated("journal", 5, 5)], []),  # no change
        (
            [Rated("journal", 8, 6), Rated("coping:pmr", 7, 3), Rated("journal", 6, 2)],
            [ToolEffect("coping:pmr", 1, -4.0), ToolEffect("journal", 2, -3.0)],
        ),
        (
            # Same average: more uses first, then by id.
            [Rated("b", 5, 3), Rated("a", 5, 3), Rated("c", 6, 4), Rated("c", 4, 2)],
            [ToolEffect("c", 2, -2.0), ToolEffect("a", 1, -2.0), ToolEffect("b", 1, -2.0)],
        ),
        (
            # A tool that helped once and hurt once, on balance not helpful.
            [Rated("x", 5, 2), Rated("x", 2, 6), Rated("y", 3, 2)],
            [ToolEffect("y", 1, -1.0)],
        ),
    ],
)
def test_what_seemed_to_help(rated: list[Rated], expected: list[ToolEffect]) -> None:
    assert rules.helpful_from_ratings(rated) == expected


def test_what_seemed_to_help_is_capped() -> None:
    rated = [Rated(f"t{i}", 9, 9 - i - 1) for i in range(8)]
    assert [e.tool for e in rules.helpful_from_ratings(rated, limit=3)] == ["t7", "t6", "t5"]


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], rules.Summary(0, 0, 0, 0, None)),
        (
            [
                (Status.DONE, 7, 4),
                (Status.DONE, 5, 6),
                (Status.DONE, None, 3),
                (Status.OVERDUE, None, None),
                (Status.DUE, None, None),
                (Status.CANCELLED, 9, 1),
            ],
            rules.Summary(5, 3, 1, 2, -1.0),
        ),
    ],
)
def test_summary_for_the_clinician(
    items: list[tuple[Status, int | None, int | None]], expected: rules.Summary
) -> None:
    assert rules.summarise(items) == expected
