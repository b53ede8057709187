"""Safety plan pages: the client's phone page, editor, printable sheet and history, and
the clinician's view and editor for a client on their care team.

The editor works without JavaScript: it shows every entry plus a couple of empty rows
per section, and "Add more rows" is a submit button that re-renders the form (nothing
is saved until Save). Field names are `<section>-<row>-<text|phone|reach>`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from mend.care import access
from mend.care.models import Client
from mend.identity.models import User
from mend.platform.clock import Clock
from mend.safety import plans
from mend.safety.plans import Content, Entry, PlanConflict, PlanInvalid, Problem
from mend.safety.rules import needs_support_page
from mend.safety.support import SUPPORT_URL, offer_support
from mend.safety.writing import Writing, screen_first
from mend.web.deps import ClockDep, DbDep, SettingsDep
from mend.web.policy import ClientUser, Clinician
from mend.web.templating import render

router = APIRouter(include_in_schema=False)

EMPTY_ROWS = 2  # spare rows under the entries, so most people never need "Add more"
MORE_ROWS = 3
_FIELD = re.compile(r"^([a-z_]+)-(\d{1,3})-(text|phone|reach)$")
SAVED_MESSAGES = {
    "1": "Your changes are saved.",
    "unchanged": "Nothing had changed, so there was nothing new to save.",
    "merged": (
        "Your changes are saved. Someone else also changed the plan while you were "
        "editing; their changes are kept too."
    ),
}


# --- the editor's rows ---


@dataclass
class Row:
    text: str = ""
    phone: str = ""
    reach: str = plans.CALL_OR_TEXT

    @property
    def blank(self) -> bool:
        return not self.text.strip() and not self.phone.strip()


@dataclass
class EditorSection:
    section: plans.SectionView
    rows: list[Row]
    # The other person's newer words for this section, when both changed it.
    theirs: tuple[Entry, ...] | None = None

    @property
    def can_add(self) -> bool:
        return len(self.rows) < plans.MAX_ENTRIES


@dataclass
class SubmittedForm:
    rows: dict[str, list[Row]]  # blank rows dropped, so row numbers match the problems
    shown: dict[str, int]  # how many rows each section showed
    base_version: int | None
    more: str | None  # the section whose "Add more rows" was pressed


def _int(value: object, default: int | None) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return default


def read_form(form: Mapping[str, object]) -> SubmittedForm:
    found: dict[str, dict[int, Row]] = {s: {} for s in plans.SECTION_IDS}
    for key, value in form.items():
        match = _FIELD.match(key)
        if match is None or match.group(1) not in found or not isinstance(value, str):
            continue
        row = found[match.group(1)].setdefault(int(match.group(2)), Row())
        setattr(row, match.group(3), value)
    rows = {s: [r for _, r in sorted(found[s].items()) if not r.blank] for s in found}
    shown = {
        s: max(0, min(plans.MAX_ENTRIES, _int(form.get(f"rows-{s}", 0), 0) or 0))
        for s in plans.SECTION_IDS
    }
    more = form.get("more")
    return SubmittedForm(
        rows=rows,
        shown=shown,
        base_version=_int(form.get("base_version", ""), None),
        more=more if isinstance(more, str) and more in found else None,
    )


def _content(rows: dict[str, list[Row]]) -> Content:
    return {
        s: tuple(Entry(r.text, r.phone or None, r.reach) for r in section_rows)
        for s, section_rows in rows.items()
    }


def _rows_from(content: Content) -> dict[str, list[Row]]:
    return {
        s: [Row(e.text, e.phone or "", e.reach) for e in content.get(s, ())]
        for s in plans.SECTION_IDS
    }


def _editor(
    rows: dict[str, list[Row]],
    shown: Mapping[str, int] | None = None,
    theirs: Mapping[str, tuple[Entry, ...]] | None = None,
) -> list[EditorSection]:
    sections = []
    for view in plans.section_views(plans.empty_content()):
        filled = list(rows.get(view.id, []))
        wanted = max(len(filled) + EMPTY_ROWS, (shown or {}).get(view.id, 0))
        wanted = max(len(filled), min(wanted, plans.MAX_ENTRIES))
        filled += [Row() for _ in range(wanted - len(filled))]
        sections.append(EditorSection(view, filled, (theirs or {}).get(view.id)))
    return sections


# --- shared between the client's and the clinician's side ---


@dataclass(frozen=True)
class Side:
    """Whose pages these are: the client's own, or a clinician's for one client."""

    base: str  # URL prefix of the plan pages
    for_client: bool


def _side(user: User, client: Client) -> Side:
    if user.id == client.user_id:
        return Side("/me/safety-plan", True)
    return Side(f"/clinic/clients/{client.id}/safety-plan", False)


def _show_editor(
    request: Request,
    *,
    client: Client,
    side: Side,
    sections: list[EditorSection],
    base_version: int | None,
    problems: list[Problem] | None = None,
    conflict: PlanConflict | None = None,
    status_code: int = 200,
) -> Response:
    problems = problems or []
    return render(
        request,
        "safety/plan_edit.html",
        {
            "title": "My safety plan" if side.for_client else f"Safety plan: {client.name}",
            "client": client,
            "side": side,
            "sections": sections,
            "base_version": base_version,
            "problems": problems,
            "errors": {p.field_id: p.message for p in problems},
            "conflict": conflict,
            "reach_choices": plans.REACH_CHOICES,
            "max_chars": plans.MAX_ENTRY_CHARS,
            "max_entries": plans.MAX_ENTRIES,
        },
        status_code=status_code,
    )


def _edit_page(request: Request, db: Session, user: User, client: Client, clock: Clock) -> Response:
    plan = plans.current_plan(db, client, actor=user, now=clock.now())
    db.commit()  # the read is audited
    content = plan.content if plan else plans.new_plan_content(db, client)
    return _show_editor(
        request,
        client=client,
        side=_side(user, client),
        sections=_editor(_rows_from(content)),
        base_version=plan.version if plan else 0,
    )


async def _save(
    request: Request, db: Session, user: User, client: Client, clock: Clock, base_url: str
) -> Response:
    side = _side(user, client)
    submitted = read_form(await request.form())
    if submitted.more is not None:
        shown = dict(submitted.shown)
        shown[submitted.more] = shown[submitted.more] + MORE_ROWS
        return _show_editor(
            request,
            client=client,
            side=side,
            sections=_editor(submitted.rows, shown),
            base_version=submitted.base_version,
        )
    now = clock.now()
    content = _content(submitted.rows)
    level = "none"
    if side.for_client:
        # What the client wrote in this save is screened before the plan is checked, so a
        # phone number typed wrong never hides their words (see safety.writing).
        plan_id, before = plans.saved_content(db, client)
        written = [(plans.source_label(s), t) for s, t in plans.new_words(before, content)]
        writing = Writing(plans.SOURCE_KIND, plan_id, written)
        level = screen_first(db, client=client, writing=writing, now=now, base_url=base_url)
    try:
        result = plans.save_plan(
            db,
            client=client,
            author=user,
            content=content,
            now=now,
            base_version=submitted.base_version,
        )
    except PlanInvalid as exc:
        db.rollback()
        if needs_support_page(level):
            offer_support(request, db, client, actor=user, now=now)
        return _show_editor(
            request,
            client=client,
            side=side,
            sections=_editor(submitted.rows, submitted.shown),
            base_version=submitted.base_version,
            problems=exc.problems,
            status_code=422,
        )
    except PlanConflict as exc:
        db.rollback()
        # The page shows the other person's newer words: that is a read, so record it.
        plans.current_plan(db, client, actor=user, now=now)
        db.commit()
        if needs_support_page(level):
            offer_support(request, db, client, actor=user, now=now)
        current = exc.current.content
        return _show_editor(
            request,
            client=client,
            side=side,
            sections=_editor(_rows_from(exc.merged), theirs={s: current[s] for s in exc.sections}),
            # Saving again from here is a deliberate choice to keep these words.
            base_version=exc.current.version,
            conflict=exc,
            status_code=409,
        )
    db.commit()
    if needs_support_page(level):
        return RedirectResponse(SUPPORT_URL, status_code=303)
    saved = "unchanged" if not result.created else "merged" if result.merged_with else "1"
    return RedirectResponse(f"{side.base}?saved={saved}", status_code=303)


# Printed-sheet weights up to which a plan still fits one A4 or Letter page, found by
# printing sample plans (2 to 12 entries a section, 40 to 300 characters each) in
# Chromium. Beyond the last, the sheet stays at its smallest legible size and says it
# may take a second page.
NORMAL_UP_TO = 2400
COMPACT_UP_TO = 4400
DENSE_UP_TO = 7000


def sheet_weight(sections: list[plans.SectionView]) -> int:
    """Roughly how much room a plan needs in print: each entry's characters plus a
    line's worth for its bullet and wrapping."""
    return sum(len(e.label) + 40 for s in sections for e in s.entries)


