"""The audit trail: who read or changed which health record, and when.

Events are written in the same transaction as the change they record, so a
change can never land without its event. Each event carries the hash of the one
before it; `verify_chain` finds any event that was edited or removed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from mend.platform.db import Base, UTCDateTime

GENESIS = "0" * 64


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    action: Mapped[str] = mapped_column(String(80))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    client_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """A single row whose lock serialises writers so the hash chain never forks."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))


def _digest(prev_hash: str, event: AuditEvent) -> str:
    body = json.dumps(
        {
            "at": event.at.isoformat(),
            "actor": event.actor_id,
            "org": event.organisation_id,
            "action": event.action,
            "entity": event.entity,
            "entity_id": event.entity_id,
            "client": event.client_id,
            "detail": event.detail,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def record(
    session: Session,
    *,
    at: datetime,
    actor_id: int | None,
    organisation_id: int | None,
    action: str,
    entity: str,
    entity_id: object = None,
    client_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    head = session.execute(
        select(AuditChainHead).where(AuditChainHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditChainHead(id=1, last_hash=GENESIS)
        session.add(head)
    event = AuditEvent(
        at=at,
        actor_id=actor_id,
        organisation_id=organisation_id,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        client_id=client_id,
        detail=detail or {},
        prev_hash=head.last_hash,
    )
    event.hash = _digest(head.last_hash, event)
    head.last_hash = event.hash
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    reason: str


def verify_chain(events: Iterable[AuditEvent]) -> list[ChainProblem]:
    """Check events in id order; returns every break found (empty when intact)."""
    problems: list[ChainProblem] = []
    prev = GENESIS
    for event in events:
        if event.prev_hash != prev:
            problems.append(ChainProblem(event.id, "does not follow the event before it"))
        if _digest(event.prev_hash, event) != event.hash:
            problems.append(ChainProblem(event.id, "content does not match its hash"))
        prev = event.hash
    return problems
