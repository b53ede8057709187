"""Boundaries over their real pages: a DEAR MAN script becomes a readable script, a
boundary plan is kept, practice is logged; all encrypted, screened, and private to the
client and their care team."""

from __future__ import annotations

from collections.abc import Callable

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
from mend.practice import boundaries_pages
from mend.practice.boundaries import BoundaryPlan, BoundaryPractice, DearManScript
from mend.safety.models import Alert
from mend.web.app import create_app
from tests.support.personas import Personas
from tests.support.web import Browser

MINE = "/me/boundaries"
URGENT = "I have the pills saved up and tonight I am going to take them all. Goodbye."
CONCERN = "Honestly everyone would be better off without me."
SCRIPT = {
    "title": "Asking Jo to be on time",
    "describe": "The last three times we met, you arrived an hour late.",
    "express": "I feel let down when I'm left waiting.",
    "assert": "Please text me if you'll be more than ten minutes late.",
    "reinforce": "Then I can enjoy our time together.",
    "mindful": "Come back to the text.",
    "confident": "Sit up, speak slowly.",
    "negotiate": "Or we meet at the café.",
}
PLAN = {
    "my_limit": "I won't lend my brother money any more.",
    "how_to_say": "I can't lend you money, but I can help you look at options.",
    "if_crossed": "Say it once more, then end the call.",
}


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    # Until the lead mounts the router in create_app, the tests mount it themselves.
    app = create_app(settings, session_factory=factory, clock=clock)
    if not any(getattr(r, "path", None) == MINE for r in app.routes):
        app.include_router(boundaries_pages.router)
    return app


def count(db: Session, table: type[Base]) -> int:
    return db.scalar(select(func.count()).select_from(table)) or 0


def actions(db: Session) -> list[str]:
    return list(
        db.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity.in_(["dear_man", "boundary_plan", "boundary_practice"]))
            .order_by(AuditEvent.id)
        )
    )


