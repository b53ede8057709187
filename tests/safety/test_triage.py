"""Who comes first: the caseload's order by risk, a client's open alerts summed up, and
the alert inbox grouped one row per client. Table-tested; no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mend.safety import triage
from mend.safety.triage import OpenAlerts, RiskFacts

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def ago(minutes: int) -> datetime:
    return NOW - timedelta(minutes=minutes)


def alerts(*found: tuple[str, int]) -> OpenAlerts | None:
    """(severity, minutes ago) of a client's open alerts."""
    return triage.summarise((severity, ago(minutes)) for severity, minutes in found)


# name, open alerts, questionnaire flags, reliably deteriorated
CASELOAD = [
    ("Alex (recovered)", None, 0, False),
    ("Ben (deteriorating)", None, 0, True),
    ("Cara (PHQ-9 item 9)", None, 1, False),
    ("Dev (two flags, deteriorating)", None, 2, True),
    ("Eve (a concern alert)", alerts(("concern", 600)), 0, False),
    ("Fay (four urgent crisis-language alerts)", alerts(*[("urgent", 5)] * 4), 0, False),
    ("Gus (an urgent alert waiting longer)", alerts(("urgent", 30)), 0, False),
    ("Hal (high, older than any urgent)", alerts(("high", 900), ("concern", 2000)), 3, True),
    ("Ida (urgent, and an older concern)", alerts(("urgent", 5), ("concern", 5000)), 0, False),
]


@pytest.mark.parametrize(
    "shuffled", [CASELOAD, list(reversed(CASELOAD)), CASELOAD[4:] + CASELOAD[:4]]
)
def test_caseload_order_open_alerts_then_flags_then_deterioration(
    shuffled: list[tuple[str, OpenAlerts | None, int, bool]],
) -> None:
    ordered = triage.order_caseload(shuffled, lambda row: RiskFacts(*row))
    assert [name.split()[0] for name, *_ in ordered] == [
        "Gus",  # urgent, waiting 30 minutes
        "Fay",  # urgent, 5 minutes, four of them: more alerts break the tie of age
        "Ida",  # urgent, 5 minutes, one (the older concern does not count as urgent age)
        "Hal",  # high
        "Eve",  # concern
        "Dev",  # no alerts: two questionnaire flags
        "Cara",  # one flag
        "Ben",  # reliably deteriorating
        "Alex",  # recovered, last
    ]


@pytest.mark.parametrize(
    ("found", "label", "highest", "waiting"),
    [
        ([("urgent", 5)], "1 urgent alert", "urgent", 5),
        ([("urgent", 5), ("urgent", 50)], "2 urgent alerts", "urgent", 50),
        ([("concern", 900), ("urgent", 5), ("high", 50)], "3 alerts, 1 urgent", "urgent", 5),
        ([("high", 5), ("high", 9), ("concern", 1)], "3 alerts, 2 high", "high", 9),
    ],
)
def test_open_alerts_are_summed_up_by_count_and_highest_severity(
    found: list[tuple[str, int]], label: str, highest: str, waiting: int
) -> None:
    summary = alerts(*found)
    assert summary is not None
    assert (summary.label, summary.highest, summary.waiting_since) == (label, highest, ago(waiting))


def test_no_open_alerts_is_no_summary() -> None:
    assert triage.summarise([]) is None


@dataclass
class FakeAlert:
    id: int
    client_id: int
    severity: str
    created_at: datetime
    reasons: list[dict[str, Any]] = field(default_factory=list)


def words(*texts: str) -> list[dict[str, Any]]:
    return [{"label": f"Words: “{t}”", "detail": "why the rule fired"} for t in texts]


def test_inbox_groups_alerts_one_row_per_client_most_severe_then_longest_waiting() -> None:
    found = [
        FakeAlert(1, 10, "concern", ago(3000), words("no point")),
        FakeAlert(2, 20, "urgent", ago(10), words("kill myself")),
        FakeAlert(3, 20, "urgent", ago(40), words("pills ready", "kill myself")),
        FakeAlert(4, 30, "urgent", ago(5), words("end it")),
        FakeAlert(5, 20, "concern", ago(9000), words("hopeless")),
        FakeAlert(
            6,
            30,
            "high",
            ago(600),
            [
                {
                    "label": "Item 9: Thoughts that you would be better off dead",
                    "detail": "Answered: Several days",
                }
            ],
        ),
    ]
    rows = triage.by_client(found, fired_limit=3)
    assert [r.client_id for r in rows] == [20, 30, 10]
    first = rows[0]
    assert [a.id for a in first.alerts] == [3, 2, 5]  # urgent oldest first, then the concern
    assert (first.count, first.highest, first.waiting_since, first.oldest) == (
        3,
        "urgent",
        ago(40),
        ago(9000),
    )
    # The words from the latest alerts first, each once, up to the limit.
    assert first.fired == ["Words: “kill myself”", "Words: “pills ready”", "Words: “hopeless”"]
    assert rows[1].fired == [
        "Words: “end it”",
        "Item 9: Thoughts that you would be better off dead — Answered: Several days",
    ]


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0, "under a minute"), (7, "7 min"), (60, "1 h"), (200, "3 h 20 min"), (3000, "2 days")],
)
def test_waiting_time_in_words(minutes: int, text: str) -> None:
    assert triage.waited(ago(minutes), NOW) == text
