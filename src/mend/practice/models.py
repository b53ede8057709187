"""The client's between-session tools. First: the private journal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mend.platform.crypto import EncryptedJSON, EncryptedText
from mend.platform.db import Base, UTCDateTime


class JournalEntry(Base):
    """Private unless the client shares it; screened for safety either way."""

    __tablename__ = "journal_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    body: Mapped[str] = mapped_column(EncryptedText())
    mood: Mapped[str | None] = mapped_column(String(20))
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    screening_level: Mapped[str] = mapped_column(String(10), default="none")
    screening_evidence: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON(), default=list)
