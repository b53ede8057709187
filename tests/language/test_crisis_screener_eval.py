"""The screener's honest figures: texts written independently of the rules, the model and the
training corpus (data/crisis_eval, see its README), and public forum data (Reddit C-SSRS,
development half, read in place from ../shared/data; evaluation only).

Run with `-s` to see the figures. The floors sit a little below the figures measured when the
model was trained; a drop below them means a change made the screener worse on writing it has
never seen. Nothing here is ever trained on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mend.language.crisis.evaluate import figures, report
from mend.language.crisis.screening import MODEL, screen

EVAL = Path(__file__).parent / "data" / "crisis_eval"
REDDIT = Path(__file__).resolve().parents[3] / "shared" / "data" / "reddit-cssrs" / "dev.jsonl"

# Measured with the shipped model: urgent recall 0.905, any-risk recall 0.963, false alarms
# on `none` 0.184 (the rules alone: 0.235, 0.291, 0.048).
URGENT_RECALL_FLOOR = 0.88
ANY_RISK_RECALL_FLOOR = 0.94
FALSE_ALARM_CEILING = 0.21

# Measured with the shipped model: 1.000, 0.982 and 0.898 (the rules alone: 0.662, 0.702,
# 0.163). Forum posts are long and every sentence is scored, so nearly every helper who writes
# about suicide has some post flagged: a known cost of scoring each sentence.
REDDIT_FLAGGED_FLOOR = 0.97  # Ideation, Behavior and Attempt users with any post flagged
REDDIT_URGENT_FLOOR = 0.93  # Behavior and Attempt users with any post urgent
REDDIT_SUPPORTIVE_CEILING = 0.95  # Supportive users with any post flagged


@pytest.fixture(scope="module", autouse=True)
def _model() -> None:
    assert MODEL.get(wait=300) is not None, MODEL.error


def test_independent_evaluation_set() -> None:
    rows = [
        json.loads(line)
        for path in sorted(EVAL.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(rows) >= 600
    levels = [screen(r["text"]).level for r in rows]
    result = figures(
        [r["label"] for r in rows], levels, [r["text"] for r in rows], [r["category"] for r in rows]
    )
    print("\n" + report(result).split("\nmisses and")[0])
    assert result.urgent_recall is not None and result.urgent_recall >= URGENT_RECALL_FLOOR
    assert result.any_risk_recall is not None and result.any_risk_recall >= ANY_RISK_RECALL_FLOOR
    assert result.false_alarms is not None and result.false_alarms <= FALSE_ALARM_CEILING


def test_reddit_users() -> None:
    if not REDDIT.exists():
        pytest.skip(
            f"public evaluation data not found at {REDDIT} (it lives beside the repository)"
        )
    users = [json.loads(line) for line in REDDIT.read_text(encoding="utf-8").splitlines() if line]
    flagged: dict[str, list[bool]] = {}
    urgent: dict[str, list[bool]] = {}
    for user in users:
        found = [screen(post).level for post in user["posts"]]
        flagged.setdefault(user["label"], []).append(any(f != "none" for f in found))
        urgent.setdefault(user["label"], []).append("urgent" in found)
    risk = [v for label in ("Ideation", "Behavior", "Attempt") for v in flagged.get(label, [])]
    acts = [v for label in ("Behavior", "Attempt") for v in urgent.get(label, [])]
    supportive = flagged.get("Supportive", [])
    flagged_recall = sum(risk) / len(risk)
    urgent_recall = sum(acts) / len(acts)
    supportive_flagged = sum(supportive) / len(supportive)
    print(
        f"\nReddit C-SSRS dev, users: flagged among Ideation/Behavior/Attempt {flagged_recall:.3f} "
        f"(n={len(risk)}); urgent among Behavior/Attempt {urgent_recall:.3f} (n={len(acts)}); "
        f"Supportive flagged {supportive_flagged:.3f} (n={len(supportive)})"
    )
    assert flagged_recall >= REDDIT_FLAGGED_FLOOR
    assert urgent_recall >= REDDIT_URGENT_FLOOR
    assert supportive_flagged <= REDDIT_SUPPORTIVE_CEILING
