"""Thought-record pages: the client's four steps, their list and chart, and the care
team's view of one client's records.

The steps work without JavaScript: each is a plain form that saves and moves on, so
nothing typed is ever held only in the browser. A step refused for bad input is shown
again with every word as typed (HTTP 422) and nothing changed. "Add another feeling"
is a submit button that re-renders step one with one more row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from mend.care import access
from mend.care.models import Client
from mend.identity.models import User
from mend.language.traps_catalogue import CATALOGUE, trap
from mend.platform.clock import Clock
from mend.platform.errors import Invalid
from mend.practice import thought_rules as rules
from mend.practice import thoughts, tool_charts
from mend.practice.common import SUPPORT_URL, Writing, save_screened
from mend.practice.thoughts import FirstStep, ThoughtRecord
from mend.safety.rules import needs_support_page
from mend.web.deps import ClockDep, DbDep, SettingsDep
from mend.web.policy import ClientUser, Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)

MINE = "/me/thoughts"
FIRST_ROWS = 2  # feeling rows on a new record: most people name one or two
TRAPS = {t.id: t for t in CATALOGUE}
SAVED = {
    "1": "Your thought record is saved.",
    "later": "Saved. You can carry on from where you left off whenever you like.",
}


def _field(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _writing(record_id: int | None, fields: Mapping[str, str]) -> Writing:
    return Writing(
        thoughts.SOURCE_KIND,
        record_id,
        [(thoughts.source_label(name), text) for name, text in fields.items()],
    )


def _mine(db: Session, user: User, record_id: int) -> ThoughtRecord:
    return thoughts.own_record(db, access.own_client_record(db, user), record_id)


def _next(level: str, target: str, go: str) -> Response:
    # The very next page after urgent words is the support page, never the next step.
    if needs_support_page(level):
        return RedirectResponse(SUPPORT_URL, status_code=303)
    if go == "later":
        target = f"{MINE}?saved=later"
    if level == "concern":
        target += ("&" if "?" in target else "?") + "check=1"
    return RedirectResponse(target, status_code=303)


def _steps(record: ThoughtRecord | None, current: int) -> list[dict[str, Any]]:
    done = record.steps_done if record else 0
    return [
        {
            "number": n,
            "title": title,
            "href": f"{MINE}/{record.id}/{slug}" if record and n <= done + 1 else None,
            "current": n == current,
        }
        for n, slug, title in rules.STEPS
    ]


def _page(
    request: Request,
    record: ThoughtRecord | None,
    step: int,
    template: str,
    error: str | None,
    **context: Any,
) -> Response:
    """One of the four steps; refused input comes back with HTTP 422."""
    base = {
        "title": f"Thought record, step {step} of {len(rules.STEPS)}",
        "record": record,
        "steps": _steps(record, step),
        "step": step,
        "check": request.query_params.get("check"),
        "error": error,
    }
    return render(
        request, f"practice/{template}.html", base | context, status_code=422 if error else 200
    )


# --- step one: what happened, the thought, the feelings ---


def _first_form(
    request: Request,
    record: ThoughtRecord | None,
    step: FirstStep,
    *,
    extra_rows: int = 0,
    error: str | None = None,
) -> Response:
    # Two rows to start with; never fewer than were typed, never more than allowed.
    rows = list(step.emotion_rows)
    wanted = min(max(len(rows) + extra_rows, FIRST_ROWS), rules.MAX_EMOTIONS)
    return _page(
        request,
        record,
        rules.STEP_THOUGHT,
        "thought_what",
        error,
        form={"situation": step.situation, "thought": step.thought},
        rows=rows + [("", "")] * max(0, wanted - len(rows)),
        can_add=max(wanted, len(rows)) < rules.MAX_EMOTIONS,
        emotion_words=rules.EMOTION_WORDS,
        action=f"{MINE}/{record.id}/thought" if record else MINE,
        limits=rules,
    )


async def _save_first(
    request: Request, db: Session, user: User, record_id: int | None, clock: Clock, base_url: str
) -> Response:
    client = access.own_client_record(db, user)
    record = thoughts.own_record(db, client, record_id) if record_id is not None else None
    form = await request.form()
    rows = tuple(rules.feeling_rows(form))
    step = FirstStep(_field(form, "situation"), _field(form, "thought"), rows)
    go = _field(form, "go")
    if go == "more":
        # Nothing is saved: the same words come back with one more empty feeling row.
        return _first_form(request, record, step, extra_rows=1)
    now = clock.now()

    def refused(exc: Invalid) -> Response:
        current = thoughts.own_record(db, client, record_id) if record_id is not None else None
        return _first_form(request, current, step, error=str(exc))

    fields = {"situation": step.situation, "thought": step.thought}
    fields["feelings"] = thoughts.feelings_text(name for name, _ in rows)
    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=_writing(record_id, fields),
        now=now,
        base_url=base_url,
        save=lambda: thoughts.save_first(
            db,
            client=client,
            author=user,
            record_id=record_id,
            step=step,
            now=now,
            base_url=base_url,
        ),
        then=lambda saved, level: _next(level, f"{MINE}/{saved.id}/traps", go),
        refused=refused,
    )


@router.get(f"{MINE}/new", response_class=HTMLResponse)
async def new_record(request: Request, user: ClientUser, db: DbDep) -> Response:
    access.own_client_record(db, user)
    return _first_form(request, None, FirstStep("", "", ()))


@router.post(MINE, response_class=HTMLResponse)
async def create_record(
    request: Request, user: ClientUser, db: DbDep, clock: ClockDep, settings: SettingsDep
) -> Response:
    return await _save_first(request, db, user, None, clock, settings.base_url)


@router.get(MINE + "/{record_id:int}/thought", response_class=HTMLResponse)
async def edit_first(request: Request, record_id: int, user: ClientUser, db: DbDep) -> Response:
    record = _mine(db, user, record_id)
    rows = tuple((e.name, str(e.before)) for e in record.feelings)
    return _first_form(request, record, FirstStep(record.situation, record.thought, rows))


@router.post(MINE + "/{record_id:int}/thought", response_class=HTMLResponse)
async def save_first(
    request: Request,
    record_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    return await _save_first(request, db, user, record_id, clock, settings.base_url)


# --- step two: thinking traps ---


def _traps_page(
    request: Request, record: ThoughtRecord, ticked: set[str], error: str | None = None
) -> Response:
    found = thoughts.suggestions_for(record)
    return _page(
        request,
        record,
        rules.STEP_TRAPS,
        "thought_traps",
        error,
        withheld=found.withheld,
        suggested=[TRAPS[t] for t in found.traps],
        evidence={t: [e.words for e in items] for t, items in found.evidence.items()},
        others=[t for t in CATALOGUE if t.id not in found.traps],
        ticked=ticked,
        others_open=bool(ticked - set(found.traps)),
    )


@router.get(MINE + "/{record_id:int}/traps", response_class=HTMLResponse)
async def traps_step(request: Request, record_id: int, user: ClientUser, db: DbDep) -> Response:
    record = _mine(db, user, record_id)
    return _traps_page(request, record, set(record.trap_choice.fitting))


@router.post(MINE + "/{record_id:int}/traps", response_class=HTMLResponse)
async def save_traps(
    request: Request, record_id: int, user: ClientUser, db: DbDep, clock: ClockDep
) -> Response:
    client = access.own_client_record(db, user)
    form = await request.form()
    ticked = [v for v in form.getlist("trap") if isinstance(v, str)]
    try:
        record = thoughts.save_traps(
            db, client=client, author=user, record_id=record_id, ticked=ticked, now=clock.now()
        )
    except Invalid as exc:
        db.rollback()
        record = thoughts.own_record(db, client, record_id)
        return _traps_page(request, record, set(ticked) & set(TRAPS), str(exc))
    db.commit()
    return _next("none", f"{MINE}/{record.id}/evidence", _field(form, "go"))


# --- step three: evidence ---


def _evidence_page(
    request: Request, record: ThoughtRecord, typed: dict[str, str], error: str | None = None
) -> Response:
    questions = [trap(t) for t in record.trap_choice.fitting]
    return _page(
        request,
        record,
        rules.STEP_EVIDENCE,
        "thought_evidence",
        error,
        questions=questions,
        form=typed,
        limit=rules.MAX_EVIDENCE,
    )


@router.get(MINE + "/{record_id:int}/evidence", response_class=HTMLResponse)
async def evidence_step(request: Request, record_id: int, user: ClientUser, db: DbDep) -> Response:
    record = _mine(db, user, record_id)
    typed = {"evidence_for": record.evidence_for, "evidence_against": record.evidence_against}
    return _evidence_page(request, record, typed)


@router.post(MINE + "/{record_id:int}/evidence", response_class=HTMLResponse)
async def save_evidence(
    request: Request,
    record_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    client = access.own_client_record(db, user)
    thoughts.own_record(db, client, record_id)  # someone else's: 404 before anything
    form = await request.form()
    typed = {name: _field(form, name) for name in ("evidence_for", "evidence_against")}
    now = clock.now()

    def refused(exc: Invalid) -> Response:
        record = thoughts.own_record(db, client, record_id)
        return _evidence_page(request, record, typed, str(exc))

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=_writing(record_id, typed),
        now=now,
        base_url=settings.base_url,
        save=lambda: thoughts.save_evidence(
            db,
            client=client,
            author=user,
            record_id=record_id,
            evidence_for=typed["evidence_for"],
            evidence_against=typed["evidence_against"],
            now=now,
            base_url=settings.base_url,
        ),
        then=lambda saved, level: _next(level, f"{MINE}/{saved.id}/balance", _field(form, "go")),
        refused=refused,
    )


# --- step four: a balanced thought, and the feelings again ---


def _balance_page(
    request: Request,
    record: ThoughtRecord,
    balanced: str,
    ratings: list[str],
    error: str | None = None,
) -> Response:
    feelings = record.feelings
    ratings = (ratings + [""] * len(feelings))[: len(feelings)]
    return _page(
        request,
        record,
        rules.STEP_BALANCE,
        "thought_balance",
        error,
        feelings=list(zip(feelings, ratings, strict=True)),
        form={"balanced": balanced},
        limit=rules.MAX_BALANCED,
    )


@router.get(MINE + "/{record_id:int}/balance", response_class=HTMLResponse)
async def balance_step(request: Request, record_id: int, user: ClientUser, db: DbDep) -> Response:
    record = _mine(db, user, record_id)
    ratings = ["" if e.after is None else str(e.after) for e in record.feelings]
    return _balance_page(request, record, record.balanced_thought, ratings)


@router.post(MINE + "/{record_id:int}/balance", response_class=HTMLResponse)
async def save_balance(
    request: Request,
    record_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    client = access.own_client_record(db, user)
    thoughts.own_record(db, client, record_id)  # someone else's: 404 before anything
    form = await request.form()
    balanced, ratings = _field(form, "balanced"), rules.after_ratings(form)
    go = _field(form, "go")
    now = clock.now()

    def refused(exc: Invalid) -> Response:
        record = thoughts.own_record(db, client, record_id)
        return _balance_page(request, record, balanced, ratings, str(exc))

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=_writing(record_id, {"balanced": balanced}),
        now=now,
        base_url=settings.base_url,
        save=lambda: thoughts.save_balance(
            db,
            client=client,
            author=user,
            record_id=record_id,
            balanced=balanced,
            ratings=ratings,
            now=now,
            base_url=settings.base_url,
            partial=go == "later",
        ),
        then=lambda saved, level: _next(level, f"{MINE}/{saved.id}?saved=1", go),
        refused=refused,
    )


# --- the client's list, record and chart ---


def _chart_points(found: list[ThoughtRecord]) -> list[tool_charts.ChangePoint]:
    points = []
    for record in thoughts.completed(found):
        change = record.change
        if change is not None and record.completed_at is not None:
            points.append(tool_charts.ChangePoint(record.completed_at, change.before, change.after))
    return points


@router.get(MINE, response_class=HTMLResponse)
async def my_records(request: Request, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    found = thoughts.records(db, client)
    done = thoughts.completed(found)
    points = _chart_points(found)
    return render(
        request,
        "practice/thought_list.html",
        {
            "title": "My thought records",
            "drafts": [r for r in found if r.completed_at is None],
            "done": list(reversed(done)),
            "chart_alt": tool_charts.describe_changes(points),
            "describe_change": rules.describe_change,
            "saved": SAVED.get(request.query_params.get("saved", "")),
            "check": request.query_params.get("check"),
        },
    )


@router.get(MINE + "/chart.svg")
async def my_chart(user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    points = _chart_points(thoughts.records(db, client))
    return Response(
        tool_charts.thought_changes_svg(points, for_client=True), media_type="image/svg+xml"
    )


@router.get(MINE + "/{record_id:int}", response_class=HTMLResponse)
async def my_record(request: Request, record_id: int, user: ClientUser, db: DbDep) -> Response:
    record = _mine(db, user, record_id)
    return render(
        request,
        "practice/thought_record.html",
        {
            "title": "Thought record",
            "record": record,
            "traps": TRAPS,
            "change_text": rules.describe_change(record.change),
            "saved": SAVED.get(request.query_params.get("saved", "")),
            "check": request.query_params.get("check"),
        },
    )


# --- the care team's view ---


def _clinic_base(client: Client) -> str:
    return f"/clinic/clients/{client.id}/thoughts"


@router.get("/clinic/clients/{client_id:int}/thoughts", response_class=HTMLResponse)
async def client_records(
    request: Request, client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    found = thoughts.records(db, client)
    access.record_read(
        db,
        actor=user,
        client=client,
        what="thought_records",
        now=clock.now(),
        detail={"records": [r.id for r in found]},
    )
    db.commit()
    done = thoughts.completed(found)
    points = _chart_points(found)
    return render(
        request,
        "practice/thought_clinic.html",
        {
            "title": f"{client.name}: thought records",
            "client": client,
            "records": found,
            "done": done,
            "summary": rules.summarise(r.change for r in done),
            "tallies": rules.trap_tallies(
                r.trap_choice for r in found if r.steps_done >= rules.STEP_TRAPS
            ),
            "traps": TRAPS,
            "chart_alt": tool_charts.describe_changes(points),
            "base": _clinic_base(client),
        },
    )


@router.get("/clinic/clients/{client_id:int}/thoughts/chart.svg")
async def client_chart(client_id: int, user: Clinician, db: DbDep, clock: ClockDep) -> Response:
    client = access.client_for(db, user, client_id)
    found = thoughts.records(db, client)
    access.record_read(db, actor=user, client=client, what="thought_records.chart", now=clock.now())
    db.commit()
    return Response(
        tool_charts.thought_changes_svg(_chart_points(found), for_client=False),
        media_type="image/svg+xml",
    )


@router.get("/clinic/clients/{client_id:int}/thoughts/{record_id:int}", response_class=HTMLResponse)
async def client_record(
    request: Request, client_id: int, record_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    record = thoughts.own_record(db, client, record_id)
    access.record_read(
        db,
        actor=user,
        client=client,
        what="thought_record",
        now=clock.now(),
        detail={"record": record.id},
    )
    db.commit()
    return render(
        request,
        "practice/thought_clinic_record.html",
        {
            "title": f"{client.name}: thought record",
            "client": client,
            "record": record,
            "traps": TRAPS,
            "change_text": rules.describe_change(record.change),
            "base": _clinic_base(client),
        },
    )
