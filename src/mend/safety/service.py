"""Use cases for safety alerts: raise, notify, acknowledge, resolve, escalate.

An alert is raised in the same transaction as the answer or words that caused it,
and its notifications go into the outbox in that transaction too, so an accepted
entry can never exist without its alert, nor an alert without its e-mail. Nothing
here closes an alert on its own: only `resolve`, called for a person, does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, false, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from mend.care.models import CareTeamMember, Client, TeamRole
from mend.identity.models import Role, User
from mend.platform import audit, outbox
from mend.platform.clock import Clock
from mend.platform.errors import Invalid, NotFound
from mend.safety import escalation, triage
from mend.safety.models import ACKNOWLEDGED, OPEN, RESOLVED, Alert, SafetySettings
from mend.safety.rules import (
    PUBLISHED,
    REPEAT_WINDOW,
    AlertKey,
    RiskSignal,
    Thresholds,
    repeats,
)

MAX_NOTE = 4000


def settings_for(db: Session, organisation_id: int) -> SafetySettings:
    """The organisation's settings, or the published defaults when none were saved."""
    saved = db.get(SafetySettings, organisation_id)
    if saved is not None:
        return saved
    return SafetySettings(
        organisation_id=organisation_id,
        ack_minutes=dict(escalation.DEFAULT_LIMIT_MINUTES),
        thresholds={},
        caring_contact_days=[14, 30, 60, 90],
    )


def thresholds_for(db: Session, organisation_id: int) -> Thresholds:
    saved = settings_for(db, organisation_id).thresholds
    return Thresholds(**{**PUBLISHED.__dict__, **saved})


def recipients(db: Session, alert: Alert, level: int) -> list[User]:
    """Who hears about an alert at each level of the chain."""
    if level >= escalation.TOP_LEVEL:
        return list(
            db.scalars(
                select(User).where(
                    User.organisation_id == alert.organisation_id,
                    User.role == Role.ADMIN,
                    User.is_active.is_(True),
                )
            )
        )
    role = TeamRole.PRIMARY if level == 0 else TeamRole.COVERING
    return list(
        db.scalars(
            select(User)
            .join(CareTeamMember, CareTeamMember.clinician_id == User.id)
            .where(
                CareTeamMember.client_id == alert.client_id,
                CareTeamMember.role == role,
                User.is_active.is_(True),
            )
            .order_by(User.id)
        )
    )


def _notify(db: Session, alert: Alert, level: int, now: datetime, base_url: str) -> list[User]:
    people = recipients(db, alert, level)
    where = "/admin/alerts" if level >= escalation.TOP_LEVEL else f"/clinic/alerts/{alert.id}"
    for person in people:
        # No client names or words in e-mail: it leaves the building. The link does the rest.
        outbox.enqueue(
            db,
            recipient=person.email,
            subject=f"Mend: {alert.severity} alert needs attention",
            body=(
                f"Hello {person.name},\n\nA {alert.severity} safety alert for a client "
                f"needs someone to acknowledge it.\n\nOpen it in Mend: {base_url}{where}\n"
            ),
            now=now,
            dedupe_key=f"alert-{alert.id}-level-{level}-user-{person.id}",
        )
    return people


def _key(alert: Alert) -> AlertKey:
    return AlertKey(
        client_id=alert.client_id,
        source_kind=alert.source_kind,
        source_id=alert.source_id,
        rule=alert.rule,
        at=alert.created_at,
        resolved=alert.state == RESOLVED,
    )


def _earlier(db: Session, client: Client, new: AlertKey) -> Alert | None:
    """The unresolved alert `new` repeats, if any: one from the same saved entry first,
    then the most recent."""
    same_entry = Alert.source_id == new.source_id if new.source_id else false()
    recent = Alert.created_at.between(new.at - REPEAT_WINDOW, new.at + REPEAT_WINDOW)
    candidates = db.scalars(
        select(Alert)
        .where(
            Alert.client_id == client.id,
            Alert.source_kind == new.source_kind,
            Alert.rule == new.rule,
            Alert.state != RESOLVED,
            or_(same_entry, recent),
        )
        .order_by(Alert.created_at.desc(), Alert.id.desc())
    )
    ordered = sorted(candidates, key=lambda a: a.source_id != new.source_id or not new.source_id)
    return next((a for a in ordered if repeats(_key(a), new)), None)


