from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mend.platform import audit
from mend.platform.audit import AuditEvent, verify_chain
from mend.platform.clock import FixedClock


def _events(db: Session, clock: FixedClock, n: int) -> None:
    for i in range(n):
        audit.record(
            db,
            at=clock.now(),
            actor_id=None,
            organisation_id=None,
            action=f"test.{i}",
            entity="test",
            entity_id=i,
        )
        clock.advance(seconds=1)
    db.commit()


def _all(db: Session) -> list[AuditEvent]:
    db.expire_all()
    return list(db.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_untouched_chain_verifies(db: Session, clock: FixedClock) -> None:
    _events(db, clock, 4)
    events = _all(db)
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert verify_chain(events) == []


def test_an_edited_event_is_detected(db: Session, clock: FixedClock) -> None:
    _events(db, clock, 4)
    target = _all(db)[1]
    db.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(action="something.else"))
    problems = verify_chain(_all(db))
    assert [p.event_id for p in problems] == [target.id]


def test_a_removed_event_is_detected(db: Session, clock: FixedClock) -> None:
    _events(db, clock, 4)
    events = _all(db)
    remaining = [e for e in events if e.id != events[2].id]
    problems = verify_chain(remaining)
    assert [p.event_id for p in problems] == [events[3].id]
