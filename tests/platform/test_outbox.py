"""The notification outbox, on SQLite and PostgreSQL, delivered over real SMTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from cryptography.fernet import Fernet
from sqlalchemy import Engine, delete, func, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from mend.platform import migrate
from mend.platform.clock import FixedClock
from mend.platform.crypto import configure_encryption
from mend.platform.db import Base, make_engine, make_session_factory, transaction
from mend.platform.outbox import (
    MAX_RETRY_SECONDS,
    DeliveryReport,
    OutboxMessage,
    OutgoingEmail,
    _claim_one,
    deliver_due,
    enqueue,
    pending_failures,
    retry_delay,
)
from tests.conftest import START
from tests.platform.test_outbox_smtp import Mailbox, free_port
from tests.support.databases import POSTGRES_URL

BODY = "An alert needs your attention: http://mend.test/alerts/1"
SUBJECT = "Mend: an alert needs your attention"


def add(
    factory: sessionmaker[Session],
    clock: FixedClock,
    recipient: str = "carol@harbour.test",
    *,
    dedupe_key: str | None = None,
) -> int:
    with transaction(factory) as db:
        return enqueue(
            db,
            recipient=recipient,
            subject=SUBJECT,
            body=BODY,
            now=clock.now(),
            dedupe_key=dedupe_key,
        ).id


def fetch(factory: sessionmaker[Session], message_id: int) -> OutboxMessage:
    with factory() as db:
        return db.get_one(OutboxMessage, message_id)


def no_jitter() -> float:
    return 0.0


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with Mailbox() as box:
        yield box


@pytest.fixture
def shared_factory(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions on separate pooled connections that really commit, as in production.

    The ordinary `factory` fixture puts every session on one connection, which cannot
    show what two workers do; rows committed here are deleted afterwards so later tests
    still start from an empty outbox.
    """
    yield make_session_factory(engine)
    with engine.begin() as conn:
        conn.execute(delete(OutboxMessage))


# --- enqueue -----------------------------------------------------------------------


def test_enqueue_joins_the_callers_transaction(
    factory: sessionmaker[Session], clock: FixedClock
) -> None:
    with factory() as db:
        message = enqueue(
            db, recipient="carol@harbour.test", subject=SUBJECT, body=BODY, now=clock.now()
        )
        assert message.id is not None  # flushed, so the caller can refer to it
        assert (message.attempts, message.next_attempt_at, message.sent_at) == (0, START, None)
        db.rollback()  # the change that caused it failed: the notification goes too
    with factory() as db:
        assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_subject_and_body_are_stored_encrypted(
    factory: sessionmaker[Session], clock: FixedClock
) -> None:
    message_id = add(factory, clock)
    with factory() as db:
        row = db.execute(
            text("SELECT subject, body, recipient FROM outbox_messages WHERE id = :id"),
            {"id": message_id},
        ).one()
    assert "alert" not in row.subject and "alert" not in row.body
    assert row.recipient == "carol@harbour.test"
    assert fetch(factory, message_id).body == BODY


def test_the_same_dedupe_key_stores_one_message(
    factory: sessionmaker[Session], clock: FixedClock
) -> None:
    first = add(factory, clock, dedupe_key="alert:1:carol")
    clock.advance(minutes=5)
    again = add(factory, clock, "someone-else@harbour.test", dedupe_key="alert:1:carol")
    other = add(factory, clock, dedupe_key="alert:1:dan")
    plain = [add(factory, clock), add(factory, clock)]  # no key, no de-duplication
    assert again == first
    assert len({first, other, *plain}) == 4
    with factory() as db:
        assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 4
        kept = db.get_one(OutboxMessage, first)
        assert (kept.recipient, kept.created_at) == ("carol@harbour.test", START)


def test_a_dedupe_key_repeated_within_one_transaction_is_stored_once(
    factory: sessionmaker[Session], clock: FixedClock
) -> None:
    with transaction(factory) as db:
        a = enqueue(db, recipient="c@h.test", subject="s", body="b", now=START, dedupe_key="k")
        b = enqueue(db, recipient="c@h.test", subject="s", body="b", now=START, dedupe_key="k")
        assert a is b


