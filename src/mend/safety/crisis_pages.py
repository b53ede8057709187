"""Crisis episode pages: open one from an alert or a client's chart, walk the five SAFE-T
steps on one long form (save at any time, no time limits), record the disposition, do the
follow-ups and close with a review note; and the admin's list of escalated follow-ups.

Bad input re-renders the page with a clear message and what was typed still in the boxes
(422, or 409 when the episode changed underneath), and changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from mend.care import access
from mend.care.models import Client
from mend.identity.models import User
from mend.platform import audit
from mend.platform.clock import Clock
from mend.platform.errors import Invalid, NotFound
from mend.safety import crisis, escalation, protocol, service
from mend.safety.crisis import Conflict, CrisisEpisode, EpisodeAlreadyOpen, StaleAssessment
from mend.safety.models import Alert
from mend.web.deps import ClockDep, DbDep
from mend.web.policy import Admin, Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)

SAVED = {
    "opened": "Crisis episode opened.",
    "existing": "This client already has an open crisis episode; here it is.",
    "assessment": "Assessment saved.",
    "unchanged": "Nothing had changed, so there was nothing new to save.",
    "disposition": "Disposition saved.",
    "scheduled": "Disposition saved and the follow-ups are scheduled.",
    "follow_up": "Follow-up marked done.",
    "closed": "Crisis episode closed.",
}


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _strings(form: FormData, name: str) -> list[str]:
    return [v for v in form.getlist(name) if isinstance(v, str)]


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _names(db: Session, user: User) -> dict[int, str]:
    return {
        u.id: u.name
        for u in db.scalars(select(User).where(User.organisation_id == user.organisation_id))
    }


def _episode_page(
    request: Request,
    db: Session,
    user: User,
    episode: CrisisEpisode,
    client: Client,
    clock: Clock,
    *,
    error: str | None = None,
    status: int = 200,
    draft: dict[str, Any] | None = None,
) -> Response:
    """The episode page; `draft` carries what was just typed when it could not be saved."""
    draft = draft or {}
    now = clock.now()
    crisis.audit_read(db, user=user, episode=episode, now=now)
    db.commit()
    assessment = draft.get("assessment", episode.saved_assessment)
    risk_level = draft.get("risk_level", episode.risk_level)
    asq = episode.context.get("asq")
    suggestion = protocol.suggested_level(asq["band"] if asq else None, assessment)
    follow_ups = crisis.follow_ups_of(db, episode)
    return render(
        request,
        "safety/crisis_episode.html",
        {
            "title": f"Crisis episode: {client.name}",
            "episode": episode,
            "client": client,
            "now": now,
            "steps": protocol.STEPS,
            "assessment": assessment,
            "risk_level": risk_level,
            "deescalation": draft.get("deescalation", episode.deescalation),
            "disposition": draft.get("disposition", episode.disposition),
            "version": draft.get("version", episode.assessment_version),
            "levels": protocol.RISK_LEVELS,
            "interventions": protocol.INTERVENTIONS,
            "suggestion": suggestion,
            "inquiry_answers": protocol.INQUIRY_ANSWERS,
            "deescalation_steps": protocol.DEESCALATION,
            "dispositions": protocol.DISPOSITIONS,
            "outcomes": protocol.OUTCOMES,
            "outcome_labels": dict(protocol.OUTCOMES),
            "alert": episode.context.get("alert"),
            "alert_raised": _when((episode.context.get("alert") or {}).get("raised_at")),
            "asq": asq,
            "asq_completed": _when(asq["completed_at"]) if asq else None,
            "follow_ups": follow_ups,
            "pending_required": [
                f
                for f in follow_ups
                if f.kind in protocol.REQUIRED_BEFORE_CLOSE and f.done_at is None
            ],
            "names": _names(db, user),
            "escalation_levels": escalation.LEVEL_NAMES,
            "error": error,
            "saved": SAVED.get(request.query_params.get("saved", "")),
            "draft": draft,
            "max_note": protocol.MAX_NOTE,
        },
        status_code=status,
    )


def _redirect(episode_id: int, saved: str, anchor: str = "") -> Response:
    target = f"/clinic/crisis/{episode_id}?saved={saved}"
    return RedirectResponse(target + (f"#{anchor}" if anchor else ""), status_code=303)


def _status(exc: Invalid) -> int:
    return 409 if isinstance(exc, Conflict) else 422


# --- opening ---


@router.get("/clinic/clients/{client_id:int}/crisis", response_class=HTMLResponse)
async def client_episodes(
    request: Request, client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)

    access.record_read(db, actor=user, client=client, what="crisis_episodes", now=clock.now())
    db.commit()
    episodes = crisis.episodes_of(db, client)
    return render(
        request,
        "safety/crisis_list.html",
        {
            "title": f"Crisis episodes: {client.name}",
            "client": client,
            "episodes": episodes,
            "open_episode": next((e for e in episodes if e.state == crisis.OPEN), None),
            "names": _names(db, user),
        },
    )


def _open(
    db: Session, user: User, client: Client, clock: Clock, alert: Alert | None = None
) -> Response:
    try:
        episode = crisis.open_episode(
            db, client=client, clinician=user, now=clock.now(), alert=alert
        )
    except EpisodeAlreadyOpen as exc:
        db.rollback()
        return _redirect(exc.episode_id, "existing")
    db.commit()
    return _redirect(episode.id, "opened")


@router.post("/clinic/clients/{client_id:int}/crisis")
async def open_by_hand(client_id: int, user: Clinician, db: DbDep, clock: ClockDep) -> Response:
    return _open(db, user, access.client_for(db, user, client_id), clock)


@router.get("/clinic/alerts/{alert_id:int}/crisis", response_class=HTMLResponse)
async def open_from_alert_page(
    request: Request, alert_id: int, user: Clinician, db: DbDep
) -> Response:
    alert = service.alert_for(db, user, alert_id)
    client = access.client_for(db, user, alert.client_id)
    return render(
        request,
        "safety/crisis_from_alert.html",
        {
            "title": "Open a crisis episode",
            "alert": alert,
            "client": client,
            "open_episode": crisis.open_episode_of(db, client.id),
        },
    )


@router.post("/clinic/alerts/{alert_id:int}/crisis")
async def open_from_alert(alert_id: int, user: Clinician, db: DbDep, clock: ClockDep) -> Response:
    alert = service.alert_for(db, user, alert_id)
    return _open(db, user, access.client_for(db, user, alert.client_id), clock, alert)


# --- the episode ---


@router.get("/clinic/crisis/{episode_id:int}", response_class=HTMLResponse)
async def episode_page(
    request: Request, episode_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    episode, client = crisis.episode_for(db, user, episode_id)
    return _episode_page(request, db, user, episode, client, clock)


@router.post("/clinic/crisis/{episode_id:int}/assessment", response_class=HTMLResponse)
async def save_assessment(
    request: Request, episode_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    episode, client = crisis.episode_for(db, user, episode_id)
    form = await request.form()
    risk_factors = _strings(form, "risk_factor")
    protective = _strings(form, "protective_factor")
    inquiry = {a.id: _text(form, f"inquiry-{a.id}") for a in protocol.INQUIRY_AREAS}
    notes = {name: _text(form, f"note-{name}") for name in protocol.NOTE_FIELDS}
    deescalation = _strings(form, "deescalation")
    raw_level = _text(form, "risk_level")
    # What was typed, shown again unchanged if it cannot be saved.
    draft: dict[str, Any] = {
        "assessment": protocol.Assessment(tuple(risk_factors), tuple(protective), inquiry, notes),
        "risk_level": raw_level or None,
        "deescalation": deescalation,
    }
    try:
        version = int(_text(form, "version"))
    except ValueError:
        return _episode_page(
            request, db, user, episode, client, clock,
            error="This form is missing its version. Please reload the page.",
            status=422, draft=draft,
        )  # fmt: skip
    draft["version"] = version
    try:
        assessment = protocol.parse_assessment(
            risk_factors=risk_factors, protective_factors=protective, inquiry=inquiry, notes=notes
        )
        level = protocol.parse_risk_level(raw_level)
        steps = protocol.parse_deescalation(deescalation)
        changed = crisis.save_assessment(
            db,
            episode=episode,
            clinician=user,
            assessment=assessment,
            risk_level=level,
            deescalation=steps,
            base_version=version,
            now=clock.now(),
        )
    except (ValueError, Invalid) as exc:
        db.rollback()
        status = _status(exc) if isinstance(exc, Invalid) else 422
        if isinstance(exc, StaleAssessment):
            db.refresh(episode)
            # Saving again from here is a deliberate choice to replace the newer version.
            draft["version"] = episode.assessment_version
        return _episode_page(
            request, db, user, episode, client, clock, error=str(exc), status=status, draft=draft
        )
    db.commit()
    return _redirect(episode.id, "assessment" if changed else "unchanged", "assessment")


@router.post("/clinic/crisis/{episode_id:int}/disposition", response_class=HTMLResponse)
async def record_disposition(
    request: Request, episode_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    episode, client = crisis.episode_for(db, user, episode_id)
    chosen = _strings(await request.form(), "disposition")
    try:
        parsed = protocol.parse_disposition(chosen)
        days = service.settings_for(db, episode.organisation_id).caring_contact_days
        scheduled = crisis.record_disposition(
            db,
            episode=episode,
            clinician=user,
            disposition=parsed,
            caring_contact_days=list(days),
            now=clock.now(),
        )
    except (ValueError, Invalid) as exc:
        db.rollback()
        status = _status(exc) if isinstance(exc, Invalid) else 422
        return _episode_page(
            request, db, user, episode, client, clock,
            error=str(exc), status=status, draft={"disposition": chosen},
        )  # fmt: skip
    db.commit()
    return _redirect(episode.id, "scheduled" if scheduled else "disposition", "follow-ups")


@router.post("/clinic/crisis/{episode_id:int}/follow-ups/{follow_up_id:int}")
async def complete_follow_up(
    request: Request,
    episode_id: int,
    follow_up_id: int,
    user: Clinician,
    db: DbDep,
    clock: ClockDep,
    outcome: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=protocol.MAX_NOTE)] = "",
) -> Response:
    episode, client = crisis.episode_for(db, user, episode_id)
    try:
        crisis.complete_follow_up(
            db,
            episode=episode,
            follow_up_id=follow_up_id,
            clinician=user,
            outcome=outcome,
            note=note,
            now=clock.now(),
        )
    except Invalid as exc:
        db.rollback()
        return _episode_page(
            request, db, user, episode, client, clock,
            error=str(exc), status=_status(exc),
            draft={f"follow_up_{follow_up_id}": note, f"outcome_{follow_up_id}": outcome},
        )  # fmt: skip
    db.commit()
    return _redirect(episode.id, "follow_up", "follow-ups")


@router.post("/clinic/crisis/{episode_id:int}/close")
async def close_episode(
    request: Request,
    episode_id: int,
    user: Clinician,
    db: DbDep,
    clock: ClockDep,
    note: Annotated[str, Form(max_length=protocol.MAX_NOTE)] = "",
) -> Response:
    episode, client = crisis.episode_for(db, user, episode_id)
    try:
        crisis.close_episode(db, episode=episode, clinician=user, note=note, now=clock.now())
    except Invalid as exc:
        db.rollback()
        return _episode_page(
            request, db, user, episode, client, clock,
            error=str(exc), status=_status(exc), draft={"review_note": note},
        )  # fmt: skip
    db.commit()
    return _redirect(episode.id, "closed", "close")


# --- admins ---


@router.get("/admin/follow-ups", response_class=HTMLResponse)
async def admin_follow_ups(request: Request, user: Admin, db: DbDep, clock: ClockDep) -> Response:
    rows = crisis.escalated_follow_ups(db, user)
    if rows:
        # Names and crisis follow-ups are health information: the read is recorded.
        audit.record(
            db,
            at=clock.now(),
            actor_id=user.id,
            organisation_id=user.organisation_id,
            action="follow_ups.admin_read",
            entity="follow_ups",
            detail={"follow_ups": [f.id for f, _ in rows]},
        )
        db.commit()
    teams: dict[int, list[User]] = {}
    for follow_up, _client in rows:
        if follow_up.episode_id not in teams:
            episode = db.get(CrisisEpisode, follow_up.episode_id)
            if episode is None:
                raise NotFound()
            teams[follow_up.episode_id] = crisis.recipients(db, episode, 0) + crisis.recipients(
                db, episode, 1
            )
    return render(
        request,
        "safety/crisis_admin_follow_ups.html",
        {"title": "Overdue crisis follow-ups", "rows": rows, "teams": teams, "now": clock.now()},
    )
