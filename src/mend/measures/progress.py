"""What the clinician reads: per-instrument histories with change against baseline,
and one summary line per client for the caseload. Queries are batched per page,
never per client, so a long caseload costs the same number of queries as a short one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mend.care.models import Client
from mend.measures import schedule
from mend.measures.change import ChangeResult, minimum_reliable_change
from mend.measures.definitions import Instrument, default_registry
from mend.measures.models import Administration, Assignment
from mend.measures.service import COMPLETED, ScoredPoint, with_change


@dataclass(frozen=True)
class InstrumentProgress:
    instrument: Instrument
    points: list[ScoredPoint]

    @property
    def latest(self) -> ScoredPoint:
        return self.points[-1]

    @property
    def baseline(self) -> ScoredPoint:
        return self.points[0]

    @property
    def flagged(self) -> list[ScoredPoint]:
        return [p for p in self.points if p.administration.flags]

    @property
    def reliable_change_points(self) -> float | None:
        params = self.instrument.change
        if params is None:
            return None
        return minimum_reliable_change(params.sd, params.reliability)


def progress_for(db: Session, client: Client) -> list[InstrumentProgress]:
    registry = default_registry()
    history: dict[str, list[Administration]] = defaultdict(list)
    for admin in db.scalars(
        select(Administration)
        .where(Administration.client_id == client.id, Administration.status == COMPLETED)
        .order_by(Administration.completed_at, Administration.id)
    ):
        history[admin.instrument_id].append(admin)
    result = []
    for instrument_id, admins in history.items():
        try:
            definition = registry.get(instrument_id)
        except LookupError:
            continue
        result.append(InstrumentProgress(definition, with_change(definition, admins)))
    result.sort(key=lambda p: (-len(p.flagged), p.instrument.name))
    return result


@dataclass
class CaseloadRow:
    client: Client
    latest: list[tuple[Instrument, Administration, ChangeResult | None]] = field(
        default_factory=list
    )
    flags: list[dict[str, Any]] = field(default_factory=list)
    due: int = 0
    last_activity: datetime | None = None

    @property
    def worst_change(self) -> str | None:
        order = ["reliably deteriorated", "no reliable change", "reliably improved", "recovered"]
        found = [c.category for _, _, c in self.latest if c is not None]
        for name in order:
            if name in found:
                return name
        return None


def caseload_rows(db: Session, clients: list[Client], now: datetime) -> list[CaseloadRow]:
    """One row per client, in the order given."""
    if not clients:
        return []
    ids = [c.id for c in clients]
    registry = default_registry()
    by_client: dict[int, dict[str, list[Administration]]] = defaultdict(lambda: defaultdict(list))
    for admin in db.scalars(
        select(Administration)
        .where(Administration.client_id.in_(ids), Administration.status == COMPLETED)
        .order_by(Administration.completed_at, Administration.id)
    ):
        by_client[admin.client_id][admin.instrument_id].append(admin)
    completed_by_assignment: dict[int, set[datetime]] = defaultdict(set)
    for per_instrument in by_client.values():
        for admins in per_instrument.values():
            for admin in admins:
                if admin.assignment_id is not None:
                    completed_by_assignment[admin.assignment_id].add(admin.due_at)
    due_counts: dict[int, int] = defaultdict(int)
    for assignment in db.scalars(
        select(Assignment).where(Assignment.client_id.in_(ids), Assignment.active.is_(True))
    ):
        if schedule.due_occurrence(
            assignment.starts_at,
            assignment.interval_days,
            now,
            completed_by_assignment[assignment.id],
        ):
            due_counts[assignment.client_id] += 1
    rows: list[CaseloadRow] = []
    for client in clients:
        row = CaseloadRow(client, due=due_counts[client.id])
        for instrument_id, history in by_client[client.id].items():
            try:
                definition = registry.get(instrument_id)
            except LookupError:
                continue
            points = with_change(definition, history)
            last = points[-1]
            row.latest.append((definition, last.administration, last.change))
            row.flags.extend(
                {**flag, "instrument": definition.name} for flag in last.administration.flags
            )
            done = last.administration.completed_at
            if done and (row.last_activity is None or done > row.last_activity):
                row.last_activity = done
        row.latest.sort(key=lambda t: t[0].name)
        rows.append(row)
    # In the order given: the caseload page puts them in order of risk, open alerts
    # included (safety.triage), which this feature cannot see.
    return rows