def test_a_dedupe_key_inserted_concurrently_is_stored_once(
    shared_factory: sessionmaker[Session], clock: FixedClock
) -> None:
    # The first transaction inserts the key but has not committed when the second
    # enqueues. PostgreSQL makes the second insert wait, then fail on the unique key, and
    # enqueue returns the committed row; SQLite makes the second transaction wait to begin.
    first = shared_factory()
    held = enqueue(first, recipient="c@h.test", subject="s", body="b", now=START, dedupe_key="k")
    seen: list[int] = []

    def second() -> None:
        with transaction(shared_factory) as db:
            seen.append(
                enqueue(
                    db, recipient="d@h.test", subject="s", body="b", now=START, dedupe_key="k"
                ).id
            )

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.3)
    first.commit()
    first.close()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert seen == [held.id]
    with shared_factory() as db:
        assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 1


@pytest.mark.parametrize(
    ("recipient", "subject"),
    [
        ("carol@harbour.test\r\nBcc: eve@evil.test", SUBJECT),
        ("carol@harbour.test", "hello\nBcc: eve@evil.test"),
        ("not an address", SUBJECT),
        ("", SUBJECT),
    ],
)
def test_header_injection_and_non_addresses_are_refused_at_enqueue(
    db: Session, recipient: str, subject: str
) -> None:
    with pytest.raises(ValueError):
        enqueue(db, recipient=recipient, subject=subject, body=BODY, now=START)


# --- delivery ------------------------------------------------------------------------


def test_due_messages_arrive_over_smtp_and_are_marked_sent(
    factory: sessionmaker[Session], clock: FixedClock, mailbox: Mailbox
) -> None:
    ids = [add(factory, clock, "carol@harbour.test"), add(factory, clock, "dan@harbour.test")]
    clock.advance(seconds=1)
    report = deliver_due(factory, sender=mailbox.sender, clock=clock)
    assert report == DeliveryReport(sent=tuple(ids), failed=())
    received = mailbox.received
    assert [r.rcpt_tos for r in received] == [("carol@harbour.test",), ("dan@harbour.test",)]
    assert all(r.email["Subject"] == SUBJECT for r in received)
    assert all(r.email.get_content().strip() == BODY for r in received)
    for message_id in ids:
        row = fetch(factory, message_id)
        assert row.sent_at == clock.now()
        assert (row.claimed_until, row.attempts) == (None, 0)
    assert deliver_due(factory, sender=mailbox.sender, clock=clock) == DeliveryReport()
    assert len(mailbox.received) == 2


def test_a_batch_limits_one_round_and_the_rest_follow(
    factory: sessionmaker[Session], clock: FixedClock, mailbox: Mailbox
) -> None:
    for _ in range(5):
        add(factory, clock)
    assert len(deliver_due(factory, sender=mailbox.sender, clock=clock, batch=3).sent) == 3
    assert len(deliver_due(factory, sender=mailbox.sender, clock=clock, batch=3).sent) == 2
    assert len(mailbox.received) == 5


def test_a_temporary_smtp_failure_is_retried_after_the_back_off(
    factory: sessionmaker[Session], clock: FixedClock
) -> None:
    message_id = add(factory, clock)
    with Mailbox(temporary_failures=1) as mailbox:
        report = deliver_due(factory, sender=mailbox.sender, clock=clock)
        assert report == DeliveryReport(sent=(), failed=(message_id,))
        row = fetch(factory, message_id)
        assert row.attempts == 1 and row.sent_at is None and row.claimed_until is None
        assert row.last_error is not None and "451" in row.last_error
        # 30 s for the first failure, plus at most 10 % jitter.
        assert START + timedelta(seconds=30) <= row.next_attempt_at
        assert row.next_attempt_at <= START + timedelta(seconds=33)
        with factory() as db:
            assert [m.id for m in pending_failures(db)] == [message_id]

        clock.advance(seconds=29)
        assert deliver_due(factory, sender=mailbox.sender, clock=clock) == DeliveryReport()
        clock.advance(seconds=4)
        assert deliver_due(factory, sender=mailbox.sender, clock=clock).sent == (message_id,)

        [got] = mailbox.received
        assert got.rcpt_tos == ("carol@harbour.test",)
        assert got.email["Subject"] == SUBJECT
        assert got.email.get_content().strip() == BODY
    row = fetch(factory, message_id)
    assert row.sent_at == clock.now() and row.attempts == 1
    with factory() as db:
        assert pending_failures(db) == []


