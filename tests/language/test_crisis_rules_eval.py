"""Per-level precision and recall on the project's own labelled journal texts.

`data/crisis_dev.jsonl` is the development set the rules were tuned on. `data/crisis_holdout.jsonl`
was written at the same time, before any rule existed, and is not used for tuning; its figures
are the more honest ones (its first run, before two generic bugs it exposed were fixed, gave
urgent recall 0.92, concern recall 0.92, none precision 0.93). Both sets are first-person
journal writing by the project's authors, not real clients: see each line's `note`.

Run with `-s` to see the tables. The floors sit a few points below the current figures: the
screener is deterministic, so a drop below them means a rule change broke something.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from mend.language.crisis.rule_screen import LEVELS, screen

DATA = Path(__file__).parent / "data"

# (set, level) -> (precision floor, recall floor)
FLOORS: dict[tuple[str, str], tuple[float, float]] = {
    ("crisis_dev", "urgent"): (0.95, 0.97),
    ("crisis_dev", "concern"): (0.95, 0.95),
    ("crisis_dev", "none"): (0.95, 0.95),
    ("crisis_holdout", "urgent"): (0.90, 0.92),
    ("crisis_holdout", "concern"): (0.90, 0.92),
    ("crisis_holdout", "none"): (0.92, 0.94),
}


def _load(name: str) -> list[dict[str, str]]:
    with (DATA / f"{name}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _scores(rows: list[dict[str, str]]) -> dict[str, tuple[float, float, int]]:
    """Per level: precision, recall and the number of texts labelled with it."""
    pairs = Counter((row["level"], screen(row["text"]).level) for row in rows)
    scores: dict[str, tuple[float, float, int]] = {}
    for level in LEVELS:
        hits = pairs[(level, level)]
        predicted = sum(n for (_, got), n in pairs.items() if got == level)
        labelled = sum(n for (want, _), n in pairs.items() if want == level)
        scores[level] = (hits / predicted if predicted else 1.0, hits / labelled, labelled)
    return scores


def _table(name: str, scores: dict[str, tuple[float, float, int]]) -> str:
    lines = [f"{name}: level      precision  recall  texts"]
    for level in reversed(LEVELS):
        precision, recall, labelled = scores[level]
        lines.append(f"  {level:<8} {precision:>10.3f} {recall:>7.3f} {labelled:>6}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", ["crisis_dev", "crisis_holdout"])
def test_precision_and_recall_per_level_stay_above_the_floors(name: str) -> None:
    scores = _scores(_load(name))
    print("\n" + _table(name, scores))
    for level in LEVELS:
        precision, recall, _ = scores[level]
        floor_precision, floor_recall = FLOORS[(name, level)]
        assert precision >= floor_precision, f"{name} {level} precision {precision:.3f}"
        assert recall >= floor_recall, f"{name} {level} recall {recall:.3f}"


def test_dev_set_has_the_size_and_spread_the_requirement_asks_for() -> None:
    rows = _load("crisis_dev")
    counts = Counter(row["level"] for row in rows)
    assert len(rows) >= 300
    assert counts["urgent"] >= 60 and counts["concern"] >= 60
    assert set(counts) == set(LEVELS)
    assert all(row["note"].strip() for row in rows)
    notes = " ".join(row["note"] for row in rows if row["level"] == "none")
    for kind in ("negation", "figurative", "third person", "media", "resolved past", "disappear"):
        assert kind in notes, kind
    texts = [row["text"] for row in rows + _load("crisis_holdout")]
    assert len(texts) == len(set(texts)), "a text appears twice (or in both sets)"
