"""Coping toolkit pages: the client's toolkit, each exercise (rating before, the
exercise, rating after) and their history; the clinician's table and chart.

Every exercise page holds all of its steps, shown one at a time with CSS (`:target`),
so once it has loaded it needs the network only to save the closing rating; coping.js
adds a breathing timer and holds a rating made offline until the connection is back.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from mend.care import access
from mend.care.models import Client
from mend.platform.clock import Clock
from mend.platform.errors import Invalid, NotFound
from mend.practice import coping, coping_chart
from mend.practice import coping_catalogue as catalogue
from mend.practice import coping_rules as rules
from mend.practice.common import Writing, after_save, save_screened
from mend.web.deps import ClockDep, DbDep, SettingsDep
from mend.web.policy import ClientUser, Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)

HOME = "/me/coping"
PLACE_TOOL = "calm-place"
PLACE_URL = f"{HOME}/{PLACE_TOOL}/place"
CLINIC_LIMIT = 200  # sessions listed on the clinician's page; summaries use them all

Rating = Annotated[str, Form(max_length=20)]
Note = Annotated[str, Form(max_length=coping.MAX_NOTE + 1000)]
PlaceText = Annotated[str, Form(max_length=catalogue.MAX_PLACE_CHARS + 1000)]

SCALE = tuple(range(rules.MIN_RATING, rules.MAX_RATING + 1))


def _tool(tool_id: str) -> catalogue.Tool:
    found = catalogue.tool(tool_id)
    if found is None:
        raise NotFound()
    return found


# --- the client's toolkit ---


@router.get("/me/coping", response_class=HTMLResponse)
async def toolkit(request: Request, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    summaries = coping.summaries(db, client)
    by_tool = {s.tool: s for s in summaries}
    return render(
        request,
        "practice/coping_toolkit.html",
        {
            "title": "My coping toolkit",
            "families": catalogue.by_family(),
            "summaries": by_tool,
            "describe": rules.summary_for_client,
            "helping": rules.helping(summaries)[:3],
            "name_of": catalogue.name_of,
            "points": rules.points,
            "has_place": coping.place(db, client) is not None,
        },
    )


@router.get("/me/coping/history", response_class=HTMLResponse)
async def history(request: Request, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    now = clock.now()
    rows = coping.sessions(db, client)
    return render(
        request,
        "practice/coping_history.html",
        {
            "title": "My coping history",
            "sessions": rows,
            "ratable": {
                s.id for s in rows if rules.can_rate_later(s.started_at, s.finished_at, now)
            },
        },
    )


# --- the calm place, in the client's own words ---


def _place_form(
    request: Request, words: dict[str, str], *, error: str | None = None, status_code: int = 200
) -> Response:
    return render(
        request,
        "practice/coping_place.html",
        {
            "title": "My calm place",
            "fields": catalogue.PLACE_FIELDS,
            "words": words,
            "max_chars": catalogue.MAX_PLACE_CHARS,
            "caution": catalogue.CALM_PLACE_CAUTION,
            "error": error,
        },
        status_code=status_code,
    )


@router.get(PLACE_URL, response_class=HTMLResponse)
async def edit_place(request: Request, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    found = coping.place(db, client)
    return _place_form(request, dict(found.words) if found else {})


@router.post(PLACE_URL, response_class=HTMLResponse)
async def save_place(
    request: Request,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    name: PlaceText = "",
    sights: PlaceText = "",
    sounds: PlaceText = "",
    touch: PlaceText = "",
    smells: PlaceText = "",
    cue: PlaceText = "",
) -> Response:
    client = access.own_client_record(db, user)
    form = {"name": name, "sights": sights, "sounds": sounds, "touch": touch}
    form.update({"smells": smells, "cue": cue})
    now = clock.now()
    existing = coping.place(db, client)
    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=Writing(
            coping.PLACE_KIND,
            existing.id if existing else None,
            [(coping.PLACE_LABEL, text) for text in form.values()],
        ),
        now=now,
        base_url=settings.base_url,
        save=lambda: coping.save_place(
            db, client=client, author=user, form=form, now=now, base_url=settings.base_url
        ),
        then=lambda _place, level: after_save(level, f"{HOME}/{PLACE_TOOL}"),
        refused=lambda exc: _place_form(request, form, error=str(exc), status_code=422),
    )


# --- one exercise: rating before, the exercise, rating after ---


def _start_page(
    request: Request,
    client: Client,
    db: Session,
    chosen: catalogue.Tool,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "practice/coping_start.html",
        {
            "title": chosen.name,
            "tool": chosen,
            "scale": SCALE,
            "needs_place": chosen.kind == "calm_place" and coping.place(db, client) is None,
            "place_url": PLACE_URL,
            "error": error,
            "saved": request.query_params.get("saved"),
            "check": request.query_params.get("check"),
        },
        status_code=status_code,
    )


@router.get("/me/coping/{tool_id}", response_class=HTMLResponse)
async def start_page(request: Request, tool_id: str, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    return _start_page(request, client, db, _tool(tool_id))


@router.post("/me/coping/{tool_id}", response_class=HTMLResponse)
async def start_exercise(
    request: Request,
    tool_id: str,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    before: Rating = "",
) -> Response:
    client = access.own_client_record(db, user)
    chosen = _tool(tool_id)
    try:
        session = coping.start(
            db, client=client, author=user, tool_id=tool_id, before=before, now=clock.now()
        )
    except Invalid as exc:
        db.rollback()
        return _start_page(request, client, db, chosen, error=str(exc), status_code=422)
    db.commit()
    return RedirectResponse(f"{HOME}/{tool_id}/{session.id}", status_code=303)


def _exercise_page(
    request: Request,
    db: Session,
    client: Client,
    session: coping.CopingSession,
    clock: Clock,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    chosen = _tool(session.tool)
    common: dict[str, Any] = {
        "title": chosen.name,
        "tool": chosen,
        "session": session,
        "saved": request.query_params.get("saved"),
        "check": request.query_params.get("check"),
    }
    if session.finished_at is not None:
        after = session.distress_after
        return render(
            request,
            "practice/coping_done.html",
            {
                **common,
                "error": error,
                "result": rules.result_message(session.distress_before, after)
                if after is not None
                else None,
                "still_hard": rules.still_hard(session.distress_before, after),
            },
            status_code=status_code,
        )
    if not rules.can_rate_later(session.started_at, session.finished_at, clock.now()):
        # Too long ago to rate: the page says so instead of offering a form that can't save.
        return render(
            request,
            "practice/coping_done.html",
            {**common, "error": error, "expired": True},
            status_code=status_code,
        )
    place = coping.place(db, client) if chosen.kind == "calm_place" else None
    steps = catalogue.exercise_steps(chosen, place.words if place else None)
    pattern = chosen.pattern
    return render(
        request,
        "practice/coping_exercise.html",
        {
            **common,
            "steps": steps,
            "pattern": pattern,
            "phases": [{"label": p.label, "seconds": p.seconds} for p in pattern.phases]
            if pattern
            else [],
            "tense_seconds": catalogue.TENSE_SECONDS,
            "release_seconds": catalogue.RELEASE_SECONDS,
            "scale": SCALE,
            "place_url": PLACE_URL,
            "has_place": place is not None,
            "max_note": coping.MAX_NOTE,
            "error": error,
            "form": form or {},
        },
        status_code=status_code,
    )


@router.get("/me/coping/{tool_id}/{session_id:int}", response_class=HTMLResponse)
async def exercise(
    request: Request, tool_id: str, session_id: int, user: ClientUser, db: DbDep, clock: ClockDep
) -> Response:
    client = access.own_client_record(db, user)
    session = coping.own_session(db, client, session_id, tool_id)
    return _exercise_page(request, db, client, session, clock)


@router.post("/me/coping/{tool_id}/{session_id:int}", response_class=HTMLResponse)
async def finish_exercise(
    request: Request,
    tool_id: str,
    session_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    after: Rating = "",
    note: Note = "",
) -> Response:
    client = access.own_client_record(db, user)
    coping.own_session(db, client, session_id, tool_id)  # someone else's: 404 before anything
    now = clock.now()

    def refused(exc: Invalid) -> Response:
        current = coping.own_session(db, client, session_id, tool_id)
        form = {"after": after, "note": note}
        return _exercise_page(
            request, db, client, current, clock, error=str(exc), form=form, status_code=422
        )

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=Writing(coping.NOTE_KIND, session_id, [(coping.note_label(tool_id), note)]),
        now=now,
        base_url=settings.base_url,
        save=lambda: coping.finish(
            db,
            client=client,
            author=user,
            tool_id=tool_id,
            session_id=session_id,
            after=after,
            note=note,
            now=now,
            base_url=settings.base_url,
        ),
        then=lambda session, level: after_save(level, f"{HOME}/{tool_id}/{session.id}"),
        refused=refused,
    )


# --- the clinician's view ---


@router.get("/clinic/clients/{client_id:int}/coping", response_class=HTMLResponse)
async def client_coping(
    request: Request, client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    rows = coping.sessions(db, client, limit=CLINIC_LIMIT)
    summaries = coping.summaries(db, client)
    access.record_read(
        db,
        actor=user,
        client=client,
        what="coping",
        now=clock.now(),
        detail={"sessions": [s.id for s in rows]},
    )
    db.commit()
    used = [s for s in summaries if s.started]
    return render(
        request,
        "practice/coping_clinic.html",
        {
            "title": f"{client.name}: coping toolkit",
            "client": client,
            "sessions": rows,
            "limit": CLINIC_LIMIT,
            "summaries": used,
            "ranking": rules.ranking(summaries),
            "min_rated": rules.MIN_RATED_TO_RANK,
            "charted": any(s.rated for s in used),
            "chart_alt": coping_chart.describe(used),
            "name_of": catalogue.name_of,
            "one_decimal": rules.one_decimal,
        },
    )


@router.get("/clinic/clients/{client_id:int}/coping/chart.svg")
async def client_coping_chart(
    client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    summaries = coping.summaries(db, client)
    access.record_read(db, actor=user, client=client, what="coping_chart", now=clock.now())
    db.commit()
    return Response(coping_chart.render_svg(summaries), media_type="image/svg+xml")
