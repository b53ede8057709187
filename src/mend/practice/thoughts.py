"""Thought records: the table and its use cases.

A record is written in four steps (what happened → thinking traps → evidence → a
balanced thought), and each step is saved as it is submitted, so a client who stops
half-way loses nothing and can carry on later. Every piece of writing is encrypted and
goes through `safety.screening.screen_text` before it commits, field by field, so the
alert (if any) quotes the words from the field that raised it. Alerts are keyed to the
record, so saving a step again never pages the care team twice for the same rule.

The care team can read a client's thought records (they are homework to talk through
together); the client is told so on the form. Every clinician read is audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from mend.care.models import Client
from mend.identity.models import User
from mend.language import traps
from mend.language.traps import Suggestions
from mend.platform import audit
from mend.platform.crypto import EncryptedJSON, EncryptedText
from mend.platform.db import Base, UTCDateTime
from mend.platform.errors import NotFound
from mend.practice import thought_rules as rules
from mend.practice.thought_rules import Emotion, IntensityChange, RecordState, TrapChoice
from mend.safety.screening import TextScreening, screen_text

# How each screened field is named in an alert ("Urgent crisis language in ...").
FIELD_LABELS = {
    "situation": "what happened",
    "thought": "the automatic thought",
    "feelings": "the feelings named",
    "evidence_for": "evidence for the thought",
    "evidence_against": "evidence against the thought",
    "balanced": "the balanced thought",
}
_RANK = {"none": 0, "concern": 1, "urgent": 2}
SOURCE_KIND = "thought_record"


def source_label(field: str) -> str:
    """How an alert names the step of a thought record its words came from."""
    return f"a thought record ({FIELD_LABELS[field]})"


def feelings_text(names: Iterable[str]) -> str:
    """The feelings named, as one piece of writing to screen."""
    return ", ".join(" ".join(n.split()) for n in names if n.strip())


class ThoughtRecord(Base):
    """One thought worked through. Written step by step; `completed_at` is set once the
    balanced thought is written and every feeling re-rated."""

    __tablename__ = "thought_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    steps_done: Mapped[int] = mapped_column(Integer, default=rules.STEP_THOUGHT)
    situation: Mapped[str] = mapped_column(EncryptedText())
    thought: Mapped[str] = mapped_column(EncryptedText())
    # [{"name", "before", "after"}]: the feelings are the client's own words.
    emotions: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON(), default=list)
    # TrapChoice.to_json(): which traps fit says a lot about the thought, so encrypted.
    traps: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON(), default=dict)
    evidence_for: Mapped[str] = mapped_column(EncryptedText(), default="")
    evidence_against: Mapped[str] = mapped_column(EncryptedText(), default="")
    balanced_thought: Mapped[str] = mapped_column(EncryptedText(), default="")
    screening_level: Mapped[str] = mapped_column(String(10), default="none")
    # {field: {"level", "evidence"}}: the latest screening of each field.
    screening: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON(), default=dict)

    @property
    def feelings(self) -> tuple[Emotion, ...]:
        return tuple(Emotion.from_json(e) for e in self.emotions or [])

    @property
    def trap_choice(self) -> TrapChoice:
        return TrapChoice.from_json(self.traps)

    @property
    def state(self) -> RecordState:
        return RecordState(self.steps_done, self.balanced_thought, self.feelings)

    @property
    def change(self) -> IntensityChange | None:
        return rules.intensity_change(self.feelings) if self.completed_at else None

    @property
    def next_step_slug(self) -> str:
        return rules.STEP_SLUGS[self.state.next_step]


# --- screening ---


def _screen(
    db: Session,
    record: ThoughtRecord,
    client: Client,
    fields: Mapping[str, str],
    now: datetime,
    base_url: str,
) -> TextScreening:
    """Screen each field on its own; keep each field's result on the record and answer
    with the most severe of this save (so the page knows whether to show support)."""
    stored = dict(record.screening or {})
    worst = TextScreening("none", [], None)
    for name, text in fields.items():
        if not text.strip():
            stored[name] = {"level": "none", "evidence": []}
            continue
        result = screen_text(
            db,
            client=client,
            source_kind=SOURCE_KIND,
            source_id=record.id,
            source_label=source_label(name),
            text=text,
            now=now,
            base_url=base_url,
        )
        stored[name] = {"level": result.level, "evidence": result.evidence}
        if _RANK[result.level] > _RANK[worst.level]:
            worst = result
    record.screening = stored
    record.screening_level = max(
        (str(s["level"]) for s in stored.values()), key=_RANK.__getitem__, default="none"
    )
    return worst


def _touch(record: ThoughtRecord, step: int, now: datetime) -> None:
    record.steps_done = rules.steps_done_after(record.steps_done, step)
    record.updated_at = now
    complete = record.state.complete
    if complete and record.completed_at is None:
        record.completed_at = now
    elif not complete:
        record.completed_at = None


def _audit(
    db: Session, record: ThoughtRecord, client: Client, author: User, action: str, now: datetime
) -> None:
    audit.record(
        db,
        at=now,
        actor_id=author.id,
        organisation_id=client.organisation_id,
        action=action,
        entity="thought_record",
        entity_id=record.id,
        client_id=client.id,
        detail={
            "steps_done": record.steps_done,
            "complete": record.completed_at is not None,
            "screening": record.screening_level,
        },
    )


# --- the four steps ---


@dataclass(frozen=True)
class FirstStep:
    """Step one as typed: what happened, the thought, and (name, rating) rows."""

    situation: str
    thought: str
    emotion_rows: tuple[tuple[str, str], ...]


def _checked_first(step: FirstStep) -> tuple[str, str, tuple[Emotion, ...]]:
    situation = rules.clean_text(
        step.situation,
        limit=rules.MAX_SITUATION,
        what="What happened",
        required="Please say briefly what was happening — a few words is enough.",
    )
    thought = rules.clean_text(
        step.thought,
        limit=rules.MAX_THOUGHT,
        what="The thought",
        required="Please write down the thought that went through your mind.",
    )
    return situation, thought, rules.read_emotions(step.emotion_rows)


def save_first(
    db: Session,
    *,
    client: Client,
    author: User,
    record_id: int | None,
    step: FirstStep,
    now: datetime,
    base_url: str,
) -> tuple[ThoughtRecord, TextScreening]:
    """Step one: starts a record (`record_id` None) or changes the one given. Changed
    feelings keep the re-ratings of those still there (see `rules.carry_ratings`)."""
    situation, thought, emotions = _checked_first(step)
    if record_id is None:
        record = ThoughtRecord(
            client_id=client.id,
            created_at=now,
            updated_at=now,
            steps_done=rules.STEP_THOUGHT,
            traps={},
            evidence_for="",
            evidence_against="",
            balanced_thought="",
            screening_level="none",
            screening={},
            emotions=[],
        )
    else:
        record = own_record(db, client, record_id)
    record.situation = situation
    record.thought = thought
    record.emotions = [e.to_json() for e in rules.carry_ratings(record.feelings, emotions)]
    if record_id is None:
        db.add(record)
        db.flush()  # screening names the record by its id
    fields = {
        "situation": situation,
        "thought": thought,
        "feelings": feelings_text(e.name for e in emotions),
    }
    screening = _screen(db, record, client, fields, now, base_url)
    _touch(record, rules.STEP_THOUGHT, now)
    action = "thought_record.create" if record_id is None else "thought_record.update"
    _audit(db, record, client, author, action, now)
    return record, screening


def suggestions_for(record: ThoughtRecord) -> Suggestions:
    """The traps to offer for this record's thought (none when `withheld`).

    The trap module withholds suggestions for explicit suicide or self-harm wording; Mend
    also withholds them when screening found concerning words in the thought itself
    ("everyone would be better off without me"), for the same reason the module gives:
    calling such a thought a distortion would tell someone at risk that their distress is
    a thinking error."""
    found = traps.suggest(record.thought)
    screened = (record.screening or {}).get("thought", {}).get("level", "none")
    if not found.withheld and screened != "none":
        return Suggestions((), found.scores, {}, withheld=True)
    return found


def save_traps(
    db: Session,
    *,
    client: Client,
    author: User,
    record_id: int,
    ticked: Iterable[str],
    now: datetime,
) -> ThoughtRecord:
    record = own_record(db, client, record_id)
    # Suggestions are worked out again here rather than trusted from the form, so what is
    # stored as "suggested" is what Mend really offered for this thought.
    found = suggestions_for(record)
    choice = rules.choose_traps(found.traps, ticked, withheld=found.withheld)
    record.traps = choice.to_json()
    _touch(record, rules.STEP_TRAPS, now)
    _audit(db, record, client, author, "thought_record.update", now)
    return record


def save_evidence(
    db: Session,
    *,
    client: Client,
    author: User,
    record_id: int,
    evidence_for: str,
    evidence_against: str,
    now: datetime,
    base_url: str,
) -> tuple[ThoughtRecord, TextScreening]:
    record = own_record(db, client, record_id)
    for_text = rules.clean_text(
        evidence_for, limit=rules.MAX_EVIDENCE, what="What makes the thought feel true"
    )
    against_text = rules.clean_text(
        evidence_against, limit=rules.MAX_EVIDENCE, what="What doesn't fit the thought"
    )
    record.evidence_for = for_text
    record.evidence_against = against_text
    screening = _screen(
        db,
        record,
        client,
        {"evidence_for": for_text, "evidence_against": against_text},
        now,
        base_url,
    )
    _touch(record, rules.STEP_EVIDENCE, now)
    _audit(db, record, client, author, "thought_record.update", now)
    return record, screening


def save_balance(
    db: Session,
    *,
    client: Client,
    author: User,
    record_id: int,
    balanced: str,
    ratings: Sequence[str],
    now: datetime,
    base_url: str,
    partial: bool = False,
) -> tuple[ThoughtRecord, TextScreening]:
    """The last step. `partial` saves what is there to finish later: blanks are kept
    and the step is not counted as done."""
    record = own_record(db, client, record_id)
    text = rules.clean_text(
        balanced,
        limit=rules.MAX_BALANCED,
        what="The balanced thought",
        required=None
        if partial
        else (
            "Please write a balanced thought. It doesn't need to be perfect, just a "
            "little fairer to you than the first one."
        ),
    )
    rerated = rules.rerate(record.feelings, ratings, partial=partial)
    record.balanced_thought = text
    record.emotions = [e.to_json() for e in rerated]
    screening = _screen(db, record, client, {"balanced": text}, now, base_url)
    _touch(record, rules.STEP_EVIDENCE if partial else rules.STEP_BALANCE, now)
    _audit(db, record, client, author, "thought_record.update", now)
    return record, screening


# --- reading ---


def own_record(db: Session, client: Client, record_id: int) -> ThoughtRecord:
    record = db.scalar(
        select(ThoughtRecord).where(
            ThoughtRecord.id == record_id, ThoughtRecord.client_id == client.id
        )
    )
    if record is None:
        raise NotFound()
    return record


def records(db: Session, client: Client) -> list[ThoughtRecord]:
    """Newest first."""
    return list(
        db.scalars(
            select(ThoughtRecord)
            .where(ThoughtRecord.client_id == client.id)
            .order_by(ThoughtRecord.created_at.desc(), ThoughtRecord.id.desc())
        )
    )


def completed(found: Iterable[ThoughtRecord]) -> list[ThoughtRecord]:
    """Completed records, oldest first (the order of the chart)."""
    done = [r for r in found if r.completed_at is not None]
    return sorted(done, key=lambda r: (r.completed_at or r.created_at, r.id))
