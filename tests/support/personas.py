"""The people every access test starts from, in two organisations:

- Harbour (org A): Ada the admin; Carol and Dan, clinicians; Kim (Carol's client)
  and Lee (Dan's client).
- Elsewhere (org B): Erin, a clinician, and her client Omar.

Charlie-style negative tests use Dan (same organisation, other team) and Erin
(other organisation): both must get 404 for Kim's records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy.orm import Session

from mend.care.models import CareTeamMember, Client, TeamRole
from mend.identity.models import Organisation, Role, User
from mend.identity.passwords import hash_password

PASSWORD = "correct horse battery"


@cache
def password_hash() -> str:
    # Hashing once per run keeps argon2's deliberate slowness out of every test.
    return hash_password(PASSWORD)


@dataclass
class Personas:
    org: Organisation
    other_org: Organisation
    admin: User
    carol: User
    dan: User
    erin: User
    kim: Client
    lee: Client
    omar: Client


def _user(db: Session, org: Organisation, email: str, name: str, role: Role, now: datetime) -> User:
    user = User(
        organisation_id=org.id,
        email=email,
        name=name,
        role=role,
        password_hash=password_hash(),
        is_active=True,
        created_at=now,
    )
    db.add(user)
    db.flush()
    return user


def _client(
    db: Session, org: Organisation, clinician: User, email: str, name: str, now: datetime
) -> Client:
    user = _user(db, org, email, name, Role.CLIENT, now)
    client = Client(
        organisation_id=org.id, user_id=user.id, created_at=now, created_by_id=clinician.id
    )
    db.add(client)
    db.flush()
    db.add(
        CareTeamMember(
            client_id=client.id, clinician_id=clinician.id, role=TeamRole.PRIMARY, added_at=now
        )
    )
    db.flush()
    return client


def make_personas(db: Session, now: datetime) -> Personas:
    org = Organisation(name="Harbour", locale="US", created_at=now)
    other = Organisation(name="Elsewhere", locale="GB", created_at=now)
    db.add_all([org, other])
    db.flush()
    admin = _user(db, org, "ada@harbour.test", "Ada Admin", Role.ADMIN, now)
    carol = _user(db, org, "carol@harbour.test", "Carol Clinician", Role.CLINICIAN, now)
    dan = _user(db, org, "dan@harbour.test", "Dan Clinician", Role.CLINICIAN, now)
    erin = _user(db, other, "erin@elsewhere.test", "Erin Elsewhere", Role.CLINICIAN, now)
    kim = _client(db, org, carol, "kim@harbour.test", "Kim Client", now)
    lee = _client(db, org, dan, "lee@harbour.test", "Lee Client", now)
    omar = _client(db, other, erin, "omar@elsewhere.test", "Omar Client", now)
    return Personas(org, other, admin, carol, dan, erin, kim, lee, omar)
