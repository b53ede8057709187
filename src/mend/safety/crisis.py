"""Crisis episodes and their follow-ups: tables and use cases.

A clinician opens an episode from an alert or by hand, works through the five SAFE-T steps
(`mend.safety.protocol`), records a disposition (which schedules the follow-ups, once),
does the follow-ups, and closes the episode with a post-crisis review note. Every change
is an audit event in the same transaction; services never commit.

Follow-ups never complete themselves. One that is overdue escalates like an alert: first
the episode's clinician is told, then, each time it waits the organisation's limit for its
severity (`protocol.follow_up_severity`), the covering clinicians, then the admins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    CursorResult,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from mend.care import access
from mend.care.models import CareTeamMember, Client, TeamRole
from mend.identity.models import Role, User
from mend.measures.definitions import default_registry
from mend.measures.models import Administration
from mend.platform import audit, outbox
from mend.platform.clock import Clock
from mend.platform.crypto import EncryptedJSON, EncryptedText
from mend.platform.db import Base, UTCDateTime
from mend.platform.errors import Invalid, NotFound
from mend.safety import escalation, protocol, service
from mend.safety.models import OPEN as ALERT_OPEN
from mend.safety.models import Alert

OPEN = "open"
CLOSED = "closed"
RECENT_ASQ = timedelta(days=30)
"""An ASQ completed this long before the episode opens is shown in the suicide inquiry."""
HOME_HORIZON = timedelta(hours=24)
"""Follow-ups due within this time show on the clinician's home page (overdue ones always)."""


