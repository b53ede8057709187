"""Crisis episodes: opened from an alert or by hand, the five SAFE-T steps saved and
audited, bad input refused with nothing changed, the disposition scheduling follow-ups
once, and closing only with a review note after the early follow-ups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi import APIRouter, FastAPI
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from mend.identity.models import User
from mend.measures import service as measures
from mend.models import Base
from mend.platform.audit import AuditEvent
from mend.platform.clock import FixedClock
from mend.platform.settings import Settings
from mend.safety import care_level, crisis, crisis_pages
from mend.safety.crisis import CrisisEpisode, FollowUp
from mend.safety.models import Alert, SafetySettings
from mend.web.app import create_app
from tests.support.personas import Personas
from tests.support.web import Browser


def include(app: FastAPI, *routers: APIRouter) -> FastAPI:
    """Add routers the app does not have yet (the lead registers them in app.py)."""
    known = {getattr(r, "path", None) for r in app.routes}
    for router in routers:
        if not {getattr(r, "path", None) for r in router.routes} <= known:
            app.include_router(router)
    return app


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    return include(create_app(settings, session_factory=factory, clock=clock), crisis_pages.router)


def asq_alert(
    db: Session,
    people: Personas,
    clock: FixedClock,
    as_user: Callable[[User], Browser],
    nth: int = 1,
) -> Alert:
    """Kim answers the ASQ acute positive (for the `nth` time): an urgent alert for Carol."""
    assignment = measures.assign(
        db,
        clinician=people.carol,
        client=people.kim,
        instrument_id="asq",
        interval_days=None,
        share_scores=False,
        now=clock.now(),
    )
    db.commit()
    answers = {"item-1": "1", "item-2": "0", "item-3": "1", "item-4": "0", "item-5": "1"}
    as_user(people.kim.user).post(
        f"/me/questionnaires/{assignment.id}", {**answers, "action": "submit"}
    )
    db.expire_all()
    return db.scalars(select(Alert).order_by(Alert.id)).all()[nth - 1]


def open_by_hand(browser: Browser, people: Personas) -> int:
    response = browser.post(f"/clinic/clients/{people.kim.id}/crisis")
    assert response.status_code == 303
    location = response.headers["location"]
    return int(location.split("/clinic/crisis/")[1].split("?")[0])


def episode(db: Session, episode_id: int) -> CrisisEpisode:
    db.expire_all()
    found = db.get(CrisisEpisode, episode_id)
    assert found is not None
    return found


def actions(db: Session, entity: str = "crisis_episode") -> list[str]:
    return [
        e.action
        for e in db.scalars(
            select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)
        )
    ]


FULL_FORM: dict[str, Any] = {
    "version": "0",
    "risk_factor": ["loss_or_rejection", "lethal_means"],
    "protective_factor": ["reasons_for_living"],
    "inquiry-thoughts": "yes",
    "inquiry-plan": "yes",
    "inquiry-behaviours": "no",
    "inquiry-intent": "unknown",
    "note-plan_note": "Has thought about the pills in the cupboard.",
    "note-means_instructions": "Sister will take the pills away tonight.",
    "deescalation": ["stayed_with", "asked_directly"],
    "risk_level": "moderate",
}


def test_open_by_hand_then_a_second_open_goes_to_the_same_episode(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    listing = carol.get(f"/clinic/clients/{people.kim.id}/crisis")
    assert listing.status_code == 200 and "No crisis episodes yet" in listing.text
    episode_id = open_by_hand(carol, people)
    page = carol.get(f"/clinic/crisis/{episode_id}?saved=opened")
    assert page.status_code == 200
    for heading in (
        "Step 1. Identify risk factors",
        "Step 2. Identify protective factors",
        "Step 3. Conduct a suicide inquiry",
        "Step 4. Determine the risk level and the matching intervention",
        "Step 5. Document",
        "De-escalation",
        "Recent loss or rejection",
        "Can get hold of lethal means",
        "The risk level is your clinical judgement",
        "SAFE-T",
    ):
        assert heading in page.text
    again = carol.post(f"/clinic/clients/{people.kim.id}/crisis")
    assert again.headers["location"] == f"/clinic/crisis/{episode_id}?saved=existing"
    assert db.scalar(select(func.count()).select_from(CrisisEpisode)) == 1
    assert actions(db) == ["crisis.open", "crisis.read"]
    assert "by hand" in carol.get(f"/clinic/clients/{people.kim.id}/crisis").text


def test_the_models_match_the_migration(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    # Importing the table modules is what puts them in the metadata (mend.models does later).
    mine = (
        CrisisEpisode.__tablename__,
        FollowUp.__tablename__,
        care_level.CareLevelDecision.__tablename__,
    )
    assert [d for d in differences if any(t in repr(d) for t in mine)] == []


def test_the_database_allows_one_open_episode_per_client(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    first = episode(db, open_by_hand(as_user(people.carol), people))
    db.add(
        CrisisEpisode(
            organisation_id=first.organisation_id,
            client_id=first.client_id,
            opened_by_id=first.opened_by_id,
            opened_at=first.opened_at,
            state="open",
            context={},
            assessment={},
            assessment_version=0,
            deescalation=[],
            disposition=[],
        )
    )
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()


def test_opening_from_an_alert_acknowledges_it_and_shows_its_reasons_and_the_asq(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    alert = asq_alert(db, people, clock, as_user)
    carol = as_user(people.carol)
    confirm = carol.get(f"/clinic/alerts/{alert.id}/crisis")
    assert confirm.status_code == 200 and "acknowledges the alert" in confirm.text
    response = carol.post(f"/clinic/alerts/{alert.id}/crisis")
    assert response.status_code == 303
    opened = db.scalars(select(CrisisEpisode)).one()
    db.refresh(alert)
    assert (opened.alert_id, alert.state) == (alert.id, "acknowledged")
    assert alert.acknowledged_by_id == people.carol.id
    page = carol.get(f"/clinic/crisis/{opened.id}").text
    assert "What the alert showed" in page and "ASQ acute positive screen" in page
    assert "Are you having thoughts of killing yourself right now?" in page  # the ASQ answers
    assert "Mend's suggestion: high." in page
    # The context snapshot is health information: encrypted at rest.
    raw = db.connection().exec_driver_sql("SELECT context FROM crisis_episodes").scalar()
    assert raw is not None and "killing" not in raw
    # Opening again from the alert goes to the same episode; the alert stays acknowledged.
    assert (
        carol.post(f"/clinic/alerts/{alert.id}/crisis")
        .headers["location"]
        .endswith("?saved=existing")
    )


def test_saving_the_assessment_records_it_encrypted_and_audits_the_parts_changed(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    episode_id = open_by_hand(carol, people)
    response = carol.post(f"/clinic/crisis/{episode_id}/assessment", FULL_FORM)
    assert response.status_code == 303
    assert response.headers["location"].endswith("?saved=assessment#assessment")
    saved = episode(db, episode_id)
    assessment = saved.saved_assessment
    assert assessment.risk_factors == ("loss_or_rejection", "lethal_means")
    assert assessment.answer("plan") == "yes"
    assert assessment.note("means_instructions") == "Sister will take the pills away tonight."
    assert (saved.risk_level, saved.assessment_version, saved.assessed_by_id) == (
        "moderate",
        1,
        people.carol.id,
    )
    assert saved.deescalation == ["stayed_with", "asked_directly"]
    raw = db.connection().exec_driver_sql("SELECT assessment FROM crisis_episodes").scalar()
    assert raw is not None and "pills" not in raw
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "crisis.assessment")).one()
    assert event.detail["risk_level"] == {"from": None, "to": "moderate"}
    assert "plan_note" in event.detail["changed"] and "pills" not in str(event.detail)
    page = carol.get(f"/clinic/crisis/{episode_id}").text
    assert "Sister will take the pills away tonight." in page
    # The same form again changes nothing and records nothing new.
    same = carol.post(f"/clinic/crisis/{episode_id}/assessment", {**FULL_FORM, "version": "1"})
    assert same.headers["location"].endswith("?saved=unchanged#assessment")
    assert actions(db).count("crisis.assessment") == 1


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"risk_level": "severe"}, 422, "low, moderate or high"),
        ({"risk_factor": ["bad_luck"]}, 422, "risk factor"),
        ({"inquiry-intent": "perhaps"}, 422, "choices"),
        ({"deescalation": ["hug"]}, 422, "de-escalation step"),
        ({"version": ""}, 422, "version"),
        ({"note-plan_note": "x" * 4001}, 422, "under 4000"),
        ({"version": "7"}, 409, "Someone else saved"),
    ],
)
def test_bad_assessment_input_changes_nothing_and_keeps_what_was_typed(
    change: dict[str, Any],
    status: int,
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    carol = as_user(people.carol)
    episode_id = open_by_hand(carol, people)
    response = carol.post(f"/clinic/crisis/{episode_id}/assessment", {**FULL_FORM, **change})
    assert response.status_code == status
    assert message in response.text and "Nothing was saved." in response.text
    assert "Sister will take the pills away tonight." in response.text
    unchanged = episode(db, episode_id)
    assert (unchanged.assessment_version, unchanged.risk_level) == (0, None)
    assert "crisis.assessment" not in actions(db)


def test_disposition_schedules_the_follow_ups_once_from_the_opening_time(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    opened_at = clock.now()
    episode_id = open_by_hand(carol, people)
    too_early = carol.post(
        f"/clinic/crisis/{episode_id}/disposition", {"disposition": ["safety_plan_reviewed"]}
    )
    assert too_early.status_code == 422 and "risk level" in too_early.text
    carol.post(f"/clinic/crisis/{episode_id}/assessment", FULL_FORM)
    for bad, message in (({}, "at least one"), ({"disposition": ["sent_home"]}, "does not know")):
        refused = carol.post(f"/clinic/crisis/{episode_id}/disposition", bad)
        assert refused.status_code == 422 and message in refused.text
    assert db.scalar(select(func.count()).select_from(FollowUp)) == 0
    clock.advance(hours=5)  # the paperwork comes later than the crisis
    carol = as_user(people.carol)  # signed in again after the idle timeout
    done = carol.post(
        f"/clinic/crisis/{episode_id}/disposition",
        {"disposition": ["safety_plan_reviewed", "means_counselling"]},
    )
    assert done.headers["location"].endswith("?saved=scheduled#follow-ups")
    follow_ups = crisis.follow_ups_of(db, episode(db, episode_id))
    assert [(f.kind, (f.due_at - opened_at).total_seconds() / 3600) for f in follow_ups] == [
        ("contact_24h", 24),
        ("contact_72h", 72),
        ("contact_7d", 168),
        ("caring_14d", 14 * 24),
        ("caring_30d", 30 * 24),
        ("caring_60d", 60 * 24),
        ("caring_90d", 90 * 24),
    ]
    changed = carol.post(
        f"/clinic/crisis/{episode_id}/disposition", {"disposition": ["sessions_increased"]}
    )
    assert changed.headers["location"].endswith("?saved=disposition#follow-ups")
    assert db.scalar(select(func.count()).select_from(FollowUp)) == 7
    assert episode(db, episode_id).disposition == ["sessions_increased"]
    events = list(db.scalars(select(AuditEvent).where(AuditEvent.action == "crisis.disposition")))
    assert [len(e.detail["scheduled"]) for e in events] == [7, 0]


def test_caring_contacts_follow_the_organisation_setting(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    db.add(
        SafetySettings(
            organisation_id=people.org.id,
            ack_minutes={},
            thresholds={},
            caring_contact_days=[21, 45],
        )
    )
    db.commit()
    carol = as_user(people.carol)
    episode_id = open_by_hand(carol, people)
    carol.post(f"/clinic/crisis/{episode_id}/assessment", FULL_FORM)
    carol.post(f"/clinic/crisis/{episode_id}/disposition", {"disposition": ["sessions_increased"]})
    kinds = [f.kind for f in crisis.follow_ups_of(db, episode(db, episode_id))]
    assert kinds == ["contact_24h", "contact_72h", "contact_7d", "caring_21d", "caring_45d"]


def _scheduled(carol: Browser, people: Personas) -> int:
    episode_id = open_by_hand(carol, people)
    carol.post(f"/clinic/crisis/{episode_id}/assessment", FULL_FORM)
    carol.post(f"/clinic/crisis/{episode_id}/disposition", {"disposition": ["sessions_increased"]})
    return episode_id


def _follow_up(db: Session, episode_id: int, kind: str) -> FollowUp:
    db.expire_all()
    return db.scalars(
        select(FollowUp).where(FollowUp.episode_id == episode_id, FollowUp.kind == kind)
    ).one()


def test_completing_a_follow_up_needs_an_outcome_and_a_note(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    episode_id = _scheduled(carol, people)
    first = _follow_up(db, episode_id, "contact_24h")
    url = f"/clinic/crisis/{episode_id}/follow-ups/{first.id}"
    no_note = carol.post(url, {"outcome": "reached", "note": "  "})
    assert no_note.status_code == 422 and "write a note" in no_note.text
    bad_outcome = carol.post(url, {"outcome": "maybe", "note": "Spoke on the phone."})
    assert bad_outcome.status_code == 422 and "Spoke on the phone." in bad_outcome.text
    assert _follow_up(db, episode_id, "contact_24h").done_at is None
    done = carol.post(url, {"outcome": "reached", "note": "Spoke on the phone; feeling safer."})
    assert done.status_code == 303
    marked = _follow_up(db, episode_id, "contact_24h")
    assert (marked.outcome, marked.done_by_id, marked.note) == (
        "reached",
        people.carol.id,
        "Spoke on the phone; feeling safer.",
    )
    assert carol.post(url, {"outcome": "reached", "note": "again"}).status_code == 409
    assert actions(db, "follow_up") == ["follow_up.complete"]
    assert carol.post(f"/clinic/crisis/{episode_id}/follow-ups/999999", {}).status_code == 404


def test_closing_needs_the_review_note_and_the_early_follow_ups_done(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    unscheduled = open_by_hand(carol, people)
    refused = carol.post(f"/clinic/crisis/{unscheduled}/close", {"note": "Reviewed."})
    assert refused.status_code == 422 and "Record the disposition first" in refused.text
    carol.post(f"/clinic/crisis/{unscheduled}/assessment", FULL_FORM)
    carol.post(f"/clinic/crisis/{unscheduled}/disposition", {"disposition": ["sessions_increased"]})
    episode_id = unscheduled
    pending = carol.post(f"/clinic/crisis/{episode_id}/close", {"note": "Reviewed."})
    assert pending.status_code == 422 and "contact within 24 hours" in pending.text
    for kind, outcome in (
        ("contact_24h", "reached"),
        ("contact_72h", "not_reached"),
        ("contact_7d", "reached"),
    ):
        follow_up = _follow_up(db, episode_id, kind)
        carol.post(
            f"/clinic/crisis/{episode_id}/follow-ups/{follow_up.id}",
            {"outcome": outcome, "note": "Called; left a message."},
        )
    no_note = carol.post(f"/clinic/crisis/{episode_id}/close", {"note": " "})
    assert no_note.status_code == 422 and "post-crisis review note" in no_note.text
    assert episode(db, episode_id).state == "open"
    clock.advance(days=8)
    carol = as_user(people.carol)
    closed = carol.post(
        f"/clinic/crisis/{episode_id}/close", {"note": "Reviewed with the team; plan holds."}
    )
    assert closed.status_code == 303
    done = episode(db, episode_id)
    assert (done.state, done.closed_by_id, done.review_note) == (
        "closed",
        people.carol.id,
        "Reviewed with the team; plan holds.",
    )
    assert "crisis.close" in actions(db)
    # A closed episode no longer changes, but its caring contacts carry on.
    late = carol.post(f"/clinic/crisis/{episode_id}/assessment", {**FULL_FORM, "version": "1"})
    assert late.status_code == 409 and "closed" in late.text
    again = carol.post(f"/clinic/crisis/{episode_id}/close", {"note": "x"})
    assert again.status_code == 409
    caring = _follow_up(db, episode_id, "caring_14d")
    assert (
        carol.post(
            f"/clinic/crisis/{episode_id}/follow-ups/{caring.id}",
            {"outcome": "reached", "note": "Sent a caring note."},
        ).status_code
        == 303
    )
    # The client can have a new episode once the last one is closed.
    assert open_by_hand(carol, people) != episode_id


@pytest.mark.parametrize("who", ["dan", "erin", "lee"])
def test_episodes_are_404_for_everyone_off_the_care_team(
    who: str,
    db: Session,
    people: Personas,
    clock: FixedClock,
    as_user: Callable[[User], Browser],
) -> None:
    alert = asq_alert(db, people, clock, as_user)
    carol = as_user(people.carol)
    episode_id = _scheduled(carol, people)
    follow_up = _follow_up(db, episode_id, "contact_24h")
    person = people.lee.user if who == "lee" else getattr(people, who)
    outsider = as_user(person)
    for path in (
        f"/clinic/crisis/{episode_id}",
        f"/clinic/clients/{people.kim.id}/crisis",
        f"/clinic/alerts/{alert.id}/crisis",
    ):
        assert outsider.get(path).status_code == 404, path
    for path, form in (
        (f"/clinic/crisis/{episode_id}/assessment", {**FULL_FORM, "version": "1"}),
        (f"/clinic/crisis/{episode_id}/disposition", {"disposition": ["sessions_increased"]}),
        (f"/clinic/crisis/{episode_id}/follow-ups/{follow_up.id}", {"outcome": "reached"}),
        (f"/clinic/crisis/{episode_id}/close", {"note": "x"}),
        (f"/clinic/clients/{people.kim.id}/crisis", {}),
        (f"/clinic/alerts/{alert.id}/crisis", {}),
    ):
        assert outsider.post(path, form).status_code == 404, path
    after = episode(db, episode_id)
    assert (after.state, after.assessment_version) == ("open", 1)
    assert _follow_up(db, episode_id, "contact_24h").done_at is None
    assert db.scalar(select(func.count()).select_from(CrisisEpisode)) == 1


def test_episode_reads_are_audited(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    episode_id = open_by_hand(carol, people)
    carol.get(f"/clinic/crisis/{episode_id}")
    carol.get(f"/clinic/crisis/{episode_id}")
    reads = list(db.scalars(select(AuditEvent).where(AuditEvent.action == "crisis.read")))
    assert [(e.actor_id, e.client_id) for e in reads] == [(people.carol.id, people.kim.id)] * 2
