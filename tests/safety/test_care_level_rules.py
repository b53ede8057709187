"""The level-of-care rule table: every rule at and just past its boundary, the highest
requirement wins, and every rule is reported with the values it read."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from mend.safety import care_level_rules as rules
from mend.safety.care_level_rules import Inputs

CALM = Inputs(
    risk="none",
    phq9_total=4,
    phq9_band="none/minimal",
    pcl5_total=10,
    functioning=4,
    support="strong",
    engagement="good",
    response="reliably improved",
    weeks_since_baseline=6,
    current_level="outpatient",
)


def _fired(inputs: Inputs) -> set[str]:
    return {r.id for r in rules.recommend(inputs).fired}


def test_calm_inputs_recommend_outpatient_from_the_baseline_rule_alone() -> None:
    advice = rules.recommend(CALM)
    assert advice.level == "outpatient"
    assert [r.id for r in advice.fired] == ["baseline"]
    assert [r.id for r in advice.evaluated] == [r.id for r in rules.RULES]
    assert advice.missing == ()


# (rule, changes that make it fire, changes just past its boundary, level it requires)
BOUNDARIES: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    ("risk.imminent", {"risk": "imminent"}, {"risk": "high"}, "inpatient_or_emergency"),
    ("risk.high", {"risk": "high"}, {"risk": "moderate"}, "inpatient_or_emergency"),
    (
        "symptoms.serious_functioning_1",
        {"phq9_total": 20, "functioning": 1},
        {"phq9_total": 19, "functioning": 1},
        "partial_hospitalisation",
    ),
    (
        "symptoms.serious_functioning_1",
        {"pcl5_total": 33, "functioning": 1},
        {"pcl5_total": 32, "functioning": 1},
        "partial_hospitalisation",
    ),
    (
        "symptoms.serious_functioning_1",
        {"phq9_total": 27, "functioning": 1},
        {"phq9_total": 27, "functioning": 2},
        "partial_hospitalisation",
    ),
    (
        "symptoms.serious_functioning_2",
        {"phq9_total": 20, "functioning": 2},
        {"phq9_total": 20, "functioning": 3},
        "intensive_outpatient",
    ),
    (
        "symptoms.serious_functioning_2",
        {"pcl5_total": 33, "functioning": 2},
        {"pcl5_total": 32, "functioning": 2},
        "intensive_outpatient",
    ),
    (
        "risk.moderate_weak_support",
        {"risk": "moderate", "support": "weak"},
        {"risk": "moderate", "support": "some"},
        "intensive_outpatient",
    ),
    (
        "risk.moderate_weak_support",
        {"risk": "moderate", "support": "none"},
        {"risk": "low", "support": "none"},
        "intensive_outpatient",
    ),
    ("risk.moderate", {"risk": "moderate"}, {"risk": "low"}, "enhanced_outpatient"),
    (
        "risk.low_no_support",
        {"risk": "low", "support": "none"},
        {"risk": "low", "support": "weak"},
        "enhanced_outpatient",
    ),
    (
        "risk.low_no_support",
        {"risk": "low", "support": "none"},
        {"risk": "none", "support": "none"},
        "enhanced_outpatient",
    ),
    ("symptoms.phq9_severe", {"phq9_total": 20}, {"phq9_total": 19}, "enhanced_outpatient"),
    ("functioning.poor", {"functioning": 2}, {"functioning": 3}, "enhanced_outpatient"),
    (
        "engagement.poor_with_symptoms",
        {"engagement": "poor", "phq9_total": 10},
        {"engagement": "poor", "phq9_total": 9},
        "enhanced_outpatient",
    ),
    (
        "engagement.poor_with_symptoms",
        {"engagement": "poor", "pcl5_total": 33},
        {"engagement": "partial", "pcl5_total": 33},
        "enhanced_outpatient",
    ),
    (
        "response.deteriorated",
        {"response": "reliably deteriorated"},
        {"response": "no reliable change"},
        "enhanced_outpatient",
    ),
    (
        "response.no_change",
        {"response": "no reliable change", "weeks_since_baseline": 8, "phq9_total": 10},
        {"response": "no reliable change", "weeks_since_baseline": 7.9, "phq9_total": 10},
        "enhanced_outpatient",
    ),
    (
        "response.no_change",
        {"response": "no reliable change", "weeks_since_baseline": 12, "phq9_total": 10},
        {"response": "no reliable change", "weeks_since_baseline": 12, "phq9_total": 9},
        "enhanced_outpatient",
    ),
    (
        "response.no_change",
        {"response": "no reliable change", "weeks_since_baseline": 12, "phq9_total": 14},
        {"response": "no reliable change", "weeks_since_baseline": None, "phq9_total": 14},
        "enhanced_outpatient",
    ),
]


@pytest.mark.parametrize(
    ("rule", "fires", "does_not", "level"),
    BOUNDARIES,
    ids=[f"{b[0]}-{i}" for i, b in enumerate(BOUNDARIES)],
)
def test_rule_boundary(
    rule: str, fires: dict[str, Any], does_not: dict[str, Any], level: str
) -> None:
    firing = replace(CALM, **fires)
    assert rule in _fired(firing)
    assert next(r for r in rules.recommend(firing).fired if r.id == rule).minimum == level
    assert rules.recommend(firing).level == level
    assert rule not in _fired(replace(CALM, **does_not))


def test_missing_scores_cannot_fire_score_rules_and_are_named() -> None:
    unknown = replace(CALM, phq9_total=None, phq9_band=None, pcl5_total=None, response="unknown")
    advice = rules.recommend(unknown)
    assert advice.level == "outpatient"
    assert advice.missing == ("PHQ-9 score", "PCL-5 score", "response to treatment")
    values = dict(next(r for r in advice.evaluated if r.id == "symptoms.phq9_severe").values)
    assert values == {"PHQ-9": "no score", "PCL-5": "no score"}


@pytest.mark.parametrize(
    ("current", "stepped"),
    [
        ("outpatient", "enhanced_outpatient"),
        ("enhanced_outpatient", "intensive_outpatient"),
        ("intensive_outpatient", "partial_hospitalisation"),
        ("partial_hospitalisation", "inpatient_or_emergency"),
        ("inpatient_or_emergency", "inpatient_or_emergency"),
    ],
)
def test_stepped_care_steps_up_one_level_from_the_current_one(
    current: rules.Level, stepped: str
) -> None:
    advice = rules.recommend(replace(CALM, response="reliably deteriorated", current_level=current))
    assert advice.level == stepped


def test_the_highest_requirement_wins_and_every_fired_rule_is_kept() -> None:
    inputs = replace(
        CALM, risk="moderate", support="weak", phq9_total=22, functioning=1, engagement="poor"
    )
    advice = rules.recommend(inputs)
    assert advice.level == "partial_hospitalisation"
    assert [r.id for r in advice.deciding] == ["symptoms.serious_functioning_1"]
    assert _fired(inputs) == {
        "symptoms.serious_functioning_1",
        "risk.moderate_weak_support",
        "risk.moderate",
        "symptoms.phq9_severe",
        "functioning.poor",
        "engagement.poor_with_symptoms",
        "baseline",
    }


def test_fired_rules_carry_the_values_that_made_them_fire() -> None:
    advice = rules.recommend(replace(CALM, risk="moderate", support="weak"))
    fired = {r.id: dict(r.values) for r in advice.fired}
    assert fired["risk.moderate_weak_support"] == {"Risk": "moderate", "Support network": "weak"}
    as_json = next(r for r in advice.fired if r.id == "risk.moderate").to_json()
    assert as_json == {
        "id": "risk.moderate",
        "description": "Moderate suicide risk calls for more frequent sessions.",
        "fired": True,
        "values": [["Risk", "moderate"]],
        "minimum": "enhanced_outpatient",
    }


def test_inputs_refuse_unknown_values() -> None:
    with pytest.raises(ValueError):
        replace(CALM, risk="extreme")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        replace(CALM, functioning=0)
    with pytest.raises(ValueError):
        replace(CALM, current_level="hospital")  # type: ignore[arg-type]
    assert Inputs.from_json(CALM.to_json()) == CALM


@pytest.mark.parametrize(
    ("functioning", "support", "engagement", "message"),
    [
        ("0", "some", "good", "1 to 5"),
        ("6", "some", "good", "1 to 5"),
        ("two", "some", "good", "1 to 5"),
        ("", "some", "good", "1 to 5"),
        ("3", "plenty", "good", "support network"),
        ("3", "some", "", "engaged"),
    ],
)
def test_parse_ratings_refuses_bad_input(
    functioning: str, support: str, engagement: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        rules.parse_ratings(functioning, support, engagement)


def test_parse_ratings() -> None:
    assert rules.parse_ratings(" 1 ", "none", "poor") == rules.Ratings(1, "none", "poor")