def _absorb(
    db: Session, alert: Alert, new: AlertKey, signal: RiskSignal, source_label: str, now: datetime
) -> None:
    """Fold a repeat into the alert it repeats: words it did not have yet are added (the
    alert may be the only place words from a refused form are kept), and an alert about
    writing not saved then points at the entry once it is saved."""
    known = [(r.get("label"), r.get("detail")) for r in alert.reasons]
    added = [r for r in signal.reasons_json() if (r["label"], r["detail"]) not in known]
    linked = not alert.source_id and bool(new.source_id)
    if added:
        alert.reasons = [*alert.reasons, *added]
    if linked:
        alert.source_id = new.source_id
        alert.source_label = source_label
    if added or linked:
        audit.record(
            db,
            at=now,
            actor_id=None,
            organisation_id=alert.organisation_id,
            action="alert.repeat",
            entity="alert",
            entity_id=alert.id,
            client_id=alert.client_id,
            detail={"source": f"{new.source_kind}:{new.source_id}", "added": len(added)},
        )


def raise_alert(
    db: Session,
    *,
    client: Client,
    signal: RiskSignal,
    source_kind: str,
    source_id: object,
    source_label: str,
    now: datetime,
    base_url: str,
) -> Alert:
    """Raise an alert and tell the client's care team, unless it repeats one still open
    (see `rules.repeats`). `source_id` None means writing that was not saved."""
    key = "" if source_id is None else str(source_id)
    new = AlertKey(
        client_id=client.id,
        source_kind=source_kind,
        source_id=key,
        rule=signal.rule,
        at=now,
    )
    existing = _earlier(db, client, new)
    if existing is not None:
        # The same words again must not page people again.
        _absorb(db, existing, new, signal, source_label, now)
        return existing
    primary = db.scalar(
        select(CareTeamMember.clinician_id)
        .where(CareTeamMember.client_id == client.id, CareTeamMember.role == TeamRole.PRIMARY)
        .order_by(CareTeamMember.id)
    )
    alert = Alert(
        organisation_id=client.organisation_id,
        client_id=client.id,
        source_kind=source_kind,
        source_id=key,
        source_label=source_label,
        rule=signal.rule,
        severity=signal.severity,
        severity_rank=signal.rank,
        title=signal.title,
        next_step=signal.next_step,
        reasons=signal.reasons_json(),
        state=OPEN,
        owner_id=primary,
        escalation_level=0,
        created_at=now,
    )
    db.add(alert)
    db.flush()
    audit.record(
        db,
        at=now,
        actor_id=None,
        organisation_id=client.organisation_id,
        action="alert.raise",
        entity="alert",
        entity_id=alert.id,
        client_id=client.id,
        detail={
            "rule": signal.rule,
            "severity": signal.severity,
            "source": f"{source_kind}:{key}",
        },
    )
    notified = _notify(db, alert, 0, now, base_url)
    if not notified:
        # A client with no primary clinician must not leave an alert unheard.
        _escalate(db, alert, escalation.TOP_LEVEL, now, base_url)
    return alert


def _escalate(db: Session, alert: Alert, level: int, now: datetime, base_url: str) -> None:
    previous = alert.escalation_level
    alert.escalation_level = level
    alert.escalated_at = now
    audit.record(
        db,
        at=now,
        actor_id=None,
        organisation_id=alert.organisation_id,
        action="alert.escalate",
        entity="alert",
        entity_id=alert.id,
        client_id=alert.client_id,
        detail={"from": escalation.LEVEL_NAMES[previous], "to": escalation.LEVEL_NAMES[level]},
    )
    notified = _notify(db, alert, level, now, base_url)
    if not notified and level < escalation.TOP_LEVEL:
        _escalate(db, alert, level + 1, now, base_url)


