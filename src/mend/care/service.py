"""Use cases for clients and care teams."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mend.care.models import CareTeamMember, Client, TeamRole
from mend.identity import service as identity
from mend.identity.models import Role, User
from mend.platform import audit
from mend.platform.errors import Invalid, NotFound
from mend.platform.settings import Settings

MAX_REASON = 2000


@dataclass(frozen=True)
class NewClient:
    client: Client
    invitation_token: str


def add_client(
    db: Session,
    *,
    clinician: User,
    name: str,
    email: str,
    referral_reason: str,
    now: datetime,
    settings: Settings,
) -> NewClient:
    """Create the client's account (no password yet), put them on the clinician's team,
    and return a one-time invitation for the clinician to hand over."""
    if clinician.role != Role.CLINICIAN:
        raise NotFound()
    if len(referral_reason) > MAX_REASON:
        raise Invalid(f"Please keep the reason for referral under {MAX_REASON} characters.")
    try:
        user = identity.create_user(
            db,
            organisation=clinician.organisation,
            email=email,
            name=name,
            role=Role.CLIENT,
            now=now,
            actor_id=clinician.id,
        )
    except identity.IdentityError as exc:
        raise Invalid(str(exc)) from exc
    client = Client(
        organisation_id=clinician.organisation_id,
        user_id=user.id,
        referral_reason=referral_reason.strip() or None,
        created_at=now,
        created_by_id=clinician.id,
    )
    db.add(client)
    db.flush()
    db.add(
        CareTeamMember(
            client_id=client.id, clinician_id=clinician.id, role=TeamRole.PRIMARY, added_at=now
        )
    )
    audit.record(
        db,
        at=now,
        actor_id=clinician.id,
        organisation_id=clinician.organisation_id,
        action="client.create",
        entity="client",
        entity_id=client.id,
        client_id=client.id,
    )
    token = identity.create_invitation(
        db, user=user, created_by=clinician, now=now, settings=settings
    )
    return NewClient(client, token)


def reissue_invitation(
    db: Session, *, clinician: User, client: Client, now: datetime, settings: Settings
) -> str:
    return identity.create_invitation(
        db, user=client.user, created_by=clinician, now=now, settings=settings
    )


def add_team_member(
    db: Session, *, actor: User, client: Client, clinician: User, role: TeamRole, now: datetime
) -> CareTeamMember:
    if clinician.role != Role.CLINICIAN or clinician.organisation_id != client.organisation_id:
        raise NotFound()
    existing = db.scalar(
        select(CareTeamMember).where(
            CareTeamMember.client_id == client.id, CareTeamMember.clinician_id == clinician.id
        )
    )
    if existing is not None:
        return existing
    member = CareTeamMember(client_id=client.id, clinician_id=clinician.id, role=role, added_at=now)
    db.add(member)
    audit.record(
        db,
        at=now,
        actor_id=actor.id,
        organisation_id=client.organisation_id,
        action="care_team.add",
        entity="client",
        entity_id=client.id,
        client_id=client.id,
        detail={"clinician_id": clinician.id, "role": role.value},
    )
    return member


def care_team(db: Session, client: Client) -> list[CareTeamMember]:
    return list(
        db.scalars(
            select(CareTeamMember)
            .where(CareTeamMember.client_id == client.id)
            .order_by(CareTeamMember.role, CareTeamMember.id)
        )
    )
