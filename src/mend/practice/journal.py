"""Use cases for the journal: write, edit, share or unshare, read.

Every save goes through `safety.screening.screen_text` before it commits, so an
entry and any alert about it land together. Unshared entries are never shown to
the care team; an alert quotes only the words that fired it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mend.care.models import Client
from mend.identity.models import User
from mend.platform import audit
from mend.platform.errors import Invalid, NotFound
from mend.practice.models import JournalEntry
from mend.safety.screening import TextScreening, screen_text

MAX_BODY = 10_000
SOURCE_KIND = "journal"
MOODS = (
    "calm",
    "hopeful",
    "okay",
    "tired",
    "sad",
    "lonely",
    "anxious",
    "angry",
    "ashamed",
    "numb",
    "overwhelmed",
)


def _validate(body: str, mood: str) -> tuple[str, str | None]:
    body = body.strip()
    if not body:
        raise Invalid("Please write something before saving — even a few words is fine.")
    if len(body) > MAX_BODY:
        raise Invalid(
            f"Entries can be up to {MAX_BODY:,} characters. Please split this one in two."
        )
    if mood and mood not in MOODS:
        raise Invalid("Please choose a mood from the list, or leave it blank.")
    return body, mood or None


def source_label(shared: bool) -> str:
    """How an alert names a journal entry: the care team must know whether it was shared."""
    return "a journal entry" + (" (shared)" if shared else " (private)")


def _screen(
    db: Session, entry: JournalEntry, client: Client, now: datetime, base_url: str
) -> TextScreening:
    result = screen_text(
        db,
        client=client,
        source_kind=SOURCE_KIND,
        source_id=entry.id,
        source_label=source_label(entry.shared),
        text=entry.body,
        now=now,
        base_url=base_url,
    )
    entry.screening_level = result.level
    entry.screening_evidence = result.evidence
    return result


def write(
    db: Session,
    *,
    client: Client,
    author: User,
    body: str,
    mood: str,
    shared: bool,
    now: datetime,
    base_url: str,
) -> tuple[JournalEntry, TextScreening]:
    body, mood_tag = _validate(body, mood)
    entry = JournalEntry(
        client_id=client.id,
        created_at=now,
        updated_at=now,
        body=body,
        mood=mood_tag,
        shared=shared,
        shared_at=now if shared else None,
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
        action="journal.create",
        entity="journal_entry",
        entity_id=entry.id,
        client_id=client.id,
        detail={"shared": shared, "screening": screening.level},
    )
    return entry, screening


def edit(
    db: Session,
    *,
    client: Client,
    author: User,
    entry_id: int,
    body: str,
    mood: str,
    now: datetime,
    base_url: str,
) -> tuple[JournalEntry, TextScreening]:
    entry = own_entry(db, client, entry_id)
    body, mood_tag = _validate(body, mood)
    entry.body = body
    entry.mood = mood_tag
    entry.updated_at = now
    screening = _screen(db, entry, client, now, base_url)
    audit.record(
        db,
        at=now,
        actor_id=author.id,
        organisation_id=client.organisation_id,
        action="journal.update",
        entity="journal_entry",
        entity_id=entry.id,
        client_id=client.id,
        detail={"screening": screening.level},
    )
    return entry, screening


def set_shared(
    db: Session, *, client: Client, author: User, entry_id: int, shared: bool, now: datetime
) -> JournalEntry:
    entry = own_entry(db, client, entry_id)
    if entry.shared != shared:
        entry.shared = shared
        entry.shared_at = now if shared else None
        audit.record(
            db,
            at=now,
            actor_id=author.id,
            organisation_id=client.organisation_id,
            action="journal.share" if shared else "journal.unshare",
            entity="journal_entry",
            entity_id=entry.id,
            client_id=client.id,
        )
    return entry


def own_entry(db: Session, client: Client, entry_id: int) -> JournalEntry:
    entry = db.scalar(
        select(JournalEntry).where(JournalEntry.id == entry_id, JournalEntry.client_id == client.id)
    )
    if entry is None:
        raise NotFound()
    return entry


def entries(db: Session, client: Client) -> list[JournalEntry]:
    return list(
        db.scalars(
            select(JournalEntry)
            .where(JournalEntry.client_id == client.id)
            .order_by(JournalEntry.created_at.desc())
        )
    )


def shared_entries(db: Session, client: Client) -> list[JournalEntry]:
    """What the care team may read: only entries the client chose to share."""
    return list(
        db.scalars(
            select(JournalEntry)
            .where(JournalEntry.client_id == client.id, JournalEntry.shared.is_(True))
            .order_by(JournalEntry.created_at.desc())
        )
    )
