"""The admin's pages: organisation settings, staff accounts, and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select

from mend.identity import service
from mend.identity.models import Organisation, Role, User
from mend.platform import audit
from mend.platform.audit import AuditEvent
from mend.web.crisis import LOCALE_CHOICES, RESOURCES
from mend.web.deps import ClockDep, DbDep, SettingsDep
from mend.web.policy import Admin
from mend.web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)
PAGE_SIZE = 50


def _context(db: DbDep, user: User, **extra: object) -> dict[str, object]:
    staff = list(
        db.scalars(
            select(User)
            .where(User.organisation_id == user.organisation_id, User.role != Role.CLIENT)
            .order_by(User.role, User.name)
        )
    )
    clients = db.scalar(
        select(func.count())
        .select_from(User)
        .where(User.organisation_id == user.organisation_id, User.role == Role.CLIENT)
    )
    return {
        "title": "Organisation",
        "org": user.organisation,
        "staff": staff,
        "client_count": clients,
        "locales": LOCALE_CHOICES,
        "form": {},
        **extra,
    }


@router.get("", response_class=HTMLResponse)
async def organisation(request: Request, user: Admin, db: DbDep) -> Response:
    return render(
        request, "identity/admin.html", _context(db, user, saved=request.query_params.get("saved"))
    )


@router.post("/organisation", response_class=HTMLResponse)
async def update_organisation(
    request: Request,
    user: Admin,
    db: DbDep,
    clock: ClockDep,
    name: Annotated[str, Form(max_length=200)] = "",
    locale: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    problem = None
    if not name.strip():
        problem = "Please enter the organisation's name."
    elif locale not in RESOURCES:
        problem = "Please choose a country from the list."
    if problem:
        return render(
            request, "identity/admin.html", _context(db, user, org_error=problem), status_code=422
        )
    org = db.get(Organisation, user.organisation_id)
    assert org is not None
    before = {"name": org.name, "locale": org.locale}
    org.name = name.strip()
    org.locale = locale
    audit.record(
        db,
        at=clock.now(),
        actor_id=user.id,
        organisation_id=org.id,
        action="organisation.update",
        entity="organisation",
        entity_id=org.id,
        detail={"before": before, "after": {"name": org.name, "locale": org.locale}},
    )
    db.commit()
    return RedirectResponse("/admin?saved=organisation", status_code=303)


@router.post("/staff", response_class=HTMLResponse)
async def add_staff(
    request: Request,
    user: Admin,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
    role: Annotated[str, Form(max_length=20)] = "clinician",
) -> Response:
    now = clock.now()
    form = {"name": name, "email": email, "role": role}
    if role not in (Role.CLINICIAN.value, Role.ADMIN.value):
        return render(
            request,
            "identity/admin.html",
            _context(db, user, staff_error="Please choose a role.", form=form),
            status_code=422,
        )
    try:
        person = service.create_user(
            db,
            organisation=user.organisation,
            email=email,
            name=name,
            role=Role(role),
            now=now,
            actor_id=user.id,
        )
        token = service.create_invitation(
            db, user=person, created_by=user, now=now, settings=settings
        )
    except service.IdentityError as exc:
        db.rollback()
        return render(
            request,
            "identity/admin.html",
            _context(db, user, staff_error=str(exc), form=form),
            status_code=422,
        )
    db.commit()
    return render(
        request,
        "identity/admin.html",
        _context(
            db,
            user,
            invited=person,
            link=f"{settings.base_url}/invitation/{token}",
            days=settings.invitation_days,
        ),
        status_code=201,
    )


@router.get("/audit", response_class=HTMLResponse)
async def audit_log(request: Request, user: Admin, db: DbDep, page: int = 1) -> Response:
    page = max(1, min(page, 10_000))
    events = list(
        db.scalars(
            select(AuditEvent)
            .where(AuditEvent.organisation_id == user.organisation_id)
            .order_by(AuditEvent.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE + 1)
        )
    )
    names = {
        uid: name
        for uid, name in db.execute(
            select(User.id, User.name).where(User.organisation_id == user.organisation_id)
        )
    }
    return render(
        request,
        "identity/audit.html",
        {
            "title": "Audit log",
            "events": events[:PAGE_SIZE],
            "names": names,
            "page": page,
            "has_more": len(events) > PAGE_SIZE,
        },
    )
