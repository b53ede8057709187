"""Questionnaire pages: the client completes what is due; the clinician assigns,
exports and charts."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from mend.care import access
from mend.care.models import Client
from mend.measures import charts, progress, schedule, service
from mend.measures.definitions import default_registry
from mend.measures.models import Administration
from mend.platform.errors import Invalid, NotFound
from mend.practice import homework
from mend.safety import screening
from mend.safety.rules import needs_support_page
from mend.web.deps import ClockDep, DbDep, SettingsDep
from mend.web.policy import ClientUser, Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)


# --- the client's side ---


@router.get("/me", response_class=HTMLResponse)
async def client_home(request: Request, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    now = clock.now()
    due = service.due_items(db, client, now)
    shared = _shared_history(db, client)
    if shared:
        access.record_read(
            db,
            actor=user,
            client=client,
            what="score",
            now=now,
            detail={"administrations": [a.id for a in shared]},
        )
        db.commit()
    return render(
        request,
        "measures/client_home.html",
        {
            "title": "Home",
            "client": client,
            "due": due,
            "shared": shared,
            "names": {i.id: i.name for i in default_registry().all()},
            "homework_due": homework.due_for_home(db, client, now),
            "welcome": request.query_params.get("welcome"),
            "saved": request.query_params.get("saved"),
        },
    )


def _shared_history(db: DbDep, client: Client) -> list[Administration]:
    """Completed administrations whose assignment lets the client see the score."""
    from mend.measures.models import Assignment

    return list(
        db.scalars(
            select(Administration)
            .join(Assignment, Assignment.id == Administration.assignment_id)
            .where(
                Administration.client_id == client.id,
                Administration.status == service.COMPLETED,
                Assignment.share_scores.is_(True),
            )
            .order_by(Administration.completed_at.desc())
            .limit(20)
        )
    )


@router.get("/me/questionnaires/{assignment_id}", response_class=HTMLResponse)
async def questionnaire(
    request: Request, assignment_id: int, user: ClientUser, db: DbDep, clock: ClockDep
) -> Response:
    client = access.own_client_record(db, user)
    item = service.due_item(db, client, assignment_id, clock.now())
    answers = item.draft.answers if item.draft else [None] * len(item.instrument.items)
    return render(
        request,
        "measures/questionnaire.html",
        {"title": item.instrument.name, "item": item, "answers": answers, "missing": []},
    )


@router.post("/me/questionnaires/{assignment_id}", response_class=HTMLResponse)
async def answer_questionnaire(
    request: Request,
    assignment_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    client = access.own_client_record(db, user)
    now = clock.now()
    item = service.due_item(db, client, assignment_id, now)
    form = await request.form()
    raw = {k: v for k, v in form.items() if isinstance(v, str)}
    action = raw.get("action", "submit")
    if action not in ("save", "submit"):
        action = "submit"
    try:
        answers = service.parse_answers(item.instrument, raw)
        result = service.save_answers(
            db,
            client=client,
            actor=user,
            assignment_id=assignment_id,
            answers=answers,
            submit=action == "submit",
            now=now,
        )
    except Invalid as exc:
        db.rollback()
        draft = item.draft.answers if item.draft else [None] * len(item.instrument.items)
        return render(
            request,
            "measures/questionnaire.html",
            {
                "title": item.instrument.name,
                "item": item,
                "answers": draft,
                "missing": [],
                "error": str(exc),
            },
            status_code=422,
        )
    alerts = []
    if result.completed:
        # Every completed questionnaire passes the safety rules before it is committed.
        alerts = screening.screen_administration(
            db,
            client=client,
            administration=result.administration,
            definition=item.instrument,
            now=now,
            base_url=settings.base_url,
        )
    db.commit()
    if request.headers.get("x-mend-autosave"):
        return Response(status_code=204)
    if any(needs_support_page(a.severity) for a in alerts):
        return RedirectResponse("/me/support?told=1", status_code=303)
    if result.completed:
        return RedirectResponse(f"/me/thanks/{result.administration.id}", status_code=303)
    if action == "save":
        return RedirectResponse("/me?saved=1", status_code=303)
    return render(
        request,
        "measures/questionnaire.html",
        {
            "title": item.instrument.name,
            "item": item,
            "answers": answers,
            "missing": result.missing,
            "error": _missing_message(result.missing),
        },
        status_code=422,
    )


def _missing_message(missing: list[int]) -> str:
    listed = ", ".join(str(n) for n in missing)
    noun = "question" if len(missing) == 1 else "questions"
    return (
        f"Your answers so far are saved. There's still {noun} {listed} to answer before you finish."
    )


@router.get("/me/thanks/{administration_id}", response_class=HTMLResponse)
async def thanks(
    request: Request, administration_id: int, user: ClientUser, db: DbDep, clock: ClockDep
) -> Response:
    client = access.own_client_record(db, user)
    admin = db.get(Administration, administration_id)
    if admin is None or admin.client_id != client.id or admin.status != service.COMPLETED:
        raise NotFound()
    from mend.measures.models import Assignment

    assignment = db.get(Assignment, admin.assignment_id) if admin.assignment_id else None
    definition = service.instrument(admin.instrument_id)
    if assignment is not None and assignment.share_scores:
        access.record_read(
            db,
            actor=user,
            client=client,
            what="score",
            now=clock.now(),
            detail={"administration": admin.id},
        )
        db.commit()
    return render(
        request,
        "measures/thanks.html",
        {
            "title": "Thank you",
            "admin": admin,
            "instrument": definition,
            "share": bool(assignment and assignment.share_scores),
        },
    )


# --- the clinician's side ---


@router.post("/clinic/clients/{client_id}/assignments")
async def assign(
    request: Request,
    client_id: int,
    user: Clinician,
    db: DbDep,
    clock: ClockDep,
    instrument_id: Annotated[str, Form(max_length=64)] = "",
    repeat: Annotated[str, Form(max_length=20)] = "once",
    every_days: Annotated[str, Form(max_length=5)] = "",
    share_scores: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    client = access.client_for(db, user, client_id)
    try:
        interval = _interval(repeat, every_days)
        service.assign(
            db,
            clinician=user,
            client=client,
            instrument_id=instrument_id,
            interval_days=interval,
            share_scores=share_scores == "on",
            now=clock.now(),
        )
    except Invalid as exc:
        db.rollback()
        return render(
            request,
            "error.html",
            {
                "title": "Please check the form",
                "message": str(exc),
                "back": f"/clinic/clients/{client.id}",
            },
            status_code=422,
        )
    db.commit()
    return RedirectResponse(f"/clinic/clients/{client.id}?saved=assigned", status_code=303)


def _interval(repeat: str, every_days: str) -> int | None:
    if repeat in schedule.SCHEDULE_CHOICES:
        return schedule.SCHEDULE_CHOICES[repeat]
    if repeat == "every":
        try:
            return int(every_days)
        except ValueError as exc:
            raise Invalid("Please enter the number of days between questionnaires.") from exc
    raise Invalid("Please choose how often the questionnaire repeats.")


@router.post("/clinic/clients/{client_id}/assignments/{assignment_id}/end")
async def end_assignment(
    client_id: int, assignment_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    service.end_assignment(
        db, clinician=user, client=client, assignment_id=assignment_id, now=clock.now()
    )
    db.commit()
    return RedirectResponse(f"/clinic/clients/{client.id}?saved=ended", status_code=303)


def _progress_for(db: DbDep, client: Client, instrument_id: str) -> progress.InstrumentProgress:
    for entry in progress.progress_for(db, client):
        if entry.instrument.id == instrument_id:
            return entry
    raise NotFound()


@router.get("/clinic/clients/{client_id}/measures/{instrument_id}/chart.svg")
async def chart_svg(
    client_id: int, instrument_id: str, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    entry = _progress_for(db, client, instrument_id)
    if entry.instrument.scoring.range is None:
        raise NotFound()
    access.record_read(
        db,
        actor=user,
        client=client,
        what="chart",
        now=clock.now(),
        detail={"instrument": instrument_id},
    )
    db.commit()
    return Response(charts.render_svg(entry.instrument, entry.points), media_type="image/svg+xml")


@router.get("/clinic/clients/{client_id}/measures/{instrument_id}.csv")
async def export_csv(
    client_id: int, instrument_id: str, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    entry = _progress_for(db, client, instrument_id)
    definition = entry.instrument
    out = io.StringIO()
    writer = csv.writer(out)
    subscale_ids = [s.id for s in definition.subscales]
    writer.writerow(
        [
            "completed_at",
            "instrument",
            "version",
            "total",
            "band",
            *subscale_ids,
            "change",
            "rci",
            "flags",
        ]
        + [f"item_{item.number}" for item in definition.items]
    )
    for point in entry.points:
        a = point.administration
        writer.writerow(
            [
                a.completed_at.isoformat() if a.completed_at else "",
                a.instrument_id,
                a.instrument_version,
                "" if a.total is None else f"{a.total:g}",
                a.band or "",
                *[_subscale_value(a, sid) for sid in subscale_ids],
                point.change.category if point.change else "",
                f"{point.change.rci:.2f}" if point.change else "",
                "; ".join(f"item {f['number']}: {f['message']}" for f in a.flags),
            ]
            + ["" if v is None else v for v in a.answers]
        )
    access.record_read(
        db,
        actor=user,
        client=client,
        what="export",
        now=clock.now(),
        detail={"instrument": instrument_id},
    )
    db.commit()
    filename = f"client-{client.id}-{definition.id}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _subscale_value(admin: Administration, subscale_id: str) -> str:
    value = admin.subscales.get(subscale_id, {})
    score = value.get("score") if isinstance(value, dict) else value
    return "" if score is None else f"{score:g}"


def registry_choices() -> list[tuple[str, str]]:
    return [(i.id, f"{i.name} — {i.title}") for i in default_registry().all()]