def escalate_overdue(factory: sessionmaker[Session], clock: Clock, base_url: str) -> int:
    """Move every overdue, unacknowledged alert one level up. Safe to run from several
    processes at once: each move is a compare-and-set on the alert's current level."""
    now = clock.now()
    moved = 0
    with factory() as db:
        candidates = list(
            db.execute(
                select(Alert.id, Alert.escalation_level).where(
                    Alert.state == OPEN, Alert.escalation_level < escalation.TOP_LEVEL
                )
            )
        )
    for alert_id, level in candidates:
        with factory() as db, db.begin():
            alert = db.get(Alert, alert_id)
            if alert is None:
                continue
            limits = settings_for(db, alert.organisation_id).ack_minutes
            limit = timedelta(
                minutes=limits.get(alert.severity, escalation.DEFAULT_LIMIT_MINUTES[alert.severity])
            )
            target = escalation.next_level(
                state=alert.state,
                level=alert.escalation_level,
                since=alert.waiting_since,
                limit=limit,
                now=now,
            )
            if target is None:
                continue
            claimed: CursorResult[Any] = db.execute(  # type: ignore[assignment]
                update(Alert)
                .where(Alert.id == alert_id, Alert.escalation_level == level, Alert.state == OPEN)
                .values(escalation_level=target, escalated_at=now)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:
                continue  # another worker moved it first
            db.refresh(alert)
            alert.escalation_level = level  # _escalate records the move from the old level
            _escalate(db, alert, target, now, base_url)
            moved += 1
    return moved


def acknowledge(db: Session, *, alert: Alert, user: User, now: datetime) -> None:
    if alert.state != OPEN:
        raise Invalid("This alert was already acknowledged.")
    alert.state = ACKNOWLEDGED
    alert.acknowledged_at = now
    alert.acknowledged_by_id = user.id
    if alert.owner_id is None and user.role == Role.CLINICIAN:
        alert.owner_id = user.id
    audit.record(
        db,
        at=now,
        actor_id=user.id,
        organisation_id=alert.organisation_id,
        action="alert.acknowledge",
        entity="alert",
        entity_id=alert.id,
        client_id=alert.client_id,
    )


def resolve(db: Session, *, alert: Alert, user: User, note: str, now: datetime) -> None:
    note = note.strip()
    if alert.state == RESOLVED:
        raise Invalid("This alert is already resolved.")
    if not note:
        raise Invalid("Please write what was done before resolving the alert.")
    if len(note) > MAX_NOTE:
        raise Invalid(f"Please keep the note under {MAX_NOTE} characters.")
    if alert.state == OPEN:
        acknowledge(db, alert=alert, user=user, now=now)
    alert.state = RESOLVED
    alert.resolved_at = now
    alert.resolved_by_id = user.id
    alert.resolution_note = note
    audit.record(
        db,
        at=now,
        actor_id=user.id,
        organisation_id=alert.organisation_id,
        action="alert.resolve",
        entity="alert",
        entity_id=alert.id,
        client_id=alert.client_id,
    )


def alert_for(db: Session, user: User, alert_id: int) -> Alert:
    """The alert if this clinician is on the client's care team; otherwise NotFound."""
    from mend.care import access

    alert = db.get(Alert, alert_id)
    if alert is None:
        raise NotFound()
    access.client_for(db, user, alert.client_id)
    return alert


def inbox(db: Session, user: User, *, include_resolved: bool = False) -> list[Alert]:
    """The clinician's alerts, most severe first, then oldest first."""
    query = (
        select(Alert)
        .join(CareTeamMember, CareTeamMember.client_id == Alert.client_id)
        .where(
            CareTeamMember.clinician_id == user.id, Alert.organisation_id == user.organisation_id
        )
    )
    if not include_resolved:
        query = query.where(Alert.state != RESOLVED)
    return list(db.scalars(query.order_by(Alert.severity_rank.desc(), Alert.created_at, Alert.id)))


def escalated_to_admin(db: Session, admin: User) -> list[Alert]:
    return list(
        db.scalars(
            select(Alert)
            .where(
                Alert.organisation_id == admin.organisation_id,
                Alert.escalation_level >= escalation.TOP_LEVEL,
                Alert.state == OPEN,
            )
            .order_by(Alert.severity_rank.desc(), Alert.created_at)
        )
    )


def open_alerts(db: Session, client_ids: Sequence[int]) -> dict[int, triage.OpenAlerts]:
    """Each client's unresolved alerts summed up, in one query however many clients.
    Callers pass only clients the person may see (access.visible_clients)."""
    if not client_ids:
        return {}
    found: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for client_id, severity, created_at in db.execute(
        select(Alert.client_id, Alert.severity, Alert.created_at).where(
            Alert.client_id.in_(client_ids), Alert.state != RESOLVED
        )
    ):
        found[client_id].append((severity, created_at))
    summaries = {client_id: triage.summarise(alerts) for client_id, alerts in found.items()}
    return {client_id: s for client_id, s in summaries.items() if s is not None}
