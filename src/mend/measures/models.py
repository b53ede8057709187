"""Questionnaire assignments and their administrations (answers and scores)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mend.platform.db import Base, UTCDateTime


class Assignment(Base):
    """A clinician asks a client to complete an instrument once or on a schedule."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    instrument_id: Mapped[str] = mapped_column(String(40))
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # None means once; otherwise the number of days between administrations.
    interval_days: Mapped[int | None] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    share_scores: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Administration(Base):
    """One sitting of an instrument: draft answers while in progress, the score once done."""

    __tablename__ = "administrations"
    __table_args__ = (UniqueConstraint("assignment_id", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL"), index=True
    )
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    instrument_id: Mapped[str] = mapped_column(String(40), index=True)
    instrument_version: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    answers: Mapped[list[int | None]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    total: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(60))
    subscales: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    flags: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
