"""Jacobson-Truax reliable and clinically significant change."""

from __future__ import annotations

import math
from typing import Any

import pytest

from mend.measures.change import (
    classify_change,
    minimum_reliable_change,
    reliable_change_index,
    standard_error_of_difference,
)
from mend.measures.definitions import Instrument, InstrumentRegistry

from .helpers import build


def synthetic(
    *, direction: str = "higher_is_worse", change: dict[str, Any], cutoff: int | None = None
) -> Instrument:
    """25 items coded 0-4 (total 0-100), so change parameters can be chosen freely."""
    data: dict[str, Any] = {
        "id": "synthetic",
        "name": "SYN",
        "title": "Synthetic test instrument",
        "version": "0",
        "source": "test",
        "licence": {"summary": "test", "text": "test"},
        "direction": direction,
        "options": {"o": [{"code": code} for code in range(5)]},
        "items": [
            {"id": f"s{n}", "number": n, "text": f"item {n}", "options": "o"} for n in range(1, 26)
        ],
        "scoring": {"method": "sum", "range": [0, 100], "missing": {"max_missing": 0}},
        "change": {"reference": "test", **change},
    }
    if cutoff is not None:
        side = "at_or_above" if direction == "higher_is_worse" else "at_or_below"
        data["cutoff"] = {"value": cutoff, "clinical_side": side, "label": "c", "meaning": "c"}
    return build(data)


# --- formula ---


def test_standard_error_of_difference_matches_hand_computation() -> None:
    # 10 * sqrt(2) * sqrt(1 - .75) = 10 * sqrt(0.5) = 7.0711
    assert standard_error_of_difference(10, 0.75) == pytest.approx(7.0710678, abs=1e-6)


def test_rci_is_difference_over_standard_error_of_difference() -> None:
    assert reliable_change_index(20, 10, 10, 0.75) == pytest.approx(-1.4142136, abs=1e-6)
    assert reliable_change_index(10, 20, 10, 0.75) == pytest.approx(1.4142136, abs=1e-6)


def test_minimum_reliable_change_for_phq9_parameters() -> None:
    # 1.96 * 3.5 * sqrt(2 * (1 - .89)) = 3.2176 (the reference's "about 3.2 points")
    assert minimum_reliable_change(3.5, 0.89) == pytest.approx(3.2176, abs=1e-4)


@pytest.mark.parametrize(("sd", "reliability"), [(0, 0.8), (-1, 0.8), (5, 1.0), (5, -0.1)])
def test_impossible_parameters_are_rejected(sd: float, reliability: float) -> None:
    with pytest.raises(ValueError):
        standard_error_of_difference(sd, reliability)


# --- categories on a real definition (PHQ-9: SD 3.5, alpha .89, cut-off 10) ---


@pytest.mark.parametrize(
    ("baseline", "current", "category"),
    [
        (20, 9, "recovered"),  # reliable drop, crosses from >= 10 to <= 9
        (20, 10, "reliably improved"),  # reliable drop, still at the cut-off
        (8, 3, "reliably improved"),  # reliable drop, but never on the clinical side
        (12, 9, "no reliable change"),  # crosses the cut-off, but 3 < 3.22 points
        (12, 12, "no reliable change"),
        (5, 12, "reliably deteriorated"),
    ],
)
def test_phq9_change_categories(
    registry: InstrumentRegistry, baseline: int, current: int, category: str
) -> None:
    result = classify_change(registry.get("phq9"), baseline, current)
    assert result.category == category
    assert result.threshold == 1.96
    assert result.recovery_criterion == "cutoff"
    assert result.recovery_threshold == 10
    assert result.minimum_reliable_change == pytest.approx(3.2176, abs=1e-4)


def test_phq9_result_carries_the_rci(registry: InstrumentRegistry) -> None:
    result = classify_change(registry.get("phq9"), 20, 9)
    assert result.rci == pytest.approx(-11 / (3.5 * math.sqrt(0.22)), abs=1e-9)


def test_instrument_without_change_parameters_gives_no_category(
    registry: InstrumentRegistry,
) -> None:
    result = classify_change(registry.get("pcl5"), 60, 20)
    assert result.category is None
    assert result.rci is None
    assert result.reason is not None and "no change parameters" in result.reason


def test_totals_outside_the_score_range_are_rejected(registry: InstrumentRegistry) -> None:
    with pytest.raises(ValueError, match="outside"):
        classify_change(registry.get("phq9"), 30, 5)


# --- direction ---


@pytest.mark.parametrize(
    ("baseline", "current", "category"),
    [
        (8, 20, "recovered"),  # up is better; from <= 12 to above 12
        (14, 22, "reliably improved"),  # never on the clinical side
        (20, 8, "reliably deteriorated"),
        (10, 14, "no reliable change"),
    ],
)
def test_higher_is_better_instrument_treats_a_rise_as_improvement(
    baseline: int, current: int, category: str
) -> None:
    # SD 5, r .8: SE_diff = 5 * sqrt(0.4) = 3.162, so a reliable change needs > 6.2 points.
    instrument = synthetic(
        direction="higher_is_better",
        change={"sd": 5, "reliability": 0.8, "criterion": "cutoff"},
        cutoff=12,
    )
    assert classify_change(instrument, baseline, current).category == category


# --- the 1.96 boundary ---


def test_rci_of_exactly_1_96_is_not_reliable_and_just_above_is() -> None:
    # SD 25, r .5: SE_diff = 25 * sqrt(1) = 25, so 49 points give RCI 49/25 = 1.96 exactly.
    instrument = synthetic(change={"sd": 25, "reliability": 0.5, "criterion": "cutoff"}, cutoff=50)
    at_boundary = classify_change(instrument, 0, 49)
    assert at_boundary.rci == 1.96
    assert at_boundary.category == "no reliable change"
    assert classify_change(instrument, 0, 50).category == "reliably deteriorated"
    assert classify_change(instrument, 49, 0).category == "no reliable change"
    assert classify_change(instrument, 50, 0).category == "recovered"


# --- criterion c ---


def test_criterion_c_sits_between_clinical_and_normal_means() -> None:
    # c = (5 * 5 + 5 * 30) / (5 + 5) = 17.5
    instrument = synthetic(
        change={
            "sd": 5,
            "reliability": 0.8,
            "criterion": "c",
            "clinical_mean": 30,
            "clinical_sd": 5,
            "normal_mean": 5,
            "normal_sd": 5,
        }
    )
    recovered = classify_change(instrument, 30, 17)
    assert recovered.recovery_criterion == "c"
    assert recovered.recovery_threshold == 17.5
    assert recovered.category == "recovered"
    assert classify_change(instrument, 30, 18).category == "reliably improved"
