"""The coping toolkit's tables and use cases: a session per exercise (distress before
and after, an optional note) and the client's own calm place.

Free text (a session's note, the calm place's words) is encrypted at rest and goes
through `safety.screening.screen_text` before the caller commits, like the journal. The
words jotted during 5-4-3-2-1 grounding are deliberately never sent to Mend: they stay
on the client's screen, so there is nothing to store or screen.

Who sees what: a session's ratings and note are part of the client's record and the
care team sees them (the client is told so beside the note box); the calm place is
private to the client. Use cases never commit; they audit every change in the caller's
transaction.

Tables live here rather than in practice/models.py so the toolkit can change without
touching the journal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from mend.care.models import Client
from mend.identity.models import User
from mend.platform import audit
from mend.platform.crypto import EncryptedJSON, EncryptedText
from mend.platform.db import Base, UTCDateTime
from mend.platform.errors import Invalid, NotFound
from mend.practice import coping_catalogue as catalogue
from mend.practice import coping_rules as rules
from mend.safety.screening import TextScreening, screen_text

MAX_NOTE = 1000
NOTE_KIND = "coping"
PLACE_KIND = "coping_place"
PLACE_LABEL = "their calm-place description (private)"


def note_label(tool_id: str) -> str:
    """How an alert names a note written after an exercise."""
    return f"a note after a coping exercise ({catalogue.name_of(tool_id)})"


# --- tables ---


class CopingSession(Base):
    """One go at one exercise. Finished once the client saves the closing screen, with
    or without an after-rating (no after-rating means they stopped early)."""

    __tablename__ = "coping_sessions"
    __table_args__ = (
        CheckConstraint("distress_before BETWEEN 0 AND 10", name="distress_before_range"),
        CheckConstraint(
            "distress_after IS NULL OR distress_after BETWEEN 0 AND 10",
            name="distress_after_range",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    tool: Mapped[str] = mapped_column(String(catalogue.MAX_TOOL_ID))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    distress_before: Mapped[int] = mapped_column(Integer)
    distress_after: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(EncryptedText())
    screening_level: Mapped[str] = mapped_column(String(10), default="none")
    screening_evidence: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON(), default=list)

    @property
    def tool_name(self) -> str:
        return catalogue.name_of(self.tool)

    @property
    def drop(self) -> int | None:
        return rules.drop(self.distress_before, self.distress_after)

    @property
    def change(self) -> str:
        return rules.change_words(self.distress_before, self.distress_after)

    @property
    def minutes(self) -> int | None:
        return rules.minutes_between(self.started_at, self.finished_at)


class CopingPlace(Base):
    """The client's calm place in their own words: one per client, edited in place."""

    __tablename__ = "coping_places"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    words: Mapped[dict[str, str]] = mapped_column(EncryptedJSON())
    screening_level: Mapped[str] = mapped_column(String(10), default="none")
    screening_evidence: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON(), default=list)


# --- sessions ---


def _known_tool(tool_id: str) -> catalogue.Tool:
    found = catalogue.tool(tool_id)
    if found is None:
        raise NotFound()
    return found


def _audit(
    db: Session,
    *,
    actor: User,
    client: Client,
    action: str,
    entity: str,
    entity_id: int,
    now: datetime,
    detail: dict[str, Any],
) -> None:
    audit.record(
        db,
        at=now,
        actor_id=actor.id,
        organisation_id=client.organisation_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        client_id=client.id,
        detail=detail,
    )


def start(
    db: Session, *, client: Client, author: User, tool_id: str, before: str, now: datetime
) -> CopingSession:
    """Begin an exercise with the distress rating given just before it."""
    _known_tool(tool_id)
    rating = rules.parse_rating(before, required=True)
    assert rating is not None
    session = CopingSession(
        client_id=client.id,
        tool=tool_id,
        started_at=now,
        distress_before=rating,
        screening_level="none",
        screening_evidence=[],
    )
    db.add(session)
    db.flush()
    _audit(
        db,
        actor=author,
        client=client,
        action="coping.session.start",
        entity="coping_session",
        entity_id=session.id,
        now=now,
        detail={"tool": tool_id, "before": rating},
    )
    return session


def own_session(db: Session, client: Client, session_id: int, tool_id: str) -> CopingSession:
    """A session of this client's, for this tool; NotFound for anything else."""
    session = db.scalar(
        select(CopingSession).where(
            CopingSession.id == session_id,
            CopingSession.client_id == client.id,
            CopingSession.tool == tool_id,
        )
    )
    if session is None:
        raise NotFound()
    return session


