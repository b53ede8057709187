"""Homework and reading: a clinician assigns a tool or a reading with instructions and a
due date; the client opens it, does it, and marks it done with optional distress ratings
and a short note. Reading an article in the library is recorded too, so a reading set as
homework shows whether it was opened.

Tables live here (like safety/plans.py) so this feature can change without touching
others. The use cases never commit; every change and every clinician read is audited in
the caller's transaction. Rules (status, changes, checks) are in homework_rules.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from mend.care.models import Client
from mend.identity.models import User
from mend.platform import audit
from mend.platform.crypto import EncryptedJSON, EncryptedText
from mend.platform.db import Base, UTCDateTime
from mend.platform.errors import NotFound
from mend.practice import homework_rules as rules
from mend.practice import library
from mend.practice.homework_rules import Status
from mend.safety.screening import TextScreening, screen_text

SOURCE_KIND = "homework"
SOURCE_LABEL = "a note on finished homework"

# --- tables ---


class Homework(Base):
    """One piece of homework. Instructions and the client's note are encrypted; the
    ratings are small numbers kept in the clear so they can be charted."""

    __tablename__ = "homework"
    __table_args__ = (
        CheckConstraint("distress_before BETWEEN 0 AND 10", name="distress_before_range"),
        CheckConstraint("distress_after BETWEEN 0 AND 10", name="distress_after_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    tool: Mapped[str] = mapped_column(String(rules.MAX_TOOL_ID))
    instructions: Mapped[str] = mapped_column(EncryptedText())
    due_on: Mapped[date] = mapped_column(Date())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    distress_before: Mapped[int | None] = mapped_column(Integer)
    distress_after: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(EncryptedText())
    screening_level: Mapped[str] = mapped_column(String(10), default="none")
    screening_evidence: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON(), default=list)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class LibraryRead(Base):
    """That a client opened an article, when first and last, and how often."""

    __tablename__ = "library_reads"
    __table_args__ = (UniqueConstraint("client_id", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[str] = mapped_column(String(80))
    first_read_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_read_at: Mapped[datetime] = mapped_column(UTCDateTime())
    times: Mapped[int] = mapped_column(Integer, default=1)


# --- what pages see ---


@dataclass(frozen=True)
class HomeworkView:
    item: Homework
    tool: rules.Tool
    status: Status
    due_phrase: str
    late: bool
    read_at: datetime | None = None  # for a reading: when the client last opened it

    @property
    def id(self) -> int:
        return self.item.id

    @property
    def change(self) -> int | None:
        return rules.distress_change(self.item.distress_before, self.item.distress_after)

    @property
    def change_phrase(self) -> str:
        return rules.change_phrase(self.item.distress_before, self.item.distress_after)

    @property
    def is_open(self) -> bool:
        return self.status in (Status.DUE, Status.OVERDUE)


def titles() -> dict[str, str]:
    return {a.id: a.title for a in library.articles()}


def _view(
    item: Homework, today: date, names: dict[str, str], read_at: datetime | None = None
) -> HomeworkView:
    state = rules.status(
        due_on=item.due_on,
        today=today,
        completed_at=item.completed_at,
        cancelled_at=item.cancelled_at,
    )
    return HomeworkView(
        item=item,
        tool=rules.tool_for(item.tool, names),
        status=state,
        due_phrase=rules.due_phrase(item.due_on, today),
        late=rules.done_late(item.due_on, item.completed_at),
        read_at=read_at,
    )


def _sorted(views: list[HomeworkView]) -> list[HomeworkView]:
    return sorted(
        views, key=lambda v: rules.sort_key(v.status, v.item.due_on, v.item.completed_at, v.id)
    )


def _audit(
    db: Session,
    *,
    actor: User,
    client: Client,
    action: str,
    now: datetime,
    item_id: object,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        db,
        at=now,
        actor_id=actor.id,
        organisation_id=client.organisation_id,
        action=action,
        entity="homework" if item_id is not None else "client",
        entity_id=item_id if item_id is not None else client.id,
        client_id=client.id,
        detail=detail,
    )


# --- the clinician's side (callers have checked the care team through access.client_for) ---


def assign(
    db: Session,
    *,
    client: Client,
    clinician: User,
    tool: str,
    instructions: str,
    due_on: str,
    now: datetime,
) -> Homework:
    checked = rules.check_assignment(tool, instructions, due_on, today=now.date(), titles=titles())
    item = Homework(
        client_id=client.id,
        assigned_by_id=clinician.id,
        assigned_at=now,
        tool=checked.tool,
        instructions=checked.instructions,
        due_on=checked.due_on,
        screening_level="none",
        screening_evidence=[],
    )
    db.add(item)
    db.flush()
    _audit(
        db,
        actor=clinician,
        client=client,
        action="homework.assign",
        now=now,
        item_id=item.id,
        detail={"tool": checked.tool, "due_on": checked.due_on.isoformat()},
    )
    return item


def cancel(
    db: Session, *, client: Client, clinician: User, item_id: int, now: datetime
) -> Homework:
    """Withdraw homework that is still open. Done homework stays as it was: the client's
    ratings and note are part of the record."""
    item = _item(db, client, item_id)
    if item.cancelled_at is None and item.completed_at is None:
        item.cancelled_at = now
        item.cancelled_by_id = clinician.id
        _audit(
            db, actor=clinician, client=client, action="homework.cancel", now=now, item_id=item.id
        )
    return item


def for_clinician(
    db: Session, *, client: Client, clinician: User, now: datetime
) -> list[HomeworkView]:
    """Every piece of homework, cancelled included, with when readings were opened.
    Records the read."""
    items = list(db.scalars(select(Homework).where(Homework.client_id == client.id)))
    reads = {r.article_id: r.last_read_at for r in reads_for(db, client)}
    names = titles()
    views = []
    for item in items:
        read_at = None
        if item.tool.startswith(rules.READING):
            last = reads.get(item.tool.removeprefix(rules.READING))
            read_at = last if last is not None and last >= item.assigned_at else None
        views.append(_view(item, now.date(), names, read_at))
    _audit(
        db,
        actor=clinician,
        client=client,
        action="homework.read",
        now=now,
        item_id=None,
        detail={"homework": sorted(i.id for i in items)},
    )
    return _sorted(views)


# --- the client's side ---


def _item(db: Session, client: Client, item_id: int) -> Homework:
    item = db.scalar(
        select(Homework).where(Homework.id == item_id, Homework.client_id == client.id)
    )
    if item is None:
        raise NotFound()
    return item


def own_item(db: Session, client: Client, item_id: int, now: datetime) -> HomeworkView:
    """A client's own homework; cancelled homework is gone from their view."""
    item = _item(db, client, item_id)
    if item.cancelled_at is not None:
        raise NotFound()
    return _view(item, now.date(), titles())


