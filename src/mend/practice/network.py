"""Support network and trust: the people in a client's life, the signs that someone is
safe, graded trust-building steps, and adding a person to the safety plan.

Names, relationships, ways of reaching people and everything written about a step
are encrypted at rest and screened before commit. The safety plan is changed only
through its own public functions (safety/plans.py), so a person added here becomes a
new plan version with the client as its author, like any other edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from mend.care.models import Client
from mend.identity.models import User
from mend.platform import audit
from mend.platform.crypto import EncryptedJSON, EncryptedText
from mend.platform.db import Base, UTCDateTime
from mend.platform.errors import Invalid, NotFound
from mend.practice import network_rules as rules
from mend.practice.activation import PLAN_WINDOW_DAYS, parse_day, parse_rating
from mend.safety import plans
from mend.safety.screening import TextScreening, screen_text

MAX_NAME = 100
MAX_RELATIONSHIP = 100
MAX_STEP_PLAN = 1_000
MAX_WHAT_HAPPENED = 2_000
PLAN_SECTIONS: tuple[str, ...] = ("helpers", "distractions")


class NetworkPerson(Base):
    __tablename__ = "network_people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    name: Mapped[str] = mapped_column(EncryptedText())
    relationship: Mapped[str] = mapped_column(EncryptedText())
    reach_kind: Mapped[str] = mapped_column(String(10))  # "" when not given
    reach: Mapped[str | None] = mapped_column(EncryptedText())
    closeness: Mapped[int] = mapped_column(Integer)
    trust: Mapped[int] = mapped_column(Integer)
    # Which signs of a safe person the client ticked: about a relationship, so encrypted.
    signs: Mapped[list[str]] = mapped_column(EncryptedJSON(), default=list)
    plan_section: Mapped[str | None] = mapped_column(String(20))
    plan_version: Mapped[int | None] = mapped_column(Integer)
    screening_level: Mapped[str] = mapped_column(String(10), default="none")
    screening_evidence: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON(), default=list)

    @property
    def score(self) -> int:
        return rules.signs_score(self.signs)

    @property
    def safe(self) -> bool:
        return rules.is_safe(self.signs)

    @property
    def signs_summary(self) -> str:
        return rules.signs_summary(self.signs)

    @property
    def ring(self) -> rules.Ring:
        return rules.ring_for(self.closeness)

    @property
    def call_href(self) -> str | None:
        return (
            f"tel:{rules.dial(self.reach)}"
            if self.reach_kind == rules.PHONE and self.reach
            else None
        )

    @property
    def sms_href(self) -> str | None:
        return (
            f"sms:{rules.dial(self.reach)}"
            if self.reach_kind == rules.PHONE and self.reach
            else None
        )

    @property
    def email_href(self) -> str | None:
        return f"mailto:{self.reach}" if self.reach_kind == rules.EMAIL and self.reach else None


class TrustStep(Base):
    __tablename__ = "trust_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("network_people.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer)
    plan: Mapped[str | None] = mapped_column(EncryptedText())
    planned_on: Mapped[date] = mapped_column(Date)
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    went: Mapped[int | None] = mapped_column(Integer)
    what_happened: Mapped[str | None] = mapped_column(EncryptedText())
    trust_change: Mapped[str | None] = mapped_column(String(5))
    screening_level: Mapped[str] = mapped_column(String(10), default="none")
    screening_evidence: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON(), default=list)

    person: Mapped[NetworkPerson] = relationship(lazy="joined")

    @property
    def kind_label(self) -> str:
        return rules.STEP_LABELS.get(self.kind, self.kind)

    @property
    def size_label(self) -> str:
        return dict(rules.STEP_SIZES).get(self.size, "")

    @property
    def change_label(self) -> str:
        return dict(rules.TRUST_CHANGES).get(self.trust_change or "", "")

    @property
    def outcome(self) -> rules.Outcome | None:
        if self.went is None or self.trust_change is None:
            return None
        return rules.Outcome(self.went, self.trust_change)


# --- checking what was typed ---


def _line(value: str) -> str:
    return " ".join(value.split())


@dataclass(frozen=True)
class PersonInput:
    name: str
    relationship: str
    reach_kind: str
    reach: str | None
    closeness: int
    trust: int


def check_person(
    name: str, relationship: str, reach_kind: str, reach: str, closeness: str, trust: str
) -> PersonInput:
    name, relationship, reach = _line(name), _line(relationship), reach.strip()
    if not name:
        raise Invalid("Please add a name — a first name or a nickname is fine.")
    if len(name) > MAX_NAME:
        raise Invalid(f"Please keep the name to {MAX_NAME} characters or fewer.")
    if not relationship:
        raise Invalid("Please say who they are to you, for example “friend” or “my aunt”.")
    if len(relationship) > MAX_RELATIONSHIP:
        raise Invalid(f"Please keep who they are to you to {MAX_RELATIONSHIP} characters or fewer.")
    problem = rules.reach_problem(reach_kind, reach)
    if problem:
        raise Invalid(problem)
    closeness_value = parse_rating(closeness, "how close you feel", required=True)
    trust_value = parse_rating(trust, "how much you trust them", required=True)
    assert closeness_value is not None and trust_value is not None
    return PersonInput(name, relationship, reach_kind, reach or None, closeness_value, trust_value)


# --- use cases (the caller commits) ---


def _audit(
    db: Session,
    author: User,
    client: Client,
    entity: str,
    entity_id: int,
    action: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        db,
        at=now,
        actor_id=author.id,
        organisation_id=client.organisation_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        client_id=client.id,
        detail=detail,
    )


PERSON_SOURCE = ("network_person", "a person in their support network")
STEP_SOURCE = ("trust_step", "a trust-building step")


def person_words(name: str, relationship: str, reach_kind: str, reach: str) -> list[str]:
    """What is screened of a person: a phone number or e-mail address is not writing."""
    return [name, relationship] + ([reach] if reach_kind == rules.OTHER and reach else [])


def _screen_person(
    db: Session, person: NetworkPerson, client: Client, now: datetime, base_url: str
) -> TextScreening:
    words = person_words(person.name, person.relationship, person.reach_kind, person.reach or "")
    kind, label = PERSON_SOURCE
    result = screen_text(
        db,
        client=client,
        source_kind=kind,
        source_id=person.id,
        source_label=label,
        text="\n".join(words),
        now=now,
        base_url=base_url,
    )
    person.screening_level = result.level
    person.screening_evidence = result.evidence
    return result


def add_person(
    db: Session,
    *,
    client: Client,
    author: User,
    name: str,
    relationship: str,
    reach_kind: str,
    reach: str,
    closeness: str,
    trust: str,
    now: datetime,
    base_url: str,
) -> tuple[NetworkPerson, TextScreening]:
    checked = check_person(name, relationship, reach_kind, reach, closeness, trust)
    person = NetworkPerson(
        client_id=client.id,
        created_at=now,
        updated_at=now,
        name=checked.name,
        relationship=checked.relationship,
        reach_kind=checked.reach_kind if checked.reach else "",
        reach=checked.reach,
        closeness=checked.closeness,
        trust=checked.trust,
        signs=[],
        screening_level="none",
        screening_evidence=[],
    )
    db.add(person)
    db.flush()
    screening = _screen_person(db, person, client, now, base_url)
    _audit(
        db,
        author,
        client,
        "network_person",
        person.id,
        "network_person.create",
        now,
        {"screening": screening.level},
    )
    return person, screening


def update_person(
    db: Session,
    *,
    client: Client,
    author: User,
    person_id: int,
    name: str,
    relationship: str,
    reach_kind: str,
    reach: str,
    closeness: str,
    trust: str,
    now: datetime,
    base_url: str,
) -> tuple[NetworkPerson, TextScreening]:
    person = own_person(db, client, person_id)
    checked = check_person(name, relationship, reach_kind, reach, closeness, trust)
    person.name = checked.name
    person.relationship = checked.relationship
    person.reach_kind = checked.reach_kind if checked.reach else ""
    person.reach = checked.reach
    person.closeness = checked.closeness
    person.trust = checked.trust
    person.updated_at = now
    screening = _screen_person(db, person, client, now, base_url)
    _audit(
        db,
        author,
        client,
        "network_person",
        person.id,
        "network_person.update",
        now,
        {"screening": screening.level},
    )
    return person, screening


def set_signs(
    db: Session,
    *,
    client: Client,
    author: User,
    person_id: int,
    ticked: list[str],
    now: datetime,
) -> NetworkPerson:
    person = own_person(db, client, person_id)
    unknown = set(ticked) - set(rules.SIGN_IDS)
    if unknown:
        raise Invalid("Please tick signs from the list.")
    person.signs = rules.clean_signs(ticked)
    person.updated_at = now
    _audit(
        db,
        author,
        client,
        "network_person",
        person.id,
        "network_person.signs",
        now,
        {"score": person.score},
    )
    return person


def remove_person(
    db: Session, *, client: Client, author: User, person_id: int, now: datetime
) -> None:
    """Take someone out of the network (their steps go too). A safety plan that names
    them keeps its entry: the plan is changed only on the plan's own pages."""
    person = own_person(db, client, person_id)
    _audit(db, author, client, "network_person", person.id, "network_person.delete", now)
    db.delete(person)
    db.flush()


