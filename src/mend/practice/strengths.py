"""Strengths and resilience: times the client got through something hard and the
strengths they used, and self-compassion letters.

Noticing the strengths one has already used is a core move of strengths-based work
(Padesky & Mooney, "Strengths-based cognitive-behavioural therapy", 2012); writing to
oneself as to a friend is a self-compassion exercise (Neff, *Self-Compassion*, 2011;
Gilbert's compassionate letter writing). The strengths list and every prompt are
Mend's own words.

Moments are visible to the care team; letters are private unless the client shares
one (like the journal). Both are encrypted and screened before commit. The pure parts
(the strengths list, counting, parsing the client's own words) sit at the top and are
table-tested.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from mend.care.models import Client
from mend.identity.models import User
from mend.platform import audit
from mend.platform.crypto import EncryptedJSON, EncryptedText
from mend.platform.db import Base, UTCDateTime
from mend.platform.errors import Invalid, NotFound
from mend.practice.activation import PLAN_WINDOW_DAYS, parse_day
from mend.safety.screening import TextScreening, screen_text

MAX_STORY = 4_000
MAX_LETTER = 10_000
MAX_OWN = 5
MAX_OWN_CHARS = 60
MOMENT_KIND = "strength_moment"
MOMENT_LABEL = "a strengths log entry"
LETTER_KIND = "compassion_letter"


def letter_label(shared: bool) -> str:
    """How an alert names a letter: the care team must know whether it was shared."""
    return "a self-compassion letter" + (" (shared)" if shared else " (private)")


# --- pure: the strengths and counting them ---


@dataclass(frozen=True)
class Strength:
    id: str
    label: str
    hint: str


STRENGTHS: tuple[Strength, ...] = (
    Strength("courage", "Courage", "I did it even though I was scared."),
    Strength("honesty", "Honesty", "I told the truth, to someone else or to myself."),
    Strength("kindness", "Kindness", "I was kind, to others or to myself."),
    Strength("persistence", "Persistence", "I kept going when it was hard."),
    Strength("humour", "Humour", "I found something to smile or laugh about."),
    Strength("asking_for_help", "Asking for help", "I let someone in."),
    Strength("creativity", "Creativity", "I found a new way through."),
    Strength("patience", "Patience", "I waited it out, or gave it time."),
    Strength("hope", "Hope", "I held on to the idea that it could get better."),
    Strength("standing_up", "Standing up for myself", "I said no, or said what I needed."),
    Strength(
        "steadiness", "Staying steady", "I slowed down, breathed, didn't react straight away."
    ),
    Strength("self_care", "Looking after myself", "Rest, food, a break, fresh air."),
)
STRENGTH_LABELS: dict[str, str] = {s.id: s.label for s in STRENGTHS}
_SPLIT = re.compile(r"[,;\n]+")


def parse_own(text: str) -> list[str]:
    """The client's own strengths, written as a comma-separated list: tidied, each once
    (ignoring case), in the order written. Raises Invalid when there are too many or
    one is too long."""
    found: list[str] = []
    seen: set[str] = set()
    for part in _SPLIT.split(text):
        word = " ".join(part.split())
        if not word or word.casefold() in seen:
            continue
        if len(word) > MAX_OWN_CHARS:
            raise Invalid(
                f"Please keep each of your own strengths to {MAX_OWN_CHARS} characters or fewer."
            )
        seen.add(word.casefold())
        found.append(word)
    if len(found) > MAX_OWN:
        raise Invalid(f"Please add up to {MAX_OWN} strengths of your own.")
    return found


@dataclass(frozen=True)
class StrengthCount:
    label: str
    count: int
    own: bool  # written in the client's own words rather than picked from the list


def count_strengths(moments: Iterable[tuple[Iterable[str], Iterable[str]]]) -> list[StrengthCount]:
    """How often each strength was used across (picked ids, own words) moments, most
    used first, then alphabetically. Own words that match a listed strength's name count
    as that strength; other own words are counted together ignoring case, under the
    spelling met first."""
    by_label = {s.label.casefold(): s.id for s in STRENGTHS}
    counts: dict[str, int] = {}
    labels: dict[str, tuple[str, bool]] = {}
    for picked, own in moments:
        keys: set[str] = set()
        for strength_id in picked:
            if strength_id in STRENGTH_LABELS:
                keys.add(strength_id)
                labels[strength_id] = (STRENGTH_LABELS[strength_id], False)
        for word in own:
            listed = by_label.get(word.casefold())
            if listed:
                keys.add(listed)
                labels[listed] = (STRENGTH_LABELS[listed], False)
                continue
            key = "own:" + word.casefold()
            keys.add(key)
            labels.setdefault(key, (word, True))
        for key in keys:  # a strength counts once per moment
            counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts, key=lambda k: (-counts[k], labels[k][0].casefold()))
    return [StrengthCount(labels[k][0], counts[k], labels[k][1]) for k in ranked]


LETTER_PROMPTS: tuple[str, ...] = (
    "Start the way you would start a letter to a good friend: “Dear …”.",
    "What are you going through right now? Describe it gently, without blame.",
    "Remind yourself that struggling is part of being human. Others have felt this too.",
    "What would you say to a friend in your place? Say it to yourself.",
    "What do you wish for yourself, today and in the weeks ahead?",
)


# --- tables ---


class StrengthMoment(Base):
    __tablename__ = "strength_moments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    happened_on: Mapped[date] = mapped_column(Date)
    story: Mapped[str] = mapped_column(EncryptedText())
    # Which strengths a person credits themself with is about them: encrypted too.
    picked: Mapped[list[str]] = mapped_column(EncryptedJSON(), default=list)
    own: Mapped[list[str]] = mapped_column(EncryptedJSON(), default=list)
    screening_level: Mapped[str] = mapped_column(String(10), default="none")
    screening_evidence: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON(), default=list)

    @property
    def strength_labels(self) -> list[str]:
        return [STRENGTH_LABELS[s] for s in self.picked if s in STRENGTH_LABELS] + self.own


class CompassionLetter(Base):
    """Private unless the client shares it; screened for safety either way."""

    __tablename__ = "compassion_letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    body: Mapped[str] = mapped_column(EncryptedText())
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    screening_level: Mapped[str] = mapped_column(String(10), default="none")
    screening_evidence: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON(), default=list)


# --- use cases (the caller commits) ---


def _record(
    db: Session,
    author: User,
    client: Client,
    entity: str,
    entity_id: int,
    action: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        db,
        at=now,
        actor_id=author.id,
        organisation_id=client.organisation_id,
        action=f"{entity}.{action}",
        entity=entity,
        entity_id=entity_id,
        client_id=client.id,
        detail=detail,
    )


def _screen(
    db: Session,
    row: StrengthMoment | CompassionLetter,
    client: Client,
    kind: str,
    label: str,
    text: str,
    now: datetime,
    base_url: str,
) -> TextScreening:
    result = screen_text(
        db,
        client=client,
        source_kind=kind,
        source_id=row.id,
        source_label=label,
        text=text,
        now=now,
        base_url=base_url,
    )
    row.screening_level = result.level
    row.screening_evidence = result.evidence
    return result


def save_moment(
    db: Session,
    *,
    client: Client,
    author: User,
    happened_on: str,
    story: str,
    picked: list[str],
    own: str,
    now: datetime,
    base_url: str,
    moment_id: int | None = None,
) -> tuple[StrengthMoment, TextScreening]:
    story = story.strip()
    if not story:
        raise Invalid("Please write a little about what happened — a sentence is enough.")
    if len(story) > MAX_STORY:
        raise Invalid(f"Please keep this to {MAX_STORY:,} characters or fewer.")
    day = parse_day(happened_on, "roughly when it happened")
    if day > now.date():
        raise Invalid("That day hasn't come yet. Please choose today or an earlier day.")
    if (now.date() - day).days > 100 * PLAN_WINDOW_DAYS:
        raise Invalid("Please check the year of that date.")
    if set(picked) - set(STRENGTH_LABELS):
        raise Invalid("Please choose strengths from the list, or write your own.")
    own_words = parse_own(own)
    chosen = [s.id for s in STRENGTHS if s.id in set(picked)]
    if not chosen and not own_words:
        raise Invalid("Please pick at least one strength you used, or write your own.")
    if moment_id is None:
        moment = StrengthMoment(
            client_id=client.id, created_at=now, screening_level="none", screening_evidence=[]
        )
        db.add(moment)
        action = "create"
    else:
        moment = own_moment(db, client, moment_id)
        action = "update"
    moment.happened_on, moment.story = day, story
    moment.picked, moment.own = chosen, own_words
    moment.updated_at = now
    db.flush()
    screening = _screen(
        db,
        moment,
        client,
        MOMENT_KIND,
        MOMENT_LABEL,
        "\n\n".join([story, *own_words]),
        now,
        base_url,
    )
    _record(
        db,
        author,
        client,
        "strength_moment",
        moment.id,
        action,
        now,
        {"screening": screening.level},
    )
    return moment, screening


def own_moment(db: Session, client: Client, moment_id: int) -> StrengthMoment:
    moment = db.scalar(
        select(StrengthMoment).where(
            StrengthMoment.id == moment_id, StrengthMoment.client_id == client.id
        )
    )
    if moment is None:
        raise NotFound()
    return moment


def moments(db: Session, client: Client) -> list[StrengthMoment]:
    return list(
        db.scalars(
            select(StrengthMoment)
            .where(StrengthMoment.client_id == client.id)
            .order_by(StrengthMoment.happened_on.desc(), StrengthMoment.id.desc())
        )
    )


def strengths_summary(db: Session, client: Client, limit: int = 5) -> list[StrengthCount]:
    """The client's most used strengths, most used first. For the relapse-prevention
    page; the caller records the read in the audit trail as part of its own page."""
    return count_strengths((m.picked, m.own) for m in moments(db, client))[:limit]


def write_letter(
    db: Session,
    *,
    client: Client,
    author: User,
    body: str,
    shared: bool,
    now: datetime,
    base_url: str,
    letter_id: int | None = None,
) -> tuple[CompassionLetter, TextScreening]:
    """Write a new letter, or change one (`letter_id`; sharing is changed separately)."""
    body = body.strip()
    if not body:
        raise Invalid("Please write something before saving — even a few words is fine.")
    if len(body) > MAX_LETTER:
        raise Invalid(f"Letters can be up to {MAX_LETTER:,} characters.")
    if letter_id is None:
        letter = CompassionLetter(
            client_id=client.id,
            created_at=now,
            shared=shared,
            shared_at=now if shared else None,
            screening_level="none",
            screening_evidence=[],
        )
        db.add(letter)
        action = "create"
    else:
        letter = own_letter(db, client, letter_id)
        action = "update"
    letter.body = body
    letter.updated_at = now
    db.flush()
    screening = _screen(
        db,
        letter,
        client,
        LETTER_KIND,
        letter_label(letter.shared),
        body,
        now,
        base_url,
    )
    _record(
        db,
        author,
        client,
        "compassion_letter",
        letter.id,
        action,
        now,
        {"shared": letter.shared, "screening": screening.level},
    )
    return letter, screening


def set_shared(
    db: Session, *, client: Client, author: User, letter_id: int, shared: bool, now: datetime
) -> CompassionLetter:
    letter = own_letter(db, client, letter_id)
    if letter.shared != shared:
        letter.shared = shared
        letter.shared_at = now if shared else None
        _record(
            db,
            author,
            client,
            "compassion_letter",
            letter.id,
            "share" if shared else "unshare",
            now,
        )
    return letter


def own_letter(db: Session, client: Client, letter_id: int) -> CompassionLetter:
    letter = db.scalar(
        select(CompassionLetter).where(
            CompassionLetter.id == letter_id, CompassionLetter.client_id == client.id
        )
    )
    if letter is None:
        raise NotFound()
    return letter


def letters(db: Session, client: Client) -> list[CompassionLetter]:
    return list(
        db.scalars(
            select(CompassionLetter)
            .where(CompassionLetter.client_id == client.id)
            .order_by(CompassionLetter.created_at.desc(), CompassionLetter.id.desc())
        )
    )


def shared_letters(db: Session, client: Client) -> list[CompassionLetter]:
    """What the care team may read: only letters the client chose to share."""
    return list(
        db.scalars(
            select(CompassionLetter)
            .where(CompassionLetter.client_id == client.id, CompassionLetter.shared.is_(True))
            .order_by(CompassionLetter.created_at.desc(), CompassionLetter.id.desc())
        )
    )
