"""Choosing the screener's thresholds. Pure, table-tested (tests/language/test_crisis_model.py).

Recall comes first, because a missed urgent text is the costliest error Mend can make: each
threshold starts as the highest at which the required share of positive texts, from writers
the model never saw, still scores at or above it. But a screener that flags every other
ordinary entry is not trusted, pages a care team all day and sends clients to a crisis page
after writing "walk to the park". So each threshold is then raised, if it must be, to the
lowest value at which the false alarms on texts without risk, from those same unseen
writers, stay under a ceiling. Both the recall asked for and the recall kept are recorded
with the model, so the trade is visible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def threshold_for(scores: Sequence[float], positive: Sequence[bool], recall: float) -> float:
    """The highest threshold keeping at least `recall` of the positives at or above it.

    With no positives there is nothing to keep, and 0.5 (even odds) is returned.
    """
    if not 0 < recall <= 1:
        raise ValueError("recall must be in (0, 1]")
    ranked = sorted((s for s, p in zip(scores, positive, strict=True) if p), reverse=True)
    if not ranked:
        return 0.5
    needed = math.ceil(recall * len(ranked) - 1e-9)
    return float(ranked[max(needed - 1, 0)])


def lowest_within(scores: Sequence[float], negative: Sequence[bool], ceiling: float) -> float:
    """The lowest threshold at which at most `ceiling` of the negatives score at or above it."""
    if not 0 <= ceiling <= 1:
        raise ValueError("ceiling must be in [0, 1]")
    ranked = sorted((s for s, n in zip(scores, negative, strict=True) if n), reverse=True)
    allowed = math.floor(ceiling * len(ranked) + 1e-9)
    if allowed >= len(ranked):
        return 0.0
    # Strictly above the first negative that must fall below the threshold.
    return math.nextafter(float(ranked[allowed]), math.inf)


@dataclass(frozen=True)
class Choice:
    threshold: float
    recall_asked: float
    recall_kept: float
    false_alarms: float
    capped: bool


def choose(
    scores: Sequence[float],
    positive: Sequence[bool],
    negative: Sequence[bool],
    recall: float,
    false_alarm_ceiling: float,
) -> Choice:
    """Recall first, then the false-alarm ceiling (see the module's docstring)."""
    for_recall = threshold_for(scores, positive, recall)
    for_alarms = lowest_within(scores, negative, false_alarm_ceiling)
    threshold = max(for_recall, for_alarms)
    pos = [s for s, p in zip(scores, positive, strict=True) if p]
    neg = [s for s, n in zip(scores, negative, strict=True) if n]
    return Choice(
        threshold,
        recall,
        sum(s >= threshold for s in pos) / len(pos) if pos else 1.0,
        sum(s >= threshold for s in neg) / len(neg) if neg else 0.0,
        for_alarms > for_recall,
    )
