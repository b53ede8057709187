"""Figures for a labelled set of texts: what a screener caught, what it missed, what it
raised without cause. Pure: the caller screens the texts and passes the levels in.

The three figures that matter for safety come first: recall of `urgent` (texts that need a
clinician today), recall of any risk (`urgent` or `concern` screened as either), and the
false-alarm rate on `none` (texts with no risk screened as either), which decides whether
clinicians keep trusting the alerts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

LEVELS = ("none", "concern", "urgent")


@dataclass(frozen=True)
class Miss:
    text: str
    label: str
    level: str
    category: str = ""


@dataclass(frozen=True)
class Figures:
    n: int
    confusion: dict[str, dict[str, int]]  # label → screened level → count
    precision: dict[str, float | None]
    recall: dict[str, float | None]
    urgent_recall: float | None
    any_risk_recall: float | None
    false_alarms: float | None
    misses: list[Miss] = field(default_factory=list)
    by_category: dict[str, tuple[int, int]] = field(default_factory=dict)  # right, total

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "urgent_recall": self.urgent_recall,
            "any_risk_recall": self.any_risk_recall,
            "false_alarms": self.false_alarms,
            "precision": self.precision,
            "recall": self.recall,
            "confusion": self.confusion,
            "by_category": {k: {"right": r, "n": t} for k, (r, t) in self.by_category.items()},
            "misses": [m.__dict__ for m in self.misses],
        }


def _ratio(top: int, bottom: int) -> float | None:
    return top / bottom if bottom else None


def figures(
    labels: Sequence[str],
    levels: Sequence[str],
    texts: Sequence[str] = (),
    categories: Sequence[str] = (),
) -> Figures:
    """Compare screened `levels` with true `labels` (both from LEVELS), item by item.

    A miss is any text screened at a lower level than its label, or a `none` text screened
    at any risk level (a false alarm); both are listed so a person can read them. A text's
    category counts as right when it is screened exactly at its label's level, or, for a
    risk label, at a higher one.
    """
    if len(labels) != len(levels):
        raise ValueError("labels and levels differ in length")
    for value in (*labels, *levels):
        if value not in LEVELS:
            raise ValueError(f"unknown level {value!r}")
    rank = {level: i for i, level in enumerate(LEVELS)}
    confusion = {a: {b: 0 for b in LEVELS} for a in LEVELS}
    misses: list[Miss] = []
    by_category: dict[str, list[int]] = {}
    for i, (label, level) in enumerate(zip(labels, levels, strict=True)):
        confusion[label][level] += 1
        category = categories[i] if i < len(categories) else ""
        right = level == label if label == "none" else rank[level] >= rank[label]
        tally = by_category.setdefault(category or label, [0, 0])
        tally[0] += int(right)
        tally[1] += 1
        if not right:
            misses.append(Miss(texts[i] if i < len(texts) else "", label, level, category))
    precision = {
        level: _ratio(confusion[level][level], sum(confusion[a][level] for a in LEVELS))
        for level in LEVELS
    }
    recall = {
        level: _ratio(confusion[level][level], sum(confusion[level].values())) for level in LEVELS
    }
    urgent_total = sum(confusion["urgent"].values())
    risk_total = urgent_total + sum(confusion["concern"].values())
    caught_risk = sum(confusion[a][b] for a in ("concern", "urgent") for b in ("concern", "urgent"))
    none_total = sum(confusion["none"].values())
    return Figures(
        n=len(labels),
        confusion=confusion,
        precision=precision,
        recall=recall,
        urgent_recall=_ratio(confusion["urgent"]["urgent"], urgent_total),
        any_risk_recall=_ratio(caught_risk, risk_total),
        false_alarms=_ratio(none_total - confusion["none"]["none"], none_total),
        misses=misses,
        by_category={k: (v[0], v[1]) for k, v in sorted(by_category.items())},
    )


def report(result: Figures) -> str:
    """The figures as plain text for a terminal: headline, per level, confusion, misses."""

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.3f}"

    lines = [
        f"texts {result.n}   urgent recall {pct(result.urgent_recall)}   any-risk recall "
        f"{pct(result.any_risk_recall)}   false alarms on none {pct(result.false_alarms)}",
        "",
        f"{'level':<8} {'precision':>9} {'recall':>7} {'n':>5}",
    ]
    for level in reversed(LEVELS):
        n = sum(result.confusion[level].values())
        lines.append(
            f"{level:<8} {pct(result.precision[level]):>9} {pct(result.recall[level]):>7} {n:>5}"
        )
    lines += [
        "",
        "confusion (rows: label, columns: screened)",
        " " * 9 + "".join(f"{c:>9}" for c in LEVELS),
    ]
    for label in LEVELS:
        lines.append(f"{label:<9}" + "".join(f"{result.confusion[label][c]:>9}" for c in LEVELS))
    if result.by_category:
        lines += ["", "by category (right / n)"]
        lines += [f"  {k:<20} {r:>4} / {t:<4}" for k, (r, t) in result.by_category.items()]
    lines += ["", f"misses and false alarms ({len(result.misses)})"]
    lines += [
        f"  [{m.label} → {m.level}] {m.category + ': ' if m.category else ''}{m.text}"
        for m in result.misses
    ]
    return "\n".join(lines)
