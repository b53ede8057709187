"""The level-of-care page on a client: the clinician's ratings, the recommendation with
every rule and the values it read, the decision form and the history of decisions.

Ratings are sent with GET (showing advice changes nothing); the decision is a POST.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from mend.care import access
from mend.care.models import Client
from mend.identity.models import User
from mend.platform.clock import Clock
from mend.platform.errors import Invalid
from mend.safety import care_level
from mend.safety import care_level_rules as rules
from mend.safety.care_level import RecommendationChanged
from mend.web.deps import ClockDep, DbDep
from mend.web.policy import Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    db: Session,
    user: User,
    client: Client,
    clock: Clock,
    *,
    ratings: rules.Ratings | None,
    error: str | None = None,
    status: int = 200,
    form: dict[str, str] | None = None,
) -> Response:
    access.record_read(db, actor=user, client=client, what="care_level", now=clock.now())
    db.commit()
    decisions = care_level.history(db, client)
    evidence, advice = (
        care_level.advise(db, client, ratings) if ratings else (care_level.gather(db, client), None)
    )
    if form is None:
        # Start from the last decision's ratings, so a review only changes what changed.
        previous = decisions[0].ratings if decisions else None
        form = {
            "functioning": str(previous.functioning) if previous else "",
            "support": previous.support if previous else "",
            "engagement": previous.engagement if previous else "",
        }
    context: dict[str, Any] = {
        "title": f"Level of care: {client.name}",
        "client": client,
        "evidence": evidence,
        "advice": advice,
        "ratings": ratings,
        "form": form,
        "decisions": decisions,
        "names": {
            u.id: u.name
            for u in db.scalars(select(User).where(User.organisation_id == user.organisation_id))
        },
        "levels": rules.LEVELS,
        "level_labels": rules.LEVEL_LABELS,
        "functioning": rules.FUNCTIONING,
        "supports": rules.SUPPORT_LABELS,
        "engagements": rules.ENGAGEMENT_LABELS,
        "error": error,
        "saved": request.query_params.get("saved") == "1",
        "max_reason": care_level.MAX_REASON,
    }
    return render(request, "safety/care_level_page.html", context, status_code=status)


@router.get("/clinic/clients/{client_id:int}/care-level", response_class=HTMLResponse)
async def care_level_page(
    request: Request,
    client_id: int,
    user: Clinician,
    db: DbDep,
    clock: ClockDep,
    functioning: str | None = None,
    support: str | None = None,
    engagement: str | None = None,
) -> Response:
    client = access.client_for(db, user, client_id)
    if functioning is None and support is None and engagement is None:
        return _page(request, db, user, client, clock, ratings=None)
    form = {
        "functioning": functioning or "",
        "support": support or "",
        "engagement": engagement or "",
    }
    try:
        ratings = rules.parse_ratings(form["functioning"], form["support"], form["engagement"])
    except ValueError as exc:
        return _page(
            request, db, user, client, clock, ratings=None, error=str(exc), status=422, form=form
        )
    return _page(request, db, user, client, clock, ratings=ratings, form=form)


@router.post("/clinic/clients/{client_id:int}/care-level", response_class=HTMLResponse)
async def decide(
    request: Request,
    client_id: int,
    user: Clinician,
    db: DbDep,
    clock: ClockDep,
    functioning: Annotated[str, Form(max_length=2)] = "",
    support: Annotated[str, Form(max_length=20)] = "",
    engagement: Annotated[str, Form(max_length=20)] = "",
    recommended: Annotated[str, Form(max_length=40)] = "",
    chosen: Annotated[str, Form(max_length=40)] = "",
    reason: Annotated[str, Form(max_length=care_level.MAX_REASON)] = "",
) -> Response:
    client = access.client_for(db, user, client_id)
    form = {
        "functioning": functioning,
        "support": support,
        "engagement": engagement,
        "chosen": chosen,
        "reason": reason,
    }
    try:
        ratings = rules.parse_ratings(functioning, support, engagement)
    except ValueError as exc:
        return _page(
            request, db, user, client, clock, ratings=None, error=str(exc), status=422, form=form
        )
    try:
        care_level.record_decision(
            db,
            client=client,
            clinician=user,
            ratings=ratings,
            chosen=chosen,
            reason=reason,
            shown_level=recommended,
            now=clock.now(),
        )
    except Invalid as exc:
        db.rollback()
        status = 409 if isinstance(exc, RecommendationChanged) else 422
        return _page(
            request, db, user, client, clock,
            ratings=ratings, error=str(exc), status=status, form=form,
        )  # fmt: skip
    db.commit()
    return RedirectResponse(f"/clinic/clients/{client.id}/care-level?saved=1", status_code=303)
