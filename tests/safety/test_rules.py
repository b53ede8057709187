"""Safety rules, table-tested from the published sources named in mend/safety/rules.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mend.safety import escalation
from mend.safety.rules import (
    REPEAT_WINDOW,
    AlertKey,
    AnsweredItem,
    Thresholds,
    needs_support_page,
    questionnaire_signals,
    repeats,
    text_signal,
    threshold_problems,
)


def items(*answers: int | None) -> list[AnsweredItem]:
    return [AnsweredItem(n, f"item {n}", a, None) for n, a in enumerate(answers, start=1)]


PHQ9_ZERO = (0,) * 9


@pytest.mark.parametrize(
    ("answers", "band", "rules"),
    [
        ((0, 0, 0, 0, 0), "negative", []),
        ((1, 0, 0, 0, 0), "non-acute positive", [("asq.non_acute_positive", "high")]),
        ((0, 0, 0, 1, 0), "non-acute positive", [("asq.non_acute_positive", "high")]),
        ((1, 1, 1, 1, 1), "acute positive", [("asq.acute_positive", "urgent")]),
        ((0, 0, 1, 0, 1), "acute positive", [("asq.acute_positive", "urgent")]),
    ],
)
def test_asq_pathway(answers: tuple[int, ...], band: str, rules: list[tuple[str, str]]) -> None:
    signals = questionnaire_signals("asq", items(*answers), sum(answers[:4]), band)
    assert [(s.rule, s.severity) for s in signals] == rules


def test_asq_acute_reason_shows_the_answers_that_fired() -> None:
    [signal] = questionnaire_signals("asq", items(0, 1, 0, 0, 1), 1, "acute positive")
    assert [r.label for r in signal.reasons] == ["Item 2: item 2", "Item 5: item 5"]
    assert "not be left alone" in signal.next_step


@pytest.mark.parametrize(
    ("item9", "total", "rules"),
    [
        (0, 0, []),
        (1, 1, ["phq9.item9"]),
        (3, 3, ["phq9.item9"]),
        (0, 19, []),
        (0, 20, ["phq9.total"]),
        (2, 27, ["phq9.item9", "phq9.total"]),  # most severe first
    ],
)
def test_phq9_item9_and_severe_total(item9: int, total: int, rules: list[str]) -> None:
    answers = (*(0,) * 8, item9)
    signals = questionnaire_signals("phq9", items(*answers), total, None)
    assert [s.rule for s in signals] == rules


def test_phq9_item9_suggests_the_asq() -> None:
    [signal] = questionnaire_signals("phq9", items(*(0,) * 8, 1), 1, "none/minimal")
    assert "ASQ" in signal.next_step


@pytest.mark.parametrize(("total", "fires"), [(32, False), (33, True), (80, True)])
def test_pcl5_cutoff(total: int, fires: bool) -> None:
    signals = questionnaire_signals("pcl5", items(*(0,) * 20), total, None)
    assert bool(signals) is fires


def test_an_organisation_may_tighten_thresholds() -> None:
    tighter = Thresholds(phq9_total_min=15, pcl5_total_min=31)
    assert threshold_problems({"phq9_total_min": 15, "pcl5_total_min": 31}) == []
    assert [
        s.rule for s in questionnaire_signals("phq9", items(*PHQ9_ZERO), 15, None, tighter)
    ] == ["phq9.total"]


@pytest.mark.parametrize(
    "values",
    [
        {"phq9_total_min": 21},
        {"pcl5_total_min": 40},
        {"phq9_item9_min": 2},
        {"phq9_item9_min": 0},
        {"unknown": 1},
    ],
)
def test_thresholds_may_never_be_loosened_or_nonsensical(values: dict[str, int]) -> None:
    assert threshold_problems(values)


@pytest.mark.parametrize(
    ("level", "severity"), [("urgent", "urgent"), ("concern", "concern"), ("none", None)]
)
def test_text_signal_levels(level: str, severity: str | None) -> None:
    evidence = [{"text": "words", "rule": "r", "description": "why"}]
    signal = text_signal(level, evidence, "a journal entry")
    assert (signal.severity if signal else None) == severity
    if signal:
        assert signal.reasons[0].label == "Words: “words”"
        assert signal.reasons[0].detail == "why"


T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("state", "level", "minutes_waiting", "expected"),
    [
        ("open", 0, 14, None),
        ("open", 0, 15, 1),
        ("open", 1, 15, 2),
        ("open", 2, 999, None),  # admins are the top of the chain
        ("acknowledged", 0, 999, None),  # acknowledged alerts stop escalating
        ("resolved", 0, 999, None),
    ],
)
def test_escalation(state: str, level: int, minutes_waiting: int, expected: int | None) -> None:
    now = T0 + timedelta(minutes=minutes_waiting)
    assert (
        escalation.next_level(
            state=state, level=level, since=T0, limit=timedelta(minutes=15), now=now
        )
        == expected
    )


@pytest.mark.parametrize(
    ("severity", "support"), [("urgent", True), ("high", True), ("concern", False), ("none", False)]
)
def test_urgent_and_high_risk_lead_to_the_support_page(severity: str, support: bool) -> None:
    assert needs_support_page(severity) is support


EARLIER = AlertKey(client_id=1, source_kind="check_in", source_id="", rule="text.urgent", at=T0)
SOON = T0 + timedelta(minutes=5)
LATE = T0 + REPEAT_WINDOW + timedelta(minutes=1)


@pytest.mark.parametrize(
    ("earlier", "new", "repeat"),
    [
        # A refused form sent again after a correction, or its other fields: one alert.
        ({}, {"at": SOON}, True),
        # The entry saved at last, its own screening raising the same rule: one alert
        # (which takes in any words the form's screening did not find).
        ({}, {"source_id": "7", "at": SOON}, True),
        # Writing not saved after a saved entry's alert: the same alert too.
        ({"source_id": "7"}, {"at": SOON}, True),
        # Too long after: the care team is paged again.
        ({}, {"at": LATE}, False),
        ({}, {"source_id": "7", "at": LATE}, False),
        # A person resolved it: a fresh look.
        ({"resolved": True}, {"at": SOON}, False),
        # Another client, another kind of writing, another rule: never the same alert.
        ({}, {"client_id": 2, "at": SOON}, False),
        ({}, {"source_kind": "journal", "at": SOON}, False),
        ({}, {"rule": "text.concern", "at": SOON}, False),
        # Editing a saved entry never pages again, whatever the time.
        ({"source_id": "7"}, {"source_id": "7", "at": LATE}, True),
        # Two saved entries, or two completed questionnaires, are two alerts.
        ({"source_id": "7"}, {"source_id": "8", "at": SOON}, False),
    ],
)
def test_repeats(earlier: dict[str, Any], new: dict[str, Any], repeat: bool) -> None:
    assert repeats(replace(EARLIER, **earlier), replace(EARLIER, **new)) is repeat
