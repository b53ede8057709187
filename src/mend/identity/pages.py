"""Sign-in, sign-out and accepting an invitation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mend.identity import service
from mend.web.deps import SESSION_COOKIE, ClockDep, DbDep, SettingsDep
from mend.web.errors import NotFound
from mend.web.pages import HOMES
from mend.web.policy import Public, SignedIn
from mend.web.templating import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str | None:
    # Only paths on this site, so a crafted link cannot bounce people elsewhere.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_page(request: Request, visitor: Public, next: str | None = None) -> Response:
    if visitor.user is not None:
        return RedirectResponse(HOMES[visitor.user.role], status_code=303)
    return render(request, "identity/sign_in.html", {"title": "Sign in", "next": _safe_next(next)})


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(
    request: Request,
    visitor: Public,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    now = clock.now()
    try:
        user = service.authenticate(db, email=email, password=password, now=now, settings=settings)
    except service.TooManyAttempts as exc:
        db.commit()
        throttled = render(
            request,
            "identity/sign_in.html",
            {"title": "Sign in", "error": str(exc), "email": email, "next": _safe_next(next)},
            status_code=429,
        )
        throttled.headers["Retry-After"] = str(exc.retry_after)
        return throttled
    except service.IdentityError as exc:
        db.commit()  # the failed attempt counts towards slowing down guessing
        return render(
            request,
            "identity/sign_in.html",
            {"title": "Sign in", "error": str(exc), "email": email, "next": _safe_next(next)},
            status_code=401,
        )
    token, _ = service.start_session(db, user=user, now=now, settings=settings)
    kept = service.waiting_submission(db, user=user, now=now)
    db.commit()
    target = f"/kept/{kept.id}" if kept else _safe_next(next) or HOMES[user.role]
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax", secure=settings.cookie_secure
    )
    return response


@router.post("/sign-out")
async def sign_out(request: Request, user: SignedIn, db: DbDep, clock: ClockDep) -> Response:
    sign_in = request.state.visitor.sign_in
    service.end_session(db, row=sign_in, now=clock.now())
    db.commit()
    response = RedirectResponse("/sign-in?signed_out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/kept/{kept_id:int}", response_class=HTMLResponse)
async def kept_submission(
    request: Request, kept_id: int, user: SignedIn, db: DbDep, clock: ClockDep
) -> Response:
    now = clock.now()
    kept = service.own_kept_submission(db, user=user, kept_id=kept_id, now=now)
    if kept is None:
        raise NotFound()
    if kept.shown_at is None:
        kept.shown_at = now
        db.commit()
    # Long answers are shown so the person recognises them; everything is resent as sent.
    shown = [(k, v) for k, v in kept.fields if len(v.strip()) > 0 and not v.isdigit()]
    return render(
        request,
        "identity/kept.html",
        {"title": "We kept what you sent", "kept": kept, "shown": shown},
    )


@router.post("/kept/{kept_id:int}/discard")
async def discard_kept_submission(
    kept_id: int, user: SignedIn, db: DbDep, clock: ClockDep
) -> Response:
    now = clock.now()
    kept = service.own_kept_submission(db, user=user, kept_id=kept_id, now=now)
    if kept is None:
        raise NotFound()
    kept.discarded_at = now
    db.commit()
    return RedirectResponse(HOMES[user.role], status_code=303)


@router.get("/invitation/{token}", response_class=HTMLResponse)
async def invitation_page(
    request: Request, token: str, visitor: Public, db: DbDep, clock: ClockDep
) -> Response:
    found = service.find_invitation(db, token=token, now=clock.now())
    if found is None:
        return render(
            request,
            "identity/invitation_gone.html",
            {"title": "This link has expired"},
            status_code=404,
        )
    return render(
        request,
        "identity/invitation.html",
        {"title": "Welcome to Mend", "token": token, "person": found.user},
    )


@router.post("/invitation/{token}", response_class=HTMLResponse)
async def accept_invitation(
    request: Request,
    token: str,
    visitor: Public,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    password: Annotated[str, Form(max_length=500)] = "",
    confirm: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    now = clock.now()
    found = service.find_invitation(db, token=token, now=now)
    if found is None:
        raise NotFound()
    try:
        user = service.accept_invitation(
            db, token=token, password=password, confirm=confirm, now=now
        )
    except service.IdentityError as exc:
        db.rollback()
        return render(
            request,
            "identity/invitation.html",
            {"title": "Welcome to Mend", "token": token, "person": found.user, "error": str(exc)},
            status_code=422,
        )
    session_token, _ = service.start_session(db, user=user, now=now, settings=settings)
    db.commit()
    response = RedirectResponse(HOMES[user.role] + "?welcome=1", status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session_token, httponly=True, samesite="lax", secure=settings.cookie_secure
    )
    return response