def test_a_message_waits_out_an_smtp_server_that_is_down(
    factory: sessionmaker[Session], clock: FixedClock
) -> None:
    message_id = add(factory, clock)
    port = free_port()
    down = Mailbox(port=port)  # not started yet: connections are refused
    assert deliver_due(factory, sender=down.sender, clock=clock, jitter=no_jitter).failed == (
        message_id,
    )
    row = fetch(factory, message_id)
    assert row.next_attempt_at == START + timedelta(seconds=30)
    assert row.last_error is not None and "Connection refused" in row.last_error

    with Mailbox(port=port) as up:
        clock.advance(seconds=30)
        assert deliver_due(factory, sender=up.sender, clock=clock).sent == (message_id,)
        [got] = up.received
        assert got.rcpt_tos == ("carol@harbour.test",)
        assert got.email.get_content().strip() == BODY


def test_a_failing_message_is_never_given_up_and_retries_at_the_cap(
    factory: sessionmaker[Session], clock: FixedClock
) -> None:
    message_id = add(factory, clock)
    down = Mailbox()  # never started
    for attempt in range(1, 13):
        assert deliver_due(factory, sender=down.sender, clock=clock).failed == (message_id,)
        row = fetch(factory, message_id)
        assert row.attempts == attempt and row.sent_at is None
        wait = row.next_attempt_at - clock.now()
        assert retry_delay(attempt, 0.0) <= wait <= retry_delay(attempt, 0.999)
        clock.advance(seconds=wait.total_seconds())
    assert wait >= timedelta(seconds=MAX_RETRY_SECONDS)
    with factory() as db:
        [pending] = pending_failures(db)
    assert pending.id == message_id and pending.attempts == 12
    with Mailbox() as up:
        assert deliver_due(factory, sender=up.sender, clock=clock).sent == (message_id,)


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [(1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (9, 3600), (10_000, 3600)],
)
def test_back_off_doubles_from_30_seconds_up_to_an_hour(attempts: int, seconds: int) -> None:
    assert retry_delay(attempts, 0.0) == timedelta(seconds=seconds)
    jittered = retry_delay(attempts, 0.999)
    assert timedelta(seconds=seconds) < jittered < timedelta(seconds=seconds * 1.1)


class WorkerDies:
    """A worker process killed mid-send: nothing after the claim is recorded."""

    def send(self, message: OutgoingEmail) -> None:
        raise SystemExit("killed")


def test_a_claim_left_by_a_crashed_worker_is_picked_up_after_its_lease(
    factory: sessionmaker[Session], clock: FixedClock, mailbox: Mailbox
) -> None:
    message_id = add(factory, clock)
    with pytest.raises(SystemExit):
        deliver_due(factory, sender=WorkerDies(), clock=clock, lease_seconds=60)
    row = fetch(factory, message_id)
    assert row.claimed_until == START + timedelta(seconds=60)
    assert row.sent_at is None and row.attempts == 0

    clock.advance(seconds=59)  # the lease still holds: nobody else may send it yet
    assert deliver_due(factory, sender=mailbox.sender, clock=clock) == DeliveryReport()
    clock.advance(seconds=1)
    assert deliver_due(factory, sender=mailbox.sender, clock=clock).sent == (message_id,)
    assert [r.rcpt_tos for r in mailbox.received] == [("carol@harbour.test",)]
    assert fetch(factory, message_id).sent_at == clock.now()


def test_a_late_failure_from_an_expired_lease_does_not_release_the_new_claim(
    factory: sessionmaker[Session], clock: FixedClock
) -> None:
    message_id = add(factory, clock)
    retaken: list[object] = []

    class SlowThenFails:
        def send(self, message: OutgoingEmail) -> None:
            # Stalls past its lease; meanwhile another worker claims the message.
            clock.advance(seconds=61)
            retaken.append(_claim_one(factory, clock.now(), timedelta(seconds=60)))
            raise TimeoutError("gave up waiting for the server")

    assert deliver_due(factory, sender=SlowThenFails(), clock=clock).failed == (message_id,)
    [claim] = retaken
    assert claim is not None
    row = fetch(factory, message_id)
    assert row.claimed_until == START + timedelta(seconds=121)  # the second claim stands
    assert row.attempts == 0 and row.last_error is None


