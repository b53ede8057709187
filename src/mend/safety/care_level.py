"""Level-of-care decisions: gather the inputs from the record, apply the rule table
(`care_level_rules`), and keep the clinician's decision and reason as history.

This supports, and never replaces, clinical judgement: the recommendation is advice with
its workings shown, and the clinician's chosen level is what is recorded and acted on.
Every decision is kept (nothing is overwritten) and audited in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from mend.care.models import Client
from mend.identity.models import User
from mend.measures import service as measures
from mend.measures.definitions import default_registry
from mend.platform import audit
from mend.platform.crypto import EncryptedJSON, EncryptedText
from mend.platform.db import Base, UTCDateTime
from mend.platform.errors import Invalid
from mend.safety import crisis
from mend.safety.care_level_rules import (
    LEVEL_LABELS,
    LEVELS,
    RISKS,
    Inputs,
    Level,
    Ratings,
    Recommendation,
    Response,
    Risk,
    recommend,
)
from mend.safety.models import OPEN as ALERT_OPEN
from mend.safety.models import RESOLVED, Alert

MAX_REASON = 4000

# An alert stands for the risk it signals until a clinician has assessed it: urgent alerts
# (acute positive ASQ, urgent crisis language) are imminent risk; high alerts (non-acute
# positive ASQ, PHQ-9 item 9) are potential risk pending a brief assessment, treated as
# moderate; concerns (severe totals, concerning words) as low.
ALERT_RISK: dict[str, Risk] = {"urgent": "imminent", "high": "moderate", "concern": "low"}


class CareLevelDecision(Base):
    """One level-of-care decision: what Mend saw and advised, what the clinician chose."""

    __tablename__ = "care_level_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # Scores, risk and ratings, and where each came from: health information, so encrypted.
    inputs: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON())
    recommended_level: Mapped[str] = mapped_column(String(40))
    fired_rules: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON())
    chosen_level: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(EncryptedText())

    @property
    def differs(self) -> bool:
        return self.chosen_level != self.recommended_level

    @property
    def ratings(self) -> Ratings:
        values = self.inputs["values"]
        return Ratings(values["functioning"], values["support"], values["engagement"])


@dataclass(frozen=True)
class Evidence:
    """What the record says, and where each part came from (shown beside the rules)."""

    risk: Risk
    phq9_total: float | None
    phq9_band: str | None
    pcl5_total: float | None
    response: Response
    weeks_since_baseline: float | None
    current_level: Level
    sources: tuple[tuple[str, str], ...]

    def inputs(self, ratings: Ratings) -> Inputs:
        return Inputs(
            risk=self.risk,
            phq9_total=self.phq9_total,
            phq9_band=self.phq9_band,
            pcl5_total=self.pcl5_total,
            functioning=ratings.functioning,
            support=ratings.support,
            engagement=ratings.engagement,
            response=self.response,
            weeks_since_baseline=self.weeks_since_baseline,
            current_level=self.current_level,
        )


def _risk(db: Session, client: Client) -> tuple[Risk, str]:
    """The clinician's judgement in an open crisis episode, raised by any alert that
    judgement cannot have weighed: one nobody has acknowledged yet, or one raised after the
    assessment was last saved. With no assessed episode, the most severe unresolved alert
    (acknowledged or not: until it is resolved it has not been dealt with). Otherwise none.
    """
    episode = crisis.open_episode_of(db, client.id)
    alerts = list(
        db.scalars(select(Alert).where(Alert.client_id == client.id, Alert.state != RESOLVED))
    )
    risk: Risk = "none"
    source = "no open crisis episode with a risk level, and no unresolved alerts"
    if episode is not None and episode.risk_level is not None and episode.assessed_at:
        assessed_at = episode.assessed_at
        risk = episode.risk_level  # type: ignore[assignment]
        source = f"open crisis episode, judged {risk} on {assessed_at:%-d %b %Y}"
        alerts = [a for a in alerts if a.state == ALERT_OPEN or a.created_at > assessed_at]
    for alert in sorted(alerts, key=lambda a: a.created_at):
        signalled = ALERT_RISK[alert.severity]
        if RISKS.index(signalled) > RISKS.index(risk):
            risk = signalled
            source = (
                f"unresolved {alert.severity} alert “{alert.title}” ({alert.created_at:%-d %b %Y})"
            )
    return risk, source


def gather(db: Session, client: Client) -> Evidence:
    history = measures.completed_history(db, client)
    sources: list[tuple[str, str]] = []
    risk, risk_source = _risk(db, client)
    sources.append(("Risk", risk_source))
    # Only scored administrations count (a total can be missing under an instrument's rule).
    phq9 = [a for a in history.get("phq9", []) if a.total is not None]
    pcl5 = [a for a in history.get("pcl5", []) if a.total is not None]
    response: Response = "unknown"
    weeks = None
    if phq9:
        latest = phq9[-1]
        sources.append(("PHQ-9", f"{latest.total:g} on {latest.completed_at:%-d %b %Y}"))
        points = measures.with_change(default_registry().get("phq9"), phq9)
        change = points[-1].change
        if change is not None and change.category is not None:
            response = change.category
            first, last = phq9[0].completed_at, latest.completed_at
            if first is not None and last is not None:
                weeks = (last - first).total_seconds() / (7 * 24 * 3600)
            sources.append(
                ("Response", f"{phq9[0].total:g} at baseline → {latest.total:g}: {response}")
            )
        else:
            sources.append(("Response", "needs two PHQ-9 scores"))
    else:
        sources.append(("PHQ-9", "no completed PHQ-9"))
    if pcl5:
        sources.append(("PCL-5", f"{pcl5[-1].total:g} on {pcl5[-1].completed_at:%-d %b %Y}"))
    else:
        sources.append(("PCL-5", "no completed PCL-5"))
    previous = latest_decision(db, client)
    current: Level = "outpatient"
    if previous is not None:
        current = previous.chosen_level  # type: ignore[assignment]
        sources.append(
            ("Current level", f"{LEVEL_LABELS[current]}, chosen {previous.decided_at:%-d %b %Y}")
        )
    else:
        sources.append(("Current level", "no earlier decision: outpatient assumed"))
    return Evidence(
        risk=risk,
        phq9_total=phq9[-1].total if phq9 else None,
        phq9_band=phq9[-1].band if phq9 else None,
        pcl5_total=pcl5[-1].total if pcl5 else None,
        response=response,
        weeks_since_baseline=weeks,
        current_level=current,
        sources=tuple(sources),
    )


def advise(db: Session, client: Client, ratings: Ratings) -> tuple[Evidence, Recommendation]:
    evidence = gather(db, client)
    return evidence, recommend(evidence.inputs(ratings))


class RecommendationChanged(Invalid):
    """The record changed between showing the recommendation and deciding."""


def record_decision(
    db: Session,
    *,
    client: Client,
    clinician: User,
    ratings: Ratings,
    chosen: str,
    reason: str,
    shown_level: str,
    now: datetime,
) -> CareLevelDecision:
    """Keep the clinician's decision. The recommendation is recomputed here, never taken
    from the form; if it is not the one the clinician was shown, nothing is saved."""
    if chosen not in LEVELS:
        raise Invalid("Please choose a level of care from the list.")
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise Invalid(f"Please keep the reason under {MAX_REASON} characters.")
    evidence, advice = advise(db, client, ratings)
    if advice.level != shown_level:
        raise RecommendationChanged(
            "The recommendation changed since the page was shown (new scores, alerts or "
            "decisions). Please look at it again before deciding."
        )
    if chosen != advice.level and not reason:
        raise Invalid(
            f"Please write why you chose {LEVEL_LABELS[chosen].lower()} rather than the "
            f"recommended {LEVEL_LABELS[advice.level].lower()}."
        )
    decision = CareLevelDecision(
        organisation_id=client.organisation_id,
        client_id=client.id,
        decided_by_id=clinician.id,
        decided_at=now,
        inputs={
            "values": evidence.inputs(ratings).to_json(),
            "sources": [list(s) for s in evidence.sources],
        },
        recommended_level=advice.level,
        fired_rules=[r.to_json() for r in advice.fired],
        chosen_level=chosen,
        reason=reason or None,
    )
    db.add(decision)
    db.flush()
    audit.record(
        db,
        at=now,
        actor_id=clinician.id,
        organisation_id=client.organisation_id,
        action="care_level.decide",
        entity="care_level_decision",
        entity_id=decision.id,
        client_id=client.id,
        detail={
            "recommended": advice.level,
            "chosen": chosen,
            "fired": [r.id for r in advice.fired],
        },
    )
    return decision


def history(db: Session, client: Client) -> list[CareLevelDecision]:
    """Every decision for the client, newest first."""
    return list(
        db.scalars(
            select(CareLevelDecision)
            .where(CareLevelDecision.client_id == client.id)
            .order_by(CareLevelDecision.decided_at.desc(), CareLevelDecision.id.desc())
        )
    )


def latest_decision(db: Session, client: Client) -> CareLevelDecision | None:
    return db.scalar(
        select(CareLevelDecision)
        .where(CareLevelDecision.client_id == client.id)
        .order_by(CareLevelDecision.decided_at.desc(), CareLevelDecision.id.desc())
        .limit(1)
    )
