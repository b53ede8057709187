"""SmtpSender against a real SMTP server (aiosmtpd on a free local port).

`Mailbox` is also used by the outbox and worker tests: delivery is always tested over
real SMTP, never through a stand-in sender.
"""

from __future__ import annotations

import asyncio
import smtplib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword
from aiosmtpd.smtp import Session as SmtpSession
from pydantic import SecretStr

from mend.platform.mail import SmtpSender, SmtpSettings
from mend.platform.outbox import OutgoingEmail


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    email: EmailMessage


class RecordingHandler:
    """Keeps every accepted message; can answer 451 (try again later) to the first DATAs."""

    def __init__(self, *, temporary_failures: int = 0, delay_seconds: float = 0.0) -> None:
        self.received: list[Received] = []
        self.temporary_failures = temporary_failures
        self.rejected = 0
        self.delay_seconds = delay_seconds
        self._lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        if self.delay_seconds:
            # Keeps a send in flight long enough for concurrent workers to overlap.
            await asyncio.sleep(self.delay_seconds)
        with self._lock:
            if self.rejected < self.temporary_failures:
                self.rejected += 1
                return "451 4.3.0 Mailbox busy, try again later"
            content = envelope.original_content or b""
            parsed = message_from_bytes(content, policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            self.received.append(
                Received(str(envelope.mail_from), tuple(envelope.rcpt_tos), parsed)
            )
        return "250 OK"

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.received)


class Mailbox:
    """A real SMTP server on 127.0.0.1 and a sender pointed at it.

    Until `start` (or `with`), nothing listens on the port: the sender's connections are
    refused, as when the mail server is down.
    """

    def __init__(
        self,
        *,
        port: int | None = None,
        temporary_failures: int = 0,
        delay_seconds: float = 0.0,
        **smtp_options: Any,
    ) -> None:
        self.port = port or free_port()
        self.handler = RecordingHandler(
            temporary_failures=temporary_failures, delay_seconds=delay_seconds
        )
        self._smtp_options = smtp_options
        self._controller: Controller | None = None
        self.settings = SmtpSettings(
            host="127.0.0.1", port=self.port, from_address="Mend <mend@clinic.test>"
        )
        self.sender = SmtpSender(self.settings)

    @property
    def received(self) -> list[Received]:
        return self.handler.snapshot()

    def start(self) -> Mailbox:
        # Created here, not in __init__, so a Mailbox that stands for a server that is
        # down leaves no event loop behind.
        self._controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            # An explicit name spares aiosmtpd a reverse DNS lookup of this machine.
            server_hostname="mail.mend.test",
            ready_timeout=10,
            **self._smtp_options,
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> Mailbox:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.stop()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with Mailbox() as box:
        yield box


CREATED = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)


def outgoing(message_id: int = 7, **changes: Any) -> OutgoingEmail:
    fields: dict[str, Any] = {
        "id": message_id,
        "created_at": CREATED,
        "recipient": "carol@harbour.test",
        "subject": "Mend: an alert needs your attention",
        "body": "An alert needs your attention: http://mend.test/alerts/1",
        "attempt": 1,
    }
    fields.update(changes)
    return OutgoingEmail(**fields)


def test_a_message_arrives_with_recipient_subject_body_and_stable_headers(
    mailbox: Mailbox,
) -> None:
    mailbox.sender.send(outgoing())
    [got] = mailbox.received
    assert got.rcpt_tos == ("carol@harbour.test",)
    assert got.mail_from == "mend@clinic.test"
    assert got.email["To"] == "carol@harbour.test"
    assert got.email["From"] == "Mend <mend@clinic.test>"
    assert got.email["Subject"] == "Mend: an alert needs your attention"
    assert got.email.get_content().strip() == (
        "An alert needs your attention: http://mend.test/alerts/1"
    )
    assert got.email["Message-ID"] == "<mend-outbox.7.20260302090000123456@clinic.test>"
    assert got.email["Auto-Submitted"] == "auto-generated"
    assert got.email["Date"].datetime == CREATED.replace(microsecond=0)


def test_every_attempt_of_one_message_carries_the_same_message_id(mailbox: Mailbox) -> None:
    mailbox.sender.send(outgoing(attempt=1))
    mailbox.sender.send(outgoing(attempt=5))
    mailbox.sender.send(outgoing(message_id=8))
    ids = [r.email["Message-ID"] for r in mailbox.received]
    assert ids[0] == ids[1] != ids[2]


def test_non_ascii_text_survives_the_trip(mailbox: Mailbox) -> None:
    mailbox.sender.send(outgoing(subject="Mend: Zoë needs a reply", body="Bitte prüfen: ✓"))
    [got] = mailbox.received
    assert got.email["Subject"] == "Mend: Zoë needs a reply"
    assert got.email.get_content().strip() == "Bitte prüfen: ✓"


def test_logs_in_when_a_username_is_configured() -> None:
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(
        _server: SMTP, _session: SmtpSession, _envelope: Envelope, _mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        # handled=False: aiosmtpd then answers a failure with 535 itself.
        return AuthResult(success=data.password == b"s3cret", handled=False)

    # Plain-text AUTH only because this test server has no certificate; production
    # relays should use starttls.
    with Mailbox(authenticator=authenticator, auth_require_tls=False) as box:
        wrong = box.settings.model_copy(update={"username": "mend", "password": SecretStr("no")})
        with pytest.raises(smtplib.SMTPAuthenticationError):
            SmtpSender(wrong).send(outgoing())
        right = box.settings.model_copy(
            update={"username": "mend", "password": SecretStr("s3cret")}
        )
        SmtpSender(right).send(outgoing())
        assert len(box.received) == 1
    assert logins[-1] == (b"mend", b"s3cret")


def test_a_server_that_refuses_the_message_raises(mailbox: Mailbox) -> None:
    mailbox.handler.temporary_failures = 1
    with pytest.raises(smtplib.SMTPDataError, match="451"):
        mailbox.sender.send(outgoing())
    assert mailbox.received == []


def test_an_unreachable_server_raises_promptly() -> None:
    sender = SmtpSender(SmtpSettings(host="127.0.0.1", port=free_port(), timeout_seconds=2))
    with pytest.raises(OSError):
        sender.send(outgoing())


def test_settings_come_from_mend_smtp_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEND_SMTP_HOST", "relay.clinic.test")
    monkeypatch.setenv("MEND_SMTP_PORT", "587")
    monkeypatch.setenv("MEND_SMTP_USERNAME", "mend")
    monkeypatch.setenv("MEND_SMTP_PASSWORD", "pw")
    monkeypatch.setenv("MEND_SMTP_STARTTLS", "true")
    monkeypatch.setenv("MEND_SMTP_FROM_ADDRESS", "alerts@clinic.test")
    settings = SmtpSettings()
    assert (settings.host, settings.port, settings.username, settings.starttls) == (
        "relay.clinic.test",
        587,
        "mend",
        True,
    )
    assert settings.password is not None and settings.password.get_secret_value() == "pw"
    assert "pw" not in repr(settings)
    assert SmtpSender(settings).message_id(outgoing()).endswith("@clinic.test>")
