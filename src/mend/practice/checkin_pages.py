"""Daily check-in pages: the client's one-screen form, their own gentle chart, and the care
team's chart and table. Works without JavaScript; a refused form comes back with every
answer as given (HTTP 422) and nothing saved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from mend.care import access
from mend.practice import checkin_rules as rules
from mend.practice import checkins, tool_charts
from mend.practice.checkins import CheckIn
from mend.practice.common import Writing, after_save, save_screened
from mend.safety.screening import TextScreening
from mend.web.deps import ClockDep, DbDep, SettingsDep
from mend.web.policy import ClientUser, Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)

FORM = "/me/check-in"
MINE = "/me/check-ins"


def _field(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _points(found: Sequence[CheckIn], *, for_client: bool) -> list[tool_charts.CheckinPoint]:
    return [
        tool_charts.CheckinPoint(
            c.created_at,
            c.mood,
            c.window_state,
            c.window.label if for_client else c.window.clinical,
            c.sleep_hours,
        )
        for c in found
    ]


def _form_page(request: Request, form: dict[str, Any], error: str | None = None) -> Response:
    return render(
        request,
        "practice/checkin_form.html",
        {
            "title": "Check in",
            "form": form,
            "moods": range(rules.MOOD_MIN, rules.MOOD_MAX + 1),
            "windows": rules.WINDOWS,
            "signals": rules.BODY_SIGNALS,
            "limits": rules,
            "error": error,
        },
        status_code=422 if error else 200,
    )


@router.get(FORM, response_class=HTMLResponse)
async def checkin_form(request: Request, user: ClientUser, db: DbDep) -> Response:
    access.own_client_record(db, user)
    return _form_page(request, {"signals": []})


@router.post(FORM, response_class=HTMLResponse)
async def save_checkin(
    request: Request, user: ClientUser, db: DbDep, clock: ClockDep, settings: SettingsDep
) -> Response:
    client = access.own_client_record(db, user)
    form = await request.form()
    typed: dict[str, Any] = {
        "mood": _field(form, "mood"),
        "window": _field(form, "window"),
        "signals": [v for v in form.getlist("signal") if isinstance(v, str)],
        "other_signals": _field(form, "other_signals"),
        "sleep": _field(form, "sleep"),
        "note": _field(form, "note"),
    }
    now = clock.now()

    def save() -> tuple[CheckIn, TextScreening]:
        return checkins.record(
            db,
            client=client,
            author=user,
            answers=rules.read_checkin(**typed),
            now=now,
            base_url=settings.base_url,
        )

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        # The note and the other body signals are screened before the mood, the window and
        # the sleep are checked: a malformed sleep field must never hide urgent words.
        writing=Writing(
            checkins.SOURCE_KIND,
            None,
            [(checkins.source_label(f), typed[f]) for f in checkins.FIELD_LABELS],
        ),
        now=now,
        base_url=settings.base_url,
        save=save,
        then=lambda _entry, level: after_save(level, MINE),
        refused=lambda exc: _form_page(request, typed, str(exc)),
    )


@router.get(MINE, response_class=HTMLResponse)
async def my_checkins(request: Request, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    found = checkins.checkins(db, client)
    latest = found[-1] if found else None
    return render(
        request,
        "practice/checkin_list.html",
        {
            "title": "My check-ins",
            "checkins": list(reversed(found)),
            "latest": latest,
            "today": rules.checked_in_on((c.facts for c in found), clock.now().date()),
            "chart_alt": tool_charts.describe_checkins(_points(found, for_client=True)),
            "saved": request.query_params.get("saved"),
            "check": request.query_params.get("check"),
        },
    )


@router.get(MINE + "/chart.svg")
async def my_chart(user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    points = _points(checkins.checkins(db, client), for_client=True)
    return Response(tool_charts.checkins_svg(points, for_client=True), media_type="image/svg+xml")


@router.get("/clinic/clients/{client_id:int}/check-ins", response_class=HTMLResponse)
async def client_checkins(
    request: Request, client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    found = checkins.checkins(db, client)
    access.record_read(
        db,
        actor=user,
        client=client,
        what="check_ins",
        now=clock.now(),
        detail={"check_ins": [c.id for c in found]},
    )
    db.commit()
    return render(
        request,
        "practice/checkin_clinic.html",
        {
            "title": f"{client.name}: check-ins",
            "client": client,
            "checkins": list(reversed(found)),
            "summary": rules.summarise(c.facts for c in found),
            "windows": rules.WINDOWS,
            "chart_alt": tool_charts.describe_checkins(_points(found, for_client=False)),
        },
    )


@router.get("/clinic/clients/{client_id:int}/check-ins/chart.svg")
async def client_chart(client_id: int, user: Clinician, db: DbDep, clock: ClockDep) -> Response:
    client = access.client_for(db, user, client_id)
    found = checkins.checkins(db, client)
    access.record_read(db, actor=user, client=client, what="check_ins.chart", now=clock.now())
    db.commit()
    return Response(
        tool_charts.checkins_svg(_points(found, for_client=False), for_client=False),
        media_type="image/svg+xml",
    )
