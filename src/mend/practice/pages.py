"""Journal pages: the client writes, reads and shares; the care team reads what was shared."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mend.care import access
from mend.platform.errors import Invalid
from mend.practice import journal
from mend.practice.common import Writing, after_save, save_screened
from mend.web.deps import ClockDep, DbDep, SettingsDep
from mend.web.policy import ClientUser, Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)

Body = Annotated[str, Form(max_length=journal.MAX_BODY + 1000)]
Mood = Annotated[str, Form(max_length=20)]


@router.get("/me/journal", response_class=HTMLResponse)
async def journal_list(request: Request, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    return render(
        request,
        "practice/journal_list.html",
        {
            "title": "My journal",
            "entries": journal.entries(db, client),
            "saved": request.query_params.get("saved"),
            "check": request.query_params.get("check"),
        },
    )


@router.get("/me/journal/new", response_class=HTMLResponse)
async def new_entry(request: Request, user: ClientUser) -> Response:
    return render(
        request,
        "practice/journal_form.html",
        {"title": "New journal entry", "moods": journal.MOODS, "form": {}},
    )


@router.post("/me/journal", response_class=HTMLResponse)
async def create_entry(
    request: Request,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    body: Body = "",
    mood: Mood = "",
    shared: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    client = access.own_client_record(db, user)
    now = clock.now()

    def refused(exc: Invalid) -> Response:
        return render(
            request,
            "practice/journal_form.html",
            {
                "title": "New journal entry",
                "moods": journal.MOODS,
                "error": str(exc),
                "form": {"body": body, "mood": mood, "shared": shared == "on"},
            },
            status_code=422,
        )

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=Writing(journal.SOURCE_KIND, None, [(journal.source_label(shared == "on"), body)]),
        now=now,
        base_url=settings.base_url,
        save=lambda: journal.write(
            db,
            client=client,
            author=user,
            body=body,
            mood=mood,
            shared=shared == "on",
            now=now,
            base_url=settings.base_url,
        ),
        then=lambda entry, level: after_save(level, f"/me/journal/{entry.id}"),
        refused=refused,
    )


@router.get("/me/journal/{entry_id}", response_class=HTMLResponse)
async def show_entry(request: Request, entry_id: int, user: ClientUser, db: DbDep) -> Response:
    client = access.own_client_record(db, user)
    entry = journal.own_entry(db, client, entry_id)
    return render(
        request,
        "practice/journal_entry.html",
        {
            "title": "Journal entry",
            "entry": entry,
            "moods": journal.MOODS,
            "saved": request.query_params.get("saved"),
            "check": request.query_params.get("check"),
        },
    )


@router.post("/me/journal/{entry_id}", response_class=HTMLResponse)
async def edit_entry(
    request: Request,
    entry_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    body: Body = "",
    mood: Mood = "",
) -> Response:
    client = access.own_client_record(db, user)
    current = journal.own_entry(db, client, entry_id)
    now = clock.now()

    def refused(exc: Invalid) -> Response:
        entry = journal.own_entry(db, client, entry_id)
        return render(
            request,
            "practice/journal_entry.html",
            {
                "title": "Journal entry",
                "entry": entry,
                "moods": journal.MOODS,
                "error": str(exc),
                "form": {"body": body, "mood": mood},
            },
            status_code=422,
        )

    return save_screened(
        request,
        db,
        client=client,
        author=user,
        writing=Writing(
            journal.SOURCE_KIND, entry_id, [(journal.source_label(current.shared), body)]
        ),
        now=now,
        base_url=settings.base_url,
        save=lambda: journal.edit(
            db,
            client=client,
            author=user,
            entry_id=entry_id,
            body=body,
            mood=mood,
            now=now,
            base_url=settings.base_url,
        ),
        then=lambda entry, level: after_save(level, f"/me/journal/{entry.id}"),
        refused=refused,
    )


@router.post("/me/journal/{entry_id}/share")
async def share_entry(
    entry_id: int,
    user: ClientUser,
    db: DbDep,
    clock: ClockDep,
    shared: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    client = access.own_client_record(db, user)
    journal.set_shared(
        db, client=client, author=user, entry_id=entry_id, shared=shared == "on", now=clock.now()
    )
    db.commit()
    return RedirectResponse(f"/me/journal/{entry_id}", status_code=303)


@router.get("/clinic/clients/{client_id}/journal", response_class=HTMLResponse)
async def shared_journal(
    request: Request, client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    entries = journal.shared_entries(db, client)
    access.record_read(
        db,
        actor=user,
        client=client,
        what="journal",
        now=clock.now(),
        detail={"entries": [e.id for e in entries]},
    )
    db.commit()
    return render(
        request,
        "practice/journal_shared.html",
        {"title": f"{client.name}: shared journal", "client": client, "entries": entries},
    )
