"""Crisis follow-ups after the disposition: on the clinician's home list until done, and
escalated like alerts when overdue (clinician, covering clinicians, admins), with e-mails
that carry no names or clinical words."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from mend.care.models import CareTeamMember, TeamRole
from mend.identity.models import User
from mend.platform.audit import AuditEvent
from mend.platform.clock import FixedClock
from mend.platform.outbox import OutboxMessage
from mend.platform.settings import Settings
from mend.safety import crisis, crisis_pages
from mend.safety.crisis import FollowUp
from mend.web.app import create_app
from mend.web.templating import templates
from tests.safety.test_crisis import FULL_FORM, include, open_by_hand
from tests.support.personas import Personas
from tests.support.web import Browser

BASE = "http://mend.test"


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    return include(create_app(settings, session_factory=factory, clock=clock), crisis_pages.router)


def _scheduled(people: Personas, as_user: Callable[[User], Browser]) -> int:
    carol = as_user(people.carol)
    episode_id = open_by_hand(carol, people)
    carol.post(f"/clinic/crisis/{episode_id}/assessment", FULL_FORM)
    carol.post(f"/clinic/crisis/{episode_id}/disposition", {"disposition": ["sessions_increased"]})
    return episode_id


def _follow_up(db: Session, kind: str) -> FollowUp:
    db.expire_all()
    return db.scalars(select(FollowUp).where(FollowUp.kind == kind)).one()


def _mail(db: Session) -> list[tuple[str, str]]:
    db.expire_all()
    return [
        (m.recipient, m.dedupe_key or "")
        for m in db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    ]


def _cover(db: Session, people: Personas, clock: FixedClock) -> None:
    db.add(
        CareTeamMember(
            client_id=people.kim.id,
            clinician_id=people.dan.id,
            role=TeamRole.COVERING,
            added_at=clock.now(),
        )
    )
    db.commit()


def test_due_follow_ups_show_for_the_care_team_until_done(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    episode_id = _scheduled(people, as_user)
    due = crisis.due_follow_ups(db, people.carol, clock.now())
    assert [(d.label, d.overdue, d.client_name) for d in due] == [
        ("Contact within 24 hours", False, "Kim Client")
    ]
    assert crisis.due_follow_ups(db, people.dan, clock.now()) == []
    assert crisis.due_follow_ups(db, people.erin, clock.now()) == []
    clock.advance(hours=49)
    due = crisis.due_follow_ups(db, people.carol, clock.now())
    assert [(d.label, d.overdue) for d in due] == [
        ("Contact within 24 hours", True),
        ("Contact within 72 hours", False),
    ]
    html = templates.env.get_template("safety/_follow_ups.html").render(follow_ups=due)
    first = due[0].follow_up
    assert f'href="/clinic/crisis/{episode_id}#follow-up-{first.id}"' in html
    assert "overdue" in html and "Kim Client: contact within 24 hours" in html
    assert templates.env.get_template("safety/_follow_ups.html").render(follow_ups=[]).strip() == ""
    _cover(db, people, clock)
    assert len(crisis.due_follow_ups(db, people.dan, clock.now())) == 2
    carol = as_user(people.carol)
    carol.post(
        f"/clinic/crisis/{episode_id}/follow-ups/{first.id}",
        {"outcome": "not_reached", "note": "No answer twice; left a voicemail."},
    )
    left = crisis.due_follow_ups(db, people.carol, clock.now())
    assert [d.label for d in left] == ["Contact within 72 hours"]


def test_overdue_follow_up_escalates_to_covering_then_admins_and_never_completes(
    db: Session,
    factory: sessionmaker[Session],
    people: Personas,
    clock: FixedClock,
    as_user: Callable[[User], Browser],
) -> None:
    _cover(db, people, clock)
    episode_id = _scheduled(people, as_user)
    assert crisis.escalate_overdue_follow_ups(factory, clock, BASE) == 0
    clock.advance(hours=24)  # the 24-hour contact is due now
    assert crisis.escalate_overdue_follow_ups(factory, clock, BASE) == 1
    first = _follow_up(db, "contact_24h")
    assert (first.escalation_level, first.escalated_at) == (0, clock.now())
    assert _mail(db) == [
        ("carol@harbour.test", f"follow-up-{first.id}-level-0-user-{people.carol.id}")
    ]
    assert crisis.escalate_overdue_follow_ups(factory, clock, BASE) == 0  # told once
    clock.advance(minutes=59)
    assert crisis.escalate_overdue_follow_ups(factory, clock, BASE) == 0
    clock.advance(minutes=1)  # an early contact moves at a high alert's pace: 1 hour
    assert crisis.escalate_overdue_follow_ups(factory, clock, BASE) == 1
    assert _follow_up(db, "contact_24h").escalation_level == 1
    assert [r for r, _ in _mail(db)] == ["carol@harbour.test", "dan@harbour.test"]
    clock.advance(hours=1)
    assert crisis.escalate_overdue_follow_ups(factory, clock, BASE) == 1
    assert [r for r, _ in _mail(db)] == [
        "carol@harbour.test",
        "dan@harbour.test",
        "ada@harbour.test",
    ]
    clock.advance(hours=20)
    assert crisis.escalate_overdue_follow_ups(factory, clock, BASE) == 0  # top of the chain
    assert _follow_up(db, "contact_24h").done_at is None  # never completes itself
    for message in db.scalars(select(OutboxMessage)):
        assert "Kim" not in message.body and "Kim" not in message.subject
        assert "pills" not in message.body and "24 hours" not in message.body
    bodies = [m.body for m in db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert f"{BASE}/clinic/crisis/{episode_id}" in bodies[0]
    assert f"{BASE}/admin/follow-ups" in bodies[2]
    events = [
        (e.action, e.detail.get("to"))
        for e in db.scalars(
            select(AuditEvent).where(AuditEvent.entity == "follow_up").order_by(AuditEvent.id)
        )
    ]
    assert events == [
        ("follow_up.overdue", "care team"),
        ("follow_up.escalate", "covering clinician"),
        ("follow_up.escalate", "admin"),
    ]
    ada = as_user(people.admin)
    page = ada.get("/admin/follow-ups")
    assert page.status_code == 200
    assert "Kim Client" in page.text and "Contact within 24 hours" in page.text
    assert "Carol Clinician" in page.text
    assert "pills" not in page.text
    assert as_user(people.carol).get("/admin/follow-ups").status_code == 404


def test_a_done_follow_up_does_not_escalate(
    db: Session,
    factory: sessionmaker[Session],
    people: Personas,
    clock: FixedClock,
    as_user: Callable[[User], Browser],
) -> None:
    episode_id = _scheduled(people, as_user)
    first = _follow_up(db, "contact_24h")
    as_user(people.carol).post(
        f"/clinic/crisis/{episode_id}/follow-ups/{first.id}",
        {"outcome": "reached", "note": "Spoke this afternoon."},
    )
    clock.advance(hours=30)
    assert crisis.escalate_overdue_follow_ups(factory, clock, BASE) == 0
    assert _mail(db) == []


def test_with_no_covering_clinician_an_overdue_follow_up_goes_on_to_the_admins(
    db: Session,
    factory: sessionmaker[Session],
    people: Personas,
    clock: FixedClock,
    as_user: Callable[[User], Browser],
) -> None:
    _scheduled(people, as_user)
    clock.advance(hours=24)
    crisis.escalate_overdue_follow_ups(factory, clock, BASE)
    clock.advance(hours=1)
    assert crisis.escalate_overdue_follow_ups(factory, clock, BASE) == 1
    assert _follow_up(db, "contact_24h").escalation_level == 2
    assert [r for r, _ in _mail(db)] == ["carol@harbour.test", "ada@harbour.test"]


def test_later_contacts_escalate_at_the_pace_of_a_concern(
    db: Session,
    factory: sessionmaker[Session],
    people: Personas,
    clock: FixedClock,
    as_user: Callable[[User], Browser],
) -> None:
    episode_id = _scheduled(people, as_user)
    carol = as_user(people.carol)
    for kind in ("contact_24h", "contact_72h"):
        carol.post(
            f"/clinic/crisis/{episode_id}/follow-ups/{_follow_up(db, kind).id}",
            {"outcome": "reached", "note": "Checked in."},
        )
    clock.advance(days=7)
    assert crisis.escalate_overdue_follow_ups(factory, clock, BASE) == 1  # told Carol
    clock.advance(hours=23, minutes=59)
    assert crisis.escalate_overdue_follow_ups(factory, clock, BASE) == 0
    clock.advance(minutes=1)
    assert crisis.escalate_overdue_follow_ups(factory, clock, BASE) == 1
    assert _follow_up(db, "contact_7d").escalation_level == 2  # no covering clinician


def test_a_clinician_who_left_the_team_hands_the_follow_up_to_the_primary(
    db: Session,
    factory: sessionmaker[Session],
    people: Personas,
    clock: FixedClock,
    as_user: Callable[[User], Browser],
) -> None:
    _cover(db, people, clock)
    dan = as_user(people.dan)
    episode_id = open_by_hand(dan, people)  # the covering clinician opens it
    dan.post(f"/clinic/crisis/{episode_id}/assessment", FULL_FORM)
    dan.post(f"/clinic/crisis/{episode_id}/disposition", {"disposition": ["sessions_increased"]})
    db.query(CareTeamMember).filter(CareTeamMember.clinician_id == people.dan.id).delete()
    db.commit()
    clock.advance(hours=24)
    crisis.escalate_overdue_follow_ups(factory, clock, BASE)
    assert [r for r, _ in _mail(db)] == ["carol@harbour.test"]


def test_when_the_covering_clinician_opened_it_the_primary_hears_next(
    db: Session,
    factory: sessionmaker[Session],
    people: Personas,
    clock: FixedClock,
    as_user: Callable[[User], Browser],
) -> None:
    _cover(db, people, clock)
    dan = as_user(people.dan)
    episode_id = open_by_hand(dan, people)
    dan.post(f"/clinic/crisis/{episode_id}/assessment", FULL_FORM)
    dan.post(f"/clinic/crisis/{episode_id}/disposition", {"disposition": ["sessions_increased"]})
    clock.advance(hours=24)
    crisis.escalate_overdue_follow_ups(factory, clock, BASE)
    clock.advance(hours=1)
    crisis.escalate_overdue_follow_ups(factory, clock, BASE)
    assert [r for r, _ in _mail(db)] == ["dan@harbour.test", "carol@harbour.test"]
    assert _follow_up(db, "contact_24h").escalation_level == 1
