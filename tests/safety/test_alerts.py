"""Alerts from questionnaire answers: raised with their reasons, heard by the right people,
escalated when nobody answers, and closed only by a person with a note."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from mend.care.models import CareTeamMember, TeamRole
from mend.identity.models import User
from mend.measures import service as measures
from mend.platform.audit import AuditEvent
from mend.platform.clock import FixedClock
from mend.platform.outbox import OutboxMessage
from mend.safety import service as safety
from mend.safety.models import Alert
from tests.support.personas import Personas
from tests.support.web import Browser

BASE = "http://mend.test"


def _complete(
    db: Session,
    people: Personas,
    clock: FixedClock,
    as_user: Callable[[User], Browser],
    instrument: str,
    answers: list[str],
) -> object:
    assignment = measures.assign(
        db,
        clinician=people.carol,
        client=people.kim,
        instrument_id=instrument,
        interval_days=None,
        share_scores=False,
        now=clock.now(),
    )
    db.commit()
    form = {f"item-{n}": a for n, a in enumerate(answers, start=1)}
    return as_user(people.kim.user).post(
        f"/me/questionnaires/{assignment.id}", {**form, "action": "submit"}
    )


def _the_alert(db: Session) -> Alert:
    db.expire_all()
    return db.scalars(select(Alert)).one()


def _mail_to(db: Session) -> list[str]:
    return sorted(m.recipient for m in db.scalars(select(OutboxMessage)))


def test_phq9_item9_sends_the_client_to_support_and_alerts_the_care_team(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    response = _complete(db, people, clock, as_user, "phq9", ["0"] * 8 + ["1"])
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/me/support?told=1"  # type: ignore[attr-defined]
    support = as_user(people.kim.user).get("/me/support?told=1").text
    assert "Your care team has been told" in support
    assert 'href="tel:988"' in support
    alert = _the_alert(db)
    assert (alert.rule, alert.severity, alert.state, alert.owner_id) == (
        "phq9.item9",
        "high",
        "open",
        people.carol.id,
    )
    assert "better off dead" in alert.reasons[0]["label"]
    assert alert.reasons[0]["detail"] == "Answered: Several days"
    assert _mail_to(db) == ["carol@harbour.test"]
    mail = db.scalars(select(OutboxMessage)).one()
    assert (
        "Kim" not in mail.body and "better off dead" not in mail.body
    )  # nothing clinical leaves by e-mail


def test_alert_reasons_are_encrypted_at_rest(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    _complete(db, people, clock, as_user, "phq9", ["0"] * 8 + ["2"])
    raw = db.connection().exec_driver_sql("SELECT reasons FROM alerts").scalar()
    assert raw is not None and "better off dead" not in raw


def test_a_calm_questionnaire_raises_nothing(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    response = _complete(db, people, clock, as_user, "phq9", ["1"] * 8 + ["0"])
    assert response.headers["location"].startswith("/me/thanks/")  # type: ignore[attr-defined]
    assert db.scalar(select(func.count()).select_from(Alert)) == 0


def test_clinician_sees_why_acknowledges_and_resolves_with_a_note(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    _complete(db, people, clock, as_user, "asq", ["1", "0", "0", "0", "1"])
    alert = _the_alert(db)
    carol = as_user(people.carol)
    inbox = carol.get("/clinic/alerts").text
    assert "ASQ acute positive screen" in inbox and "Kim Client" in inbox
    page = carol.get(f"/clinic/alerts/{alert.id}").text
    assert "wished you were dead" in page and "Emergency safety evaluation now" in page
    assert carol.post(f"/clinic/alerts/{alert.id}/acknowledge").status_code == 303
    assert carol.post(f"/clinic/alerts/{alert.id}/acknowledge").status_code == 409
    no_note = carol.post(f"/clinic/alerts/{alert.id}/resolve", {"note": "   "})
    assert no_note.status_code == 422
    assert _the_alert(db).state == "acknowledged"
    done = carol.post(
        f"/clinic/alerts/{alert.id}/resolve", {"note": "Called Kim; safety plan reviewed."}
    )
    assert done.status_code == 303
    alert = _the_alert(db)
    assert (alert.state, alert.resolved_by_id, alert.resolution_note) == (
        "resolved",
        people.carol.id,
        "Called Kim; safety plan reviewed.",
    )
    actions = [
        e.action
        for e in db.scalars(
            select(AuditEvent).where(AuditEvent.entity == "alert").order_by(AuditEvent.id)
        )
    ]
    assert actions == ["alert.raise", "alert.acknowledge", "alert.resolve"]
    assert "ASQ" not in carol.get("/clinic/alerts").text  # resolved alerts leave the open inbox
    assert "ASQ" in carol.get("/clinic/alerts?show=all").text


@pytest.mark.parametrize("who", ["dan", "erin"])
def test_alerts_are_404_for_clinicians_off_the_care_team(
    who: str, db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    _complete(db, people, clock, as_user, "phq9", ["0"] * 8 + ["3"])
    alert = _the_alert(db)
    outsider = as_user(getattr(people, who))
    assert outsider.get(f"/clinic/alerts/{alert.id}").status_code == 404
    assert outsider.post(f"/clinic/alerts/{alert.id}/acknowledge").status_code == 404
    assert outsider.post(f"/clinic/alerts/{alert.id}/resolve", {"note": "x"}).status_code == 404
    assert "Kim" not in outsider.get("/clinic/alerts").text
    assert _the_alert(db).state == "open"


def test_unacknowledged_alert_escalates_to_covering_then_admin_and_never_closes(
    db: Session,
    factory: sessionmaker[Session],
    people: Personas,
    clock: FixedClock,
    as_user: Callable[[User], Browser],
) -> None:
    db.add(
        CareTeamMember(
            client_id=people.kim.id,
            clinician_id=people.dan.id,
            role=TeamRole.COVERING,
            added_at=clock.now(),
        )
    )
    db.commit()
    _complete(db, people, clock, as_user, "asq", ["1", "1", "0", "0", "1"])  # urgent: 15 minutes
    assert safety.escalate_overdue(factory, clock, BASE) == 0
    clock.advance(minutes=15)
    assert safety.escalate_overdue(factory, clock, BASE) == 1
    assert _the_alert(db).escalation_level == 1
    assert _mail_to(db) == ["carol@harbour.test", "dan@harbour.test"]
    assert safety.escalate_overdue(factory, clock, BASE) == 0  # the clock restarts at each level
    clock.advance(minutes=15)
    assert safety.escalate_overdue(factory, clock, BASE) == 1
    assert _mail_to(db) == ["ada@harbour.test", "carol@harbour.test", "dan@harbour.test"]
    clock.advance(days=30)
    assert safety.escalate_overdue(factory, clock, BASE) == 0
    alert = _the_alert(db)
    assert (alert.state, alert.escalation_level) == ("open", 2)
    ada = as_user(people.admin)
    assert "ASQ acute positive screen" in ada.get("/admin/alerts").text
    assert ada.post(f"/admin/alerts/{alert.id}/acknowledge").status_code == 303
    assert _the_alert(db).state == "acknowledged"


def test_acknowledged_alert_does_not_escalate(
    db: Session,
    factory: sessionmaker[Session],
    people: Personas,
    clock: FixedClock,
    as_user: Callable[[User], Browser],
) -> None:
    _complete(db, people, clock, as_user, "phq9", ["0"] * 8 + ["1"])
    alert = _the_alert(db)
    as_user(people.carol).post(f"/clinic/alerts/{alert.id}/acknowledge")
    clock.advance(days=2)
    assert safety.escalate_overdue(factory, clock, BASE) == 0


def test_client_without_a_care_team_goes_straight_to_the_admins(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    db.query(CareTeamMember).filter(CareTeamMember.client_id == people.kim.id).delete()
    db.commit()
    assignment = measures.assign(
        db,
        clinician=people.carol,
        client=people.kim,
        instrument_id="phq9",
        interval_days=None,
        share_scores=False,
        now=clock.now(),
    )
    db.commit()
    form = {**{f"item-{n}": "0" for n in range(1, 9)}, "item-9": "2", "action": "submit"}
    as_user(people.kim.user).post(f"/me/questionnaires/{assignment.id}", form)
    assert _the_alert(db).escalation_level == 2
    assert _mail_to(db) == ["ada@harbour.test"]


def test_chart_shows_open_alerts(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    _complete(db, people, clock, as_user, "phq9", ["0"] * 8 + ["1"])
    chart = as_user(people.carol).get(f"/clinic/clients/{people.kim.id}").text
    assert "Open alerts" in chart and "PHQ-9 item 9" in chart
