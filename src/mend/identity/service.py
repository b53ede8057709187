"""Use cases for people and sign-in: create accounts, authenticate, sessions, invitations.

Every function takes the caller's database session and leaves committing to the
caller, so a change and its audit event land in one transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mend.identity.models import (
    Invitation,
    KeptSubmission,
    LoginAttempt,
    Organisation,
    Role,
    SignInSession,
    User,
)
from mend.identity.passwords import hash_password, password_problem, verify_password
from mend.platform import audit
from mend.platform.settings import Settings


class IdentityError(ValueError):
    """A request about accounts that cannot be carried out, with a message for people."""


class TooManyAttempts(IdentityError):
    def __init__(self, retry_after: int) -> None:
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(
            "Too many sign-in attempts for this account. "
            f"Please wait {minutes} minute{'s' if minutes != 1 else ''} and try again."
        )
        self.retry_after = retry_after


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    email = normalise_email(email)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        return "Please enter an email address like name@example.org."
    return None


def create_organisation(session: Session, *, name: str, locale: str, now: datetime) -> Organisation:
    org = Organisation(name=name.strip(), locale=locale, created_at=now)
    session.add(org)
    session.flush()
    return org


def create_user(
    session: Session,
    *,
    organisation: Organisation,
    email: str,
    name: str,
    role: Role,
    now: datetime,
    actor_id: int | None,
    password: str | None = None,
) -> User:
    problem = email_problem(email)
    if problem:
        raise IdentityError(problem)
    if not name.strip() or len(name.strip()) > 200:
        raise IdentityError("Please enter a name (up to 200 characters).")
    email = normalise_email(email)
    if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise IdentityError("Someone already uses that email address in Mend.")
    if password is not None:
        problem = password_problem(password)
        if problem:
            raise IdentityError(problem)
    user = User(
        organisation_id=organisation.id,
        email=email,
        name=name.strip(),
        role=role,
        password_hash=hash_password(password) if password is not None else None,
        is_active=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        at=now,
        actor_id=actor_id,
        organisation_id=organisation.id,
        action="user.create",
        entity="user",
        entity_id=user.id,
        detail={"role": role.value},
    )
    return user


def authenticate(
    session: Session, *, email: str, password: str, now: datetime, settings: Settings
) -> User:
    """The user for these credentials; the error never says which part was wrong."""
    email = normalise_email(email)
    window_start = now - timedelta(minutes=settings.login_window_minutes)
    recent_failures = list(
        session.scalars(
            select(LoginAttempt.at)
            .where(
                LoginAttempt.email == email,
                LoginAttempt.at >= window_start,
                LoginAttempt.succeeded.is_(False),
            )
            .order_by(LoginAttempt.at)
        )
    )
    if len(recent_failures) >= settings.login_max_failures:
        oldest = recent_failures[-settings.login_max_failures]
        retry = oldest + timedelta(minutes=settings.login_window_minutes) - now
        raise TooManyAttempts(int(retry.total_seconds()) + 1)
    user = session.scalar(select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password)
    ok = ok and user is not None and user.is_active
    session.add(LoginAttempt(email=email, at=now, succeeded=ok))
    if not ok or user is None:
        raise IdentityError("That email and password don't match an account. Please try again.")
    session.execute(
        delete(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.succeeded.is_(False))
    )
    return user


def start_session(
    session: Session, *, user: User, now: datetime, settings: Settings
) -> tuple[str, SignInSession]:
    token = secrets.token_urlsafe(32)
    row = SignInSession(
        token_hash=token_hash(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=settings.session_max_hours),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        at=now,
        actor_id=user.id,
        organisation_id=user.organisation_id,
        action="session.start",
        entity="user",
        entity_id=user.id,
    )
    return token, row


@dataclass(frozen=True)
class ExpiredSession:
    """What is left of a sign-in that just timed out: enough to keep a form it sent."""

    user_id: int
    csrf_token: str


def load_session(
    session: Session,
    *,
    token: str,
    now: datetime,
    settings: Settings,
    expired: list[ExpiredSession] | None = None,
) -> SignInSession | None:
    """The live session for this token, or None. A timed-out session is removed; when
    `expired` is given, what is left of it is appended there."""
    row = session.scalar(select(SignInSession).where(SignInSession.token_hash == token_hash(token)))
    if row is None:
        return None
    idle_limit = row.last_seen_at + timedelta(minutes=settings.session_idle_minutes)
    if now >= row.expires_at or now >= idle_limit or not row.user.is_active:
        if expired is not None and row.user.is_active:
            expired.append(ExpiredSession(row.user_id, row.csrf_token))
        session.delete(row)
        return None
    # Touch at most once a minute so reading pages does not write on every request.
    if now - row.last_seen_at >= timedelta(minutes=1):
        row.last_seen_at = now
    return row


def end_session(session: Session, *, row: SignInSession, now: datetime) -> None:
    audit.record(
        session,
        at=now,
        actor_id=row.user_id,
        organisation_id=row.user.organisation_id,
        action="session.end",
        entity="user",
        entity_id=row.user_id,
    )
    session.delete(row)


def create_invitation(
    session: Session, *, user: User, created_by: User, now: datetime, settings: Settings
) -> str:
    """A fresh one-time token; earlier unused invitations for the person stop working."""
    for old in session.scalars(
        select(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
    ):
        old.used_at = now
    token = secrets.token_urlsafe(32)
    session.add(
        Invitation(
            token_hash=token_hash(token),
            user_id=user.id,
            created_by_id=created_by.id,
            created_at=now,
            expires_at=now + timedelta(days=settings.invitation_days),
        )
    )
    audit.record(
        session,
        at=now,
        actor_id=created_by.id,
        organisation_id=user.organisation_id,
        action="invitation.create",
        entity="user",
        entity_id=user.id,
    )
    return token


KEEP_HOURS = 24
NOT_KEPT = {"csrf_token"}


def keep_submission(
    session: Session, *, user_id: int, path: str, fields: list[tuple[str, str]], now: datetime
) -> KeptSubmission:
    kept = KeptSubmission(
        user_id=user_id,
        path=path,
        fields=[[k, v] for k, v in fields if k not in NOT_KEPT],
        created_at=now,
    )
    session.add(kept)
    session.flush()
    return kept


def waiting_submission(session: Session, *, user: User, now: datetime) -> KeptSubmission | None:
    """The newest kept form this person has not yet been shown."""
    return session.scalar(
        select(KeptSubmission)
        .where(
            KeptSubmission.user_id == user.id,
            KeptSubmission.shown_at.is_(None),
            KeptSubmission.discarded_at.is_(None),
            KeptSubmission.created_at >= now - timedelta(hours=KEEP_HOURS),
        )
        .order_by(KeptSubmission.created_at.desc())
    )


def own_kept_submission(
    session: Session, *, user: User, kept_id: int, now: datetime
) -> KeptSubmission | None:
    kept = session.get(KeptSubmission, kept_id)
    if (
        kept is None
        or kept.user_id != user.id
        or kept.discarded_at is not None
        or kept.created_at < now - timedelta(hours=KEEP_HOURS)
    ):
        return None
    return kept


@dataclass(frozen=True)
class OpenInvitation:
    invitation: Invitation
    user: User


def find_invitation(session: Session, *, token: str, now: datetime) -> OpenInvitation | None:
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    )
    if invitation is None or invitation.used_at is not None or now >= invitation.expires_at:
        return None
    user = session.get(User, invitation.user_id)
    if user is None or not user.is_active:
        return None
    return OpenInvitation(invitation, user)


def accept_invitation(
    session: Session, *, token: str, password: str, confirm: str, now: datetime
) -> User:
    found = find_invitation(session, token=token, now=now)
    if found is None:
        raise IdentityError(
            "This invitation link has expired or was already used. "
            "Please ask your clinician for a new one."
        )
    problem = password_problem(password, confirm)
    if problem:
        raise IdentityError(problem)
    found.user.password_hash = hash_password(password)
    found.invitation.used_at = now
    audit.record(
        session,
        at=now,
        actor_id=found.user.id,
        organisation_id=found.user.organisation_id,
        action="invitation.accept",
        entity="user",
        entity_id=found.user.id,
    )
    return found.user
