"""The front door: send each person to their own home, and the always-open help page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mend.identity.models import Role
from mend.web.policy import Public
from mend.web.templating import render

router = APIRouter()

HOMES = {Role.CLIENT: "/me", Role.CLINICIAN: "/clinic", Role.ADMIN: "/admin"}


@router.get("/", include_in_schema=False)
async def front_door(visitor: Public) -> Response:
    user = visitor.user
    return RedirectResponse(HOMES[user.role] if user else "/sign-in", status_code=303)


@router.get("/help", response_class=HTMLResponse, include_in_schema=False)
@router.get("/me/help", response_class=HTMLResponse, include_in_schema=False)
async def help_now(request: Request, visitor: Public) -> Response:
    # Open to everyone, signed in or not: help is never behind a login.
    return render(request, "help.html", {"title": "Support, right now"})
