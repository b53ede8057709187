"""The same words again are the same alert: raise_alert folds repeats (see
`rules.repeats`) for one client only, pages nobody twice, and records what it did."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mend.care.models import Client
from mend.platform.audit import AuditEvent
from mend.platform.clock import FixedClock
from mend.platform.outbox import OutboxMessage
from mend.safety.models import Alert
from mend.safety.rules import REPEAT_WINDOW
from mend.safety.screening import screen_text
from tests.support.personas import Personas

URGENT = "I've decided to kill myself tonight, I have the pills ready"
BASE = "http://mend.test"


def _screen(
    db: Session,
    client: Client,
    at: datetime,
    source_id: int | None = None,
) -> Alert | None:
    alert = screen_text(
        db,
        client=client,
        source_kind="check_in",
        source_id=source_id,
        source_label="a daily check-in (note)",
        text=URGENT,
        now=at,
        base_url=BASE,
    ).alert
    db.flush()
    return alert


def _alerts(db: Session) -> list[Alert]:
    return list(db.scalars(select(Alert).order_by(Alert.id)))


def test_writing_not_saved_by_two_clients_is_never_one_alert(
    db: Session, people: Personas, clock: FixedClock
) -> None:
    _screen(db, people.kim, clock.now())
    _screen(db, people.lee, clock.now())
    assert sorted(a.client_id for a in _alerts(db)) == sorted([people.kim.id, people.lee.id])


def test_a_repeat_pages_nobody_again_and_the_saved_entry_takes_over_the_alert(
    db: Session, people: Personas, clock: FixedClock
) -> None:
    first = _screen(db, people.kim, clock.now())
    mail = len(list(db.scalars(select(OutboxMessage))))
    assert mail >= 1
    assert _screen(db, people.kim, clock.now()) is first  # the form sent again
    again = _screen(db, people.kim, clock.now(), 41)  # saved at last, as check-in 41
    assert again is first and first is not None
    assert (first.source_id, len(_alerts(db))) == ("41", 1)
    assert len(list(db.scalars(select(OutboxMessage)))) == mail
    history = db.scalars(
        select(AuditEvent.action).where(
            AuditEvent.entity == "alert", AuditEvent.entity_id == str(first.id)
        )
    ).all()
    assert list(history) == ["alert.raise", "alert.repeat"]


def test_the_same_words_after_the_window_or_after_resolving_raise_a_new_alert(
    db: Session, people: Personas, clock: FixedClock
) -> None:
    first = _screen(db, people.kim, clock.now())
    later = _screen(db, people.kim, clock.now() + REPEAT_WINDOW + timedelta(minutes=1))
    assert later is not first
    assert first is not None and later is not None
    later.state = "resolved"
    db.flush()
    assert _screen(db, people.kim, later.created_at) is not later
    assert len(_alerts(db)) == 3
