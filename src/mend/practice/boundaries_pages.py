"""Boundaries pages: DEAR MAN scripts, boundary plans and the practice log for the
client; a read-only view for the care team."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from mend.care import access
from mend.care.models import Client
from mend.identity.models import User
from mend.platform.clock import Clock
from mend.platform.errors import Invalid
from mend.platform.settings import Settings
from mend.practice import boundaries
from mend.practice.common import Writing, after_save, save_screened
from mend.safety.screening import TextScreening
from mend.web.deps import ClockDep, DbDep, SettingsDep
from mend.web.policy import ClientUser, Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)

MINE = "/me/boundaries"
Title = Annotated[str, Form(max_length=boundaries.MAX_TITLE + 200)]
StepText = Annotated[str, Form(max_length=boundaries.MAX_STEP + 500)]
Text = Annotated[str, Form(max_length=boundaries.MAX_TEXT + 500)]
Short = Annotated[str, Form(max_length=30)]


def _writing(source: tuple[str, str], source_id: int | None, texts: list[str]) -> Writing:
    kind, label = source
    return Writing(kind, source_id, [(label, text) for text in texts])


def _flags(request: Request) -> dict[str, Any]:
    return {
        "saved": request.query_params.get("saved"),
        "check": request.query_params.get("check"),
    }


@router.get(MINE, response_class=HTMLResponse)
async def my_boundaries(request: Request, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    return render(
        request,
        "practice/boundaries_home.html",
        {
            "title": "Boundaries and speaking up",
            "scripts": boundaries.scripts(db, client),
            "plans": boundaries.boundary_plans(db, client),
            "practices": boundaries.practices(db, client),
            **_flags(request),
        },
    )


# --- DEAR MAN scripts ---


def _script_form(
    request: Request,
    script: boundaries.DearManScript | None,
    form: dict[str, Any],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "practice/boundaries_script_form.html",
        {
            "title": "Change my script" if script else "A DEAR MAN script",
            "script": script,
            "steps": boundaries.STEPS,
            "form": form,
            "error": error,
        },
        status_code=status_code,
    )


@router.get(f"{MINE}/scripts/new", response_class=HTMLResponse)
async def new_script(request: Request, user: ClientUser, db: DbDep) -> Response:
    access.own_client_record(db, user)
    return _script_form(request, None, {"steps": {}})


async def _steps_from(request: Request) -> dict[str, str]:
    form = await request.form()
    steps: dict[str, str] = {}
    for step_id in boundaries.STEP_IDS:
        value = form.get(step_id, "")
        steps[step_id] = value if isinstance(value, str) else ""
    return steps


def _too_long(steps: dict[str, str]) -> bool:
    # Form() bounds only declared fields; the steps are read from the raw form.
    return any(len(v) > boundaries.MAX_STEP + 500 for v in steps.values())


async def _save_script(
    request: Request,
    user: User,
    db: Session,
    clock: Clock,
    settings: Settings,
    title: str,
    script_id: int | None,
) -> Response:
    client = access.own_client_record(db, user)
    if script_id is not None:
        boundaries.own_script(db, client, script_id)  # someone else's: 404 before anything
    steps = await _steps_from(request)
    now = clock.now()

    def save() -> tuple[boundaries.DearManScript, TextScreening]:
        if _too_long(steps):
            raise Invalid(f"Please keep each step to {boundaries.MAX_STEP:,} characters or fewer.")
        return boundaries.save_script(
            db,
            client=client,
            author=user,
            title=title,
            steps=steps,
            now=now,
            base_url=settings.base_url,
            script_id=script_id,
        )

    def refused(exc: Invalid) -> Response:
        current = boundaries.own_script(db, client, script_id) if script_id is not None else None
        form = {"title": title, "steps": steps}
        return _script_form(request, current, form, str(exc), status_code=422)

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=_writing(boundaries.SCRIPT_SOURCE, script_id, [title, *steps.values()]),
        now=now,
        base_url=settings.base_url,
        save=save,
        then=lambda script, level: after_save(level, f"{MINE}/scripts/{script.id}"),
        refused=refused,
    )


@router.post(f"{MINE}/scripts", response_class=HTMLResponse)
async def create_script(
    request: Request,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    title: Title = "",
) -> Response:
    return await _save_script(request, user, db, clock, settings, title, None)


@router.get(MINE + "/scripts/{script_id:int}", response_class=HTMLResponse)
async def show_script(request: Request, script_id: int, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    script = boundaries.own_script(db, client, script_id)
    return render(
        request,
        "practice/boundaries_script.html",
        {"title": script.title, "script": script, **_flags(request)},
    )


@router.get(MINE + "/scripts/{script_id:int}/edit", response_class=HTMLResponse)
async def edit_script(request: Request, script_id: int, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    script = boundaries.own_script(db, client, script_id)
    return _script_form(request, script, {"title": script.title, "steps": script.steps})


@router.post(MINE + "/scripts/{script_id:int}", response_class=HTMLResponse)
async def update_script(
    request: Request,
    script_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    title: Title = "",
) -> Response:
    return await _save_script(request, user, db, clock, settings, title, script_id)


# --- boundary plans ---


def _plan_form(
    request: Request,
    plan: boundaries.BoundaryPlan | None,
    form: dict[str, Any],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "practice/boundaries_plan_form.html",
        {
            "title": "Change my boundary" if plan else "Plan a boundary",
            "plan": plan,
            "form": form,
            "error": error,
        },
        status_code=status_code,
    )


@router.get(f"{MINE}/plans/new", response_class=HTMLResponse)
async def new_plan(request: Request, user: ClientUser, db: DbDep) -> Response:
    access.own_client_record(db, user)
    return _plan_form(request, None, {})


async def _save_plan(
    request: Request,
    user: User,
    db: Session,
    clock: Clock,
    settings: Settings,
    form: dict[str, str],
    plan_id: int | None,
) -> Response:
    client = access.own_client_record(db, user)
    if plan_id is not None:
        boundaries.own_plan(db, client, plan_id)  # someone else's: 404 before anything
    now = clock.now()

    def refused(exc: Invalid) -> Response:
        current = boundaries.own_plan(db, client, plan_id) if plan_id is not None else None
        return _plan_form(request, current, form, str(exc), status_code=422)

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=_writing(boundaries.PLAN_SOURCE, plan_id, list(form.values())),
        now=now,
        base_url=settings.base_url,
        save=lambda: boundaries.save_plan(
            db,
            client=client,
            author=user,
            now=now,
            base_url=settings.base_url,
            plan_id=plan_id,
            my_limit=form["my_limit"],
            how_to_say=form["how_to_say"],
            if_crossed=form["if_crossed"],
        ),
        then=lambda plan, level: after_save(level, f"{MINE}/plans/{plan.id}"),
        refused=refused,
    )


@router.post(f"{MINE}/plans", response_class=HTMLResponse)
async def create_plan(
    request: Request,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    my_limit: Text = "",
    how_to_say: Text = "",
    if_crossed: Text = "",
) -> Response:
    form = {"my_limit": my_limit, "how_to_say": how_to_say, "if_crossed": if_crossed}
    return await _save_plan(request, user, db, clock, settings, form, None)


@router.get(MINE + "/plans/{plan_id:int}", response_class=HTMLResponse)
async def show_plan(request: Request, plan_id: int, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    plan = boundaries.own_plan(db, client, plan_id)
    return render(
        request,
        "practice/boundaries_plan.html",
        {"title": "My boundary", "plan": plan, **_flags(request)},
    )


@router.get(MINE + "/plans/{plan_id:int}/edit", response_class=HTMLResponse)
async def edit_plan(request: Request, plan_id: int, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    plan = boundaries.own_plan(db, client, plan_id)
    form = {"my_limit": plan.my_limit, "how_to_say": plan.how_to_say, "if_crossed": plan.if_crossed}
    return _plan_form(request, plan, form)


@router.post(MINE + "/plans/{plan_id:int}", response_class=HTMLResponse)
async def update_plan(
    request: Request,
    plan_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    my_limit: Text = "",
    how_to_say: Text = "",
    if_crossed: Text = "",
) -> Response:
    form = {"my_limit": my_limit, "how_to_say": how_to_say, "if_crossed": if_crossed}
    return await _save_plan(request, user, db, clock, settings, form, plan_id)


# --- practice log ---


def _practice_form(
    request: Request,
    db: Session,
    client: Client,
    form: dict[str, Any],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "practice/boundaries_practice_form.html",
        {
            "title": "How did it go?",
            "scripts": boundaries.scripts(db, client),
            "plans": boundaries.boundary_plans(db, client),
            "form": form,
            "error": error,
        },
        status_code=status_code,
    )


@router.get(f"{MINE}/practice/new", response_class=HTMLResponse)
async def new_practice(request: Request, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    about = request.query_params.get("about", "")
    return _practice_form(request, db, client, {"about": about, "practised_on": clock.now().date()})


@router.post(f"{MINE}/practice", response_class=HTMLResponse)
async def create_practice(
    request: Request,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    about: Short = "",
    practised_on: Short = "",
    went: Short = "",
    what_happened: Text = "",
    try_next: Text = "",
) -> Response:
    client = access.own_client_record(db, user)
    now = clock.now()
    form = {
        "about": about,
        "practised_on": practised_on,
        "went": went,
        "what_happened": what_happened,
        "try_next": try_next,
    }
    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=_writing(boundaries.PRACTICE_SOURCE, None, [what_happened, try_next]),
        now=now,
        base_url=settings.base_url,
        save=lambda: boundaries.log_practice(
            db,
            client=client,
            author=user,
            about=about,
            practised_on=practised_on,
            went=went,
            what_happened=what_happened,
            try_next=try_next,
            now=now,
            base_url=settings.base_url,
        ),
        then=lambda _practice, level: after_save(level, MINE),
        refused=lambda exc: _practice_form(request, db, client, form, str(exc), status_code=422),
    )


# --- the care team's view ---


@router.get("/clinic/clients/{client_id:int}/boundaries", response_class=HTMLResponse)
async def client_boundaries(
    request: Request, client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    scripts = boundaries.scripts(db, client)
    plans = boundaries.boundary_plans(db, client)
    practices = boundaries.practices(db, client)
    access.record_read(
        db,
        actor=user,
        client=client,
        what="boundaries",
        now=clock.now(),
        detail={"scripts": len(scripts), "plans": len(plans), "practices": len(practices)},
    )
    db.commit()
    return render(
        request,
        "practice/boundaries_clinic.html",
        {
            "title": f"{client.name}: boundaries",
            "client": client,
            "scripts": scripts,
            "plans": plans,
            "practices": practices,
        },
    )