def own_person(db: Session, client: Client, person_id: int) -> NetworkPerson:
    person = db.scalar(
        select(NetworkPerson).where(
            NetworkPerson.id == person_id, NetworkPerson.client_id == client.id
        )
    )
    if person is None:
        raise NotFound()
    return person


def people(db: Session, client: Client) -> list[NetworkPerson]:
    """Everyone, closest first (names are encrypted, so they are sorted here)."""
    found = db.scalars(select(NetworkPerson).where(NetworkPerson.client_id == client.id))
    return sorted(found, key=lambda p: (-p.closeness, -p.trust, p.name.casefold(), p.id))


def grouped(found: list[NetworkPerson]) -> list[tuple[rules.Ring, list[NetworkPerson]]]:
    return [(ring, [p for p in found if p.ring == ring]) for ring in rules.RINGS]


# --- trust-building steps ---


def _screen_step(
    db: Session, step: TrustStep, client: Client, now: datetime, base_url: str
) -> TextScreening:
    words = "\n\n".join(w for w in (step.plan, step.what_happened) if w)
    kind, label = STEP_SOURCE
    result = screen_text(
        db,
        client=client,
        source_kind=kind,
        source_id=step.id,
        source_label=label,
        text=words,
        now=now,
        base_url=base_url,
    )
    step.screening_level = result.level
    step.screening_evidence = result.evidence
    return result


