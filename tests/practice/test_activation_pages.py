"""Behavioural activation over its real pages: the client plans, does and rates small
activities week by week; the care team reads them; nobody else can see them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import httpx2 as httpx
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
from mend.practice import activation, activation_pages
from mend.practice.activation import Activity
from mend.practice.activation_rules import activity_mood_pairs
from mend.practice.checkins import CheckIn
from mend.safety.models import Alert
from mend.web.app import create_app
from tests.support.personas import Personas
from tests.support.web import Browser

MINE = "/me/activities"
URGENT = "I have the pills saved up and tonight I am going to take them all. Goodbye."
CONCERN = "Honestly everyone would be better off without me."
TUE = "2026-03-03"  # the clock's Monday is 2026-03-02


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    # Until the lead mounts the router in create_app, the tests mount it themselves.
    app = create_app(settings, session_factory=factory, clock=clock)
    if not any(getattr(r, "path", None) == MINE for r in app.routes):
        app.include_router(activation_pages.router)
    return app


def plan(
    browser: Browser, title: str = "Walk to the park", on: str = TUE, **extra: str
) -> httpx.Response:
    form = {"title": title, "category": "movement", "planned_on": on, "time_of_day": "morning"}
    form.update(extra)
    return browser.post(MINE, form)


def only(db: Session) -> Activity:
    db.expire_all()
    return db.scalars(select(Activity)).one()


def count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Activity)) or 0


def audit_actions(db: Session) -> list[str]:
    return list(
        db.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("activit%"))
            .order_by(AuditEvent.id)
        )
    )


def test_client_plans_an_activity_and_sees_it_in_the_week(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    week = kim.get(MINE)
    assert week.status_code == 200
    assert "Nothing planned this week yet" in week.text
    assert "Monday 2 March" in week.text and "Sunday 8 March" in week.text
    assert "Mend also checks what you write" in week.text
    form = kim.get(f"{MINE}/new?on={TUE}").text
    assert f'value="{TUE}"' in form and "<script" not in form

    response = plan(kim)
    assert response.status_code == 303
    assert response.headers["location"] == f"{MINE}?week=2026-03-02&saved=1"
    activity = only(db)
    assert (activity.title, activity.category, activity.planned_on, activity.time_of_day) == (
        "Walk to the park",
        "movement",
        date(2026, 3, 3),
        "morning",
    )
    page = kim.get(f"{MINE}?week=2026-03-02&saved=1").text
    assert "Saved." in page and "Walk to the park" in page and "Movement · Morning" in page
    assert "You planned 1 thing this week." in page
    assert audit_actions(db) == ["activity.create"]
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "activity.create")).one()
    assert event.client_id == people.kim.id


def test_titles_and_notes_are_encrypted_at_rest(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    plan(kim, "Phone my aunt Rosalind", on="2026-03-02")
    activity = only(db)
    kim.post(
        f"{MINE}/{activity.id}/done",
        {
            "done_on": "2026-03-02",
            "mastery": "6",
            "pleasure": "8",
            "note": "Rosalind laughed at my joke",
        },
    )
    raw = db.connection().exec_driver_sql("SELECT title, note FROM activities").one()
    assert "Rosalind" not in raw[0] and "Rosalind" not in raw[1]
    assert only(db).note == "Rosalind laughed at my joke"


def test_marking_done_rates_it_and_the_week_summarises(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    clock.advance(days=2)  # Wednesday
    kim = as_user(people.kim.user)
    plan(kim, "Morning walk", on="2026-03-02")
    plan(kim, "Text Jo", on="2026-03-03", category="connection")
    plan(kim, "Film night", on="2026-03-06", category="pleasure")
    walk = db.scalars(select(Activity).where(Activity.planned_on == date(2026, 3, 2))).one()
    page = kim.get(f"{MINE}/{walk.id}").text
    assert "Did you do it?" in page and 'value="2026-03-02"' in page  # defaults to its day
    assert page.count('name="mastery"') == 11 and page.count('name="pleasure"') == 11

    done = kim.post(
        f"{MINE}/{walk.id}/done", {"done_on": "2026-03-02", "mastery": "7", "pleasure": "4"}
    )
    assert done.headers["location"] == f"{MINE}/{walk.id}?saved=1"
    jo = db.scalars(select(Activity).where(Activity.planned_on == date(2026, 3, 3))).one()
    kim.post(f"{MINE}/{jo.id}/done", {"done_on": "2026-03-04", "mastery": "2", "pleasure": ""})
    db.expire_all()
    assert (walk.done_on, walk.mastery, walk.pleasure) == (date(2026, 3, 2), 7, 4)
    assert (jo.done_on, jo.mastery, jo.pleasure) == (date(2026, 3, 4), 2, None)

    week = kim.get(MINE).text
    assert "You did 2 of the 3 things you planned this week." in week
    assert "4.5 out of 10 on average" in week  # achievement: (7 + 2) / 2
    assert "4 out of 10 on average" in week  # enjoyment: only the rated one
    assert week.count("✓</span> Done") == 2

    kim.post(f"{MINE}/{jo.id}/undo")
    db.expire_all()
    assert (jo.done_on, jo.mastery) == (None, None)
    assert audit_actions(db) == [
        "activity.create",
        "activity.create",
        "activity.create",
        "activity.done",
        "activity.done",
        "activity.undone",
    ]


def test_week_navigation_moves_a_week_at_a_time(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    plan(kim, "Next week's swim", on="2026-03-11")
    this_week = kim.get(MINE).text
    assert f'href="{MINE}?week=2026-02-23"' in this_week
    assert f'href="{MINE}?week=2026-03-09"' in this_week
    assert "swim" not in this_week
    later = kim.get(f"{MINE}?week=2026-03-09").text
    assert "Next week&#39;s swim" in later and "Wednesday 11 March" in later
    assert "Back to this week" in later
    assert kim.get(f"{MINE}?week=not-a-date").status_code == 200


def test_client_edits_and_removes_an_activity(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    plan(kim)
    activity = only(db)
    assert 'value="Walk to the park"' in kim.get(f"{MINE}/{activity.id}/edit").text
    response = kim.post(
        f"{MINE}/{activity.id}",
        {"title": "Walk in the park", "category": "values", "planned_on": "2026-03-05"},
    )
    assert response.headers["location"] == f"{MINE}/{activity.id}?saved=1"
    changed = only(db)
    assert (changed.title, changed.category, changed.time_of_day) == (
        "Walk in the park",
        "values",
        None,
    )
    removed = kim.post(f"{MINE}/{activity.id}/delete")
    assert removed.headers["location"] == f"{MINE}?week=2026-03-02&removed=1"
    assert count(db) == 0
    assert audit_actions(db)[-2:] == ["activity.update", "activity.delete"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"title": "  "}, "Please say what you&#39;d like to do"),
        ({"title": "x" * 201}, "200 characters or fewer"),
        ({"category": "chores"}, "choose what kind of activity"),
        ({"planned_on": "03/03/2026"}, "Please choose the day you plan to do it"),
        ({"planned_on": "2028-03-03"}, "within a year of today"),
        ({"time_of_day": "midnight"}, "morning, afternoon or evening"),
    ],
)
def test_bad_plans_are_refused_and_nothing_saved(
    form: dict[str, str],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    kim = as_user(people.kim.user)
    response = plan(kim, **form)
    assert response.status_code == 422
    assert message in response.text
    assert count(db) == 0
    assert audit_actions(db) == []


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"mastery": "11"}, "whole number from 0 to 10 for achievement"),
        ({"pleasure": "-1"}, "whole number from 0 to 10 for enjoyment"),
        ({"pleasure": "5.5"}, "whole number from 0 to 10 for enjoyment"),
        ({"done_on": "2026-03-09"}, "That day hasn&#39;t come yet"),
        ({"done_on": ""}, "Please choose the day you did it"),
        ({"note": "n" * 2001}, "2,000 characters or fewer"),
    ],
)
def test_bad_done_input_is_refused_and_nothing_changes(
    form: dict[str, str],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    kim = as_user(people.kim.user)
    plan(kim, on="2026-03-02")
    activity = only(db)
    data = {"done_on": "2026-03-02", "mastery": "5", "pleasure": "5", "note": ""}
    data.update(form)
    response = kim.post(f"{MINE}/{activity.id}/done", data)
    assert response.status_code == 422
    assert message in response.text
    assert only(db).done_on is None and only(db).mastery is None
    assert audit_actions(db) == ["activity.create"]


def test_urgent_words_lead_to_support_and_alert_the_care_team(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    plan(kim, on="2026-03-02")
    activity = only(db)
    response = kim.post(f"{MINE}/{activity.id}/done", {"done_on": "2026-03-02", "note": URGENT})
    assert response.headers["location"] == "/me/support?told=1"
    alert = db.scalars(select(Alert)).one()
    assert (alert.severity, alert.source_kind, alert.source_id) == (
        "urgent",
        "activity",
        str(activity.id),
    )
    assert "pills" not in alert.source_label  # the label is plain text; the words are encrypted
    assert only(db).screening_level == "urgent"


def test_concern_is_saved_with_a_gentle_check_in(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = plan(kim, title=CONCERN)
    location = response.headers["location"]
    assert location.endswith("saved=1&check=1")
    assert "find support right now" in kim.get(location).text
    assert db.scalars(select(Alert)).one().severity == "concern"


def test_nobody_else_can_see_or_change_a_clients_activities(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    plan(kim, "Kim's secret swim", on="2026-03-02")
    activity = only(db)
    lee = as_user(people.lee.user)
    assert lee.get(f"{MINE}/{activity.id}").status_code == 404
    assert lee.get(f"{MINE}/{activity.id}/edit").status_code == 404
    assert (
        lee.post(
            f"{MINE}/{activity.id}", {"title": "x", "category": "movement", "planned_on": TUE}
        ).status_code
        == 404
    )
    assert lee.post(f"{MINE}/{activity.id}/done", {"done_on": "2026-03-02"}).status_code == 404
    assert lee.post(f"{MINE}/{activity.id}/undo").status_code == 404
    assert lee.post(f"{MINE}/{activity.id}/delete").status_code == 404
    assert "secret swim" not in lee.get(MINE).text
    clinic = f"/clinic/clients/{people.kim.id}/activities"
    for outsider in (people.dan, people.erin):
        assert as_user(outsider).get(clinic).status_code == 404
        assert as_user(outsider).get(f"{clinic}/chart.svg").status_code == 404
    for staff in (people.carol, people.admin):
        assert staff.role.value != "client"
        assert as_user(staff).get(MINE).status_code == 404
    assert as_user(people.kim.user).get(clinic).status_code == 404
    still = only(db)
    assert (still.title, still.done_on) == ("Kim's secret swim", None)
    assert audit_actions(db) == ["activity.create"]


def test_clinician_reads_the_week_and_the_read_is_audited(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    plan(kim, "Morning walk", on="2026-03-02")
    kim.post(
        f"{MINE}/{only(db).id}/done", {"done_on": "2026-03-02", "mastery": "6", "pleasure": "3"}
    )
    carol = as_user(people.carol)
    page = carol.get(f"/clinic/clients/{people.kim.id}/activities")
    assert page.status_code == 200
    assert "Morning walk" in page.text and "Weekly summaries" in page.text
    assert "<form" not in page.text.split("<main", 1)[1]  # read-only
    chart = carol.get(f"/clinic/clients/{people.kim.id}/activities/chart.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml") and "<svg" in chart.text
    reads = db.scalars(
        select(AuditEvent).where(
            AuditEvent.action.in_(["activities.read", "activities.chart.read"])
        )
    ).all()
    assert [(e.action, e.actor_id, e.client_id) for e in reads] == [
        ("activities.read", people.carol.id, people.kim.id),
        ("activities.chart.read", people.carol.id, people.kim.id),
    ]


# --- mood from the check-ins table (built by another tool) ---


def test_without_check_ins_mood_is_simply_empty(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    assert activation.moods_between(db, people.kim, date(2026, 2, 1), date(2026, 3, 2)) == []
    page = as_user(people.kim.user).get(f"{MINE}/mood")
    assert page.status_code == 200 and "daily check-ins" in page.text


def _add_checkins(db: Session, rows: list[tuple[int, datetime, int]]) -> None:
    for client_id, at, mood in rows:
        db.add(
            CheckIn(
                client_id=client_id,
                created_at=at,
                mood=mood,
                window_state="within",
                body_signals=[],
                screening_level="none",
                screening_evidence=[],
            )
        )
    db.commit()


def test_activity_and_mood_pairs_come_from_checkins(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    _add_checkins(
        db,
        [
            (people.kim.id, datetime(2026, 2, 27, 8, tzinfo=UTC), 3),
            (people.kim.id, datetime(2026, 3, 1, 8, tzinfo=UTC), 6),
            (people.kim.id, datetime(2026, 3, 1, 20, tzinfo=UTC), 8),
            (people.kim.id, datetime(2026, 2, 1, 8, tzinfo=UTC), 9),  # before the range
            (people.lee.id, datetime(2026, 3, 1, 8, tzinfo=UTC), 1),  # someone else's
        ],
    )
    kim = as_user(people.kim.user)
    plan(kim, "Morning walk", on="2026-03-01")
    kim.post(f"{MINE}/{only(db).id}/done", {"done_on": "2026-03-01"})

    assert activation.moods_between(db, people.kim, date(2026, 2, 27), date(2026, 3, 2)) == [
        (date(2026, 2, 27), 3),
        (date(2026, 3, 1), 6),
        (date(2026, 3, 1), 8),
    ]
    points = activation.day_points(db, people.kim, date(2026, 2, 27), date(2026, 3, 2))
    assert activity_mood_pairs(points) == [(0, 3.0), (1, 7.0)]
    page = kim.get(f"{MINE}/mood").text
    assert 'Sun 1 Mar</th><td class="num">1</td><td class="num">7</td>' in page
    svg = kim.get(f"{MINE}/chart.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<svg" in svg.text


def test_the_models_match_the_migration(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert [d for d in differences if Activity.__tablename__ in repr(d)] == []