class CrisisEpisode(Base):
    """One crisis: the SAFE-T assessment, de-escalation, disposition and closing review."""

    __tablename__ = "crisis_episodes"
    # One open episode per client, enforced by the database so a double submit cannot
    # open two (a partial unique index, which both SQLite and PostgreSQL support).
    __table_args__ = (
        Index(
            "uq_crisis_episodes_open_client",
            "client_id",
            unique=True,
            sqlite_where=text("state = 'open'"),
            postgresql_where=text("state = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default=OPEN, index=True)
    # What Mend showed in step 3 when the episode opened (the alert's reasons, the recent
    # ASQ answers): a snapshot, so the record shows what the clinician saw at the time.
    context: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON())
    assessment: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON())
    # Counts saves of the assessment form; a save from an older form is refused (409)
    # rather than silently overwriting a colleague's accepted write.
    assessment_version: Mapped[int] = mapped_column(Integer, default=0)
    assessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    risk_level: Mapped[str | None] = mapped_column(String(20))
    deescalation: Mapped[list[str]] = mapped_column(JSON, default=list)
    disposition: Mapped[list[str]] = mapped_column(JSON, default=list)
    disposition_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    follow_ups_scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_note: Mapped[str | None] = mapped_column(EncryptedText())

    @property
    def saved_assessment(self) -> protocol.Assessment:
        return protocol.Assessment.from_json(self.assessment)


class FollowUp(Base):
    """A contact the clinician owes the client after a crisis."""

    __tablename__ = "follow_ups"
    # Scheduling twice (two tabs, a retried request) cannot create a second set.
    __table_args__ = (UniqueConstraint("episode_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = mapped_column(
        ForeignKey("crisis_episodes.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(EncryptedText())
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    # When the current level was told; None until the follow-up first fell overdue.
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def label(self) -> str:
        return protocol.follow_up_label(self.kind)

    def overdue(self, now: datetime) -> bool:
        return self.done_at is None and self.due_at <= now


class EpisodeAlreadyOpen(Invalid):
    def __init__(self, episode_id: int) -> None:
        super().__init__("This client already has an open crisis episode.")
        self.episode_id = episode_id


class Conflict(Invalid):
    """The input was fine but the record is not in a state to take it (409, not 422)."""


class EpisodeClosed(Conflict):
    """The change needs an open episode."""


class AlreadyDone(Conflict):
    """The follow-up was already marked done."""


class StaleAssessment(Conflict):
    """Someone saved the assessment after this form was loaded."""


# --- reading ---


def episode_for(db: Session, user: User, episode_id: int) -> tuple[CrisisEpisode, Client]:
    """The episode and its client if this person may see the client; otherwise NotFound."""
    episode = db.get(CrisisEpisode, episode_id)
    if episode is None:
        raise NotFound()
    return episode, access.client_for(db, user, episode.client_id)


def episodes_of(db: Session, client: Client) -> list[CrisisEpisode]:
    return list(
        db.scalars(
            select(CrisisEpisode)
            .where(CrisisEpisode.client_id == client.id)
            .order_by(CrisisEpisode.opened_at.desc(), CrisisEpisode.id.desc())
        )
    )


def open_episode_of(db: Session, client_id: int) -> CrisisEpisode | None:
    return db.scalar(
        select(CrisisEpisode).where(
            CrisisEpisode.client_id == client_id, CrisisEpisode.state == OPEN
        )
    )


def follow_ups_of(db: Session, episode: CrisisEpisode) -> list[FollowUp]:
    return list(
        db.scalars(
            select(FollowUp)
            .where(FollowUp.episode_id == episode.id)
            .order_by(FollowUp.due_at, FollowUp.id)
        )
    )


def audit_read(db: Session, *, user: User, episode: CrisisEpisode, now: datetime) -> None:
    _audit(db, user.id, episode, "crisis.read", now)


# --- opening ---


def _context(db: Session, client: Client, alert: Alert | None, now: datetime) -> dict[str, Any]:
    shown: dict[str, Any] = {"alert": None, "asq": None}
    if alert is not None:
        shown["alert"] = {
            "id": alert.id,
            "title": alert.title,
            "severity": alert.severity,
            "rule": alert.rule,
            "raised_at": alert.created_at.isoformat(),
            "source": alert.source_label,
            "reasons": list(alert.reasons),
            "next_step": alert.next_step,
        }
    asq = db.scalar(
        select(Administration)
        .where(
            Administration.client_id == client.id,
            Administration.instrument_id == "asq",
            Administration.status == "completed",
            Administration.completed_at >= now - RECENT_ASQ,
        )
        .order_by(Administration.completed_at.desc(), Administration.id.desc())
    )
    if asq is not None and asq.completed_at is not None:
        try:
            definition = default_registry().get("asq")
        except LookupError:
            return shown
        answers = []
        for item, code in zip(definition.items, asq.answers, strict=False):
            label = next(
                (o.label for o in definition.options[item.options] if o.code == code), None
            )
            answers.append({"number": item.number, "text": item.text, "answer": label})
        shown["asq"] = {
            "administration": asq.id,
            "completed_at": asq.completed_at.isoformat(),
            "band": asq.band,
            "answers": answers,
        }
    return shown


def open_episode(
    db: Session,
    *,
    client: Client,
    clinician: User,
    now: datetime,
    alert: Alert | None = None,
) -> CrisisEpisode:
    """Open an episode for a client the caller may see (the caller checks access).

    Opening from an alert acknowledges it if nobody has yet, since the clinician is now
    plainly on it; the alert is not resolved, which only a person with a note may do.
    """
    if alert is not None and alert.client_id != client.id:
        raise NotFound()
    existing = open_episode_of(db, client.id)
    if existing is not None:
        raise EpisodeAlreadyOpen(existing.id)
    episode = CrisisEpisode(
        organisation_id=client.organisation_id,
        client_id=client.id,
        opened_by_id=clinician.id,
        opened_at=now,
        alert_id=alert.id if alert else None,
        state=OPEN,
        context=_context(db, client, alert, now),
        assessment=protocol.Assessment().to_json(),
        assessment_version=0,
        deescalation=[],
        disposition=[],
    )
    try:
        with db.begin_nested():
            db.add(episode)
    except IntegrityError as exc:
        # Another request opened one between our check and our insert.
        raced = open_episode_of(db, client.id)
        if raced is None:
            raise
        raise EpisodeAlreadyOpen(raced.id) from exc
    _audit(
        db,
        clinician.id,
        episode,
        "crisis.open",
        now,
        {"from": f"alert:{alert.id}" if alert else "hand"},
    )
    if alert is not None and alert.state == ALERT_OPEN:
        service.acknowledge(db, alert=alert, user=clinician, now=now)
    return episode


# --- the assessment ---


def _require_open(episode: CrisisEpisode) -> None:
    if episode.state != OPEN:
        raise EpisodeClosed("This crisis episode is closed; it can no longer be changed.")


def save_assessment(
    db: Session,
    *,
    episode: CrisisEpisode,
    clinician: User,
    assessment: protocol.Assessment,
    risk_level: protocol.RiskLevel | None,
    deescalation: tuple[str, ...],
    base_version: int,
    now: datetime,
) -> bool:
    """Save the five steps and the de-escalation checklist; False when nothing changed."""
    _require_open(episode)
    if base_version != episode.assessment_version:
        raise StaleAssessment(
            "Someone else saved this assessment after you opened it. Nothing of yours has "
            "been saved yet."
        )
    before = episode.saved_assessment
    changed = assessment.changed_parts(before)
    if episode.risk_level != risk_level:
        changed.append("risk_level")
    if list(deescalation) != list(episode.deescalation):
        changed.append("deescalation")
    if not changed:
        return False
    # Compare-and-set on the version, so two saves of the same form cannot both land.
    claimed: CursorResult[Any] = db.execute(  # type: ignore[assignment]
        update(CrisisEpisode)
        .where(
            CrisisEpisode.id == episode.id,
            CrisisEpisode.assessment_version == base_version,
            CrisisEpisode.state == OPEN,
        )
        .values(assessment_version=base_version + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise StaleAssessment(
            "Someone else saved this assessment at the same moment. Nothing of yours has "
            "been saved yet."
        )
    previous_level = episode.risk_level
    episode.assessment_version = base_version + 1
    episode.assessment = assessment.to_json()
    episode.risk_level = risk_level
    episode.deescalation = list(deescalation)
    episode.assessed_at = now
    episode.assessed_by_id = clinician.id
    detail: dict[str, Any] = {"version": base_version + 1, "changed": changed}
    if "risk_level" in changed:
        detail["risk_level"] = {"from": previous_level, "to": risk_level}
    _audit(db, clinician.id, episode, "crisis.assessment", now, detail)
    return True


# --- disposition and follow-ups ---


def record_disposition(
    db: Session,
    *,
    episode: CrisisEpisode,
    clinician: User,
    disposition: tuple[str, ...],
    caring_contact_days: list[int],
    now: datetime,
) -> list[FollowUp]:
    """Record what was done; the first time, schedule the follow-ups (returned)."""
    _require_open(episode)
    if not disposition:
        raise Invalid("Please tick at least one part of the disposition.")
    if episode.risk_level is None:
        raise Invalid("Please choose and save a risk level (step 4) before the disposition.")
    if list(disposition) == list(episode.disposition) and episode.follow_ups_scheduled_at:
        return []
    previous = list(episode.disposition)
    episode.disposition = list(disposition)
    episode.disposition_at = now
    scheduled: list[FollowUp] = []
    # Compare-and-set: only the request that flips follow_ups_scheduled_at schedules.
    claimed: CursorResult[Any] = db.execute(  # type: ignore[assignment]
        update(CrisisEpisode)
        .where(CrisisEpisode.id == episode.id, CrisisEpisode.follow_ups_scheduled_at.is_(None))
        .values(follow_ups_scheduled_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount == 1:
        episode.follow_ups_scheduled_at = now
        for kind, due_at in protocol.follow_up_schedule(episode.opened_at, caring_contact_days):
            scheduled.append(FollowUp(episode_id=episode.id, kind=kind, due_at=due_at))
        db.add_all(scheduled)
    _audit(
        db,
        clinician.id,
        episode,
        "crisis.disposition",
        now,
        {
            "from": previous,
            "to": list(disposition),
            "scheduled": [f.kind for f in scheduled],
        },
    )
    return scheduled


def complete_follow_up(
    db: Session,
    *,
    episode: CrisisEpisode,
    follow_up_id: int,
    clinician: User,
    outcome: str,
    note: str,
    now: datetime,
) -> FollowUp:
    """Mark a follow-up done: reached, or could not reach. A note is always required.
    Allowed after the episode closes, because caring contacts run on after it."""
    follow_up = db.scalar(
        select(FollowUp).where(FollowUp.id == follow_up_id, FollowUp.episode_id == episode.id)
    )
    if follow_up is None:
        raise NotFound()
    if follow_up.done_at is not None:
        raise AlreadyDone("This follow-up was already marked done.")
    if outcome not in dict(protocol.OUTCOMES):
        raise Invalid("Please choose whether you reached them or could not reach them.")
    note = note.strip()
    if not note:
        raise Invalid("Please write a note about the contact (or the attempts to reach them).")
    if len(note) > protocol.MAX_NOTE:
        raise Invalid(f"Please keep the note under {protocol.MAX_NOTE} characters.")
    follow_up.done_at = now
    follow_up.done_by_id = clinician.id
    follow_up.outcome = outcome
    follow_up.note = note
    audit.record(
        db,
        at=now,
        actor_id=clinician.id,
        organisation_id=episode.organisation_id,
        action="follow_up.complete",
        entity="follow_up",
        entity_id=follow_up.id,
        client_id=episode.client_id,
        detail={"episode": episode.id, "kind": follow_up.kind, "outcome": outcome},
    )
    return follow_up


def close_episode(
    db: Session, *, episode: CrisisEpisode, clinician: User, note: str, now: datetime
) -> None:
    _require_open(episode)
    pending = [
        f.kind
        for f in follow_ups_of(db, episode)
        if f.kind in protocol.REQUIRED_BEFORE_CLOSE and f.done_at is None
    ]
    problems = protocol.closing_problems(
        disposition_recorded=episode.follow_ups_scheduled_at is not None,
        pending_required=pending,
        review_note=note,
    )
    if problems:
        raise Invalid(" ".join(problems))
    episode.state = CLOSED
    episode.closed_at = now
    episode.closed_by_id = clinician.id
    episode.review_note = note.strip()
    _audit(db, clinician.id, episode, "crisis.close", now)


# --- the clinician's home page ---


@dataclass(frozen=True)
class DueFollowUp:
    follow_up: FollowUp
    client_id: int
    client_name: str
    overdue: bool

    @property
    def episode_id(self) -> int:
        return self.follow_up.episode_id

    @property
    def label(self) -> str:
        return self.follow_up.label


def due_follow_ups(db: Session, clinician: User, now: datetime) -> list[DueFollowUp]:
    """Follow-ups not yet done for clients on this clinician's care teams that are overdue
    or due within `HOME_HORIZON`, earliest first. Every member of the care team sees them,
    so a covering clinician can pick one up."""
    rows = db.execute(
        select(FollowUp, Client)
        .join(CrisisEpisode, CrisisEpisode.id == FollowUp.episode_id)
        .join(Client, Client.id == CrisisEpisode.client_id)
        .join(CareTeamMember, CareTeamMember.client_id == Client.id)
        .where(
            CareTeamMember.clinician_id == clinician.id,
            Client.organisation_id == clinician.organisation_id,
            FollowUp.done_at.is_(None),
            FollowUp.due_at <= now + HOME_HORIZON,
        )
        .order_by(FollowUp.due_at, FollowUp.id)
    ).all()
    return [DueFollowUp(f, c.id, c.name, f.due_at <= now) for f, c in rows]


# --- escalation of overdue follow-ups ---


def recipients(db: Session, episode: CrisisEpisode, level: int) -> list[User]:
    """Who hears about an overdue follow-up at each level, mirroring alerts:

    0. the episode's clinician, or the client's primary clinicians if they have left the
       care team;
    1. the rest of the care team: covering clinicians, and any other primary clinician
       (so a covering clinician who opened the episode does not leave the primary unheard);
    2. the organisation's admins.
    """
    if level >= escalation.TOP_LEVEL:
        return list(
            db.scalars(
                select(User)
                .where(
                    User.organisation_id == episode.organisation_id,
                    User.role == Role.ADMIN,
                    User.is_active.is_(True),
                )
                .order_by(User.id)
            )
        )
    team = list(
        db.scalars(
            select(User)
            .join(CareTeamMember, CareTeamMember.clinician_id == User.id)
            .where(CareTeamMember.client_id == episode.client_id, User.is_active.is_(True))
            .order_by(User.id)
        )
    )
    roles = {
        m.clinician_id: m.role
        for m in db.scalars(
            select(CareTeamMember).where(CareTeamMember.client_id == episode.client_id)
        )
    }
    first = [u for u in team if u.id == episode.opened_by_id] or [
        u for u in team if roles.get(u.id) == TeamRole.PRIMARY
    ]
    if level == 0:
        return first
    return [u for u in team if u not in first]


def _notify(
    db: Session,
    episode: CrisisEpisode,
    follow_up: FollowUp,
    level: int,
    now: datetime,
    base_url: str,
) -> list[User]:
    people = recipients(db, episode, level)
    where = "/admin/follow-ups" if level >= escalation.TOP_LEVEL else f"/clinic/crisis/{episode.id}"
    for person in people:
        # No client names and no clinical words by e-mail: it leaves the building.
        outbox.enqueue(
            db,
            recipient=person.email,
            subject="Mend: a crisis follow-up is overdue",
            body=(
                f"Hello {person.name},\n\nA follow-up contact after a client's crisis is "
                f"overdue and needs someone to pick it up.\n\nOpen it in Mend: {base_url}{where}\n"
            ),
            now=now,
            dedupe_key=f"follow-up-{follow_up.id}-level-{level}-user-{person.id}",
        )
    return people


def _tell(
    db: Session,
    episode: CrisisEpisode,
    follow_up: FollowUp,
    previous: int | None,
    level: int,
    now: datetime,
    base_url: str,
) -> None:
    follow_up.escalation_level = level
    follow_up.escalated_at = now
    audit.record(
        db,
        at=now,
        actor_id=None,
        organisation_id=episode.organisation_id,
        action="follow_up.overdue" if previous is None else "follow_up.escalate",
        entity="follow_up",
        entity_id=follow_up.id,
        client_id=episode.client_id,
        detail={
            "episode": episode.id,
            "kind": follow_up.kind,
            "from": None if previous is None else escalation.LEVEL_NAMES[previous],
            "to": escalation.LEVEL_NAMES[level],
        },
    )
    if not _notify(db, episode, follow_up, level, now, base_url) and level < escalation.TOP_LEVEL:
        # Nobody at this level (no covering clinician, say): an overdue contact after a
        # crisis must not go unheard, so it moves straight on.
        _tell(db, episode, follow_up, level, level + 1, now, base_url)


def escalate_overdue_follow_ups(factory: sessionmaker[Session], clock: Clock, base_url: str) -> int:
    """Tell the next people about every overdue follow-up that has waited long enough.

    The first move (at the due time) tells the episode's clinician; later moves follow
    `escalation.next_level` with the organisation's limit for the follow-up's severity.
    Each move is a compare-and-set on the row, so several workers may run at once.
    Returns how many follow-ups moved.
    """
    now = clock.now()
    with factory() as db:
        candidates = [
            row[0]
            for row in db.execute(
                select(FollowUp.id).where(
                    FollowUp.done_at.is_(None),
                    FollowUp.due_at <= now,
                    FollowUp.escalation_level < escalation.TOP_LEVEL,
                )
            )
        ]
    moved = 0
    for follow_up_id in candidates:
        with factory() as db, db.begin():
            follow_up = db.get(FollowUp, follow_up_id)
            if follow_up is None or follow_up.done_at is not None:
                continue
            episode = db.get_one(CrisisEpisode, follow_up.episode_id)
            level, told_at = follow_up.escalation_level, follow_up.escalated_at
            unchanged: ColumnElement[bool]
            if told_at is None:
                target: int | None = 0
                unchanged = FollowUp.escalated_at.is_(None)
            else:
                severity = protocol.follow_up_severity(follow_up.kind)
                minutes = service.settings_for(db, episode.organisation_id).ack_minutes.get(
                    severity, escalation.DEFAULT_LIMIT_MINUTES[severity]
                )
                target = escalation.next_level(
                    state="open",
                    level=level,
                    since=told_at,
                    limit=timedelta(minutes=minutes),
                    now=now,
                )
                unchanged = FollowUp.escalated_at == told_at
            if target is None:
                continue
            claimed: CursorResult[Any] = db.execute(  # type: ignore[assignment]
                update(FollowUp)
                .where(
                    FollowUp.id == follow_up_id,
                    FollowUp.done_at.is_(None),
                    FollowUp.escalation_level == level,
                    unchanged,
                )
                .values(escalation_level=target, escalated_at=now)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:
                continue  # another worker moved it, or someone marked it done
            db.refresh(follow_up)
            _tell(db, episode, follow_up, None if told_at is None else level, target, now, base_url)
            moved += 1
    return moved


def escalated_follow_ups(db: Session, admin: User) -> list[tuple[FollowUp, Client]]:
    """Overdue follow-ups that reached the admins, for the admin's page."""
    rows = db.execute(
        select(FollowUp, Client)
        .join(CrisisEpisode, CrisisEpisode.id == FollowUp.episode_id)
        .join(Client, Client.id == CrisisEpisode.client_id)
        .where(
            CrisisEpisode.organisation_id == admin.organisation_id,
            FollowUp.done_at.is_(None),
            FollowUp.escalation_level >= escalation.TOP_LEVEL,
        )
        .order_by(FollowUp.due_at, FollowUp.id)
    ).all()
    return [(f, c) for f, c in rows]


def _audit(
    db: Session,
    actor_id: int | None,
    episode: CrisisEpisode,
    action: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    db.flush()  # the episode needs its id before the event can name it
    audit.record(
        db,
        at=now,
        actor_id=actor_id,
        organisation_id=episode.organisation_id,
        action=action,
        entity="crisis_episode",
        entity_id=episode.id,
        client_id=episode.client_id,
        detail=detail,
    )
