"""Daily check-ins over their real pages: one form, every check-in kept, the note and
other body signals encrypted and screened, charts for the client and the care team, and
nobody outside the care team able to see any of it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from mend.identity.models import User
from mend.platform.audit import AuditEvent
from mend.platform.clock import FixedClock
from mend.platform.settings import Settings
from mend.practice import checkin_pages
from mend.practice.checkins import CheckIn
from mend.safety.models import Alert
from mend.web.app import create_app
from tests.support.personas import Personas
from tests.support.web import Browser
from tests.web.test_policy import _has_policy, api_routes

URGENT = "I have the pills saved up and tonight I am going to take them all. Goodbye."
CONCERN = "Honestly everyone would be better off without me."
NOTE = "Rough morning after the argument with my sister."
FORM = {
    "mood": "4",
    "window": "hyper",
    "signal": ["racing-heart", "clenched-jaw"],
    "other_signals": "cold hands",
    "sleep": "6.5",
    "note": NOTE,
}


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    # Until the lead mounts the router in create_app, the tests mount it themselves.
    app = create_app(settings, session_factory=factory, clock=clock)
    if not any(getattr(r, "path", None) == "/me/check-in" for r in app.routes):
        app.include_router(checkin_pages.router)
    return app


def _count(db: Session, table: type) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(table)) or 0


def _checkins(db: Session) -> list[CheckIn]:
    db.expire_all()
    return list(db.scalars(select(CheckIn).order_by(CheckIn.id)))


def test_every_route_declares_an_access_policy() -> None:
    routes = list(api_routes(checkin_pages.router.routes))
    assert len(routes) == 6
    assert [r.path for r in routes if not _has_policy(r.dependant)] == []


def test_the_form_says_who_sees_check_ins_and_that_writing_is_screened(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    page = as_user(people.kim.user).get("/me/check-in").text
    assert "care team can see your check-ins" in page and "checks anything you write" in page
    assert page.count('name="mood"') == 11 and page.count('name="window"') == 3
    assert "Racing or pounding heart" in page and "Numb, hard to feel anything" in page
    assert "<script" not in page and 'style="' not in page


def test_a_check_in_is_saved_with_sleep_in_half_hours_and_free_text_encrypted(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = kim.post("/me/check-in", FORM)
    assert response.status_code == 303
    assert response.headers["location"] == "/me/check-ins?saved=1"
    (entry,) = _checkins(db)
    assert (entry.mood, entry.window_state, entry.body_signals) == (
        4,
        "hyper",
        ["racing-heart", "clenched-jaw"],
    )
    assert (entry.sleep_half_hours, entry.sleep_hours) == (13, 6.5)
    assert (entry.other_signals, entry.note, entry.screening_level) == ("cold hands", NOTE, "none")
    raw = db.connection().exec_driver_sql("SELECT other_signals, note FROM check_ins").one()
    assert all(column.startswith("gAAAA") for column in raw)
    assert "sister" not in raw[1] and "cold" not in raw[0]
    assert _count(db, Alert) == 0
    page = kim.get("/me/check-ins?saved=1").text
    assert "Thank you for checking in." in page and NOTE in page and "6.5 h" in page
    assert "Revved up" in page and "/me/safety-plan" in page


def test_several_check_ins_a_day_are_all_kept_and_charted(
    db: Session, people: Personas, as_user: Callable[[User], Browser], clock: FixedClock
) -> None:
    # Sign-ins expire when idle, so Kim signs in afresh each time the clock moves on.
    as_user(people.kim.user).post("/me/check-in", {"mood": "3", "window": "hypo", "sleep": ""})
    clock.advance(hours=8)
    kim = as_user(people.kim.user)
    kim.post("/me/check-in", {"mood": "6", "window": "within", "sleep": "7"})
    clock.advance(days=2)
    kim = as_user(people.kim.user)
    kim.post("/me/check-in", {"mood": "7", "window": "within", "sleep": "8"})
    assert [c.mood for c in _checkins(db)] == [3, 6, 7]
    page = kim.get("/me/check-ins").text
    assert "Check in again" in page and 'src="/me/check-ins/chart.svg"' in page
    assert "Mood over 3 check-ins" in page
    chart = kim.get("/me/check-ins/chart.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml") and "<svg" in chart.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mood": ""}, "Please choose your mood"),
        ({"mood": "11"}, "Please choose your mood"),
        ({"window": "sideways"}, "where you are right now"),
        ({"window": ""}, "where you are right now"),
        ({"signal": ["racing-heart", "made-up"]}, "from the list"),
        ({"sleep": "25"}, "nearest half hour"),
        ({"sleep": "7.3"}, "nearest half hour"),
        ({"other_signals": "x" * 201}, "up to 200 characters"),
        ({"note": NOTE + "x" * 2000}, "up to 2,000 characters"),
    ],
)
def test_bad_check_in_is_refused_with_answers_kept_and_nothing_saved(
    changes: dict[str, object],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    response = as_user(people.kim.user).post("/me/check-in", FORM | changes)
    assert response.status_code == 422
    assert message in response.text
    assert NOTE in response.text  # what was typed comes back
    if "signal" not in changes:
        assert 'value="racing-heart" checked' in response.text
    assert _count(db, CheckIn) == 0


@pytest.mark.parametrize("field", ["note", "other_signals"])
def test_urgent_words_show_support_next_and_alert_the_care_team(
    field: str, db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = kim.post("/me/check-in", FORM | {field: URGENT})
    assert response.headers["location"] == "/me/support?told=1"
    (entry,) = _checkins(db)
    alert = db.scalars(select(Alert)).one()
    assert alert.severity == "urgent" and alert.source_kind == "check_in"
    assert alert.source_id == str(entry.id) and "daily check-in" in alert.source_label
    assert entry.screening_level == "urgent"
    assert any(e["field"] == field for e in entry.screening_evidence)


def test_concern_saves_with_a_gentle_check_in(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = kim.post("/me/check-in", FORM | {"note": CONCERN})
    location = response.headers["location"]
    assert location == "/me/check-ins?saved=1&check=1"
    assert "find support right now" in kim.get(location).text
    assert db.scalars(select(Alert)).one().severity == "concern"


def test_the_database_refuses_impossible_values(
    db: Session, people: Personas, clock: FixedClock
) -> None:
    for bad in ({"mood": 11}, {"window_state": "sideways"}, {"sleep_half_hours": 49}):
        values = {
            "client_id": people.kim.id,
            "created_at": clock.now(),
            "mood": 5,
            "window_state": "within",
            "body_signals": [],
            "sleep_half_hours": 14,
            "screening_level": "none",
            "screening_evidence": [],
        } | bad
        with db.begin_nested(), pytest.raises(IntegrityError):
            db.add(CheckIn(**values))
            db.flush()
    assert _count(db, CheckIn) == 0


def test_nobody_else_can_see_a_clients_check_ins(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    kim.post("/me/check-in", FORM)
    lee = as_user(people.lee.user)
    assert NOTE not in lee.get("/me/check-ins").text
    assert "<svg" in lee.get("/me/check-ins/chart.svg").text  # Lee's own, empty chart
    base = f"/clinic/clients/{people.kim.id}/check-ins"
    for outsider in (people.dan, people.erin, people.admin):
        browser = as_user(outsider)
        for path in (base, f"{base}/chart.svg"):
            assert browser.get(path).status_code == 404
    assert _count(db, CheckIn) == 1
    reads = select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("%.read"))
    assert db.scalar(reads) == 0


def test_the_care_team_sees_chart_table_and_summary_and_each_read_is_audited(
    db: Session, people: Personas, as_user: Callable[[User], Browser], clock: FixedClock
) -> None:
    as_user(people.kim.user).post("/me/check-in", FORM)
    clock.advance(days=1)
    as_user(people.kim.user).post("/me/check-in", {"mood": "7", "window": "within", "sleep": "8"})
    carol = as_user(people.carol)
    base = f"/clinic/clients/{people.kim.id}/check-ins"
    page = carol.get(base).text
    assert NOTE in page and "Hyper-aroused" in page and "Within window" in page
    assert "2 check-ins on 2 days" in page and "Average mood 5.5/10" in page
    assert "Average sleep 7.2 h" in page and "cold hands" in page
    assert f'src="{base}/chart.svg"' in page
    chart = carol.get(f"{base}/chart.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml") and "<svg" in chart.text
    db.expire_all()
    reads = list(
        db.scalars(
            select(AuditEvent.action).where(
                AuditEvent.client_id == people.kim.id, AuditEvent.actor_id == people.carol.id
            )
        )
    )
    assert reads == ["check_ins.read", "check_ins.chart.read"]
