"""Sending outbox email over SMTP (settings under the MEND_SMTP_ prefix).

The defaults point at a local development mail catcher on 127.0.0.1:1025 (for example
`python -m aiosmtpd -n -l 127.0.0.1:1025`), so nothing leaves the machine until an
operator configures a real relay.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from mend.platform.outbox import OutgoingEmail


class SmtpSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MEND_SMTP_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=1025, ge=1, le=65535)
    username: str | None = None
    password: SecretStr | None = None
    # The From address, optionally with a display name: "Mend <mend@clinic.example>".
    from_address: str = "mend@localhost"
    starttls: bool = False
    # Applies to each network operation, so one send can take a few times this long; the
    # outbox lease (60 s by default) must stay well above that.
    timeout_seconds: float = Field(default=10.0, gt=0, le=60)


class SmtpSender:
    """Sends each message over its own SMTP connection (notifications are few)."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        address = parseaddr(settings.from_address)[1]
        self._domain = address.rpartition("@")[2] or "localhost"

    def message_id(self, message: OutgoingEmail) -> str:
        # The same for every attempt of one outbox message, so a receiver can discard a
        # repeat (see the delivery guarantee in mend.platform.outbox). The creation time
        # keeps ids apart across databases that reuse row numbers (a restore, a new install).
        stamp = message.created_at.strftime("%Y%m%d%H%M%S%f")
        return f"<mend-outbox.{message.id}.{stamp}@{self._domain}>"

    def build(self, message: OutgoingEmail) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.settings.from_address
        email["To"] = message.recipient
        email["Subject"] = message.subject
        # The Date is when the message was enqueued, identical on every retry.
        email["Date"] = format_datetime(message.created_at)
        email["Message-ID"] = self.message_id(message)
        # RFC 3834: tells vacation responders not to answer a notification.
        email["Auto-Submitted"] = "auto-generated"
        email.set_content(message.body)
        return email

    def send(self, message: OutgoingEmail) -> None:
        email = self.build(message)
        settings = self.settings
        smtp = smtplib.SMTP(timeout=settings.timeout_seconds)
        try:
            smtp.connect(settings.host, settings.port)
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                password = settings.password.get_secret_value() if settings.password else ""
                smtp.login(settings.username, password)
            refused = smtp.send_message(email)
            if refused:  # one recipient, so a partial refusal is a refusal
                raise smtplib.SMTPRecipientsRefused(refused)
        finally:
            # Once DATA is accepted the message is sent: a failing QUIT must not turn that
            # into a recorded failure (and a duplicate on retry), nor hide an earlier error.
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
