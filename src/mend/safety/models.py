"""Safety alerts and each organisation's safety settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mend.platform.crypto import EncryptedJSON, EncryptedText
from mend.platform.db import Base, UTCDateTime

OPEN = "open"
ACKNOWLEDGED = "acknowledged"
RESOLVED = "resolved"


class Alert(Base):
    """Something a person must look at: why it fired, how urgent, who owns it, what state."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    source_kind: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[str] = mapped_column(String(64))
    source_label: Mapped[str] = mapped_column(String(120))
    rule: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(20))
    severity_rank: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(200))
    next_step: Mapped[str] = mapped_column(String(500))
    # The answers or the client's own words that fired the rule: health information.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON())
    state: Mapped[str] = mapped_column(String(20), default=OPEN, index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution_note: Mapped[str | None] = mapped_column(EncryptedText())
    # For alerts on the client's writing: the screener (model, adapter, corpus) that decided.
    screener_version: Mapped[str | None] = mapped_column(String(200))

    @property
    def waiting_since(self) -> datetime:
        return self.escalated_at or self.created_at


class TextScreening(Base):
    """One screening of a piece of a client's writing: the level, what decided it, and, while
    the model was unavailable and the rules alone screened it, the text itself (encrypted),
    kept only until the model screens it again."""

    __tablename__ = "text_screenings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    source_kind: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[str] = mapped_column(String(64))
    source_label: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(10))
    mode: Mapped[str] = mapped_column(String(20))
    screener_version: Mapped[str] = mapped_column(String(200))
    # The full explanation (sentences, probabilities, rules, examples): the client's words.
    result: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON())
    pending_text: Mapped[str | None] = mapped_column(EncryptedText())
    pending: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    rescreened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SafetySettings(Base):
    """An organisation's alert time limits and thresholds (never looser than published)."""

    __tablename__ = "safety_settings"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    ack_minutes: Mapped[dict[str, int]] = mapped_column(JSON)
    thresholds: Mapped[dict[str, int]] = mapped_column(JSON)
    # Days after a crisis episode's 7-day contact for further caring contacts.
    caring_contact_days: Mapped[list[int]] = mapped_column(JSON)
