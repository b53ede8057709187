"""The support network over its real pages: people grouped by closeness, the signs of
a safe person, graded trust-building steps, adding someone to the safety plan (as a
new plan version), and nobody else able to see any of it."""

from __future__ import annotations

from collections.abc import Callable

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
from mend.practice import network, network_pages
from mend.practice.network import NetworkPerson, TrustStep
from mend.safety import plans
from mend.safety.models import Alert
from mend.safety.plans import SafetyPlanVersion
from mend.web.app import create_app
from tests.support.personas import Personas
from tests.support.web import Browser

MINE = "/me/people"
URGENT = "I have the pills saved up and tonight I am going to take them all. Goodbye."
CONCERN = "Honestly everyone would be better off without me."
FOUR_SIGNS = ["consistent", "respects_no", "keeps_confidences", "empathy"]


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    # Until the lead mounts the router in create_app, the tests mount it themselves.
    app = create_app(settings, session_factory=factory, clock=clock)
    if not any(getattr(r, "path", None) == MINE for r in app.routes):
        app.include_router(network_pages.router)
    return app


def add(browser: Browser, **extra: str) -> httpx.Response:
    form = {
        "name": "Sam",
        "relationship": "my brother",
        "reach_kind": "phone",
        "reach": "+1 (555) 010-0199",
        "closeness": "9",
        "trust": "7",
    }
    form.update(extra)
    return browser.post(MINE, form)


def person(db: Session) -> NetworkPerson:
    db.expire_all()
    return db.scalars(select(NetworkPerson)).one()


def actions(db: Session, prefix: str) -> list[str]:
    return list(
        db.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like(f"{prefix}%"))
            .order_by(AuditEvent.id)
        )
    )


