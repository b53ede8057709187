"""Support network pages: the client's people grouped by closeness, the signs of a safe
person, trust-building steps, and adding someone to the safety plan; the care team's
read-only view."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from mend.care import access
from mend.care.models import Client
from mend.platform.errors import Invalid
from mend.practice import network
from mend.practice import network_rules as rules
from mend.practice.common import Writing, after_save, save_screened
from mend.safety import plans
from mend.web.deps import ClockDep, DbDep, SettingsDep
from mend.web.policy import ClientUser, Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)

MINE = "/me/people"
Line = Annotated[str, Form(max_length=400)]
Short = Annotated[str, Form(max_length=20)]
Long = Annotated[str, Form(max_length=network.MAX_WHAT_HAPPENED + 500)]


def _person_writing(person_id: int | None, form: dict[str, str]) -> Writing:
    kind, label = network.PERSON_SOURCE
    words = network.person_words(
        form["name"], form["relationship"], form["reach_kind"], form["reach"]
    )
    return Writing(kind, person_id, [(label, w) for w in words])


def _step_writing(step_id: int | None, text: str) -> Writing:
    kind, label = network.STEP_SOURCE
    return Writing(kind, step_id, [(label, text)])


def _flags(request: Request) -> dict[str, Any]:
    return {
        "saved": request.query_params.get("saved"),
        "check": request.query_params.get("check"),
    }


def _person_form(form: dict[str, Any], error: str | None = None) -> dict[str, Any]:
    return {"form": form, "error": error, "reach_kinds": rules.REACH_KINDS}


@router.get(MINE, response_class=HTMLResponse)
async def my_people(request: Request, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    found = network.people(db, client)
    return render(
        request,
        "practice/network_list.html",
        {
            "title": "My people",
            "people": found,
            "groups": network.grouped(found),
            "circles": rules.circle_layout([(p.id, p.name, p.closeness) for p in found]),
            "removed": request.query_params.get("removed"),
            **_flags(request),
        },
    )


@router.get(f"{MINE}/new", response_class=HTMLResponse)
async def new_person(request: Request, user: ClientUser, db: DbDep) -> Response:
    access.own_client_record(db, user)
    return render(
        request,
        "practice/network_form.html",
        {"title": "Add a person", "person": None, **_person_form({"reach_kind": ""})},
    )


@router.post(MINE, response_class=HTMLResponse)
async def create_person(
    request: Request,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    name: Line = "",
    relationship: Line = "",
    reach_kind: Short = "",
    reach: Line = "",
    closeness: Short = "",
    trust: Short = "",
) -> Response:
    client = access.own_client_record(db, user)
    now = clock.now()
    form = {
        "name": name,
        "relationship": relationship,
        "reach_kind": reach_kind,
        "reach": reach,
        "closeness": closeness,
        "trust": trust,
    }

    def refused(exc: Invalid) -> Response:
        return render(
            request,
            "practice/network_form.html",
            {"title": "Add a person", "person": None, **_person_form(form, str(exc))},
            status_code=422,
        )

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=_person_writing(None, form),
        now=now,
        base_url=settings.base_url,
        save=lambda: network.add_person(
            db,
            client=client,
            author=user,
            name=name,
            relationship=relationship,
            reach_kind=reach_kind,
            reach=reach,
            closeness=closeness,
            trust=trust,
            now=now,
            base_url=settings.base_url,
        ),
        then=lambda person, level: after_save(level, f"{MINE}/{person.id}"),
        refused=refused,
    )


def _person_page(
    request: Request,
    db: Session,
    client: Client,
    person: network.NetworkPerson,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    steps = network.steps_for(db, client, person.id)
    return render(
        request,
        "practice/network_person.html",
        {
            "title": person.name,
            "person": person,
            "steps": list(reversed(steps)),
            "trend": network.trend_for(steps),
            "hint": network.hint_for(steps),
            "sign_labels": rules.SIGN_LABELS,
            "plan_sections": [plans.SPECS[s] for s in network.PLAN_SECTIONS],
            "plan_titles": {s.id: s.title for s in plans.SECTIONS},
            "added": request.query_params.get("added"),
            "error": error,
            **_flags(request),
        },
        status_code=status_code,
    )


@router.get(MINE + "/{person_id:int}", response_class=HTMLResponse)
async def show_person(request: Request, person_id: int, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    return _person_page(request, db, client, network.own_person(db, client, person_id))


@router.get(MINE + "/{person_id:int}/edit", response_class=HTMLResponse)
async def edit_person_page(
    request: Request, person_id: int, user: ClientUser, db: DbDep
) -> Response:
    client = access.own_client_record(db, user)
    person = network.own_person(db, client, person_id)
    form = {
        "name": person.name,
        "relationship": person.relationship,
        "reach_kind": person.reach_kind,
        "reach": person.reach or "",
        "closeness": person.closeness,
        "trust": person.trust,
    }
    return render(
        request,
        "practice/network_form.html",
        {"title": f"Change {person.name}", "person": person, **_person_form(form)},
    )


@router.post(MINE + "/{person_id:int}", response_class=HTMLResponse)
async def update_person(
    request: Request,
    person_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    name: Line = "",
    relationship: Line = "",
    reach_kind: Short = "",
    reach: Line = "",
    closeness: Short = "",
    trust: Short = "",
) -> Response:
    client = access.own_client_record(db, user)
    network.own_person(db, client, person_id)  # someone else's: 404 before anything
    now = clock.now()
    form = {
        "name": name,
        "relationship": relationship,
        "reach_kind": reach_kind,
        "reach": reach,
        "closeness": closeness,
        "trust": trust,
    }

    def refused(exc: Invalid) -> Response:
        current = network.own_person(db, client, person_id)
        return render(
            request,
            "practice/network_form.html",
            {"title": f"Change {current.name}", "person": current, **_person_form(form, str(exc))},
            status_code=422,
        )

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=_person_writing(person_id, form),
        now=now,
        base_url=settings.base_url,
        save=lambda: network.update_person(
            db,
            client=client,
            author=user,
            person_id=person_id,
            name=name,
            relationship=relationship,
            reach_kind=reach_kind,
            reach=reach,
            closeness=closeness,
            trust=trust,
            now=now,
            base_url=settings.base_url,
        ),
        then=lambda person, level: after_save(level, f"{MINE}/{person.id}"),
        refused=refused,
    )


@router.post(MINE + "/{person_id:int}/delete")
async def delete_person(person_id: int, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    network.remove_person(db, client=client, author=user, person_id=person_id, now=clock.now())
    db.commit()
    return RedirectResponse(f"{MINE}?removed=1", status_code=303)


# --- signs of a safe person ---


@router.get(MINE + "/{person_id:int}/signs", response_class=HTMLResponse)
async def signs_page(request: Request, person_id: int, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    person = network.own_person(db, client, person_id)
    return render(
        request,
        "practice/network_signs.html",
        {"title": f"Is {person.name} safe for me?", "person": person, "signs": rules.SIGNS},
    )


@router.post(MINE + "/{person_id:int}/signs", response_class=HTMLResponse)
async def save_signs(
    request: Request,
    person_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    sign: Annotated[list[str], Form(max_length=len(rules.SIGNS) + 5)] = [],  # noqa: B006
) -> Response:
    client = access.own_client_record(db, user)
    try:
        network.set_signs(
            db, client=client, author=user, person_id=person_id, ticked=sign, now=clock.now()
        )
    except Invalid as exc:
        db.rollback()
        person = network.own_person(db, client, person_id)
        return render(
            request,
            "practice/network_signs.html",
            {
                "title": f"Is {person.name} safe for me?",
                "person": person,
                "signs": rules.SIGNS,
                "error": str(exc),
            },
            status_code=422,
        )
    db.commit()
    return RedirectResponse(f"{MINE}/{person_id}?saved=1", status_code=303)


# --- trust-building steps ---


def _step_form(
    request: Request,
    person: network.NetworkPerson,
    steps: list[network.TrustStep],
    form: dict[str, Any],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "practice/network_step_form.html",
        {
            "title": f"A step with {person.name}",
            "person": person,
            "kinds": rules.STEP_KINDS,
            "sizes": rules.STEP_SIZES,
            "hint": network.hint_for(steps),
            "form": form,
            "error": error,
        },
        status_code=status_code,
    )


@router.get(MINE + "/{person_id:int}/steps/new", response_class=HTMLResponse)
async def new_step(
    request: Request, person_id: int, user: ClientUser, db: DbDep, clock: ClockDep
) -> Response:
    client = access.own_client_record(db, user)
    person = network.own_person(db, client, person_id)
    steps = network.steps_for(db, client, person.id)
    return _step_form(request, person, steps, {"planned_on": clock.now().date(), "size": "1"})


@router.post(MINE + "/{person_id:int}/steps", response_class=HTMLResponse)
async def create_step(
    request: Request,
    person_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    kind: Short = "",
    size: Short = "",
    plan: Long = "",
    planned_on: Short = "",
) -> Response:
    client = access.own_client_record(db, user)
    network.own_person(db, client, person_id)  # someone else's: 404 before anything
    now = clock.now()

    def refused(exc: Invalid) -> Response:
        person = network.own_person(db, client, person_id)
        steps = network.steps_for(db, client, person.id)
        form = {"kind": kind, "size": size, "plan": plan, "planned_on": planned_on}
        return _step_form(request, person, steps, form, str(exc), 422)

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=_step_writing(None, plan),
        now=now,
        base_url=settings.base_url,
        save=lambda: network.plan_step(
            db,
            client=client,
            author=user,
            person_id=person_id,
            kind=kind,
            size=size,
            plan=plan,
            planned_on=planned_on,
            now=now,
            base_url=settings.base_url,
        ),
        then=lambda step, level: after_save(level, f"{MINE}/{person_id}/steps/{step.id}"),
        refused=refused,
    )


def _step_page(
    request: Request,
    step: network.TrustStep,
    *,
    form: dict[str, Any] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "practice/network_step.html",
        {
            "title": step.kind_label,
            "step": step,
            "person": step.person,
            "changes": rules.TRUST_CHANGES,
            "form": form
            or {
                "went": step.went,
                "what_happened": step.what_happened or "",
                "trust_change": step.trust_change or "",
            },
            "error": error,
            **_flags(request),
        },
        status_code=status_code,
    )


@router.get(MINE + "/{person_id:int}/steps/{step_id:int}", response_class=HTMLResponse)
async def show_step(
    request: Request, person_id: int, step_id: int, user: ClientUser, db: DbDep
) -> Response:
    client = access.own_client_record(db, user)
    return _step_page(request, network.own_step(db, client, person_id, step_id))


@router.post(MINE + "/{person_id:int}/steps/{step_id:int}", response_class=HTMLResponse)
async def save_outcome(
    request: Request,
    person_id: int,
    step_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    went: Short = "",
    what_happened: Long = "",
    trust_change: Short = "",
) -> Response:
    client = access.own_client_record(db, user)
    network.own_step(db, client, person_id, step_id)  # someone else's: 404 before anything
    now = clock.now()

    def refused(exc: Invalid) -> Response:
        current = network.own_step(db, client, person_id, step_id)
        form = {"went": went, "what_happened": what_happened, "trust_change": trust_change}
        return _step_page(request, current, form=form, error=str(exc), status_code=422)

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=_step_writing(step_id, what_happened),
        now=now,
        base_url=settings.base_url,
        save=lambda: network.record_outcome(
            db,
            client=client,
            author=user,
            person_id=person_id,
            step_id=step_id,
            went=went,
            what_happened=what_happened,
            trust_change=trust_change,
            now=now,
            base_url=settings.base_url,
        ),
        then=lambda _step, level: after_save(level, f"{MINE}/{person_id}"),
        refused=refused,
    )


# --- the safety plan ---


@router.post(MINE + "/{person_id:int}/safety-plan", response_class=HTMLResponse)
async def add_to_plan(
    request: Request,
    person_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    section: Short = "",
) -> Response:
    client = access.own_client_record(db, user)
    try:
        result = network.add_to_safety_plan(
            db, client=client, author=user, person_id=person_id, section=section, now=clock.now()
        )
    except Invalid as exc:
        db.rollback()
        person = network.own_person(db, client, person_id)
        return _person_page(request, db, client, person, error=str(exc), status_code=422)
    db.commit()
    added = "1" if result.added else "already"
    return RedirectResponse(f"{MINE}/{person_id}?added={added}", status_code=303)


# --- the care team's view ---


@router.get("/clinic/clients/{client_id:int}/people", response_class=HTMLResponse)
async def client_people(
    request: Request, client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    found = network.people(db, client)
    steps = network.steps_for(db, client)
    by_person: dict[int, list[network.TrustStep]] = {p.id: [] for p in found}
    for s in steps:
        by_person.setdefault(s.person_id, []).append(s)
    access.record_read(
        db,
        actor=user,
        client=client,
        what="network",
        now=clock.now(),
        detail={"people": len(found), "steps": len(steps)},
    )
    db.commit()
    return render(
        request,
        "practice/network_clinic.html",
        {
            "title": f"{client.name}: support network",
            "client": client,
            "people": found,
            "trends": {p.id: network.trend_for(by_person[p.id]) for p in found},
            "step_counts": {p.id: len(by_person[p.id]) for p in found},
            "steps": list(reversed(steps)),
            "sign_labels": rules.SIGN_LABELS,
            "plan_titles": {s.id: s.title for s in plans.SECTIONS},
        },
    )
