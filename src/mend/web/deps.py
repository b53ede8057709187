"""Request-scoped dependencies: the database session, the clock, the signed-in person.

`Annotated` aliases keep route signatures short (DbDep, ClockDep, ...).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from mend.identity import service as identity
from mend.identity.models import Role, SignInSession, User
from mend.platform.clock import Clock
from mend.platform.settings import Settings

SESSION_COOKIE = "mend_session"


def get_db(request: Request) -> Iterator[Session]:
    """A session per request. Routes commit explicitly before they answer, so an
    accepted write is on disk before the person is told it was saved."""
    session: Session = request.app.state.session_factory()
    try:
        yield session
    finally:
        # close() discards anything uncommitted without expiring loaded objects,
        # which error pages may still read after the route has given up.
        session.close()


def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DbDep = Annotated[Session, Depends(get_db)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


@dataclass(frozen=True)
class Person:
    """What every page shows about the signed-in person, copied out of the database
    session so an error page can still render after the session is gone."""

    id: int
    name: str
    role: Role
    locale: str
    csrf_token: str


@dataclass
class Visitor:
    """Who is asking: a signed-in person, or nobody."""

    sign_in: SignInSession | None
    person: Person | None = None
    # Set when the browser's sign-in timed out on this very request.
    expired: identity.ExpiredSession | None = None

    @property
    def user(self) -> User | None:
        return self.sign_in.user if self.sign_in else None


def get_visitor(request: Request, db: DbDep, clock: ClockDep, settings: SettingsDep) -> Visitor:
    cached = getattr(request.state, "visitor", None)
    if isinstance(cached, Visitor):
        return cached
    token = request.cookies.get(SESSION_COOKIE)
    row = None
    expired: list[identity.ExpiredSession] = []
    if token:
        row = identity.load_session(
            db, token=token, now=clock.now(), settings=settings, expired=expired
        )
        # Expiry deletes the row and idle touches update it; keep either.
        db.commit()
    person = None
    if row is not None:
        user = row.user
        person = Person(user.id, user.name, user.role, user.organisation.locale, row.csrf_token)
    visitor = Visitor(row, person, expired[0] if expired else None)
    request.state.visitor = visitor
    return visitor


VisitorDep = Annotated[Visitor, Depends(get_visitor)]