def for_client(
    db: Session, client: Client, now: datetime, *, open_only: bool = False, done_limit: int = 10
) -> list[HomeworkView]:
    """Open homework, soonest first, then the most recent done ones (none with
    `open_only`); never cancelled ones."""
    query = select(Homework).where(Homework.client_id == client.id, Homework.cancelled_at.is_(None))
    if open_only:
        query = query.where(Homework.completed_at.is_(None))
    views = _sorted([_view(i, now.date(), titles()) for i in db.scalars(query)])
    done = [v for v in views if v.status == Status.DONE][:done_limit]
    return [v for v in views if v.is_open] + done


def due_for_home(db: Session, client: Client, now: datetime) -> list[HomeworkView]:
    """What the client's home page shows (practice/_homework_due.html): open homework."""
    return for_client(db, client, now, open_only=True)


def mark_opened(
    db: Session, *, client: Client, actor: User, item_id: int, now: datetime
) -> HomeworkView:
    view = own_item(db, client, item_id, now)
    if view.item.opened_at is None:
        view.item.opened_at = now
        _audit(db, actor=actor, client=client, action="homework.open", now=now, item_id=item_id)
    return view


def complete(
    db: Session,
    *,
    client: Client,
    actor: User,
    item_id: int,
    distress_before: str,
    distress_after: str,
    note: str,
    now: datetime,
    base_url: str,
) -> tuple[HomeworkView, TextScreening | None]:
    """Mark open homework done. The note is screened before the caller commits; a second
    submit of the same form changes nothing."""
    view = own_item(db, client, item_id, now)
    item = view.item
    if item.completed_at is not None:
        return view, None
    before = rules.parse_distress(distress_before, "before")
    after = rules.parse_distress(distress_after, "after")
    clean_note = rules.check_note(note)
    item.completed_at = now
    item.distress_before = before
    item.distress_after = after
    item.note = clean_note
    screening = None
    if clean_note:
        screening = screen_text(
            db,
            client=client,
            source_kind=SOURCE_KIND,
            source_id=item.id,
            source_label=SOURCE_LABEL,
            text=clean_note,
            now=now,
            base_url=base_url,
        )
        item.screening_level = screening.level
        item.screening_evidence = screening.evidence
    _audit(
        db,
        actor=actor,
        client=client,
        action="homework.complete",
        now=now,
        item_id=item.id,
        detail={"screening": screening.level if screening else "none"},
    )
    db.flush()
    return _view(item, now.date(), titles()), screening


def open_reading(db: Session, client: Client, article_id: str) -> Homework | None:
    """Open homework asking the client to read this article, if any (soonest due)."""
    return db.scalar(
        select(Homework)
        .where(
            Homework.client_id == client.id,
            Homework.tool == rules.reading_tool(article_id),
            Homework.cancelled_at.is_(None),
            Homework.completed_at.is_(None),
        )
        .order_by(Homework.due_on, Homework.id)
        .limit(1)
    )


def rated(db: Session, client: Client) -> list[rules.Rated]:
    """Done homework with its ratings, for 'what helps me'."""
    rows = db.execute(
        select(Homework.tool, Homework.distress_before, Homework.distress_after).where(
            Homework.client_id == client.id,
            Homework.completed_at.is_not(None),
            Homework.cancelled_at.is_(None),
        )
    )
    return [rules.Rated(tool, before, after) for tool, before, after in rows]


# --- reading ---


def record_read(
    db: Session, *, client: Client, actor: User, article_id: str, now: datetime
) -> LibraryRead:
    """Count one reading of an article. Two first reads at once (two tabs) meet the
    unique constraint; the loser updates the winner's row instead."""
    mine = select(LibraryRead).where(
        LibraryRead.client_id == client.id, LibraryRead.article_id == article_id
    )
    row = db.scalar(mine)
    if row is None:
        try:
            with db.begin_nested():
                row = LibraryRead(
                    client_id=client.id,
                    article_id=article_id,
                    first_read_at=now,
                    last_read_at=now,
                    times=0,  # counted below, like any other read
                )
                db.add(row)
        except IntegrityError:
            row = db.scalars(mine).one()
    row.last_read_at = now
    row.times += 1
    audit.record(
        db,
        at=now,
        actor_id=actor.id,
        organisation_id=client.organisation_id,
        action="library.read",
        entity="library_article",
        entity_id=article_id,
        client_id=client.id,
    )
    return row


def reads_for(db: Session, client: Client) -> list[LibraryRead]:
    return list(
        db.scalars(
            select(LibraryRead)
            .where(LibraryRead.client_id == client.id)
            .order_by(LibraryRead.last_read_at.desc())
        )
    )
