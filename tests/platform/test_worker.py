"""The background worker loop and `mend worker`, delivering over real SMTP."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from mend.platform import commands, migrate
from mend.platform.clock import Clock, FixedClock
from mend.platform.crypto import configure_encryption
from mend.platform.db import make_engine, make_session_factory, transaction
from mend.platform.outbox import OutboxMessage, enqueue
from mend.platform.worker import run_forever, run_once, start_embedded
from tests.conftest import START, TEST_KEY
from tests.platform.test_outbox_smtp import Mailbox, Received

BODY = "An alert needs your attention: http://mend.test/alerts/1"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with Mailbox() as box:
        yield box


@pytest.fixture
def shared_factory(engine: Engine) -> Iterator[sessionmaker[Session]]:
    # Worker threads get sessions on their own pooled connections, as in production;
    # the rows they commit are removed afterwards so later tests see an empty outbox.
    yield make_session_factory(engine)
    with engine.begin() as conn:
        conn.execute(delete(OutboxMessage))


def add(factory: sessionmaker[Session], clock: Clock, recipient: str = "carol@harbour.test") -> int:
    with transaction(factory) as db:
        return enqueue(db, recipient=recipient, subject="Mend alert", body=BODY, now=clock.now()).id


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


def recipients(received: list[Received]) -> list[str]:
    return [r.rcpt_tos[0] for r in received]


def test_run_once_runs_the_tasks_then_sends_what_they_enqueued(
    factory: sessionmaker[Session], clock: FixedClock, mailbox: Mailbox
) -> None:
    order: list[str] = []

    def escalate(task_factory: sessionmaker[Session], task_clock: Clock) -> None:
        order.append("escalate")
        add(task_factory, task_clock, "dan@harbour.test")

    assert run_once(factory, clock, mailbox.sender, [escalate]) is True
    assert order == ["escalate"]
    assert recipients(mailbox.received) == ["dan@harbour.test"]


def test_a_failing_task_is_logged_and_mail_still_goes_out(
    factory: sessionmaker[Session],
    clock: FixedClock,
    mailbox: Mailbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    add(factory, clock)
    ran: list[str] = []

    def broken(_factory: sessionmaker[Session], _clock: Clock) -> None:
        raise RuntimeError("escalation bug")

    def fine(_factory: sessionmaker[Session], _clock: Clock) -> None:
        ran.append("fine")

    with caplog.at_level(logging.ERROR, logger="mend.platform.worker"):
        assert run_once(factory, clock, mailbox.sender, [broken, fine]) is False
    assert ran == ["fine"]
    assert recipients(mailbox.received) == ["carol@harbour.test"]
    [record] = caplog.records
    assert "broken" in record.getMessage() and record.exc_info is not None


def test_a_failed_send_is_logged_by_id_without_content(
    factory: sessionmaker[Session], clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    message_id = add(factory, clock)
    down = Mailbox()  # never started: connections are refused
    with caplog.at_level(logging.INFO, logger="mend.platform.worker"):
        # A send failure is recorded for retry, not an error of the round.
        assert run_once(factory, clock, down.sender) is True
    [record] = caplog.records
    assert record.levelno == logging.WARNING and str(message_id) in record.getMessage()
    assert BODY not in caplog.text and "carol" not in caplog.text


def test_an_unreachable_database_is_logged_not_raised(
    tmp_path: Path, clock: FixedClock, mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'mend.db'}")
    try:
        with caplog.at_level(logging.ERROR, logger="mend.platform.worker"):
            assert run_once(make_session_factory(engine), clock, mailbox.sender) is False
    finally:
        engine.dispose()
    assert "outbox delivery failed" in caplog.text


def test_run_forever_survives_failures_and_keeps_delivering(
    shared_factory: sessionmaker[Session], clock: FixedClock, mailbox: Mailbox
) -> None:
    calls: list[int] = []

    def flaky(task_factory: sessionmaker[Session], task_clock: Clock) -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("first round fails")
        if len(calls) == 2:
            add(task_factory, task_clock)

    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever,
        args=(shared_factory, clock, mailbox.sender),
        kwargs={"interval_seconds": 0.01, "stop": stop, "tasks": [flaky]},
    )
    thread.start()
    try:
        wait_for(lambda: len(mailbox.received) == 1 and len(calls) >= 4)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert recipients(mailbox.received) == ["carol@harbour.test"]


def test_the_embedded_worker_delivers_and_stops_promptly(
    shared_factory: sessionmaker[Session], mailbox: Mailbox
) -> None:
    clock = FixedClock(START)
    add(shared_factory, clock)
    # A long interval: stopping must interrupt the wait, not sit it out.
    thread, stop = start_embedded(shared_factory, clock, mailbox.sender, interval_seconds=3600)
    assert thread.daemon and thread.name == "mend-worker"
    wait_for(lambda: len(mailbox.received) == 1)
    begun = time.monotonic()
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive() and time.monotonic() - begun < 2
    with shared_factory() as db:
        assert (
            db.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None))
            )
            == 0
        )


def test_a_non_positive_interval_is_refused(clock: FixedClock, mailbox: Mailbox) -> None:
    with pytest.raises(ValueError):
        run_forever(
            sessionmaker(), clock, mailbox.sender, interval_seconds=0, stop=threading.Event()
        )


# --- `mend worker` -------------------------------------------------------------------


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """A stand-in for the `mend` command, with only what commands.register adds."""

    commands.register(app)
    return app


@pytest.fixture
def cli_env(tmp_path: Path, mailbox: Mailbox) -> Iterator[dict[str, str]]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    configure_encryption([TEST_KEY])
    add(make_session_factory(engine), FixedClock(START))
    engine.dispose()
    yield {
        "MEND_DATA_DIR": str(tmp_path),
        "MEND_DATABASE_URL": url,
        "MEND_ENCRYPTION_KEYS": TEST_KEY.decode(),
        "MEND_SMTP_HOST": "127.0.0.1",
        "MEND_SMTP_PORT": str(mailbox.port),
        "MEND_SMTP_FROM_ADDRESS": "mend@clinic.test",
    }


def test_mend_worker_once_sends_the_outbox_and_exits(
    cli: typer.Typer, cli_env: dict[str, str], mailbox: Mailbox
) -> None:
    result = CliRunner().invoke(cli, ["worker", "--once"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "Mend worker" in result.stdout and f"127.0.0.1:{mailbox.port}" in result.stdout
    [got] = mailbox.received
    assert got.rcpt_tos == ("carol@harbour.test",) and got.mail_from == "mend@clinic.test"
    assert got.email.get_content().strip() == BODY


def test_mend_worker_once_exits_1_when_the_database_is_not_migrated(
    cli: typer.Typer, tmp_path: Path, mailbox: Mailbox
) -> None:
    env = {
        "MEND_DATA_DIR": str(tmp_path),
        "MEND_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        "MEND_ENCRYPTION_KEYS": TEST_KEY.decode(),
        "MEND_SMTP_PORT": str(mailbox.port),
    }
    assert CliRunner().invoke(cli, ["worker", "--once"], env=env).exit_code == 1


def test_mend_worker_runs_until_sigterm_then_stops_cleanly(
    cli: typer.Typer, cli_env: dict[str, str], mailbox: Mailbox
) -> None:
    def terminate_after_delivery() -> None:
        wait_for(lambda: len(mailbox.received) == 1)
        os.kill(os.getpid(), signal.SIGTERM)

    previous = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
    killer = threading.Thread(target=terminate_after_delivery)
    killer.start()
    result = CliRunner().invoke(cli, ["worker", "--interval", "1"], env=cli_env)
    killer.join(timeout=10)
    assert result.exit_code == 0, result.output
    assert "every 1 s" in result.stdout and "stopped" in result.stdout
    assert len(mailbox.received) == 1
    # The handlers were put back.
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == previous
