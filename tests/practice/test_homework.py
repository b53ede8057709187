"""Homework over its real pages: a clinician assigns a tool or a reading, the client opens
it and marks it done with ratings and a screened note, the clinician sees status and
change, and nobody outside the care team can see or touch any of it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi import FastAPI
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from mend.identity.models import User
from mend.models import Base
from mend.platform.audit import AuditEvent
from mend.platform.clock import FixedClock
from mend.platform.settings import Settings
from mend.practice import homework_pages, library_pages, recovery_pages, tools_pages
from mend.practice.homework import Homework, LibraryRead
from mend.safety.models import Alert
from mend.web.app import create_app
from mend.web.templating import templates
from tests.support.personas import Personas
from tests.support.web import Browser

URGENT = "I have the pills saved up and tonight I am going to take them all. Goodbye."
CONCERN = "Honestly everyone would be better off without me."

MY_ROUTERS = (
    (homework_pages.router, "/me/homework"),
    (library_pages.router, "/me/library"),
    (recovery_pages.router, "/me/recovery"),
    (tools_pages.router, "/me/tools"),
)


def mounted(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    """The app with these pages, mounted here until the lead adds them to create_app
    (and never twice once they are there)."""
    app = create_app(settings, session_factory=factory, clock=clock)
    paths = {getattr(r, "path", None) for r in app.routes}
    for router, path in MY_ROUTERS:
        if path not in paths:
            app.include_router(router)
    return app


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    return mounted(settings, factory, clock)


def clinic(people: Personas) -> str:
    return f"/clinic/clients/{people.kim.id}/homework"


def assign(browser: Browser, people: Personas, tool: str = "journal", **form: str) -> object:
    data = {"tool": tool, "instructions": "Write about Tuesday's call.", "due_on": "2026-03-06"}
    data.update(form)
    return browser.post(clinic(people), data)


def only(db: Session) -> Homework:
    db.expire_all()
    return db.scalars(select(Homework)).one()


def count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Homework)) or 0


def actions(db: Session) -> list[str]:
    """Audit events about health records (signing in is recorded too, and not counted)."""
    return [
        a
        for a in db.scalars(select(AuditEvent.action).order_by(AuditEvent.id))
        if not a.startswith("session.")
    ]


# --- the whole flow ---


def test_assign_open_and_finish_with_ratings(
    db: Session, people: Personas, as_user: Callable[[User], Browser], clock: FixedClock
) -> None:
    carol = as_user(people.carol)
    response = assign(carol, people, "coping:grounding", instructions="When the alarm goes off.")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"].endswith("?saved=assigned")  # type: ignore[attr-defined]
    item = only(db)
    assert (item.tool, item.due_on, item.assigned_by_id) == (
        "coping:grounding",
        date(2026, 3, 6),
        people.carol.id,
    )

    kim = as_user(people.kim.user)
    listing = kim.get("/me/homework").text
    assert "Grounding" in listing and "Due Friday" in listing
    page = kim.get(f"/me/homework/{item.id}").text
    assert "When the alarm goes off." in page and "From your clinician" in page
    opened = kim.post(f"/me/homework/{item.id}/open")
    assert opened.headers["location"] == "/me/coping/grounding"
    assert only(db).opened_at == clock.now()

    form = kim.get(f"/me/homework/{item.id}/done").text
    assert "Your care team will see your ratings and this note" in form
    assert "checks what you write" in form
    clock.advance(minutes=20)
    done = kim.post(
        f"/me/homework/{item.id}/done", {"before": "7", "after": "4", "note": "Felt lighter."}
    )
    assert done.headers["location"] == f"/me/homework?done={item.id}"
    item = only(db)
    assert (item.distress_before, item.distress_after, item.note, item.completed_at) == (
        7,
        4,
        "Felt lighter.",
        clock.now(),
    )
    assert "Well done" in kim.get(done.headers["location"]).text
    assert "went down from 7 to 4" in kim.get(f"/me/homework/{item.id}").text

    view = carol.get(clinic(people)).text
    assert "badge hw-status-done" in view and "Felt lighter." in view
    assert ">7</td>" in view and ">4</td>" in view and ">-3</td>" in view
    assert actions(db) == [
        "homework.assign",
        "homework.open",
        "homework.complete",
        "homework.read",
    ]
    mine = select(AuditEvent.client_id).where(AuditEvent.action.startswith("homework."))
    assert db.scalars(mine).all() == [people.kim.id] * 4


def test_ratings_and_note_are_optional_and_a_second_submit_changes_nothing(
    db: Session, people: Personas, as_user: Callable[[User], Browser], clock: FixedClock
) -> None:
    assign(as_user(people.carol), people)
    kim = as_user(people.kim.user)
    item_id = only(db).id
    assert kim.post(f"/me/homework/{item_id}/done", {"before": "", "after": ""}).status_code == 303
    first = only(db)
    assert (first.distress_before, first.distress_after, first.note) == (None, None, None)
    clock.advance(minutes=10)
    again = kim.post(f"/me/homework/{item_id}/done", {"before": "3", "after": "1"})
    assert again.status_code == 303
    assert only(db).completed_at == first.completed_at and only(db).distress_before is None
    assert kim.get(f"/me/homework/{item_id}/done").headers["location"] == f"/me/homework/{item_id}"


def test_free_text_is_encrypted_at_rest(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    assign(as_user(people.carol), people, instructions="Notice the Tuesday feeling.")
    item_id = only(db).id
    as_user(people.kim.user).post(
        f"/me/homework/{item_id}/done", {"before": "5", "after": "5", "note": "Sister called."}
    )
    raw = db.connection().exec_driver_sql("SELECT instructions, note FROM homework").one()
    assert "Tuesday" not in raw[0] and "Sister" not in raw[1]
    assert only(db).note == "Sister called."


def test_an_urgent_note_goes_straight_to_support_and_alerts_the_team(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    assign(as_user(people.carol), people)
    item_id = only(db).id
    response = as_user(people.kim.user).post(
        f"/me/homework/{item_id}/done", {"before": "9", "after": "9", "note": URGENT}
    )
    assert response.headers["location"] == "/me/support?told=1"
    alert = db.scalars(select(Alert)).one()
    assert (alert.severity, alert.source_kind, alert.source_id) == (
        "urgent",
        "homework",
        str(item_id),
    )
    assert only(db).screening_level == "urgent" and only(db).completed_at is not None


def test_a_worrying_note_is_saved_with_a_gentle_check_in(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    assign(as_user(people.carol), people)
    kim = as_user(people.kim.user)
    response = kim.post(f"/me/homework/{only(db).id}/done", {"note": CONCERN})
    location = response.headers["location"]
    assert location.endswith("&check=1")
    assert "find support right now" in kim.get(location).text
    assert db.scalars(select(Alert)).one().severity == "concern"


def test_overdue_homework_is_marked_for_the_clinician_and_still_gentle_for_the_client(
    db: Session, people: Personas, as_user: Callable[[User], Browser], clock: FixedClock
) -> None:
    assign(as_user(people.carol), people, due_on="2026-03-03")
    clock.advance(days=2)
    view = as_user(people.carol).get(clinic(people)).text
    assert "badge hw-status-overdue" in view and "1 overdue" in view
    client_page = as_user(people.kim.user).get("/me/homework").text
    assert "Was due yesterday — you can still do it" in client_page
    assert "overdue" not in client_page


def test_cancelled_homework_disappears_for_the_client(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    assign(carol, people)
    item_id = only(db).id
    response = carol.post(f"{clinic(people)}/{item_id}/cancel")
    assert response.headers["location"].endswith("?saved=cancelled")
    assert only(db).cancelled_by_id == people.carol.id
    kim = as_user(people.kim.user)
    assert "Write in your journal" not in kim.get("/me/homework").text
    for path in (f"/me/homework/{item_id}", f"/me/homework/{item_id}/done"):
        assert kim.get(path).status_code == 404
    assert kim.post(f"/me/homework/{item_id}/done", {"note": "x"}).status_code == 404
    assert "badge hw-status-cancelled" in carol.get(clinic(people)).text


def test_done_homework_cannot_be_cancelled(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    assign(carol, people)
    item_id = only(db).id
    as_user(people.kim.user).post(f"/me/homework/{item_id}/done", {"before": "4", "after": "2"})
    carol.post(f"{clinic(people)}/{item_id}/cancel")
    assert only(db).cancelled_at is None
    assert "homework.cancel" not in actions(db)


def test_a_reading_shows_whether_it_was_opened_and_can_be_finished_from_the_article(
    db: Session, people: Personas, as_user: Callable[[User], Browser], clock: FixedClock
) -> None:
    carol = as_user(people.carol)
    assign(carol, people, "reading:boundaries", instructions="")
    item = only(db)
    assert "Not opened yet" in carol.get(clinic(people)).text
    kim = as_user(people.kim.user)
    assert "Read: Boundaries" in kim.get("/me/homework").text
    assert kim.post(f"/me/homework/{item.id}/open").headers["location"] == (
        "/me/library/boundaries"
    )
    clock.advance(minutes=5)
    article = kim.get("/me/library/boundaries").text
    assert f"/me/homework/{item.id}/done" in article
    assert "Opened 2 Mar" in carol.get(clinic(people)).text
    kim.post(f"/me/homework/{item.id}/done", {})
    assert f"/me/homework/{item.id}/done" not in kim.get("/me/library/boundaries").text
    assert db.scalars(select(LibraryRead.times)).one() == 2


def test_the_clinicians_form_offers_every_tool_and_reading(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    page = as_user(people.carol).get(clinic(people)).text
    for value in ("journal", "coping:pmr", "safety_plan", "reading:therapy-options"):
        assert f'value="{value}"' in page
    assert 'type="date"' in page and 'min="2026-03-02"' in page and 'value="2026-03-09"' in page


# --- bad input ---


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"tool": "astrology"}, "choose a tool or a reading"),
        ({"tool": "reading:made-up"}, "choose a tool or a reading"),
        ({"instructions": "x" * 1001}, "up to 1,000 characters"),
        ({"due_on": "2026-03-01"}, "can&#39;t be in the past"),
        ({"due_on": "soon"}, "choose a due date"),
    ],
)
def test_bad_assignments_are_refused_and_nothing_saved(
    form: dict[str, str],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    carol = as_user(people.carol)
    response = assign(carol, people, **form)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert message in response.text  # type: ignore[attr-defined]
    assert count(db) == 0


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"before": "11"}, "from 0 to 10 for how you felt before"),
        ({"after": "-2"}, "from 0 to 10 for how you felt after"),
        ({"after": "lots"}, "from 0 to 10"),
        ({"note": "x" * 501}, "up to 500 characters"),
    ],
)
def test_bad_reports_are_refused_and_nothing_changes(
    form: dict[str, str],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    assign(as_user(people.carol), people)
    item_id = only(db).id
    response = as_user(people.kim.user).post(f"/me/homework/{item_id}/done", form)
    assert response.status_code == 422
    assert message in response.text
    item = only(db)
    assert (item.completed_at, item.distress_before, item.note) == (None, None, None)
    assert db.scalar(select(func.count()).select_from(Alert)) == 0


# --- who may see what ---


def test_nobody_outside_the_care_team_can_see_or_touch_homework(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    # Kim's homework exists first, so every refusal below is about access, not absence.
    carol = as_user(people.carol)
    assign(carol, people, instructions="Private instructions for Kim.")
    item_id = only(db).id
    before = actions(db)
    for outsider in (people.dan, people.erin):
        b = as_user(outsider)
        assert b.get(clinic(people)).status_code == 404
        assert assign(b, people).status_code == 404  # type: ignore[attr-defined]
        assert b.post(f"{clinic(people)}/{item_id}/cancel").status_code == 404
        # Their own client's address with Kim's homework id finds nothing either.
        own = people.lee.id if outsider == people.dan else people.omar.id
        assert b.post(f"/clinic/clients/{own}/homework/{item_id}/cancel").status_code == 404
    lee = as_user(people.lee.user)
    for path in (f"/me/homework/{item_id}", f"/me/homework/{item_id}/done"):
        assert lee.get(path).status_code == 404
    assert lee.post(f"/me/homework/{item_id}/open").status_code == 404
    assert lee.post(f"/me/homework/{item_id}/done", {"before": "1"}).status_code == 404
    assert "Private instructions" not in lee.get("/me/homework").text
    kim = as_user(people.kim.user)
    assert kim.get(clinic(people)).status_code == 404
    item = only(db)
    assert (item.opened_at, item.completed_at, item.cancelled_at) == (None, None, None)
    assert item.instructions == "Private instructions for Kim."
    assert actions(db) == before


# --- the home page partial and the schema ---


def test_the_home_partial_lists_open_homework_and_is_silent_without_any(
    db: Session, people: Personas, as_user: Callable[[User], Browser], clock: FixedClock
) -> None:
    from mend.practice import homework

    partial = templates.get_template("practice/_homework_due.html")
    assert partial.render(homework_due=[]).strip() == ""
    assert partial.render().strip() == ""  # a home page that doesn't pass it yet
    assign(as_user(people.carol), people)
    due = homework.due_for_home(db, people.kim, clock.now())
    html = partial.render(homework_due=due)
    assert f'href="/me/homework/{due[0].id}"' in html and "Write in your journal" in html


def test_the_models_match_the_migration(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    mine = (Homework.__tablename__, LibraryRead.__tablename__)
    assert [d for d in differences if any(f"'{t}'" in repr(d) for t in mine)] == []
