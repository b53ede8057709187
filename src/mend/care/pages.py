"""The clinician's caseload, adding a client, and the client's chart."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mend.care import access, service
from mend.care.models import Client, TeamRole
from mend.identity.models import User
from mend.platform.errors import Invalid, NotFound
from mend.web.deps import ClockDep, DbDep, SettingsDep
from mend.web.policy import Clinician
from mend.web.templating import render

router = APIRouter(prefix="/clinic", include_in_schema=False)


@router.get("/clients/new", response_class=HTMLResponse)
async def new_client_page(request: Request, user: Clinician) -> Response:
    return render(request, "care/new_client.html", {"title": "Add a client", "form": {}})


@router.post("/clients", response_class=HTMLResponse)
async def add_client(
    request: Request,
    user: Clinician,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
    referral_reason: Annotated[str, Form(max_length=service.MAX_REASON)] = "",
) -> Response:
    try:
        created = service.add_client(
            db,
            clinician=user,
            name=name,
            email=email,
            referral_reason=referral_reason,
            now=clock.now(),
            settings=settings,
        )
    except Invalid as exc:
        db.rollback()
        return render(
            request,
            "care/new_client.html",
            {
                "title": "Add a client",
                "error": str(exc),
                "form": {"name": name, "email": email, "referral_reason": referral_reason},
            },
            status_code=422,
        )
    db.commit()
    return render(
        request,
        "care/invitation_link.html",
        {
            "title": "Invitation link",
            "client": created.client,
            "link": f"{settings.base_url}/invitation/{created.invitation_token}",
            "days": settings.invitation_days,
        },
        status_code=201,
    )


@router.post("/clients/{client_id}/invitation", response_class=HTMLResponse)
async def new_invitation(
    request: Request,
    client_id: int,
    user: Clinician,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    client = access.client_for(db, user, client_id)
    token = service.reissue_invitation(
        db, clinician=user, client=client, now=clock.now(), settings=settings
    )
    db.commit()
    return render(
        request,
        "care/invitation_link.html",
        {
            "title": "Invitation link",
            "client": client,
            "link": f"{settings.base_url}/invitation/{token}",
            "days": settings.invitation_days,
        },
    )


@router.post("/clients/{client_id}/team")
async def add_team_member(
    request: Request,
    client_id: int,
    user: Clinician,
    db: DbDep,
    clock: ClockDep,
    clinician_id: Annotated[int, Form()],
    role: Annotated[TeamRole, Form()] = TeamRole.COVERING,
) -> Response:
    client: Client = access.client_for(db, user, client_id)
    colleague = db.get(User, clinician_id)
    if colleague is None:
        raise NotFound()
    service.add_team_member(
        db, actor=user, client=client, clinician=colleague, role=role, now=clock.now()
    )
    db.commit()
    return RedirectResponse(f"/clinic/clients/{client.id}?saved=team", status_code=303)
