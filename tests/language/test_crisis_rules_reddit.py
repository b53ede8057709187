"""User-level figures on public forum data (Reddit C-SSRS, development half), as defined in
../shared/data/README.md. Evaluation only: the data is read in place, never copied, and
nothing shipped is trained on it. Skips when the shared data is not there.

A user counts as flagged when any of their posts screens `concern` or `urgent`. Forum posts
are long and mix the writer's own story with advice to others, so this is a stress test, not
the main development set. Run with `-s` to see the figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mend.language.crisis.rule_screen import screen

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "reddit-cssrs" / "dev.jsonl"

# Floors a few points below the figures on this half (0.68, 0.68, 0.16 when written); the
# held-out half is expected to come out lower.
FLAGGED_RECALL_FLOOR = 0.63  # Ideation, Behavior and Attempt users with any post flagged
URGENT_RECALL_FLOOR = 0.62  # Behavior and Attempt users with any post urgent
SUPPORTIVE_FLAGGED_CEILING = 0.22  # Supportive users with any post flagged (false alarms)


def _users() -> list[tuple[str, list[str]]]:
    if not DATA.is_file():
        pytest.skip(f"public evaluation data not found at {DATA} (see ../shared/data/README.md)")
    with DATA.open(encoding="utf-8") as handle:
        return [(row["label"], row["posts"]) for row in map(json.loads, handle)]


def _share(users: list[list[str]], wanted: tuple[str, ...]) -> float:
    hits = sum(any(level in wanted for level in levels) for levels in users)
    return hits / len(users)


def test_user_level_figures_on_the_reddit_cssrs_dev_half() -> None:
    by_label: dict[str, list[list[str]]] = {}
    for label, posts in _users():
        by_label.setdefault(label, []).append([screen(post).level for post in posts])
    at_risk = by_label["Ideation"] + by_label["Behavior"] + by_label["Attempt"]
    behaviour = by_label["Behavior"] + by_label["Attempt"]
    flagged_recall = _share(at_risk, ("concern", "urgent"))
    urgent_recall = _share(behaviour, ("urgent",))
    supportive_flagged = _share(by_label["Supportive"], ("concern", "urgent"))
    print(
        f"\nreddit-cssrs dev, users: flagged recall (Ideation/Behavior/Attempt, n={len(at_risk)})"
        f" {flagged_recall:.3f}; urgent recall (Behavior/Attempt, n={len(behaviour)})"
        f" {urgent_recall:.3f}; Supportive flagged (n={len(by_label['Supportive'])})"
        f" {supportive_flagged:.3f}"
    )
    for label in ("Supportive", "Indicator", "Ideation", "Behavior", "Attempt"):
        users = by_label[label]
        print(
            f"  {label:<10} n={len(users):>3}  flagged {_share(users, ('concern', 'urgent')):.3f}"
            f"  urgent {_share(users, ('urgent',)):.3f}"
        )
    assert flagged_recall >= FLAGGED_RECALL_FLOOR
    assert urgent_recall >= URGENT_RECALL_FLOOR
    assert supportive_flagged <= SUPPORTIVE_FLAGGED_CEILING