def finish(
    db: Session,
    *,
    client: Client,
    author: User,
    tool_id: str,
    session_id: int,
    after: str,
    note: str,
    now: datetime,
    base_url: str,
) -> tuple[CopingSession, TextScreening | None]:
    """Close an exercise: the after-rating (optional: none means they stopped early) and
    an optional note, screened before the caller commits."""
    session = own_session(db, client, session_id, tool_id)
    if session.finished_at is not None:
        raise Invalid("This exercise is already saved. You can start a new one any time.")
    if not rules.can_rate_later(session.started_at, session.finished_at, now):
        raise Invalid(
            "This exercise was a while ago, so it can't be rated now. Please start a new one "
            "whenever you like."
        )
    rating = rules.parse_rating(after, required=False)
    text = note.strip()
    if len(text) > MAX_NOTE:
        raise Invalid(f"Notes can be up to {MAX_NOTE:,} characters. Please shorten this one.")
    session.distress_after = rating
    session.finished_at = now
    session.note = text or None
    screening = None
    if text:
        screening = screen_text(
            db,
            client=client,
            source_kind=NOTE_KIND,
            source_id=session.id,
            source_label=note_label(tool_id),
            text=text,
            now=now,
            base_url=base_url,
        )
        session.screening_level = screening.level
        session.screening_evidence = screening.evidence
    _audit(
        db,
        actor=author,
        client=client,
        action="coping.session.finish",
        entity="coping_session",
        entity_id=session.id,
        now=now,
        detail={
            "tool": tool_id,
            "after": rating,
            "note": bool(text),
            "screening": session.screening_level,
        },
    )
    return session, screening


def sessions(db: Session, client: Client, limit: int | None = None) -> list[CopingSession]:
    """Newest first."""
    query = (
        select(CopingSession)
        .where(CopingSession.client_id == client.id)
        .order_by(CopingSession.started_at.desc(), CopingSession.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.scalars(query))


def _facts(db: Session, client: Client) -> list[rules.SessionFacts]:
    # Only the three columns the summaries use: no notes are decrypted for a summary.
    rows = db.execute(
        select(
            CopingSession.tool, CopingSession.distress_before, CopingSession.distress_after
        ).where(CopingSession.client_id == client.id)
    )
    return [rules.SessionFacts(tool, before, after) for tool, before, after in rows]


def summaries(db: Session, client: Client) -> list[rules.ToolSummary]:
    """Per tool, in the toolkit's order."""
    return rules.summarise(_facts(db, client), catalogue.TOOL_IDS)


@dataclass(frozen=True)
class HelpfulTool:
    tool_id: str
    name: str
    sessions: int  # rated sessions
    average_drop: float  # points on the 0-10 scale

    @property
    def summary(self) -> str:
        return (
            f"On average your distress went down {rules.points(self.average_drop)} "
            f"({self.sessions} times)."
        )

    @property
    def url(self) -> str:
        return f"/me/coping/{self.tool_id}"


def helpful_tools(db: Session, client: Client) -> list[HelpfulTool]:
    """The tools that have helped this client most, best first: at least two rated
    sessions each and, on average, distress lower afterwards.

    For the relapse-prevention "My recovery toolkit" page and the like. It records no
    audit event: a caller showing this to a clinician audits its own read."""
    return [
        HelpfulTool(s.tool, catalogue.name_of(s.tool), s.rated, s.average_drop or 0.0)
        for s in rules.helping(summaries(db, client))
    ]


# --- the calm place ---


def place(db: Session, client: Client) -> CopingPlace | None:
    return db.scalar(select(CopingPlace).where(CopingPlace.client_id == client.id))


def clean_place_words(form: Mapping[str, str]) -> dict[str, str]:
    """The place's fields, tidied and checked. Raises Invalid for the person."""
    words: dict[str, str] = {}
    for spec in catalogue.PLACE_FIELDS:
        value = " ".join((form.get(spec.id) or "").split())
        if len(value) > catalogue.MAX_PLACE_CHARS:
            raise Invalid(
                f"“{spec.label}” can be up to {catalogue.MAX_PLACE_CHARS} characters. "
                "Please shorten it a little."
            )
        if value:
            words[spec.id] = value
    if not words:
        raise Invalid(
            "Please describe at least one thing about your place. Even a name is enough to start."
        )
    return words


def save_place(
    db: Session,
    *,
    client: Client,
    author: User,
    form: Mapping[str, str],
    now: datetime,
    base_url: str,
) -> tuple[CopingPlace, TextScreening]:
    words = clean_place_words(form)
    existing = place(db, client)
    if existing is None:
        existing = CopingPlace(
            client_id=client.id,
            created_at=now,
            updated_at=now,
            words=words,
            screening_level="none",
            screening_evidence=[],
        )
        db.add(existing)
        db.flush()
        action = "coping.place.create"
    else:
        existing.words = words
        existing.updated_at = now
        action = "coping.place.update"
    screening = screen_text(
        db,
        client=client,
        source_kind=PLACE_KIND,
        source_id=existing.id,
        source_label=PLACE_LABEL,
        text="\n".join(words[f] for f in catalogue.PLACE_FIELD_IDS if f in words),
        now=now,
        base_url=base_url,
    )
    existing.screening_level = screening.level
    existing.screening_evidence = screening.evidence
    _audit(
        db,
        actor=author,
        client=client,
        action=action,
        entity="coping_place",
        entity_id=existing.id,
        now=now,
        detail={"fields": sorted(words), "screening": screening.level},
    )
    return existing, screening
