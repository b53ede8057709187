"""The admin's safety settings: how long alerts may wait before escalating, alert
thresholds (which may only be made more sensitive than the published ones), and
when caring contacts follow a crisis."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mend.platform import audit
from mend.safety import escalation, protocol, service
from mend.safety.models import SafetySettings
from mend.safety.rules import PUBLISHED, threshold_problems
from mend.web.deps import ClockDep, DbDep
from mend.web.policy import Admin
from mend.web.templating import render

router = APIRouter(include_in_schema=False)
Field = Annotated[str, Form(max_length=200)]


def _page(
    request: Request,
    current: SafetySettings,
    form: dict[str, str],
    errors: list[str],
    status: int = 200,
) -> Response:
    return render(
        request,
        "safety/settings.html",
        {
            "title": "Safety settings",
            "current": current,
            "form": form,
            "errors": errors,
            "published": PUBLISHED,
            "saved": request.query_params.get("saved"),
        },
        status_code=status,
    )


def _form_from(current: SafetySettings) -> dict[str, str]:
    thresholds = {**PUBLISHED.__dict__, **current.thresholds}
    return {
        **{f"ack_{k}": str(v) for k, v in current.ack_minutes.items()},
        "phq9_total_min": str(thresholds["phq9_total_min"]),
        "pcl5_total_min": str(thresholds["pcl5_total_min"]),
        "caring_contact_days": ", ".join(str(d) for d in current.caring_contact_days),
    }


@router.get("/admin/safety", response_class=HTMLResponse)
async def safety_settings(request: Request, user: Admin, db: DbDep) -> Response:
    current = service.settings_for(db, user.organisation_id)
    return _page(request, current, _form_from(current), [])


@router.post("/admin/safety", response_class=HTMLResponse)
async def save_safety_settings(
    request: Request,
    user: Admin,
    db: DbDep,
    clock: ClockDep,
    ack_urgent: Field = "",
    ack_high: Field = "",
    ack_concern: Field = "",
    phq9_total_min: Field = "",
    pcl5_total_min: Field = "",
    caring_contact_days: Field = "",
) -> Response:
    form = {
        "ack_urgent": ack_urgent,
        "ack_high": ack_high,
        "ack_concern": ack_concern,
        "phq9_total_min": phq9_total_min,
        "pcl5_total_min": pcl5_total_min,
        "caring_contact_days": caring_contact_days,
    }
    errors: list[str] = []

    unreadable: set[str] = set()

    def number(name: str, label: str) -> int:
        try:
            return int(form[name].strip())
        except ValueError:
            errors.append(f"{label}: please enter a whole number.")
            unreadable.add(name)
            return 0

    ack = {
        "urgent": number("ack_urgent", "Urgent alerts"),
        "high": number("ack_high", "High alerts"),
        "concern": number("ack_concern", "Concern alerts"),
    }
    for severity, minutes in ack.items():
        problem = escalation.limit_problem(minutes)
        if problem and f"ack_{severity}" not in unreadable:
            errors.append(f"{severity.capitalize()} alerts: {problem}")
    if not errors and not ack["urgent"] <= ack["high"] <= ack["concern"]:
        errors.append("More severe alerts must not wait longer than milder ones.")
    thresholds = {
        "phq9_total_min": number("phq9_total_min", "PHQ-9 total"),
        "pcl5_total_min": number("pcl5_total_min", "PCL-5 total"),
    }
    errors.extend(threshold_problems({k: v for k, v in thresholds.items() if k not in unreadable}))
    days: list[int] = []
    for part in caring_contact_days.replace(";", ",").split(","):
        if part.strip():
            try:
                days.append(int(part.strip()))
            except ValueError:
                errors.append(f"Caring contacts: “{part.strip()}” is not a number of days.")
    errors.extend(protocol.caring_days_problems(days))
    current = service.settings_for(db, user.organisation_id)
    if errors:
        return _page(request, current, form, errors, status=422)
    saved = db.get(SafetySettings, user.organisation_id)
    before = (
        None
        if saved is None
        else {
            "ack": saved.ack_minutes,
            "thresholds": saved.thresholds,
            "days": saved.caring_contact_days,
        }
    )
    if saved is None:
        saved = SafetySettings(organisation_id=user.organisation_id)
        db.add(saved)
    saved.ack_minutes = ack
    saved.thresholds = thresholds
    saved.caring_contact_days = sorted(days)
    audit.record(
        db,
        at=clock.now(),
        actor_id=user.id,
        organisation_id=user.organisation_id,
        action="safety_settings.update",
        entity="organisation",
        entity_id=user.organisation_id,
        detail={
            "before": before,
            "after": {"ack": ack, "thresholds": thresholds, "days": sorted(days)},
        },
    )
    db.commit()
    return RedirectResponse("/admin/safety?saved=1", status_code=303)
