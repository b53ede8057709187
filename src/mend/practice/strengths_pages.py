"""Strengths pages: the client's log of getting through hard times, the strengths used
most, and private self-compassion letters (shared one by one, like the journal); the
care team's read-only view, which shows letters only when shared."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from mend.care import access
from mend.identity.models import User
from mend.platform.clock import Clock
from mend.platform.errors import Invalid
from mend.platform.settings import Settings
from mend.practice import strengths
from mend.practice.common import Writing, after_save, save_screened
from mend.web.deps import ClockDep, DbDep, SettingsDep
from mend.web.policy import ClientUser, Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)

MINE = "/me/strengths"
LETTERS = f"{MINE}/letters"
Story = Annotated[str, Form(max_length=strengths.MAX_STORY + 500)]
Letter = Annotated[str, Form(max_length=strengths.MAX_LETTER + 1000)]
Short = Annotated[str, Form(max_length=20)]
Own = Annotated[str, Form(max_length=(strengths.MAX_OWN_CHARS + 2) * 10)]
Picked = Annotated[list[str], Form(max_length=len(strengths.STRENGTHS) + 5)]


def _flags(request: Request) -> dict[str, Any]:
    return {
        "saved": request.query_params.get("saved"),
        "check": request.query_params.get("check"),
    }


@router.get(MINE, response_class=HTMLResponse)
async def my_strengths(request: Request, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    found = strengths.moments(db, client)
    return render(
        request,
        "practice/strengths_home.html",
        {
            "title": "My strengths",
            "moments": found,
            "top": strengths.count_strengths((m.picked, m.own) for m in found)[:5],
            "letters": len(strengths.letters(db, client)),
            **_flags(request),
        },
    )


def _moment_form(
    request: Request,
    moment: strengths.StrengthMoment | None,
    form: dict[str, Any],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "practice/strengths_form.html",
        {
            "title": "A time I got through" if moment is None else "Getting through",
            "moment": moment,
            "choices": strengths.STRENGTHS,
            "form": form,
            "error": error,
            **_flags(request),
        },
        status_code=status_code,
    )


@router.get(f"{MINE}/new", response_class=HTMLResponse)
async def new_moment(request: Request, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    access.own_client_record(db, user)
    return _moment_form(request, None, {"happened_on": clock.now().date(), "picked": []})


async def _save_moment(
    request: Request,
    user: User,
    db: Session,
    clock: Clock,
    settings: Settings,
    form: dict[str, Any],
    moment_id: int | None,
) -> Response:
    client = access.own_client_record(db, user)
    if moment_id is not None:
        strengths.own_moment(db, client, moment_id)  # someone else's: 404 before anything
    now = clock.now()

    def refused(exc: Invalid) -> Response:
        current = strengths.own_moment(db, client, moment_id) if moment_id is not None else None
        return _moment_form(request, current, form, str(exc), status_code=422)

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        # The story and the client's own strengths are screened before the date and the
        # ticked strengths are checked.
        writing=Writing(
            strengths.MOMENT_KIND,
            moment_id,
            [(strengths.MOMENT_LABEL, form["story"]), (strengths.MOMENT_LABEL, form["own"])],
        ),
        now=now,
        base_url=settings.base_url,
        save=lambda: strengths.save_moment(
            db,
            client=client,
            author=user,
            happened_on=form["happened_on"],
            story=form["story"],
            picked=form["picked"],
            own=form["own"],
            now=now,
            base_url=settings.base_url,
            moment_id=moment_id,
        ),
        then=lambda moment, level: after_save(level, f"{MINE}/{moment.id}"),
        refused=refused,
    )


@router.post(MINE, response_class=HTMLResponse)
async def create_moment(
    request: Request,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    happened_on: Short = "",
    story: Story = "",
    strength: Picked = [],  # noqa: B006
    own: Own = "",
) -> Response:
    form = {"happened_on": happened_on, "story": story, "picked": strength, "own": own}
    return await _save_moment(request, user, db, clock, settings, form, None)


@router.get(MINE + "/{moment_id:int}", response_class=HTMLResponse)
async def show_moment(request: Request, moment_id: int, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    moment = strengths.own_moment(db, client, moment_id)
    form = {
        "happened_on": moment.happened_on,
        "story": moment.story,
        "picked": moment.picked,
        "own": ", ".join(moment.own),
    }
    return _moment_form(request, moment, form)


@router.post(MINE + "/{moment_id:int}", response_class=HTMLResponse)
async def update_moment(
    request: Request,
    moment_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    happened_on: Short = "",
    story: Story = "",
    strength: Picked = [],  # noqa: B006
    own: Own = "",
) -> Response:
    form = {"happened_on": happened_on, "story": story, "picked": strength, "own": own}
    return await _save_moment(request, user, db, clock, settings, form, moment_id)


# --- self-compassion letters ---


@router.get(LETTERS, response_class=HTMLResponse)
async def my_letters(request: Request, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    return render(
        request,
        "practice/strengths_letters.html",
        {"title": "Letters to myself", "letters": strengths.letters(db, client), **_flags(request)},
    )


def _letter_form(
    request: Request,
    letter: strengths.CompassionLetter | None,
    form: dict[str, Any],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "practice/strengths_letter.html",
        {
            "title": "A letter to myself",
            "letter": letter,
            "prompts": strengths.LETTER_PROMPTS,
            "form": form,
            "error": error,
            **_flags(request),
        },
        status_code=status_code,
    )


@router.get(f"{LETTERS}/new", response_class=HTMLResponse)
async def new_letter(request: Request, user: ClientUser, db: DbDep) -> Response:
    access.own_client_record(db, user)
    return _letter_form(request, None, {})


@router.post(LETTERS, response_class=HTMLResponse)
async def create_letter(
    request: Request,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    body: Letter = "",
    shared: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    client = access.own_client_record(db, user)
    now = clock.now()
    form = {"body": body, "shared": shared == "on"}
    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=Writing(
            strengths.LETTER_KIND, None, [(strengths.letter_label(shared == "on"), body)]
        ),
        now=now,
        base_url=settings.base_url,
        save=lambda: strengths.write_letter(
            db,
            client=client,
            author=user,
            body=body,
            shared=shared == "on",
            now=now,
            base_url=settings.base_url,
        ),
        then=lambda letter, level: after_save(level, f"{LETTERS}/{letter.id}"),
        refused=lambda exc: _letter_form(request, None, form, str(exc), status_code=422),
    )


@router.get(LETTERS + "/{letter_id:int}", response_class=HTMLResponse)
async def show_letter(request: Request, letter_id: int, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    letter = strengths.own_letter(db, client, letter_id)
    return _letter_form(request, letter, {"body": letter.body})


@router.post(LETTERS + "/{letter_id:int}", response_class=HTMLResponse)
async def update_letter(
    request: Request,
    letter_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    body: Letter = "",
) -> Response:
    client = access.own_client_record(db, user)
    current = strengths.own_letter(db, client, letter_id)
    shared = current.shared
    now = clock.now()

    def refused(exc: Invalid) -> Response:
        letter = strengths.own_letter(db, client, letter_id)
        return _letter_form(request, letter, {"body": body}, str(exc), status_code=422)

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=Writing(strengths.LETTER_KIND, letter_id, [(strengths.letter_label(shared), body)]),
        now=now,
        base_url=settings.base_url,
        save=lambda: strengths.write_letter(
            db,
            client=client,
            author=user,
            body=body,
            shared=shared,
            now=now,
            base_url=settings.base_url,
            letter_id=letter_id,
        ),
        then=lambda letter, level: after_save(level, f"{LETTERS}/{letter.id}"),
        refused=refused,
    )


@router.post(LETTERS + "/{letter_id:int}/share")
async def share_letter(
    letter_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    shared: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    client = access.own_client_record(db, user)
    strengths.set_shared(
        db, client=client, author=user, letter_id=letter_id, shared=shared == "on", now=clock.now()
    )
    db.commit()
    return RedirectResponse(f"{LETTERS}/{letter_id}", status_code=303)


# --- the care team's view ---


@router.get("/clinic/clients/{client_id:int}/strengths", response_class=HTMLResponse)
async def client_strengths(
    request: Request, client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    found = strengths.moments(db, client)
    shared = strengths.shared_letters(db, client)
    access.record_read(
        db,
        actor=user,
        client=client,
        what="strengths",
        now=clock.now(),
        detail={"moments": len(found), "letters": [letter.id for letter in shared]},
    )
    db.commit()
    return render(
        request,
        "practice/strengths_clinic.html",
        {
            "title": f"{client.name}: strengths",
            "client": client,
            "moments": found,
            "counts": strengths.count_strengths((m.picked, m.own) for m in found),
            "letters": shared,
        },
    )
