"""Helpers shared by the measurement tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mend.measures.definitions import Instrument

FIXTURES = Path(__file__).parent / "fixtures"
ORG_DIR = FIXTURES / "org_instruments"


def fixture_data() -> dict[str, Any]:
    """The org-supplied example definition as a dict, for building variants in tests."""
    data: dict[str, Any] = yaml.safe_load((ORG_DIR / "example-local.yaml").read_text("utf-8"))
    return data


def build(data: dict[str, Any]) -> Instrument:
    return Instrument.model_validate(data)


def fill(total: int, n_items: int, low: int, high: int) -> list[int]:
    """Answers (no reversed items) whose sum is `total`, filling items from the first."""
    answers = [low] * n_items
    rest = total - low * n_items
    assert 0 <= rest <= (high - low) * n_items, "total outside the possible range"
    for index in range(n_items):
        step = min(high - low, rest)
        answers[index] += step
        rest -= step
    return answers
