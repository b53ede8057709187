"""The pure rules behind the daily check-in, as tables."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mend.platform.errors import Invalid
from mend.practice import checkin_rules as rules
from mend.practice.checkin_rules import CheckinFacts


@pytest.mark.parametrize(("raw", "mood"), [("0", 0), ("10", 10), (" 7 ", 7)])
def test_mood_is_a_whole_number_0_to_10(raw: str, mood: int) -> None:
    assert rules.parse_mood(raw) == mood


@pytest.mark.parametrize("raw", ["", "11", "-1", "5.5", "good", "100"])
def test_mood_refused(raw: str) -> None:
    with pytest.raises(Invalid, match="from 0 \\(the lowest\\) to 10"):
        rules.parse_mood(raw)


@pytest.mark.parametrize("raw", ["within", "hyper", "hypo"])
def test_window_states(raw: str) -> None:
    assert rules.parse_window(raw) == raw


@pytest.mark.parametrize("raw", ["", "Within", "sideways"])
def test_window_refused(raw: str) -> None:
    with pytest.raises(Invalid, match="where you are right now"):
        rules.parse_window(raw)


def test_signals_come_back_in_checklist_order_without_repeats() -> None:
    assert rules.parse_signals(["numb", "racing-heart", "numb"]) == ("racing-heart", "numb")
    assert rules.parse_signals([]) == ()
    with pytest.raises(Invalid, match="from the list"):
        rules.parse_signals(["racing-heart", "<script>"])


def test_every_signal_and_state_has_words_for_people() -> None:
    assert len({s.id for s in rules.BODY_SIGNALS}) == len(rules.BODY_SIGNALS)
    assert all(s.label and len(s.label) <= 40 for s in rules.BODY_SIGNALS)
    assert [w.id for w in rules.WINDOWS] == ["within", "hyper", "hypo"]
    assert all(w.label and w.description and w.clinical for w in rules.WINDOWS)


@pytest.mark.parametrize(
    ("raw", "half_hours"),
    [
        ("", None),
        ("  ", None),
        ("0", 0),
        ("7", 14),
        ("6.5", 13),
        ("6,5", 13),
        ("8.0", 16),
        ("7.50", 15),
        ("24", 48),
        ("07", 14),
    ],
)
def test_sleep_in_half_hours(raw: str, half_hours: int | None) -> None:
    assert rules.parse_sleep(raw) == half_hours
    assert rules.sleep_hours(half_hours) == (None if half_hours is None else half_hours / 2)


@pytest.mark.parametrize("raw", ["24.5", "25", "-1", "7.25", "7.3", "seven", "7h", "100", "7.05"])
def test_sleep_refused(raw: str) -> None:
    with pytest.raises(Invalid, match="to the nearest half hour"):
        rules.parse_sleep(raw)


def test_read_checkin_checks_everything_and_tidies_free_text() -> None:
    answers = rules.read_checkin(
        mood="4",
        window="hypo",
        signals=["numb", "heavy-limbs"],
        other_signals="  cold hands ",
        sleep="5.5",
        note="",
    )
    assert answers == rules.CheckinInput(4, "hypo", ("heavy-limbs", "numb"), "cold hands", 11, None)
    with pytest.raises(Invalid, match="up to 2,000 characters"):
        rules.read_checkin(
            mood="4", window="hypo", signals=[], other_signals="", sleep="", note="x" * 2001
        )
    with pytest.raises(Invalid, match="up to 200 characters"):
        rules.read_checkin(
            mood="4", window="hypo", signals=[], other_signals="x" * 201, sleep="", note=""
        )


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def test_summary_counts_days_states_and_averages() -> None:
    facts = [
        CheckinFacts(_at(3, 20), 6, "within", 14),
        CheckinFacts(_at(2), 3, "hyper", None),
        CheckinFacts(_at(3, 8), 4, "hypo", 11),
    ]
    summary = rules.summarise(facts)
    assert (summary.count, summary.days) == (3, 2)
    assert (summary.first, summary.last) == (date(2026, 3, 2), date(2026, 3, 3))
    assert summary.average_mood == round(13 / 3, 1)
    assert summary.windows == {"within": 1, "hyper": 1, "hypo": 1}
    assert summary.average_sleep == 6.2  # (7 + 5.5) / 2 = 6.25, shown to one decimal
    assert rules.checked_in_on(facts, date(2026, 3, 3)) == 2


def test_empty_summary() -> None:
    summary = rules.summarise([])
    assert summary.count == 0 and summary.average_mood is None and summary.average_sleep is None
    assert summary.windows == {"within": 0, "hyper": 0, "hypo": 0}
