"""The pure rules behind thought records, as tables."""

from __future__ import annotations

import pytest

from mend.platform.errors import Invalid
from mend.practice import thought_rules as rules
from mend.practice.thought_rules import Emotion, IntensityChange, RecordState, TrapChoice


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0", 0), ("100", 100), (" 55 ", 55), ("007", 7)],
)
def test_intensity_accepts_whole_numbers_0_to_100(raw: str, expected: int) -> None:
    assert rules.parse_intensity(raw, "sadness") == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Please rate how strong sadness is"),
        ("101", "whole number from 0"),
        ("-1", "whole number from 0"),
        ("50.5", "whole number from 0"),
        ("lots", "“lots” isn't one of those"),
        ("1000", "whole number from 0"),
    ],
)
def test_intensity_refuses_anything_else_with_a_plain_message(raw: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        rules.parse_intensity(raw, "sadness")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([("hurt", "80")], (Emotion("hurt", 80),)),
        ([("", ""), ("  lonely  ", "60"), ("", "")], (Emotion("lonely", 60),)),
        ([("sad", "70"), ("ashamed", "40")], (Emotion("sad", 70), Emotion("ashamed", 40))),
        ([("very   angry", "90")], (Emotion("very angry", 90),)),
    ],
)
def test_emotions_skip_blank_rows_and_tidy_names(
    rows: list[tuple[str, str]], expected: tuple[Emotion, ...]
) -> None:
    assert rules.read_emotions(rows) == expected


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "at least one feeling"),
        ([("", "")], "at least one feeling"),
        ([("", "50")], "without naming the feeling"),
        ([("sad", "")], "Please rate how strong “sad” is"),
        ([("x" * 41, "50")], "40 characters or fewer"),
        ([("Sad", "50"), ("sad", "60")], "listed twice"),
        ([(f"f{i}", "10") for i in range(7)], "6 strongest feelings"),
    ],
)
def test_emotions_refused(rows: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(Invalid, match=message):
        rules.read_emotions(rows)


def test_edited_feelings_keep_their_rerating_by_name() -> None:
    old = (Emotion("Hurt", 80, 40), Emotion("angry", 50, 45))
    new = (Emotion("hurt", 85), Emotion("lonely", 60))
    assert rules.carry_ratings(old, new) == (Emotion("hurt", 85, 40), Emotion("lonely", 60, None))


@pytest.mark.parametrize(
    ("raws", "partial", "afters"),
    [
        (["30", "0"], False, (30, 0)),
        (["30", ""], True, (30, None)),
        (["", ""], True, (None, None)),
    ],
)
def test_rerate(raws: list[str], partial: bool, afters: tuple[int | None, ...]) -> None:
    emotions = (Emotion("sad", 70), Emotion("angry", 20))
    assert tuple(e.after for e in rules.rerate(emotions, raws, partial=partial)) == afters


@pytest.mark.parametrize(
    ("raws", "partial"), [(["30", ""], False), (["30"], False), (["x", ""], True)]
)
def test_rerate_refused(raws: list[str], partial: bool) -> None:
    with pytest.raises(Invalid):
        rules.rerate((Emotion("sad", 70), Emotion("angry", 20)), raws, partial=partial)


@pytest.mark.parametrize(
    ("text", "required", "ok"),
    [("  hello ", None, "hello"), ("", None, ""), ("x" * 10, None, "x" * 10)],
)
def test_clean_text(text: str, required: str | None, ok: str) -> None:
    assert rules.clean_text(text, limit=10, what="It", required=required) == ok


def test_clean_text_refuses_blank_when_required_and_too_long() -> None:
    with pytest.raises(Invalid, match="Say something"):
        rules.clean_text("   ", limit=10, what="It", required="Say something")
    with pytest.raises(Invalid, match="up to 10 characters; this is 11"):
        rules.clean_text("x" * 11, limit=10, what="It")


@pytest.mark.parametrize(
    ("suggested", "ticked", "withheld", "expected"),
    [
        (
            ("labeling", "overgeneralizing"),
            ["labeling", "comparing"],
            False,
            TrapChoice(
                ("labeling", "overgeneralizing"),
                ("labeling",),
                ("overgeneralizing",),
                ("comparing",),
            ),
        ),
        (("mind-reading",), [], False, TrapChoice(("mind-reading",), (), ("mind-reading",), ())),
        (
            (),
            ["blaming", "all-or-nothing"],
            False,
            TrapChoice((), (), (), ("all-or-nothing", "blaming")),
        ),
        ((), ["blaming"], True, TrapChoice(withheld=True)),
    ],
)
def test_trap_choice_splits_accepted_dismissed_and_chosen(
    suggested: tuple[str, ...], ticked: list[str], withheld: bool, expected: TrapChoice
) -> None:
    assert rules.choose_traps(suggested, ticked, withheld=withheld) == expected


def test_trap_choice_refuses_unknown_traps_and_round_trips() -> None:
    with pytest.raises(Invalid, match="from the list"):
        rules.choose_traps((), ["not-a-trap"])
    choice = rules.choose_traps(("labeling",), ["labeling", "blaming"])
    assert TrapChoice.from_json(choice.to_json()) == choice
    assert choice.fitting == ("labeling", "blaming")
    assert TrapChoice.from_json(None) == TrapChoice()


def test_trap_tallies_count_each_outcome_in_catalogue_order() -> None:
    choices = [
        TrapChoice(("labeling", "blaming"), ("labeling",), ("blaming",), ("comparing",)),
        TrapChoice(("labeling",), (), ("labeling",), ()),
        TrapChoice(withheld=True),
    ]
    tallies = {t.trap: t for t in rules.trap_tallies(choices)}
    assert [t.trap for t in rules.trap_tallies(choices)] == ["labeling", "blaming", "comparing"]
    assert (tallies["labeling"].suggested, tallies["labeling"].accepted) == (2, 1)
    assert tallies["labeling"].dismissed == 1 and tallies["labeling"].acceptance == 0.5
    assert tallies["blaming"].acceptance == 0.0
    assert tallies["comparing"].chosen == 1 and tallies["comparing"].acceptance is None


@pytest.mark.parametrize(
    ("state", "complete", "next_step"),
    [
        (RecordState(1), False, 2),
        (RecordState(2), False, 3),
        (RecordState(3, "", (Emotion("sad", 50),)), False, 4),
        (RecordState(4, "fair", (Emotion("sad", 50, 30),)), True, 4),
        (RecordState(4, "fair", (Emotion("sad", 50, 30), Emotion("new", 20))), False, 4),
        (RecordState(4, "", (Emotion("sad", 50, 30),)), False, 4),
        (RecordState(3, "fair", (Emotion("sad", 50, 30),)), False, 4),
    ],
)
def test_record_state(state: RecordState, complete: bool, next_step: int) -> None:
    assert (state.complete, state.next_step) == (complete, next_step)


@pytest.mark.parametrize(("previous", "saved", "after"), [(1, 1, 1), (1, 2, 2), (4, 1, 4)])
def test_saving_an_earlier_step_keeps_later_steps_done(
    previous: int, saved: int, after: int
) -> None:
    assert rules.steps_done_after(previous, saved) == after


@pytest.mark.parametrize(
    ("emotions", "expected"),
    [
        ((Emotion("sad", 80),), None),
        ((Emotion("sad", 80, 40),), IntensityChange(80, 40, 1)),
        ((Emotion("sad", 80, 40), Emotion("angry", 50, 60)), IntensityChange(65, 50, 2)),
        # A feeling not yet re-rated is left out of both averages.
        ((Emotion("sad", 80, 40), Emotion("angry", 10)), IntensityChange(80, 40, 1)),
        (
            (Emotion("a", 33, 0), Emotion("b", 34, 0), Emotion("c", 34, 1)),
            IntensityChange(33.7, 0.3, 3),
        ),
    ],
)
def test_intensity_change(emotions: tuple[Emotion, ...], expected: IntensityChange | None) -> None:
    assert rules.intensity_change(emotions) == expected


@pytest.mark.parametrize(
    ("change", "text"),
    [
        (None, "Not re-rated yet."),
        (IntensityChange(80, 40, 1), "Eased by 40 points, from 80 to 40."),
        (IntensityChange(40, 55.5, 1), "Stronger by 15.5 points, from 40 to 55.5."),
        (IntensityChange(50, 50, 1), "About the same, at 50."),
    ],
)
def test_describe_change_is_plain_either_way(change: IntensityChange | None, text: str) -> None:
    assert rules.describe_change(change) == text


def test_summarise_counts_eased_same_and_stronger() -> None:
    summary = rules.summarise(
        [IntensityChange(80, 40, 1), IntensityChange(50, 50, 1), IntensityChange(30, 45, 1), None]
    )
    assert (summary.records, summary.eased, summary.same, summary.grew) == (3, 1, 1, 1)
    assert summary.average_drop == round((40 + 0 - 15) / 3, 1)
    assert rules.summarise([]).average_drop is None
