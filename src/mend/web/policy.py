"""Who may call each route. Every route declares one of these (a test walks the app
and fails on any route without one). Each also checks the CSRF token on unsafe
methods, so no form can be submitted from another site."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from mend.identity import service as identity
from mend.identity.models import Role, User
from mend.web.deps import ClockDep, DbDep, Visitor, VisitorDep
from mend.web.errors import CsrfFailed, NotFound, NotSignedIn

CSRF_COOKIE = "mend_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def anonymous_csrf_token(request: Request) -> str:
    """The double-submit token for people not yet signed in (sign-in, invitations)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return str(token)


def csrf_token_for(request: Request, visitor: Visitor) -> str:
    if visitor.person is not None:
        return visitor.person.csrf_token
    return anonymous_csrf_token(request)


async def _check_csrf(request: Request, visitor: Visitor) -> None:
    if request.method in SAFE_METHODS:
        return
    expected = (
        visitor.sign_in.csrf_token if visitor.sign_in else request.cookies.get(CSRF_COOKIE, "")
    )
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else ""
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise CsrfFailed()


PolicyFn = Callable[..., Awaitable[object]]


def _policy(fn: PolicyFn) -> PolicyFn:
    fn.__mend_policy__ = True  # type: ignore[attr-defined]
    return fn


@_policy
async def public(request: Request, visitor: VisitorDep) -> Visitor:
    await _check_csrf(request, visitor)
    return visitor


async def _keep_timed_out_form(
    request: Request, visitor: Visitor, db: Session, now: datetime
) -> bool:
    """A form sent just as the sign-in timed out is kept, so signing in again brings the
    words back. Only when it carries the expired session's own CSRF token: a form forged
    by another site is not kept."""
    expired = visitor.expired
    content_type = request.headers.get("content-type", "")
    if expired is None or request.method in SAFE_METHODS or "form" not in content_type:
        return False
    form = await request.form()
    fields = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    sent = dict(fields).get(CSRF_FIELD, "")
    if not sent or not hmac.compare_digest(sent, expired.csrf_token):
        return False
    identity.keep_submission(
        db, user_id=expired.user_id, path=request.url.path, fields=fields, now=now
    )
    db.commit()
    return True


def _role_policy(*roles: Role) -> PolicyFn:
    async def check(request: Request, visitor: VisitorDep, db: DbDep, clock: ClockDep) -> User:
        user = visitor.user
        if user is None:
            raise NotSignedIn(kept=await _keep_timed_out_form(request, visitor, db, clock.now()))
        if user.role not in roles:
            # A page for another role is, for this person, a page that does not exist.
            raise NotFound()
        await _check_csrf(request, visitor)
        return user

    check.__name__ = "only_" + "_or_".join(r.value for r in roles)
    return _policy(check)


signed_in = _role_policy(Role.ADMIN, Role.CLINICIAN, Role.CLIENT)
admin_only = _role_policy(Role.ADMIN)
clinician_only = _role_policy(Role.CLINICIAN)
client_only = _role_policy(Role.CLIENT)

SignedIn = Annotated[User, Depends(signed_in)]
Admin = Annotated[User, Depends(admin_only)]
Clinician = Annotated[User, Depends(clinician_only)]
ClientUser = Annotated[User, Depends(client_only)]
Public = Annotated[Visitor, Depends(public)]


def is_policy(fn: object) -> bool:
    return bool(getattr(fn, "__mend_policy__", False))