def sheet_density(sections: list[plans.SectionView]) -> str:
    """How tightly the printed sheet is set, so that a longer plan still fits one page."""
    weight = sheet_weight(sections)
    if weight <= NORMAL_UP_TO:
        return ""
    return "compact" if weight <= COMPACT_UP_TO else "dense"


def _saved(request: Request) -> str | None:
    return SAVED_MESSAGES.get(request.query_params.get("saved", ""))


# --- the client's side ---


@router.get("/me/safety-plan", response_class=HTMLResponse)
async def my_plan(request: Request, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    plan = plans.current_plan(db, client, actor=user, now=clock.now())
    db.commit()
    return render(
        request,
        "safety/plan.html",
        {"title": "My safety plan", "client": client, "plan": plan, "saved": _saved(request)},
    )


@router.get("/me/safety-plan/edit", response_class=HTMLResponse)
async def edit_my_plan(request: Request, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    return _edit_page(request, db, user, access.own_client_record(db, user), clock)


@router.post("/me/safety-plan/edit", response_class=HTMLResponse)
async def save_my_plan(
    request: Request, user: ClientUser, db: DbDep, clock: ClockDep, settings: SettingsDep
) -> Response:
    client = access.own_client_record(db, user)
    return await _save(request, db, user, client, clock, settings.base_url)


@router.get("/me/safety-plan/print", response_class=HTMLResponse)
async def print_my_plan(request: Request, user: ClientUser, db: DbDep, clock: ClockDep) -> Response:
    client = access.own_client_record(db, user)
    plan = plans.current_plan(db, client, actor=user, now=clock.now())
    db.commit()
    # With no plan yet, the sheet still prints: crisis lines filled in, the rest blank
    # lines to write on by hand.
    sections = plan.sections if plan else plans.section_views(plans.new_plan_content(db, client))
    context: dict[str, Any] = {
        "title": "My safety plan (to print)",
        "plan": plan,
        "sections": sections,
        "density": sheet_density(sections),
        "fits_one_page": sheet_weight(sections) <= DENSE_UP_TO,
        "blank_lines": 3 if plan else 5,
    }
    return render(request, "safety/plan_print.html", context)


@router.get("/me/safety-plan/history", response_class=HTMLResponse)
async def my_plan_history(
    request: Request, user: ClientUser, db: DbDep, clock: ClockDep
) -> Response:
    client = access.own_client_record(db, user)
    versions = plans.history(db, client, actor=user, now=clock.now())
    db.commit()
    return render(
        request,
        "safety/plan_history.html",
        {"title": "Changes to my safety plan", "client": client, "versions": versions},
    )


# --- the clinician's side ---


@router.get("/clinic/clients/{client_id}/safety-plan", response_class=HTMLResponse)
async def client_plan(
    request: Request, client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    client = access.client_for(db, user, client_id)
    now = clock.now()
    plan = plans.current_plan(db, client, actor=user, now=now)
    versions = plans.history(db, client, actor=user, now=now) if plan else []
    db.commit()
    return render(
        request,
        "safety/plan_clinic.html",
        {
            "title": f"Safety plan: {client.name}",
            "client": client,
            "plan": plan,
            "versions": versions,
            "saved": _saved(request),
        },
    )


@router.get("/clinic/clients/{client_id}/safety-plan/edit", response_class=HTMLResponse)
async def edit_client_plan(
    request: Request, client_id: int, user: Clinician, db: DbDep, clock: ClockDep
) -> Response:
    return _edit_page(request, db, user, access.client_for(db, user, client_id), clock)


@router.post("/clinic/clients/{client_id}/safety-plan/edit", response_class=HTMLResponse)
async def save_client_plan(
    request: Request,
    client_id: int,
    user: Clinician,
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    client = access.client_for(db, user, client_id)
    return await _save(request, db, user, client, clock, settings.base_url)
