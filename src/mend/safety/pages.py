"""Alert inbox and alert pages for clinicians, escalated alerts for admins, and the
client's support page shown right after they write or answer something urgent."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from mend.care import access
from mend.care.models import Client
from mend.identity.models import User
from mend.platform.audit import AuditEvent
from mend.platform.errors import Invalid, NotFound
from mend.safety import escalation, service, triage
from mend.safety.models import OPEN, Alert
from mend.safety.support import support_for
from mend.web.deps import ClockDep, DbDep
from mend.web.policy import Admin, ClientUser, Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/clinic/alerts", response_class=HTMLResponse)
async def alert_inbox(
    request: Request, user: Clinician, db: DbDep, clock: ClockDep, show: str = "open"
) -> Response:
    alerts = service.inbox(db, user, include_resolved=show == "all")
    return render(
        request,
        "safety/inbox.html",
        {
            "title": "Alerts",
            # One row per client, with each of their alerts behind it.
            "groups": triage.by_client(alerts),
            "clients": _clients(db, alerts),
            "show": show,
            "levels": escalation.LEVEL_NAMES,
            "now": clock.now(),
            "waited": triage.waited,
        },
    )


def _clients(db: DbDep, alerts: list[Alert]) -> dict[int, Client]:
    ids = {a.client_id for a in alerts}
    if not ids:
        return {}
    return {c.id: c for c in db.scalars(select(Client).where(Client.id.in_(ids)))}


@router.get("/clinic/alerts/{alert_id}", response_class=HTMLResponse)
async def alert_page(
    request: Request, alert_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    alert = service.alert_for(db, user, alert_id)
    return _alert_page(request, db, user, alert, clock)


def _alert_page(
    request: Request,
    db: DbDep,
    user: User,
    alert: Alert,
    clock: ClockDep,
    error: str | None = None,
    status: int = 200,
) -> Response:
    client = access.client_for(db, user, alert.client_id)
    history = list(
        db.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "alert", AuditEvent.entity_id == str(alert.id))
            .order_by(AuditEvent.id)
        )
    )
    names = {
        u.id: u.name
        for u in db.scalars(select(User).where(User.organisation_id == user.organisation_id))
    }

    access.record_read(
        db, actor=user, client=client, what="alert", now=clock.now(), detail={"alert": alert.id}
    )
    db.commit()
    return render(
        request,
        "safety/alert.html",
        {
            "title": alert.title,
            "alert": alert,
            "client": client,
            "history": history,
            "names": names,
            "levels": escalation.LEVEL_NAMES,
            "error": error,
        },
        status_code=status,
    )


@router.post("/clinic/alerts/{alert_id}/acknowledge")
async def acknowledge(
    request: Request, alert_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    alert = service.alert_for(db, user, alert_id)
    try:
        service.acknowledge(db, alert=alert, user=user, now=clock.now())
    except Invalid as exc:
        db.rollback()
        return _alert_page(request, db, user, alert, clock, str(exc), 409)
    db.commit()
    return RedirectResponse(f"/clinic/alerts/{alert.id}", status_code=303)


@router.post("/clinic/alerts/{alert_id}/resolve")
async def resolve(
    request: Request,
    alert_id: int,
    user: Clinician,
    db: DbDep,
    clock: ClockDep,
    note: Annotated[str, Form(max_length=service.MAX_NOTE)] = "",
) -> Response:
    alert = service.alert_for(db, user, alert_id)
    try:
        service.resolve(db, alert=alert, user=user, note=note, now=clock.now())
    except Invalid as exc:
        db.rollback()
        db.refresh(alert)
        status = 409 if alert.state == "resolved" else 422
        return _alert_page(request, db, user, alert, clock, str(exc), status)
    db.commit()
    return RedirectResponse(f"/clinic/alerts/{alert.id}", status_code=303)


@router.get("/admin/alerts", response_class=HTMLResponse)
async def admin_alerts(request: Request, user: Admin, db: DbDep) -> Response:
    alerts = service.escalated_to_admin(db, user)
    return render(
        request,
        "safety/admin_alerts.html",
        {
            "title": "Escalated alerts",
            "alerts": alerts,
            "clients": _clients(db, alerts),
            "teams": {
                a.id: service.recipients(db, a, 0) + service.recipients(db, a, 1) for a in alerts
            },
        },
    )


@router.post("/admin/alerts/{alert_id}/acknowledge")
async def admin_acknowledge(alert_id: int, user: Admin, db: DbDep, clock: ClockDep) -> Response:
    alert = db.get(Alert, alert_id)
    if (
        alert is None
        or alert.organisation_id != user.organisation_id
        or alert.escalation_level < escalation.TOP_LEVEL
    ):
        raise NotFound()
    if alert.state == OPEN:
        service.acknowledge(db, alert=alert, user=user, now=clock.now())
        db.commit()
    return RedirectResponse("/admin/alerts", status_code=303)


@router.get("/me/support", response_class=HTMLResponse)
async def support(request: Request, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    content = support_for(db, client, actor=user, now=clock.now())
    db.commit()  # the plan read is audited
    return render(
        request,
        "safety/support.html",
        {"title": "You are not alone", "client": client, "support": content},
    )
