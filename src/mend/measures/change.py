"""Jacobson-Truax reliable and clinically significant change. Pure functions.

SE_diff = SD * sqrt(2 * (1 - r)); RCI = (current - baseline) / SE_diff; a change is reliable
when |RCI| > 1.96. "Recovered" = reliably improved and moved from the clinical to the
non-clinical side of the recovery threshold (criterion c, or the published cut-off).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from mend.measures.definitions import Instrument

Z_RELIABLE = 1.96
_RCI_DECIMALS = 9
"""RCI is rounded before the comparison so that float noise (1.9600000000000002) cannot turn a
change of exactly 1.96 into a reliable one."""

ChangeCategory = Literal[
    "recovered", "reliably improved", "no reliable change", "reliably deteriorated"
]


@dataclass(frozen=True)
class ChangeResult:
    instrument: str
    baseline: float
    current: float
    category: ChangeCategory | None
    """None when the instrument has no change parameters."""
    rci: float | None
    threshold: float
    """|RCI| must exceed this for a reliable change."""
    minimum_reliable_change: float | None
    """The same threshold in raw score points."""
    recovery_criterion: Literal["cutoff", "c"] | None
    recovery_threshold: float | None
    reason: str | None = None


def standard_error_of_difference(sd: float, reliability: float) -> float:
    if sd <= 0:
        raise ValueError(f"sd must be positive, got {sd}")
    if not 0 <= reliability < 1:
        raise ValueError(f"reliability must be in [0, 1), got {reliability}")
    return sd * math.sqrt(2 * (1 - reliability))


def reliable_change_index(baseline: float, current: float, sd: float, reliability: float) -> float:
    """Positive when the score went up, whatever the instrument's direction."""
    return (current - baseline) / standard_error_of_difference(sd, reliability)


def minimum_reliable_change(sd: float, reliability: float) -> float:
    """Smallest raw-score change that counts as reliable (strictly more than this is needed)."""
    return Z_RELIABLE * standard_error_of_difference(sd, reliability)


def classify_change(
    instrument: Instrument, baseline_total: float, current_total: float
) -> ChangeResult:
    params = instrument.change
    if params is None:
        return ChangeResult(
            instrument=instrument.id,
            baseline=baseline_total,
            current=current_total,
            category=None,
            rci=None,
            threshold=Z_RELIABLE,
            minimum_reliable_change=None,
            recovery_criterion=None,
            recovery_threshold=None,
            reason=f"{instrument.name} has no change parameters in its definition",
        )
    _check_in_range(instrument, baseline_total, current_total)
    rci = reliable_change_index(baseline_total, current_total, params.sd, params.reliability)
    recovery_threshold = _recovery_threshold(instrument)
    higher_is_worse = instrument.direction == "higher_is_worse"
    improved = rci < 0 if higher_is_worse else rci > 0
    category: ChangeCategory
    if abs(round(rci, _RCI_DECIMALS)) <= Z_RELIABLE:
        category = "no reliable change"
    elif not improved:
        category = "reliably deteriorated"
    elif _is_clinical(baseline_total, recovery_threshold, higher_is_worse) and not _is_clinical(
        current_total, recovery_threshold, higher_is_worse
    ):
        category = "recovered"
    else:
        category = "reliably improved"
    return ChangeResult(
        instrument=instrument.id,
        baseline=baseline_total,
        current=current_total,
        category=category,
        rci=rci,
        threshold=Z_RELIABLE,
        minimum_reliable_change=minimum_reliable_change(params.sd, params.reliability),
        recovery_criterion=params.criterion,
        recovery_threshold=recovery_threshold,
    )


def _check_in_range(instrument: Instrument, *totals: float) -> None:
    if instrument.scoring.range is None:
        return
    low, high = instrument.scoring.range
    for total in totals:
        if not low <= total <= high:
            raise ValueError(f"{instrument.name} total {total} is outside {low}-{high}")


def _recovery_threshold(instrument: Instrument) -> float:
    params = instrument.change
    assert params is not None
    if params.criterion == "c":
        value = params.criterion_c()
        assert value is not None  # the definition loader guarantees the four parameters
        return value
    assert instrument.cutoff is not None  # likewise guaranteed for criterion "cutoff"
    return float(instrument.cutoff.value)


def _is_clinical(score: float, threshold: float, higher_is_worse: bool) -> bool:
    # The threshold itself counts as clinical, matching "cut-off of 10 or more" (and "12 or
    # less" for higher-is-better scales such as the WHO-5).
    return score >= threshold if higher_is_worse else score <= threshold
