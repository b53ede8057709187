"""Which clients a person may see. Every read of a client's record goes through here,
so the rule lives in one place: clinicians see clients on their own care team in
their own organisation; a client sees only themself; admins see no health records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from mend.care.models import CareTeamMember, Client
from mend.identity.models import Role, User
from mend.platform import audit
from mend.platform.errors import NotFound


def visible_clients(user: User) -> Select[Client]:
    query = select(Client).where(Client.organisation_id == user.organisation_id)
    if user.role == Role.CLINICIAN:
        return query.join(CareTeamMember, CareTeamMember.client_id == Client.id).where(
            CareTeamMember.clinician_id == user.id
        )
    if user.role == Role.CLIENT:
        return query.where(Client.user_id == user.id)
    return query.where(Client.id.is_(None))  # admins: organisation settings, not charts


def client_for(db: Session, user: User, client_id: int) -> Client:
    """The client if this person may see them; otherwise NotFound (never a hint it exists)."""
    client = db.scalar(visible_clients(user).where(Client.id == client_id))
    if client is None:
        raise NotFound()
    return client


def own_client_record(db: Session, user: User) -> Client:
    if user.role != Role.CLIENT:
        raise NotFound()
    client = db.scalar(select(Client).where(Client.user_id == user.id))
    if client is None:
        raise NotFound()
    return client


def record_read(
    db: Session,
    *,
    actor: User,
    client: Client,
    what: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    """Audit that `actor` read part of `client`'s record, in the reader's transaction."""
    audit.record(
        db,
        at=now,
        actor_id=actor.id,
        organisation_id=client.organisation_id,
        action=f"{what}.read",
        entity="client",
        entity_id=client.id,
        client_id=client.id,
        detail=detail,
    )
