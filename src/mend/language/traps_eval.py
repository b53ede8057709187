"""Measuring trap suggestions against labelled thoughts: per-trap precision, recall and F1,
macro-F1 over the traps the data contains, and F1 of "any trap" against "no trap".

Pure and dependency-free, so the evaluation test, a benchmark or a notebook all count the
same way. Labelled data is read from JSON lines ``{"thought": ..., "traps": [...]}``.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from mend.language.traps_catalogue import TRAP_IDS


@dataclass(frozen=True, slots=True)
class Labelled:
    thought: str
    traps: frozenset[str]


def read_jsonl(path: Path) -> list[Labelled]:
    rows: list[Labelled] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                rows.append(Labelled(str(record["thought"]), frozenset(record["traps"])))
    return rows


@dataclass(frozen=True, slots=True)
class Counts:
    """One binary decision's confusion counts and the figures derived from them."""

    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def support(self) -> int:
        return self.true_positive + self.false_negative

    @property
    def precision(self) -> float:
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _counts(gold: Sequence[bool], predicted: Sequence[bool]) -> Counts:
    pairs = list(zip(gold, predicted, strict=True))
    return Counts(
        sum(g and p for g, p in pairs),
        sum(p and not g for g, p in pairs),
        sum(g and not p for g, p in pairs),
    )


@dataclass(frozen=True, slots=True)
class Report:
    per_trap: dict[str, Counts]
    any_trap: Counts
    size: int

    @property
    def present(self) -> list[str]:
        """Traps with at least one labelled example: the ones macro-F1 averages over."""
        return [t for t in TRAP_IDS if self.per_trap[t].support > 0]

    @property
    def macro_f1(self) -> float:
        present = self.present
        return sum(self.per_trap[t].f1 for t in present) / len(present) if present else 0.0

    def table(self) -> str:
        lines = [f"{'trap':<22} {'n':>4} {'prec':>6} {'recall':>6} {'F1':>6}"]
        for trap_id in TRAP_IDS:
            c = self.per_trap[trap_id]
            if c.support == 0:
                lines.append(f"{trap_id:<22} {0:>4}      -      -      -  (absent from data)")
                continue
            lines.append(
                f"{trap_id:<22} {c.support:>4} {c.precision:>6.2f} {c.recall:>6.2f} {c.f1:>6.2f}"
            )
        a = self.any_trap
        lines.append(
            f"{'any trap vs none':<22} {a.support:>4} {a.precision:>6.2f} {a.recall:>6.2f} "
            f"{a.f1:>6.2f}"
        )
        lines.append(
            f"macro-F1 over {len(self.present)} traps present: {self.macro_f1:.3f}"
            f"  ({self.size} thoughts)"
        )
        return "\n".join(lines)


def evaluate(gold: Sequence[Collection[str]], predicted: Sequence[Collection[str]]) -> Report:
    """Compare predicted trap sets with gold trap sets, thought by thought."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    per_trap = {
        trap_id: _counts([trap_id in g for g in gold], [trap_id in p for p in predicted])
        for trap_id in TRAP_IDS
    }
    any_trap = _counts([bool(g) for g in gold], [bool(p) for p in predicted])
    return Report(per_trap, any_trap, len(gold))