def plan_step(
    db: Session,
    *,
    client: Client,
    author: User,
    person_id: int,
    kind: str,
    size: str,
    plan: str,
    planned_on: str,
    now: datetime,
    base_url: str,
) -> tuple[TrustStep, TextScreening]:
    person = own_person(db, client, person_id)
    if kind not in rules.STEP_LABELS:
        raise Invalid("Please choose what kind of step this is.")
    sizes = {str(n): n for n, _ in rules.STEP_SIZES}
    if size not in sizes:
        raise Invalid("Please choose how big this step feels: small, medium or big.")
    plan = plan.strip()
    if len(plan) > MAX_STEP_PLAN:
        raise Invalid(f"Please keep your plan to {MAX_STEP_PLAN:,} characters or fewer.")
    day = parse_day(planned_on, "a day for this step")
    if abs((day - now.date()).days) > PLAN_WINDOW_DAYS:
        raise Invalid("Please choose a day within a year of today.")
    step = TrustStep(
        client_id=client.id,
        person_id=person.id,
        created_at=now,
        updated_at=now,
        kind=kind,
        size=sizes[size],
        plan=plan or None,
        planned_on=day,
        screening_level="none",
        screening_evidence=[],
    )
    db.add(step)
    db.flush()
    screening = _screen_step(db, step, client, now, base_url)
    _audit(
        db,
        author,
        client,
        "trust_step",
        step.id,
        "trust_step.create",
        now,
        {"person": person.id, "screening": screening.level},
    )
    return step, screening


def record_outcome(
    db: Session,
    *,
    client: Client,
    author: User,
    person_id: int,
    step_id: int,
    went: str,
    what_happened: str,
    trust_change: str,
    now: datetime,
    base_url: str,
) -> tuple[TrustStep, TextScreening]:
    step = own_step(db, client, person_id, step_id)
    went_value = parse_rating(went, "how it went", required=True)
    if trust_change not in dict(rules.TRUST_CHANGES):
        raise Invalid("Please choose whether your trust went up, down or stayed the same.")
    what_happened = what_happened.strip()
    if len(what_happened) > MAX_WHAT_HAPPENED:
        raise Invalid(f"Please keep what happened to {MAX_WHAT_HAPPENED:,} characters or fewer.")
    first = step.outcome_at is None
    step.went = went_value
    step.trust_change = trust_change
    step.what_happened = what_happened or None
    step.outcome_at = step.outcome_at or now
    step.updated_at = now
    screening = _screen_step(db, step, client, now, base_url)
    _audit(
        db,
        author,
        client,
        "trust_step",
        step.id,
        "trust_step.outcome" if first else "trust_step.outcome.update",
        now,
        {"went": went_value, "trust": trust_change, "screening": screening.level},
    )
    return step, screening