def test_client_writes_a_dear_man_script_and_reads_it_back(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    home = kim.get(MINE).text
    assert "Write a script" in home and "Mend checks what you write" in home
    form = kim.get(f"{MINE}/scripts/new").text
    for name in (
        "Describe",
        "Express",
        "Assert",
        "Reinforce",
        "Stay mindful",
        "Appear confident",
        "Negotiate",
    ):
        assert name in form
    response = kim.post(f"{MINE}/scripts", SCRIPT)
    script = db.scalars(select(DearManScript)).one()
    assert response.headers["location"] == f"{MINE}/scripts/{script.id}?saved=1"
    page = kim.get(f"{MINE}/scripts/{script.id}").text
    say = page.index("What I'll say")
    assert say < page.index("you arrived an hour late") < page.index("Please text me if")
    assert (
        page.index("Please text me if") < page.index("How I'll carry it") < page.index("Or we meet")
    )
    assert f"practice/new?about=script-{script.id}" in page

    changed = dict(SCRIPT, title="Jo and lateness")
    changed["assert"] = "Text me if you're late."
    kim.post(f"{MINE}/scripts/{script.id}", changed)
    db.expire_all()
    assert script.title == "Jo and lateness" and script.steps["assert"] == "Text me if you're late."
    raw = db.connection().exec_driver_sql("SELECT title, steps FROM dear_man_scripts").one()
    assert "lateness" not in raw[0] and "Text me if" not in raw[1]
    assert actions(db) == ["dear_man.create", "dear_man.update"]


def test_client_plans_a_boundary(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = kim.post(f"{MINE}/plans", PLAN)
    plan = db.scalars(select(BoundaryPlan)).one()
    assert response.headers["location"] == f"{MINE}/plans/{plan.id}?saved=1"
    page = kim.get(f"{MINE}/plans/{plan.id}").text
    assert "lend my brother money" in page and "end the call" in page
    assert "lend my brother money" in kim.get(MINE).text
    raw = (
        db.connection()
        .exec_driver_sql("SELECT my_limit, how_to_say, if_crossed FROM boundary_plans")
        .one()
    )
    assert all("brother" not in v and "options" not in v and "once more" not in v for v in raw)
    kim.post(f"{MINE}/plans/{plan.id}", dict(PLAN, if_crossed="Leave the room."))
    db.expire_all()
    assert plan.if_crossed == "Leave the room."
    assert actions(db) == ["boundary_plan.create", "boundary_plan.update"]


def test_practice_is_logged_against_a_script_or_plan(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    kim.post(f"{MINE}/scripts", SCRIPT)
    kim.post(f"{MINE}/plans", PLAN)
    script = db.scalars(select(DearManScript)).one()
    plan = db.scalars(select(BoundaryPlan)).one()
    form = kim.get(f"{MINE}/practice/new?about=script-{script.id}").text
    assert f'value="script-{script.id}" selected' in form
    response = kim.post(
        f"{MINE}/practice",
        {
            "about": f"script-{script.id}",
            "practised_on": "2026-03-01",
            "went": "6",
            "what_happened": "Jo apologised",
            "try_next": "Say it sooner",
        },
    )
    assert response.headers["location"] == f"{MINE}?saved=1"
    kim.post(
        f"{MINE}/practice", {"about": f"plan-{plan.id}", "practised_on": "2026-03-02", "went": "3"}
    )
    kim.post(f"{MINE}/practice", {"about": "", "practised_on": "2026-03-02", "went": "8"})
    logged = db.scalars(select(BoundaryPractice).order_by(BoundaryPractice.id)).all()
    assert [(p.script_id, p.plan_id, p.went) for p in logged] == [
        (script.id, None, 6),
        (None, plan.id, 3),
        (None, None, 8),
    ]
    home = kim.get(MINE).text
    assert "Jo apologised" in home and "Say it sooner" in home and "went 6/10" in home
    raw = (
        db.connection()
        .exec_driver_sql("SELECT what_happened, try_next FROM boundary_practices WHERE went = 6")
        .one()
    )
    assert "apologised" not in raw[0] and "Say it sooner" not in raw[1]


@pytest.mark.parametrize(
    ("path", "form", "message"),
    [
        ("scripts", dict(SCRIPT, title=""), "give the script a name"),
        ("scripts", dict(SCRIPT, **{"assert": ""}), "Please fill in “Assert”"),
        ("scripts", dict(SCRIPT, describe="d" * 1001), "“Describe” to 1,000 characters"),
        ("scripts", dict(SCRIPT, describe="d" * 1600), "each step to 1,000 characters"),
        ("plans", dict(PLAN, my_limit=" "), "Please write your limit"),
        ("plans", dict(PLAN, how_to_say=""), "Please write how you will say it"),
        ("plans", dict(PLAN, if_crossed="x" * 2001), "2,000 characters"),
        ("practice", {"practised_on": "2026-03-02", "went": ""}, "0 to 10 for how it went"),
        ("practice", {"practised_on": "2026-03-02", "went": "11"}, "0 to 10 for how it went"),
        ("practice", {"practised_on": "2026-03-09", "went": "5"}, "That day hasn&#39;t come yet"),
        ("practice", {"practised_on": "yesterday", "went": "5"}, "choose the day you practised"),
        (
            "practice",
            {"about": "script-999", "practised_on": "2026-03-02", "went": "5"},
            "from your list",
        ),
        (
            "practice",
            {"about": "poem-1", "practised_on": "2026-03-02", "went": "5"},
            "from your list",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(
    path: str,
    form: dict[str, str],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    response = as_user(people.kim.user).post(f"{MINE}/{path}", form)
    assert response.status_code == 422
    assert message in response.text
    assert count(db, DearManScript) + count(db, BoundaryPlan) + count(db, BoundaryPractice) == 0
    assert actions(db) == []


def test_urgent_words_in_a_practice_note_lead_to_support_and_alert(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = kim.post(
        f"{MINE}/practice", {"practised_on": "2026-03-02", "went": "0", "what_happened": URGENT}
    )
    assert response.headers["location"] == "/me/support?told=1"
    practice = db.scalars(select(BoundaryPractice)).one()
    alert = db.scalars(select(Alert)).one()
    assert (alert.severity, alert.source_kind, alert.source_id) == (
        "urgent",
        "boundary_practice",
        str(practice.id),
    )


def test_concern_in_a_script_is_saved_with_a_check_in(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = kim.post(f"{MINE}/scripts", dict(SCRIPT, express=CONCERN))
    assert response.headers["location"].endswith("?saved=1&check=1")
    assert "find support right now" in kim.get(response.headers["location"]).text
    assert db.scalars(select(Alert)).one().source_kind == "dear_man"


def test_nobody_else_can_see_or_change_a_clients_boundaries(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    kim.post(f"{MINE}/scripts", SCRIPT)
    kim.post(f"{MINE}/plans", PLAN)
    script = db.scalars(select(DearManScript)).one()
    plan = db.scalars(select(BoundaryPlan)).one()
    lee = as_user(people.lee.user)
    for path in (
        f"{MINE}/scripts/{script.id}",
        f"{MINE}/scripts/{script.id}/edit",
        f"{MINE}/plans/{plan.id}",
        f"{MINE}/plans/{plan.id}/edit",
    ):
        assert lee.get(path).status_code == 404, path
    assert (
        lee.post(f"{MINE}/scripts/{script.id}", dict(SCRIPT, title="mine now")).status_code == 404
    )
    assert lee.post(f"{MINE}/plans/{plan.id}", PLAN).status_code == 404
    # Logging practice against someone else's script is refused like an unknown one.
    refused = lee.post(
        f"{MINE}/practice",
        {"about": f"script-{script.id}", "practised_on": "2026-03-02", "went": "5"},
    )
    assert refused.status_code == 422
    home = lee.get(MINE).text
    assert "Asking Jo" not in home and "brother money" not in home
    assert "Asking Jo" not in lee.get(f"{MINE}/practice/new").text
    clinic = f"/clinic/clients/{people.kim.id}/boundaries"
    for outsider in (people.dan, people.erin):
        assert as_user(outsider).get(clinic).status_code == 404
    assert kim.get(clinic).status_code == 404
    db.expire_all()
    assert script.title == SCRIPT["title"] and count(db, BoundaryPractice) == 0


def test_clinician_reads_scripts_plans_and_practice_and_the_read_is_audited(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    kim.post(f"{MINE}/scripts", SCRIPT)
    kim.post(f"{MINE}/plans", PLAN)
    kim.post(
        f"{MINE}/practice", {"practised_on": "2026-03-02", "went": "7", "try_next": "Breathe first"}
    )
    page = as_user(people.carol).get(f"/clinic/clients/{people.kim.id}/boundaries")
    assert page.status_code == 200
    for text in (
        "Asking Jo to be on time",
        "Please text me if",
        "lend my brother money",
        "Breathe first",
    ):
        assert text in page.text
    assert "<form" not in page.text.split("<main", 1)[1]
    read = db.scalars(select(AuditEvent).where(AuditEvent.action == "boundaries.read")).one()
    assert (read.actor_id, read.client_id) == (people.carol.id, people.kim.id)


def test_the_models_match_the_migration(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    mine = ("dear_man_scripts", "boundary_plans", "boundary_practices")
    assert [d for d in differences if any(t in repr(d) for t in mine)] == []
