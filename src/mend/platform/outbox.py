"""The notification outbox: messages that must never be lost, sent by a background worker.

A notification (say, "a client's journal entry screened urgent") is written to
`outbox_messages` by `enqueue` in the same transaction as the change that caused it, so
the change and its notification land together or not at all. `deliver_due`, run by the
worker (`mend.platform.worker`), sends what is due and records the outcome.

How a message moves
-------------------
1. **Claim.** One short transaction selects one due, unclaimed message (`SELECT ... FOR
   UPDATE SKIP LOCKED` on PostgreSQL, so concurrent workers skip each other's rows instead
   of queueing behind them; on SQLite the engine's `BEGIN IMMEDIATE` serialises writers,
   so the same statement is safe there), sets `claimed_until = now + lease` and commits.
   The lease is taken per message rather than per batch so that it only has to cover one
   send: with a batch-wide lease, a slow SMTP server could let the last leases of a batch
   expire before their turn and another worker would send them too.
2. **Send**, outside any database transaction (nothing is locked while talking to SMTP).
3. **Record.** Success sets `sent_at`. Failure increments `attempts`, stores
   `last_error`, clears the lease and schedules the next attempt with exponential back-off
   (30 s · 2^(attempts-1), capped at one hour, plus up to 10 % jitter so messages that
   failed together do not retry in lock-step). There is no maximum: a message is retried
   at the cap for as long as it keeps failing, and `pending_failures` lists such messages
   for the admin page. Nothing is ever deleted or dropped here.

Delivery guarantee: at-least-once, exactly-once in the normal case
------------------------------------------------------------------
Two workers never hold the same claim, so in normal operation each message is sent
exactly once, whatever the number of worker processes. The exception is a worker that
dies (or loses its database connection, or stalls for longer than the lease) *after* the
SMTP server accepted the message but *before* `sent_at` was committed: when its lease
expires the message is claimable again and is sent a second time. No design can close
that window (the SMTP server and the database cannot commit together), and losing a
safety notification is worse than repeating it, so a duplicate is the chosen failure.

To let the receiving side recognise a repeat, every attempt of a message carries the
same `Message-ID` (derived from the outbox id and creation time, see `mend.platform.mail`)
and the same `Date`; mail systems and people can de-duplicate on it. The lease
(default 60 s) must comfortably exceed the longest a single send can take (the SMTP
timeout applies per network operation), otherwise a slow send can overlap a second claim.

A failure recorded by a worker whose lease has already expired is ignored (the update is
fenced on `claimed_until`), so a slow worker cannot release a claim another worker holds.

The dedupe key makes enqueueing idempotent: the same notification enqueued twice (a
retried request, two processes reacting to one event) is stored and sent once. The first
enqueue wins; later ones return the stored message unchanged.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Integer, String, Text, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from mend.platform.clock import Clock
from mend.platform.crypto import EncryptedText
from mend.platform.db import Base, UTCDateTime, transaction

EMAIL = "email"
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 60 * 60
JITTER_FRACTION = 0.1
MAX_ERROR_CHARS = 1000


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(20), default=EMAIL)
    recipient: Mapped[str] = mapped_column(String(254))
    # A subject can name a person as easily as a body can, so both are encrypted.
    subject: Mapped[str] = mapped_column(EncryptedText())
    body: Mapped[str] = mapped_column(EncryptedText())
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    last_error: Mapped[str | None] = mapped_column(Text())


@dataclass(frozen=True)
class OutgoingEmail:
    """What a sender gets: a plain copy of the row, so senders never touch the database."""

    id: int
    created_at: datetime
    recipient: str
    subject: str
    body: str
    attempt: int  # 1 for the first try


class Sender(Protocol):
    def send(self, message: OutgoingEmail) -> None:
        """Hand the message over for delivery; raise on any failure."""


@dataclass(frozen=True)
class DeliveryReport:
    sent: tuple[int, ...] = ()
    failed: tuple[int, ...] = ()


def _check_header(name: str, value: str) -> None:
    # A line break in a header would let text inject headers; refuse it now, in the caller's
    # transaction, rather than have the message fail at every retry forever.
    if "\r" in value or "\n" in value:
        raise ValueError(f"{name} must be a single line")


def enqueue(
    db: Session,
    *,
    recipient: str,
    subject: str,
    body: str,
    now: datetime,
    dedupe_key: str | None = None,
) -> OutboxMessage:
    """Add an email to the outbox in the caller's transaction (the caller commits).

    With a `dedupe_key` that is already stored, nothing is added and the stored message
    is returned (whether or not it has been sent).
    """
    recipient = recipient.strip()
    _check_header("recipient", recipient)
    _check_header("subject", subject)
    if "@" not in recipient or any(c.isspace() for c in recipient):
        raise ValueError(f"not an email address: {recipient!r}")
    if dedupe_key is not None:
        existing = _by_dedupe_key(db, dedupe_key)
        if existing is not None:
            return existing
    message = OutboxMessage(
        created_at=now,
        kind=EMAIL,
        recipient=recipient,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
        attempts=0,
        next_attempt_at=now,
    )
    if dedupe_key is None:
        db.add(message)
        db.flush()
        return message
    try:
        # A concurrent transaction may insert the same key between our check and our
        # insert; the SAVEPOINT keeps the caller's transaction usable when that happens.
        with db.begin_nested():
            db.add(message)
    except IntegrityError:
        existing = _by_dedupe_key(db, dedupe_key)
        if existing is None:
            raise
        return existing
    return message


def _by_dedupe_key(db: Session, dedupe_key: str) -> OutboxMessage | None:
    return db.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    ).one_or_none()


def retry_delay(attempts: int, jitter: float) -> timedelta:
    """Back-off after the `attempts`-th failure; `jitter` in [0, 1) adds up to 10 %."""
    if attempts < 1:
        raise ValueError("attempts counts failures and starts at 1")
    # Bounding the exponent keeps the arithmetic small for messages failing for months.
    base = min(FIRST_RETRY_SECONDS * 2 ** min(attempts - 1, 20), MAX_RETRY_SECONDS)
    return timedelta(seconds=base * (1 + JITTER_FRACTION * jitter))


@dataclass(frozen=True)
class _Claim:
    id: int
    attempts: int
    lease_until: datetime


def _claim_one(factory: sessionmaker[Session], now: datetime, lease: timedelta) -> _Claim | None:
    with transaction(factory) as db:
        # Only unencrypted columns are read here: a row whose text cannot be decrypted
        # (say, after a key was dropped) must fail on its own, not block every claim.
        row = db.execute(
            select(OutboxMessage.id, OutboxMessage.attempts)
            .where(
                OutboxMessage.kind == EMAIL,
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.next_attempt_at <= now,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).one_or_none()
        if row is None:
            return None
        lease_until = now + lease
        db.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row.id)
            .values(claimed_until=lease_until)
            .execution_options(synchronize_session=False)
        )
        return _Claim(id=row.id, attempts=row.attempts, lease_until=lease_until)


def _load(factory: sessionmaker[Session], claim: _Claim) -> OutgoingEmail:
    with factory() as db:
        message = db.get_one(OutboxMessage, claim.id)
        return OutgoingEmail(
            id=message.id,
            created_at=message.created_at,
            recipient=message.recipient,
            subject=message.subject,
            body=message.body,
            attempt=claim.attempts + 1,
        )


def _mark_sent(factory: sessionmaker[Session], claim: _Claim, now: datetime) -> None:
    with transaction(factory) as db:
        # Not fenced on the lease: the message *was* sent, whoever holds the claim now,
        # and recording it stops any further copies. An earlier sent_at is kept, and so
        # are attempts and last_error, as the message's history.
        db.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == claim.id, OutboxMessage.sent_at.is_(None))
            .values(sent_at=now, claimed_until=None)
            .execution_options(synchronize_session=False)
        )


def _mark_failed(
    factory: sessionmaker[Session], claim: _Claim, now: datetime, error: str, jitter: float
) -> None:
    delay = retry_delay(claim.attempts + 1, jitter)
    with transaction(factory) as db:
        # Fenced on our lease: if it expired and another worker re-claimed the message,
        # clearing claimed_until here would let a third worker send it concurrently.
        db.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == claim.id,
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.claimed_until == claim.lease_until,
            )
            .values(
                attempts=OutboxMessage.attempts + 1,
                last_error=error[:MAX_ERROR_CHARS],
                next_attempt_at=now + delay,
                claimed_until=None,
            )
            .execution_options(synchronize_session=False)
        )


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def deliver_due(
    factory: sessionmaker[Session],
    *,
    sender: Sender,
    clock: Clock,
    batch: int = 20,
    lease_seconds: int = 60,
    stop: threading.Event | None = None,
    jitter: Callable[[], float] = random.random,
) -> DeliveryReport:
    """Send up to `batch` due messages, one claim at a time; see the module docstring.

    A failing send is recorded and delivery goes on with the next message. Database
    errors propagate (the worker logs them and tries again next round). `stop` lets a
    shutting-down worker finish the message in hand and return.
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    if lease_seconds < 1:
        # The lease doubles as the fencing token, so two claims must never share a value.
        raise ValueError("lease_seconds must be at least 1")
    lease = timedelta(seconds=lease_seconds)
    sent: list[int] = []
    failed: list[int] = []
    for _ in range(batch):
        if stop is not None and stop.is_set():
            break
        claim = _claim_one(factory, clock.now(), lease)
        if claim is None:
            break
        try:
            sender.send(_load(factory, claim))
        except Exception as exc:  # any failure to send is retried, never dropped
            _mark_failed(factory, claim, clock.now(), _describe(exc), jitter())
            failed.append(claim.id)
            continue
        _mark_sent(factory, claim, clock.now())
        sent.append(claim.id)
    return DeliveryReport(sent=tuple(sent), failed=tuple(failed))


def pending_failures(db: Session, *, limit: int = 100) -> list[OutboxMessage]:
    """Unsent messages that have failed at least once, oldest first (for the admin page)."""
    return list(
        db.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts > 0)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
            .limit(limit)
        )
    )