def own_step(db: Session, client: Client, person_id: int, step_id: int) -> TrustStep:
    step = db.scalar(
        select(TrustStep).where(
            TrustStep.id == step_id,
            TrustStep.person_id == person_id,
            TrustStep.client_id == client.id,
        )
    )
    if step is None:
        raise NotFound()
    return step


def steps_for(db: Session, client: Client, person_id: int | None = None) -> list[TrustStep]:
    """Steps in the order they were planned for (oldest first)."""
    query = select(TrustStep).where(TrustStep.client_id == client.id)
    if person_id is not None:
        query = query.where(TrustStep.person_id == person_id)
    return list(db.scalars(query.order_by(TrustStep.planned_on, TrustStep.id)))


def trend_for(steps: list[TrustStep]) -> rules.Trend:
    done = sorted((s for s in steps if s.outcome), key=lambda s: (s.planned_on, s.id))
    return rules.trust_trend([s.outcome for s in done if s.outcome])


def hint_for(steps: list[TrustStep]) -> str:
    done = sorted((s for s in steps if s.outcome), key=lambda s: (s.planned_on, s.id))
    return rules.next_step_hint(done[-1].outcome if done else None)


# --- the safety plan ---


@dataclass(frozen=True)
class PlanAdded:
    added: bool  # False when the plan already held exactly this entry
    version: int
    section: str


def plan_entry(person: NetworkPerson) -> plans.Entry:
    """How the person reads in the safety plan: name and who they are, with a phone
    number as a tap-to-call entry, or an email or other way written beside the name."""
    text = f"{person.name} ({person.relationship})"
    if person.reach_kind == rules.PHONE and person.reach:
        return plans.Entry(text, person.reach, plans.CALL_OR_TEXT)
    if person.reach_kind == rules.EMAIL and person.reach:
        text += f", email {person.reach}"
    elif person.reach_kind == rules.OTHER and person.reach:
        text += f", {person.reach}"
    return plans.Entry(text)


def add_to_safety_plan(
    db: Session, *, client: Client, author: User, person_id: int, section: str, now: datetime
) -> PlanAdded:
    """Add the person to a contact section of the plan, as a new plan version.

    Raises Invalid (nothing saved) when the plan's own rules refuse the entry, such as
    a section that is already full."""
    person = own_person(db, client, person_id)
    if section not in PLAN_SECTIONS:
        raise Invalid("Please choose which part of your safety plan to add them to.")
    current = plans.current_plan(db, client, actor=author, now=now)
    content = dict(current.content) if current else plans.new_plan_content(db, client)
    entry = plan_entry(person)
    if entry in content[section]:
        version = current.version if current else 0
        return PlanAdded(False, version, section)
    content[section] = (*content[section], entry)
    try:
        result = plans.save_plan(
            db,
            client=client,
            author=author,
            content=content,
            now=now,
            base_version=current.version if current else 0,
        )
    except plans.PlanInvalid as exc:
        title = plans.SPECS[section].title
        if any(p.index < 0 for p in exc.problems):
            raise Invalid(
                f"“{title}” in your safety plan is full ({plans.MAX_ENTRIES} entries). You "
                "can make room on the safety plan's own page."
            ) from exc
        raise Invalid(
            f"{person.name} couldn't be added to “{title}” as they are: "
            + " ".join(p.message for p in exc.problems)
        ) from exc
    person.plan_section = section
    person.plan_version = result.version
    _audit(
        db,
        author,
        client,
        "network_person",
        person.id,
        "network_person.add_to_plan",
        now,
        {"section": section, "plan_version": result.version},
    )
    return PlanAdded(True, result.version, section)


# --- for other tools ---


@dataclass(frozen=True)
class SafePerson:
    name: str
    relationship: str
    reach_kind: str
    reach: str | None
    signs: int
    call_href: str | None
    sms_href: str | None
    email_href: str | None


def network_summary(db: Session, client: Client) -> list[SafePerson]:
    """The client's safe people (at least SAFE_MIN_SIGNS of the five signs ticked),
    closest first, with how to reach them. For the relapse-prevention page; the caller
    records the read in the audit trail as part of its own page."""
    return [
        SafePerson(
            p.name,
            p.relationship,
            p.reach_kind,
            p.reach,
            p.score,
            p.call_href,
            p.sms_href,
            p.email_href,
        )
        for p in people(db, client)
        if p.safe
    ]
