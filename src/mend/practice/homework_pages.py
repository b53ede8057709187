"""Homework pages: the client's list, one piece of homework, "go to the tool" and "I did
it"; the clinician's list for a client with the assign form and cancel buttons.

The client's home page shows open homework through the `practice/_homework_due.html`
partial: the home route passes `homework_due=homework.due_for_home(db, client, now)`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mend.care import access
from mend.platform.errors import Invalid
from mend.practice import homework
from mend.practice import homework_rules as rules
from mend.practice.common import Writing, after_save, save_screened
from mend.web.deps import ClockDep, DbDep, SettingsDep
from mend.web.policy import ClientUser, Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)

Rating = Annotated[str, Form(max_length=5)]
Note = Annotated[str, Form(max_length=rules.MAX_NOTE + 1000)]
SAVED = {"assigned": "Homework assigned.", "cancelled": "Homework cancelled."}
SCALE = tuple(range(rules.DISTRESS_MIN, rules.DISTRESS_MAX + 1))


# --- the client's side ---


@router.get("/me/homework", response_class=HTMLResponse)
async def my_homework(request: Request, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    views = homework.for_client(db, client, clock.now())
    return render(
        request,
        "practice/homework_list.html",
        {
            "title": "My practice",
            "homework_due": [v for v in views if v.is_open],
            "done": [v for v in views if not v.is_open],
            "finished": request.query_params.get("done"),
            "check": request.query_params.get("check"),
        },
    )


@router.get("/me/homework/{item_id:int}", response_class=HTMLResponse)
async def my_homework_item(
    request: Request, item_id: int, user: ClientUser, db: DbDep, clock: ClockDep
) -> Response:
    client = access.own_client_record(db, user)
    view = homework.own_item(db, client, item_id, clock.now())
    return render(request, "practice/homework_item.html", {"title": view.tool.label, "h": view})


@router.post("/me/homework/{item_id:int}/open")
async def open_homework(item_id: int, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    view = homework.mark_opened(db, client=client, actor=user, item_id=item_id, now=clock.now())
    db.commit()
    return RedirectResponse(view.tool.url, status_code=303)


def _done_form(
    request: Request, view: homework.HomeworkView, form: dict[str, str], error: str = ""
) -> Response:
    return render(
        request,
        "practice/homework_done.html",
        {
            "title": "I did it",
            "h": view,
            "scale": SCALE,
            "form": form,
            "error": error,
            "max_note": rules.MAX_NOTE,
        },
        status_code=422 if error else 200,
    )


@router.get("/me/homework/{item_id:int}/done", response_class=HTMLResponse)
async def done_form(
    request: Request, item_id: int, user: ClientUser, db: DbDep, clock: ClockDep
) -> Response:
    client = access.own_client_record(db, user)
    view = homework.own_item(db, client, item_id, clock.now())
    if not view.is_open:
        return RedirectResponse(f"/me/homework/{item_id}", status_code=303)
    return _done_form(request, view, {})


@router.post("/me/homework/{item_id:int}/done", response_class=HTMLResponse)
async def mark_done(
    request: Request,
    item_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    before: Rating = "",
    after: Rating = "",
    note: Note = "",
) -> Response:
    client = access.own_client_record(db, user)
    now = clock.now()
    homework.own_item(db, client, item_id, now)  # someone else's: 404 before anything

    def refused(exc: Invalid) -> Response:
        view = homework.own_item(db, client, item_id, now)
        form = {"before": before, "after": after, "note": note}
        return _done_form(request, view, form, str(exc))

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=Writing(homework.SOURCE_KIND, item_id, [(homework.SOURCE_LABEL, note)]),
        now=now,
        base_url=settings.base_url,
        save=lambda: homework.complete(
            db,
            client=client,
            actor=user,
            item_id=item_id,
            distress_before=before,
            distress_after=after,
            note=note,
            now=now,
            base_url=settings.base_url,
        ),
        then=lambda _view, level: after_save(level, f"/me/homework?done={item_id}", mark=None),
        refused=refused,
    )


# --- the clinician's side ---


def _clinic_page(
    request: Request,
    db: DbDep,
    user: Clinician,
    client_id: int,
    clock: ClockDep,
    *,
    form: dict[str, str] | None = None,
    error: str = "",
) -> Response:
    client = access.client_for(db, user, client_id)
    now = clock.now()
    views = homework.for_clinician(db, client=client, clinician=user, now=now)
    db.commit()  # the read is audited
    today = now.date()
    context: dict[str, Any] = {
        "title": f"{client.name}: homework",
        "client": client,
        "views": views,
        "summary": rules.summarise(
            (v.status, v.item.distress_before, v.item.distress_after) for v in views
        ),
        "choices": rules.tool_choices(homework.titles()),
        "readings": rules.READING,
        "today": today.isoformat(),
        "form": form or {"due_on": (today + timedelta(days=7)).isoformat()},
        "error": error,
        "saved": SAVED.get(request.query_params.get("saved", "")),
        "max_instructions": rules.MAX_INSTRUCTIONS,
    }
    return render(
        request, "practice/homework_clinic.html", context, status_code=422 if error else 200
    )


@router.get("/clinic/clients/{client_id:int}/homework", response_class=HTMLResponse)
async def client_homework(
    request: Request, client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    return _clinic_page(request, db, user, client_id, clock)


@router.post("/clinic/clients/{client_id:int}/homework", response_class=HTMLResponse)
async def assign_homework(
    request: Request,
    client_id: int,
    user: Clinician,
    db: DbDep,
    clock: ClockDep,
    tool: Annotated[str, Form(max_length=rules.MAX_TOOL_ID)] = "",
    instructions: Annotated[str, Form(max_length=rules.MAX_INSTRUCTIONS + 1000)] = "",
    due_on: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    client = access.client_for(db, user, client_id)
    try:
        homework.assign(
            db,
            client=client,
            clinician=user,
            tool=tool,
            instructions=instructions,
            due_on=due_on,
            now=clock.now(),
        )
    except Invalid as exc:
        db.rollback()
        form = {"tool": tool, "instructions": instructions, "due_on": due_on}
        return _clinic_page(request, db, user, client_id, clock, form=form, error=str(exc))
    db.commit()
    return RedirectResponse(f"/clinic/clients/{client.id}/homework?saved=assigned", status_code=303)


@router.post("/clinic/clients/{client_id:int}/homework/{item_id:int}/cancel")
async def cancel_homework(
    client_id: int, item_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    homework.cancel(db, client=client, clinician=user, item_id=item_id, now=clock.now())
    db.commit()
    return RedirectResponse(
        f"/clinic/clients/{client.id}/homework?saved=cancelled", status_code=303
    )
