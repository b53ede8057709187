"""Who needs a person's attention first: the order of the clinician's caseload and of the
alert inbox, and how a client's open alerts are summed up. Pure: no database, no web.

The caseload comes first by open alerts of every source (questionnaire answers, crisis
language, anything else that raised one): the most severe first and, at the same
severity, the one waiting longest. Then by questionnaire flags (critical items answered
above zero on the latest administration), then reliable deterioration (Jacobson–Truax),
then by name. An open alert is one nobody has resolved yet, acknowledged or not.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from mend.safety.rules import SEVERITY_RANK


class AlertFacts(Protocol):
    """What ordering needs of an alert (safety.models.Alert has it)."""

    @property
    def client_id(self) -> int: ...

    @property
    def severity(self) -> str: ...

    @property
    def created_at(self) -> datetime: ...

    @property
    def reasons(self) -> list[dict[str, Any]]: ...


A = TypeVar("A", bound=AlertFacts)
Row = TypeVar("Row")


def _rank(severity: str) -> int:
    return SEVERITY_RANK.get(severity, 0)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class OpenAlerts:
    """A client's open alerts, summed up for the caseload."""

    count: int
    highest: str  # the most severe severity among them
    at_highest: int  # how many are that severe
    waiting_since: datetime  # when the oldest of the most severe was raised

    @property
    def rank(self) -> int:
        return _rank(self.highest)

    @property
    def label(self) -> str:
        """ "2 urgent alerts", or "3 alerts, 1 urgent" when they differ in severity."""
        if self.at_highest == self.count:
            return _plural(self.count, f"{self.highest} alert")
        return f"{_plural(self.count, 'alert')}, {self.at_highest} {self.highest}"


def summarise(alerts: Iterable[tuple[str, datetime]]) -> OpenAlerts | None:
    """(severity, raised at) of one client's open alerts, summed up; None when none."""
    found = list(alerts)
    if not found:
        return None
    top = max(_rank(severity) for severity, _ in found)
    severest = [(s, at) for s, at in found if _rank(s) == top]
    return OpenAlerts(
        count=len(found),
        highest=severest[0][0],
        at_highest=len(severest),
        waiting_since=min(at for _, at in severest),
    )


@dataclass(frozen=True)
class RiskFacts:
    """What puts one client where they are in the caseload."""

    name: str
    alerts: OpenAlerts | None
    questionnaire_flags: int
    deteriorated: bool


def caseload_key(facts: RiskFacts) -> tuple[int, float, int, int, int, str]:
    alerts = facts.alerts
    return (
        -(alerts.rank if alerts else 0),
        alerts.waiting_since.timestamp() if alerts else math.inf,  # longest waiting first
        -(alerts.count if alerts else 0),
        -facts.questionnaire_flags,
        -int(facts.deteriorated),
        facts.name.casefold(),
    )


def order_caseload(rows: Sequence[Row], facts: Callable[[Row], RiskFacts]) -> list[Row]:
    """The caseload sorted by risk: see the module's docstring."""
    return sorted(rows, key=lambda row: caseload_key(facts(row)))


# --- the alert inbox: one row per client ---


def fired(reason: Mapping[str, Any]) -> str:
    """One reason as the inbox shows it: the words themselves ("Words: “…”"), or the
    item or score with the answer given."""
    label, detail = str(reason.get("label", "")), str(reason.get("detail", ""))
    if label.startswith("Words:") or not detail:
        return label
    return f"{label} — {detail}"


@dataclass(frozen=True)
class ClientAlerts(Generic[A]):
    """One client's alerts in the inbox: most severe first, then oldest."""

    client_id: int
    alerts: list[A]
    fired: list[str]  # what fired: most severe, then latest alerts first; each once

    @property
    def count(self) -> int:
        return len(self.alerts)

    @property
    def highest(self) -> str:
        return self.alerts[0].severity

    @property
    def waiting_since(self) -> datetime:
        """When the oldest of the most severe alerts was raised."""
        return self.alerts[0].created_at

    @property
    def oldest(self) -> datetime:
        return min(a.created_at for a in self.alerts)


def _alert_key(alert: AlertFacts) -> tuple[int, float]:
    return (-_rank(alert.severity), alert.created_at.timestamp())


def by_client(alerts: Iterable[A], *, fired_limit: int = 6) -> list[ClientAlerts[A]]:
    """Alerts grouped one row per client, the rows sorted like the alerts themselves:
    the most severe first, then the longest waiting. `fired` takes up to `fired_limit`
    of the words or answers that fired, from the latest alerts, the most severe first
    (urgent words must not be crowded out by a newer concern)."""
    grouped: dict[int, list[A]] = {}
    for alert in alerts:
        grouped.setdefault(alert.client_id, []).append(alert)
    rows: list[ClientAlerts[A]] = []
    for client_id, found in grouped.items():
        found.sort(key=_alert_key)
        shown: list[str] = []
        latest = sorted(found, key=lambda a: a.created_at, reverse=True)
        for alert in sorted(latest, key=lambda a: -_rank(a.severity)):
            for reason in alert.reasons:
                text = fired(reason)
                if text not in shown and len(shown) < fired_limit:
                    shown.append(text)
        rows.append(ClientAlerts(client_id, found, shown))
    rows.sort(key=lambda row: _alert_key(row.alerts[0]))
    return rows


def waited(since: datetime, now: datetime) -> str:
    """How long something has waited, roughly, in words ("5 min", "3 h 20 min", "2 days")."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    return _plural(hours // 24, "day")