def test_client_adds_people_and_sees_them_grouped_by_closeness(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    empty = kim.get(MINE).text
    assert "Start with one person" in empty and "Mend checks what you write" in empty
    response = add(kim)
    sam = person(db)
    assert response.headers["location"] == f"{MINE}/{sam.id}?saved=1"
    add(
        kim,
        name="Priya",
        relationship="friend from work",
        reach_kind="email",
        reach="priya@example.org",
        closeness="5",
        trust="4",
    )
    add(
        kim,
        name="Mr Okafor",
        relationship="neighbour",
        reach_kind="",
        reach="",
        closeness="2",
        trust="3",
    )
    full = kim.get(MINE).text
    page = full.split("</figure>", 1)[1]  # the list, after the circles picture
    closest, close, further = (
        page.index("Closest to me"),
        page.index('id="ring-close"'),
        page.index("Further out"),
    )
    assert closest < page.index("Sam") < close < page.index("Priya") < further
    assert further < page.index("Mr Okafor")
    assert '<svg viewBox="0 0 360 360" role="img"' in full  # the circles picture
    assert "1 closest to me, 1 close, 1 further out" in full
    detail = kim.get(f"{MINE}/{sam.id}").text
    assert 'href="tel:+15550100199"' in detail and 'href="sms:+15550100199"' in detail
    assert "No signs of a safe person ticked yet" in detail
    assert actions(db, "network_person") == ["network_person.create"] * 3


def test_names_relationships_reach_and_signs_are_encrypted_at_rest(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    add(kim, name="Rosalind", relationship="aunt Rosalind's wife")
    sam = person(db)
    kim.post(f"{MINE}/{sam.id}/signs", {"sign": FOUR_SIGNS})
    raw = (
        db.connection()
        .exec_driver_sql("SELECT name, relationship, reach, signs FROM network_people")
        .one()
    )
    assert "Rosalind" not in raw[0] and "Rosalind" not in raw[1]
    assert "010-0199" not in raw[2] and "empathy" not in raw[3]


def test_signs_checklist_gives_a_gentle_summary_and_safe_people(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    add(kim)
    add(kim, name="Alex", relationship="ex", reach_kind="", reach="", closeness="6", trust="2")
    sam, alex = sorted(db.scalars(select(NetworkPerson)), key=lambda p: p.id)
    page = kim.get(f"{MINE}/{sam.id}/signs").text
    assert page.count('type="checkbox" name="sign"') == 5
    assert "They respect my no" in page and "not a test" in page

    response = kim.post(f"{MINE}/{sam.id}/signs", {"sign": FOUR_SIGNS})
    assert response.headers["location"] == f"{MINE}/{sam.id}?saved=1"
    kim.post(f"{MINE}/{alex.id}/signs", {"sign": ["empathy"]})
    assert "Shows 4 of 5 signs of a safe person." in kim.get(f"{MINE}/{sam.id}").text
    listing = kim.get(MINE).text
    assert "Shows 1 of 5 signs of a safe person so far." in listing

    db.expire_all()
    summary = network.network_summary(db, people.kim)
    assert [(p.name, p.relationship, p.reach, p.signs, p.call_href) for p in summary] == [
        ("Sam", "my brother", "+1 (555) 010-0199", 4, "tel:+15550100199")
    ]
    kim.post(f"{MINE}/{sam.id}/signs", {})  # unticking everything is allowed
    db.expire_all()
    assert network.network_summary(db, people.kim) == []
    assert actions(db, "network_person.signs") == ["network_person.signs"] * 3


def test_trust_steps_are_planned_recorded_and_show_a_trend(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    add(kim)
    sam = person(db)
    form = kim.get(f"{MINE}/{sam.id}/steps/new").text
    assert "Start with a small step" in form and 'value="2026-03-02"' in form
    response = kim.post(
        f"{MINE}/{sam.id}/steps",
        {
            "kind": "small_share",
            "size": "1",
            "plan": "Tell him I started running",
            "planned_on": "2026-03-04",
        },
    )
    step = db.scalars(select(TrustStep)).one()
    assert response.headers["location"] == f"{MINE}/{sam.id}/steps/{step.id}?saved=1"
    page = kim.get(f"{MINE}/{sam.id}").text
    assert "No steps recorded yet." in page and "How did it go?" in page

    clock.advance(minutes=30)
    outcome = kim.post(
        f"{MINE}/{sam.id}/steps/{step.id}",
        {"went": "8", "what_happened": "He asked how far I ran", "trust_change": "up"},
    )
    assert outcome.headers["location"] == f"{MINE}/{sam.id}?saved=1"
    db.expire_all()
    assert (step.went, step.trust_change, step.what_happened) == (8, "up", "He asked how far I ran")
    page = kim.get(f"{MINE}/{sam.id}").text
    assert "Trust has been growing" in page and "The last step went well" in page
    assert "Went 8/10 · trust went up" in page
    raw = db.connection().exec_driver_sql("SELECT plan, what_happened FROM trust_steps").one()
    assert "started running" not in raw[0] and "how far I ran" not in raw[1]
    kim.post(
        f"{MINE}/{sam.id}/steps/{step.id}",
        {"went": "6", "what_happened": "", "trust_change": "same"},
    )
    assert actions(db, "trust_step") == [
        "trust_step.create",
        "trust_step.outcome",
        "trust_step.outcome.update",
    ]


def _plan(db: Session, people: Personas) -> plans.PlanView:
    db.expire_all()
    plan = plans.current_plan(db, people.kim, actor=people.kim.user, now=people.kim.created_at)
    assert plan is not None
    return plan


def test_adding_a_person_to_the_safety_plan_makes_a_new_version(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    add(kim)
    sam = person(db)
    response = kim.post(f"{MINE}/{sam.id}/safety-plan", {"section": "helpers"})
    assert response.headers["location"] == f"{MINE}/{sam.id}?added=1"
    plan = _plan(db, people)
    helpers = next(s for s in plan.sections if s.id == "helpers")
    assert helpers.entries == (plans.Entry("Sam (my brother)", "+1 (555) 010-0199", "call_text"),)
    assert plan.version == 1 and plan.updated_by == "Kim Client"
    # The plan started from the locale's crisis lines, like any new plan.
    assert next(s for s in plan.sections if s.id == "professionals").entries
    assert person(db).plan_section == "helpers" and person(db).plan_version == 1
    assert "is now in your safety plan" in kim.get(f"{MINE}/{sam.id}?added=1").text

    again = kim.post(f"{MINE}/{sam.id}/safety-plan", {"section": "helpers"})
    assert again.headers["location"] == f"{MINE}/{sam.id}?added=already"
    assert db.scalar(select(func.count()).select_from(SafetyPlanVersion)) == 1

    add(kim, name="Priya", relationship="friend", reach_kind="email", reach="priya@example.org")
    priya = db.scalars(select(NetworkPerson).where(NetworkPerson.id != sam.id)).one()
    kim.post(f"{MINE}/{priya.id}/safety-plan", {"section": "distractions"})
    plan = _plan(db, people)
    assert plan.version == 2
    distractions = next(s for s in plan.sections if s.id == "distractions")
    assert distractions.entries == (plans.Entry("Priya (friend), email priya@example.org"),)
    helpers = next(s for s in plan.sections if s.id == "helpers")
    assert len(helpers.entries) == 1  # the earlier version's words are kept
    assert actions(db, "network_person.add_to_plan") == ["network_person.add_to_plan"] * 2
    assert actions(db, "safety_plan.create") + actions(db, "safety_plan.update") == [
        "safety_plan.create",
        "safety_plan.update",
    ]


def test_a_full_safety_plan_section_is_explained_and_nothing_changes(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    content = plans.empty_content()
    content["helpers"] = tuple(plans.Entry(f"Helper {i}") for i in range(plans.MAX_ENTRIES))
    plans.save_plan(
        db, client=people.kim, author=people.kim.user, content=content, now=people.kim.created_at
    )
    db.commit()
    kim = as_user(people.kim.user)
    add(kim)
    sam = person(db)
    response = kim.post(f"{MINE}/{sam.id}/safety-plan", {"section": "helpers"})
    assert response.status_code == 422
    assert "is full (12 entries)" in response.text
    assert db.scalar(select(func.count()).select_from(SafetyPlanVersion)) == 1
    assert person(db).plan_section is None


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": " "}, "Please add a name"),
        ({"name": "n" * 101}, "100 characters or fewer"),
        ({"relationship": ""}, "Please say who they are to you"),
        ({"reach": "not a number"}, "That phone number doesn&#39;t look right"),
        ({"reach_kind": "email", "reach": "sam@"}, "That email address doesn&#39;t look right"),
        ({"reach_kind": "fax"}, "Please choose how you reach them"),
        ({"closeness": ""}, "0 to 10 for how close you feel"),
        ({"closeness": "11"}, "0 to 10 for how close you feel"),
        ({"trust": "high"}, "0 to 10 for how much you trust them"),
    ],
)
def test_bad_people_are_refused_and_nothing_saved(
    form: dict[str, str],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    response = add(as_user(people.kim.user), **form)
    assert response.status_code == 422
    assert message in response.text
    assert db.scalar(select(func.count()).select_from(NetworkPerson)) == 0
    assert actions(db, "network_person") == []


@pytest.mark.parametrize(
    ("path", "form", "message"),
    [
        ("steps", {"kind": "hug", "size": "1", "planned_on": "2026-03-03"}, "what kind of step"),
        (
            "steps",
            {"kind": "ask_help", "size": "4", "planned_on": "2026-03-03"},
            "small, medium or big",
        ),
        (
            "steps",
            {"kind": "ask_help", "size": "1", "planned_on": "soon"},
            "choose a day for this step",
        ),
        (
            "steps",
            {"kind": "ask_help", "size": "1", "planned_on": "2026-03-03", "plan": "p" * 1001},
            "1,000 characters",
        ),
        ("signs", {"sign": ["charming"]}, "tick signs from the list"),
        ("safety-plan", {"section": "professionals"}, "which part of your safety plan"),
    ],
)
def test_bad_steps_signs_and_plan_sections_are_refused(
    path: str,
    form: dict[str, object],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    kim = as_user(people.kim.user)
    add(kim)
    sam = person(db)
    response = kim.post(f"{MINE}/{sam.id}/{path}", form)
    assert response.status_code == 422
    assert message in response.text
    assert db.scalar(select(func.count()).select_from(TrustStep)) == 0
    assert person(db).signs == [] and person(db).plan_section is None
    assert db.scalar(select(func.count()).select_from(SafetyPlanVersion)) == 0


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"went": "", "trust_change": "up"}, "0 to 10 for how it went"),
        ({"went": "12", "trust_change": "up"}, "0 to 10 for how it went"),
        ({"went": "5", "trust_change": "sideways"}, "went up, down or stayed the same"),
        ({"went": "5", "trust_change": "up", "what_happened": "w" * 2001}, "2,000 characters"),
    ],
)
def test_bad_outcomes_are_refused_and_nothing_changes(
    form: dict[str, str],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    kim = as_user(people.kim.user)
    add(kim)
    sam = person(db)
    kim.post(
        f"{MINE}/{sam.id}/steps", {"kind": "ask_help", "size": "1", "planned_on": "2026-03-02"}
    )
    step = db.scalars(select(TrustStep)).one()
    response = kim.post(f"{MINE}/{sam.id}/steps/{step.id}", form)
    assert response.status_code == 422
    assert message in response.text
    db.expire_all()
    assert (step.went, step.trust_change, step.outcome_at) == (None, None, None)


def test_urgent_words_in_a_step_lead_to_support_and_alert(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    add(kim)
    sam = person(db)
    kim.post(
        f"{MINE}/{sam.id}/steps", {"kind": "ask_help", "size": "1", "planned_on": "2026-03-02"}
    )
    step = db.scalars(select(TrustStep)).one()
    response = kim.post(
        f"{MINE}/{sam.id}/steps/{step.id}",
        {"went": "1", "what_happened": URGENT, "trust_change": "down"},
    )
    assert response.headers["location"] == "/me/support?told=1"
    alert = db.scalars(select(Alert)).one()
    assert (alert.severity, alert.source_kind, alert.source_id) == (
        "urgent",
        "trust_step",
        str(step.id),
    )


def test_concern_in_a_persons_details_is_saved_with_a_check_in(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = add(kim, relationship=CONCERN)
    assert response.headers["location"].endswith("?saved=1&check=1")
    assert db.scalars(select(Alert)).one().source_kind == "network_person"


def test_client_changes_and_removes_a_person(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    add(kim)
    sam = person(db)
    kim.post(
        f"{MINE}/{sam.id}/steps", {"kind": "ask_help", "size": "2", "planned_on": "2026-03-02"}
    )
    assert 'value="my brother"' in kim.get(f"{MINE}/{sam.id}/edit").text
    kim.post(
        f"{MINE}/{sam.id}",
        {
            "name": "Sammy",
            "relationship": "brother",
            "reach_kind": "",
            "reach": "",
            "closeness": "4",
            "trust": "4",
        },
    )
    changed = person(db)
    assert (changed.name, changed.reach_kind, changed.reach, changed.closeness) == (
        "Sammy",
        "",
        None,
        4,
    )
    response = kim.post(f"{MINE}/{sam.id}/delete")
    assert response.headers["location"] == f"{MINE}?removed=1"
    assert db.scalar(select(func.count()).select_from(NetworkPerson)) == 0
    assert db.scalar(select(func.count()).select_from(TrustStep)) == 0


def test_nobody_else_can_see_or_change_a_clients_network(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    add(kim, name="Kim's confidante")
    sam = person(db)
    kim.post(
        f"{MINE}/{sam.id}/steps", {"kind": "ask_help", "size": "1", "planned_on": "2026-03-02"}
    )
    step = db.scalars(select(TrustStep)).one()
    lee = as_user(people.lee.user)
    base = f"{MINE}/{sam.id}"
    for path in (
        base,
        f"{base}/edit",
        f"{base}/signs",
        f"{base}/steps/new",
        f"{base}/steps/{step.id}",
    ):
        assert lee.get(path).status_code == 404, path
    posts: list[tuple[str, dict[str, object]]] = [
        (base, {"name": "x", "relationship": "x", "closeness": "1", "trust": "1"}),
        (f"{base}/signs", {"sign": FOUR_SIGNS}),
        (f"{base}/steps", {"kind": "ask_help", "size": "1", "planned_on": "2026-03-02"}),
        (f"{base}/steps/{step.id}", {"went": "1", "trust_change": "down"}),
        (f"{base}/safety-plan", {"section": "helpers"}),
        (f"{base}/delete", {}),
    ]
    for path, form in posts:
        assert lee.post(path, form).status_code == 404, path
    assert "confidante" not in lee.get(MINE).text
    clinic = f"/clinic/clients/{people.kim.id}/people"
    for outsider in (people.dan, people.erin):
        assert as_user(outsider).get(clinic).status_code == 404
    assert kim.get(clinic).status_code == 404
    still = person(db)
    assert (still.name, still.signs, still.plan_section) == ("Kim's confidante", [], None)
    assert db.scalar(select(func.count()).select_from(SafetyPlanVersion)) == 0
    assert db.scalars(select(TrustStep)).one().went is None


def test_clinician_reads_the_network_and_the_read_is_audited(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    add(kim)
    sam = person(db)
    kim.post(f"{MINE}/{sam.id}/signs", {"sign": FOUR_SIGNS})
    kim.post(
        f"{MINE}/{sam.id}/steps", {"kind": "share_feeling", "size": "2", "planned_on": "2026-03-02"}
    )
    page = as_user(people.carol).get(f"/clinic/clients/{people.kim.id}/people")
    assert page.status_code == 200
    assert "Sam" in page.text and "4/5" in page.text and "Tell them how I feel" in page.text
    assert "<form" not in page.text.split("<main", 1)[1]
    read = db.scalars(select(AuditEvent).where(AuditEvent.action == "network.read")).one()
    assert (read.actor_id, read.client_id) == (people.carol.id, people.kim.id)


def test_the_models_match_the_migration(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    mine = (NetworkPerson.__tablename__, TrustStep.__tablename__)
    assert [d for d in differences if any(t in repr(d) for t in mine)] == []
