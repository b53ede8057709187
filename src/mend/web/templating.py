"""Rendering pages: one Jinja environment over every feature's templates folder,
with what every page needs (who is signed in, the CSRF token, crisis lines)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from mend.identity.models import Role
from mend.web.crisis import resources_for
from mend.web.deps import Visitor
from mend.web.policy import CSRF_COOKIE, csrf_token_for

SRC = Path(__file__).resolve().parents[1]
# Every feature package keeps its pages in templates/<feature>/; web's shared ones come first.
TEMPLATE_DIRS = [
    SRC / "web" / "templates",
    *sorted(p for p in SRC.glob("*/templates") if p.parent.name != "web"),
]

templates = Jinja2Templates(directory=[str(p) for p in TEMPLATE_DIRS])


def _when(value: datetime | None, fmt: str = "%-d %b %Y") -> str:
    return value.strftime(fmt) if value else ""


def _number(value: float | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}"


templates.env.filters["when"] = _when
templates.env.filters["number"] = _number
templates.env.globals["Role"] = Role


def _screener_warning(person: object) -> str | None:
    """For admins: why crisis-language screening is running on the rules alone, if it is."""
    if getattr(person, "role", None) != Role.ADMIN:
        return None
    from mend.language.crisis.screening import MODEL

    return MODEL.error if MODEL.failed else None


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    visitor = getattr(request.state, "visitor", None)
    if not isinstance(visitor, Visitor):
        visitor = Visitor(None)
    person = visitor.person
    ctx: dict[str, Any] = {
        "request": request,
        "user": person,
        "csrf_token": csrf_token_for(request, visitor),
        "crisis": resources_for(person.locale if person else None),
        "screener_warning": _screener_warning(person),
        # Set by safety.support.offer_support: shown above everything else on the page.
        "support_first": getattr(request.state, "support_first", None),
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    new_token = getattr(request.state, "new_csrf", None)
    if new_token and not request.cookies.get(CSRF_COOKIE):
        response.set_cookie(
            CSRF_COOKIE,
            new_token,
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.cookie_secure,
        )
    return response