def test_an_undecryptable_message_fails_alone_and_does_not_block_the_others(
    factory: sessionmaker[Session], clock: FixedClock, mailbox: Mailbox
) -> None:
    lost = add(factory, clock)  # encrypted under the test key
    configure_encryption([Fernet.generate_key()])  # an operator dropped that key
    fine = add(factory, clock)
    report = deliver_due(factory, sender=mailbox.sender, clock=clock)
    assert report == DeliveryReport(sent=(fine,), failed=(lost,))
    with factory() as db:
        [row] = db.execute(
            select(OutboxMessage.attempts, OutboxMessage.last_error).where(OutboxMessage.id == lost)
        ).all()
    assert row.attempts == 1 and "could not be decrypted" in (row.last_error or "")


def test_pending_failures_lists_only_unsent_messages_that_have_failed(
    factory: sessionmaker[Session], clock: FixedClock, mailbox: Mailbox
) -> None:
    stuck = add(factory, clock, "carol@harbour.test")
    recovers = add(factory, clock, "dan@harbour.test")
    deliver_due(factory, sender=Mailbox().sender, clock=clock)  # server down: both fail
    clock.advance(seconds=40)
    fresh = add(factory, clock, "erin@elsewhere.test")  # not tried yet, so not a failure
    with factory() as db:
        assert [m.id for m in pending_failures(db)] == [stuck, recovers]
    with transaction(factory) as db:  # keep one of them waiting
        db.get_one(OutboxMessage, stuck).next_attempt_at = clock.now() + timedelta(hours=1)
    assert set(deliver_due(factory, sender=mailbox.sender, clock=clock).sent) == {
        recovers,
        fresh,
    }
    with factory() as db:
        [left] = pending_failures(db)
    assert left.id == stuck and left.attempts == 1
    assert left.last_error is not None and "refused" in left.last_error


@pytest.mark.parametrize(("batch", "lease"), [(0, 60), (20, 0)])
def test_nonsense_limits_are_refused(
    factory: sessionmaker[Session], clock: FixedClock, batch: int, lease: int
) -> None:
    with pytest.raises(ValueError):
        deliver_due(factory, sender=Mailbox().sender, clock=clock, batch=batch, lease_seconds=lease)


# --- several workers -----------------------------------------------------------------


def test_two_concurrent_workers_send_each_message_exactly_once(
    engine: Engine, shared_factory: sessionmaker[Session], clock: FixedClock
) -> None:
    count = 30
    ids = {add(shared_factory, clock, f"person{i}@harbour.test") for i in range(count)}
    reports: list[DeliveryReport] = []
    errors: list[BaseException] = []
    # A short pause per message keeps both workers' sends overlapping.
    with Mailbox(delay_seconds=0.01) as mailbox:
        start = threading.Barrier(2)

        def worker() -> None:
            # Each worker has its own session factory, as separate processes would.
            own = make_session_factory(engine)
            try:
                start.wait()
                reports.append(deliver_due(own, sender=mailbox.sender, clock=clock, batch=count))
            except BaseException as exc:  # surfaced below, with the thread's own error
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        received = mailbox.received
    assert errors == []
    first, second = reports
    assert not set(first.sent) & set(second.sent)
    assert set(first.sent) | set(second.sent) == ids
    assert first.failed == second.failed == ()
    message_ids = [r.email["Message-ID"] for r in received]
    assert len(message_ids) == count == len(set(message_ids))
    assert sorted(r.rcpt_tos[0] for r in received) == sorted(
        f"person{i}@harbour.test" for i in range(count)
    )
    with shared_factory() as db:
        assert (
            db.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None))
            )
            == 0
        )


# --- schema --------------------------------------------------------------------------


def test_the_model_matches_the_migration(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert [d for d in differences if "outbox_messages" in repr(d)] == []


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of its own, so migrating down cannot disturb the shared one."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
        yield engine
        engine.dispose()
        return
    schema = "outbox_migration_test"
    admin = make_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # same policy as the shared engine: skip if no server
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}")
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def test_migrating_to_heads_creates_the_outbox_and_down_to_base_drops_it(
    fresh_engine: Engine,
) -> None:
    migrate.upgrade(fresh_engine)
    inspector = inspect(fresh_engine)
    assert "outbox_messages" in inspector.get_table_names()
    indexes = {ix["name"] for ix in inspector.get_indexes("outbox_messages")}
    assert {"ix_outbox_messages_next_attempt_at", "ix_outbox_messages_sent_at"} <= indexes
    uniques = {uq["name"] for uq in inspector.get_unique_constraints("outbox_messages")}
    assert "uq_outbox_messages_dedupe_key" in uniques
    migrate.downgrade(fresh_engine)
    assert "outbox_messages" not in inspect(fresh_engine).get_table_names()
