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


@router.get("/health", include_in_schema=False)
def health(visitor: Public) -> dict[str, str]:
    """For load balancers and start-up checks: the server answers, and whether the crisis
    screener is running with its model or on the rules alone (no health data here)."""
    from mend.language.crisis.screening import FULL, MODEL, RULES_ONLY

    screener: str
    if MODEL.get(0) is not None:
        screener = FULL
    elif MODEL.failed:
        screener = RULES_ONLY
    else:
        screener = "loading"
    return {"status": "ok", "screener": screener}
