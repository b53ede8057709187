"""The clinician's two main pages: the caseload and a client's chart. They sit in the
web layer because a chart gathers every feature's view of one person."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from mend.care import access
from mend.care import service as care
from mend.care.models import Client
from mend.identity.models import Role, User
from mend.measures import charts, progress, schedule
from mend.measures import service as measures
from mend.measures.definitions import default_registry
from mend.measures.pages import registry_choices
from mend.platform import audit
from mend.practice import journal
from mend.safety import crisis, triage
from mend.safety import service as safety
from mend.web.deps import ClockDep, DbDep
from mend.web.policy import Clinician
from mend.web.templating import render

router = APIRouter(prefix="/clinic", include_in_schema=False)


def caseload_by_risk(
    db: Session, clients: list[Client], now: datetime
) -> tuple[list[progress.CaseloadRow], dict[int, triage.OpenAlerts]]:
    """The caseload's rows in order of risk (safety.triage), with each client's open
    alerts: a fixed number of queries however many clients there are."""
    alerts = safety.open_alerts(db, [c.id for c in clients])
    rows = triage.order_caseload(
        progress.caseload_rows(db, clients, now),
        lambda row: triage.RiskFacts(
            name=row.client.name,
            alerts=alerts.get(row.client.id),
            questionnaire_flags=len(row.flags),
            deteriorated=row.worst_change == "reliably deteriorated",
        ),
    )
    return rows, alerts


@router.get("", response_class=HTMLResponse)
async def caseload(request: Request, user: Clinician, db: DbDep, clock: ClockDep) -> Response:
    clients = list(db.scalars(access.visible_clients(user)))
    rows, alerts = caseload_by_risk(db, clients, clock.now())
    if clients:
        # The caseload shows everyone's latest scores: one event names every client read.
        audit.record(
            db,
            at=clock.now(),
            actor_id=user.id,
            organisation_id=user.organisation_id,
            action="caseload.read",
            entity="caseload",
            detail={"clients": [c.id for c in clients]},
        )
        db.commit()
    return render(
        request,
        "care/caseload.html",
        {
            "title": "Caseload",
            "rows": rows,
            "alerts": alerts,
            "follow_ups": crisis.due_follow_ups(db, user, clock.now()),
            "open_alerts": sum(a.count for a in alerts.values()),
        },
    )


@router.get("/clients/{client_id:int}", response_class=HTMLResponse)
async def client_chart(
    request: Request, client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    now = clock.now()
    entries = progress.progress_for(db, client)
    access.record_read(db, actor=user, client=client, what="chart", now=now)
    db.commit()
    team = care.care_team(db, client)
    on_team = {m.clinician_id for m in team}
    colleagues = [
        c
        for c in db.scalars(
            select(User)
            .where(
                User.organisation_id == user.organisation_id,
                User.role == Role.CLINICIAN,
                User.is_active.is_(True),
            )
            .order_by(User.name)
        )
        if c.id not in on_team
    ]
    return render(
        request,
        "care/client_chart.html",
        {
            "title": client.name,
            "client": client,
            "entries": entries,
            "describe": charts.describe,
            "assignments": measures.assignments(db, client),
            "due": {d.assignment.id: d for d in measures.due_items(db, client, now)},
            "describe_schedule": schedule.describe,
            "instrument_choices": registry_choices(),
            "instrument_names": {i.id: i.name for i in default_registry().all()},
            "team": team,
            "colleagues": colleagues,
            "invited": client.user.password_hash is None,
            "saved": request.query_params.get("saved"),
            "alerts": [a for a in safety.inbox(db, user) if a.client_id == client.id],
            "shared_journal": len(journal.shared_entries(db, client)),
        },
    )
