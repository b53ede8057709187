"""Daily check-ins: the table and its use cases.

A check-in is mood 0–10, where the client is in their window of tolerance, the body
signals they notice, hours slept and an optional note. One a day is typical but every
check-in is kept. The free text (other body signals, the note) is encrypted and screened
before it commits; the numbers and the fixed checklist are stored plainly so the
database itself can refuse an impossible value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from mend.care.models import Client
from mend.identity.models import User
from mend.platform import audit
from mend.platform.crypto import EncryptedJSON, EncryptedText
from mend.platform.db import Base, UTCDateTime
from mend.practice import checkin_rules as rules
from mend.practice.checkin_rules import CheckinFacts, CheckinInput
from mend.safety.screening import TextScreening, screen_text

_RANK = {"none": 0, "concern": 1, "urgent": 2}
FIELD_LABELS = {"other_signals": "body signals", "note": "note"}
SOURCE_KIND = "check_in"


def source_label(field: str) -> str:
    """How an alert names the field of a check-in its words came from."""
    return f"a daily check-in ({FIELD_LABELS[field]})"


class CheckIn(Base):
    __tablename__ = "check_ins"
    __table_args__ = (
        CheckConstraint("mood >= 0 AND mood <= 10", name="mood_range"),
        CheckConstraint("window_state IN ('within', 'hyper', 'hypo')", name="window_state"),
        CheckConstraint(
            "sleep_half_hours IS NULL OR (sleep_half_hours >= 0 AND sleep_half_hours <= 48)",
            name="sleep_range",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    mood: Mapped[int] = mapped_column(Integer)
    # "window" is a reserved word in PostgreSQL, hence the longer name.
    window_state: Mapped[str] = mapped_column(String(10))
    body_signals: Mapped[list[str]] = mapped_column(JSON, default=list)
    other_signals: Mapped[str | None] = mapped_column(EncryptedText())
    # Half-hours, so 6.5 hours is stored exactly (13) on every database.
    sleep_half_hours: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(EncryptedText())
    screening_level: Mapped[str] = mapped_column(String(10), default="none")
    screening_evidence: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON(), default=list)

    @property
    def window(self) -> rules.WindowState:
        return rules.WINDOW_BY_ID[self.window_state]

    @property
    def sleep_hours(self) -> float | None:
        return rules.sleep_hours(self.sleep_half_hours)

    @property
    def signal_labels(self) -> list[str]:
        return [rules.SIGNAL_BY_ID[s].label for s in self.body_signals if s in rules.SIGNAL_BY_ID]

    @property
    def facts(self) -> CheckinFacts:
        return CheckinFacts(self.created_at, self.mood, self.window_state, self.sleep_half_hours)


def _screen(
    db: Session, entry: CheckIn, client: Client, now: datetime, base_url: str
) -> TextScreening:
    """Screen each piece of free text on its own; answer with the most severe."""
    worst = TextScreening("none", [], None)
    evidence: list[dict[str, Any]] = []
    for name in ("other_signals", "note"):
        text = getattr(entry, name)
        if not text:
            continue
        result = screen_text(
            db,
            client=client,
            source_kind=SOURCE_KIND,
            source_id=entry.id,
            source_label=source_label(name),
            text=text,
            now=now,
            base_url=base_url,
        )
        evidence.extend({**e, "field": name} for e in result.evidence)
        if _RANK[result.level] > _RANK[worst.level]:
            worst = result
    entry.screening_level = worst.level
    entry.screening_evidence = evidence
    return worst


def record(
    db: Session,
    *,
    client: Client,
    author: User,
    answers: CheckinInput,
    now: datetime,
    base_url: str,
) -> tuple[CheckIn, TextScreening]:
    entry = CheckIn(
        client_id=client.id,
        created_at=now,
        mood=answers.mood,
        window_state=answers.window,
        body_signals=list(answers.signals),
        other_signals=answers.other_signals,
        sleep_half_hours=answers.sleep_half_hours,
        note=answers.note,
        screening_level="none",
        screening_evidence=[],
    )
    db.add(entry)
    db.flush()
    screening = _screen(db, entry, client, now, base_url)
    audit.record(
        db,
        at=now,
        actor_id=author.id,
        organisation_id=client.organisation_id,
        action="check_in.create",
        entity="check_in",
        entity_id=entry.id,
        client_id=client.id,
        detail={"screening": screening.level},
    )
    return entry, screening


def checkins(db: Session, client: Client) -> list[CheckIn]:
    """Oldest first, the order of the chart."""
    return list(
        db.scalars(
            select(CheckIn)
            .where(CheckIn.client_id == client.id)
            .order_by(CheckIn.created_at, CheckIn.id)
        )
    )
