"""Boundaries and assertive communication: DEAR MAN scripts, boundary plans, and a log
of practising them.

DEAR MAN — Describe, Express, Assert, Reinforce, (stay) Mindful, Appear confident,
Negotiate — is the interpersonal-effectiveness skill from Linehan's DBT skills training
(*DBT Skills Training Manual*, 2nd ed., 2015). The acronym and step names are hers;
every prompt, example and explanation here is Mend's own wording.

Everything the client writes is encrypted at rest and screened before commit. The
pure parts (the steps, the readable script) sit at the top and are table-tested.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from mend.practice.activation import PLAN_WINDOW_DAYS, parse_day, parse_rating
from mend.safety.screening import TextScreening, screen_text

MAX_TITLE = 120
MAX_STEP = 1_000
MAX_TEXT = 2_000
# (source_kind, how an alert names it) for each kind of writing.
SCRIPT_SOURCE = ("dear_man", "a DEAR MAN script")
PLAN_SOURCE = ("boundary_plan", "a boundary plan")
PRACTICE_SOURCE = ("boundary_practice", "a boundary practice note")

# --- pure: the DEAR MAN steps and the readable script ---

SAY = "say"  # the words spoken to the other person
HOW = "how"  # how to carry the conversation


@dataclass(frozen=True)
class Step:
    id: str
    letter: str
    name: str
    prompt: str
    example: str
    part: str  # SAY or HOW


STEPS: tuple[Step, ...] = (
    Step(
        "describe",
        "D",
        "Describe",
        "What happened? Stick to the facts, as a camera would have seen them — no judging words.",
        "“The last three times we met, you arrived about an hour late.”",
        SAY,
    ),
    Step(
        "express",
        "E",
        "Express",
        "How do you feel about it, or what do you think? Start with “I”.",
        "“I feel let down and a bit unimportant when I'm left waiting.”",
        SAY,
    ),
    Step(
        "assert",
        "A",
        "Assert",
        "What exactly are you asking for — or saying no to? Say it plainly; don't leave "
        "them to guess.",
        "“If you're going to be more than ten minutes late, please text me.”",
        SAY,
    ),
    Step(
        "reinforce",
        "R",
        "Reinforce",
        "What good will come of it, for them or for both of you?",
        "“Then I can enjoy our time together instead of stewing.”",
        SAY,
    ),
    Step(
        "mindful",
        "M",
        "Stay mindful",
        "If the conversation drifts or gets heated, what will you calmly come back to? "
        "You can repeat your request as many times as you need.",
        "Come back to: “I'd just like a text if you're running late.”",
        HOW,
    ),
    Step(
        "confident",
        "A",
        "Appear confident",
        "How will you come across as steady, even if you don't feel it? Think about your "
        "voice, how you stand or sit, where you look.",
        "Sit up, speak slowly, look at them, don't apologise for asking.",
        HOW,
    ),
    Step(
        "negotiate",
        "N",
        "Negotiate",
        "What could you offer or accept instead? What would a fair middle ground be?",
        "“Or we could meet somewhere I can wait comfortably, like the café.”",
        HOW,
    ),
)
STEP_IDS: tuple[str, ...] = tuple(s.id for s in STEPS)
REQUIRED_STEP = "assert"  # a script without an ask is not yet a script


@dataclass(frozen=True)
class ScriptView:
    say: list[str]  # what to say, in order
    how: list[tuple[str, str]]  # (step name, note) for carrying the conversation


def readable_script(steps: Mapping[str, str]) -> ScriptView:
    """The steps as something to read just before the conversation: what to say as one
    flowing run of lines, then how to carry it. Blank steps are left out."""
    say = [steps[s.id].strip() for s in STEPS if s.part == SAY and steps.get(s.id, "").strip()]
    how = [
        (s.name, steps[s.id].strip())
        for s in STEPS
        if s.part == HOW and steps.get(s.id, "").strip()
    ]
    return ScriptView(say, how)


def check_steps(title: str, steps: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    title = " ".join(title.split())
    if not title:
        raise Invalid("Please give the script a name, like “Asking Jo to be on time”.")
    if len(title) > MAX_TITLE:
        raise Invalid(f"Please keep the name to {MAX_TITLE} characters or fewer.")
    clean = {s.id: steps.get(s.id, "").strip() for s in STEPS}
    for s in STEPS:
        if len(clean[s.id]) > MAX_STEP:
            raise Invalid(f"Please keep “{s.name}” to {MAX_STEP:,} characters or fewer.")
    if not clean[REQUIRED_STEP]:
        raise Invalid(
            "Please fill in “Assert”: what you are asking for, or saying no to. The other "
            "steps can wait."
        )
    return title, clean


# --- tables ---


class DearManScript(Base):
    __tablename__ = "dear_man_scripts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    title: Mapped[str] = mapped_column(EncryptedText())
    steps: Mapped[dict[str, str]] = mapped_column(EncryptedJSON())
    screening_level: Mapped[str] = mapped_column(String(10), default="none")
    screening_evidence: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON(), default=list)

    @property
    def script(self) -> ScriptView:
        return readable_script(self.steps)


class BoundaryPlan(Base):
    __tablename__ = "boundary_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # "limit" is an SQL keyword, hence my_limit.
    my_limit: Mapped[str] = mapped_column(EncryptedText())
    how_to_say: Mapped[str] = mapped_column(EncryptedText())
    if_crossed: Mapped[str] = mapped_column(EncryptedText())
    screening_level: Mapped[str] = mapped_column(String(10), default="none")
    screening_evidence: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON(), default=list)


class BoundaryPractice(Base):
    __tablename__ = "boundary_practices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    script_id: Mapped[int | None] = mapped_column(
        ForeignKey("dear_man_scripts.id", ondelete="SET NULL"), index=True
    )
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("boundary_plans.id", ondelete="SET NULL"), index=True
    )
    practised_on: Mapped[date] = mapped_column(Date)
    went: Mapped[int] = mapped_column(Integer)
    what_happened: Mapped[str | None] = mapped_column(EncryptedText())
    try_next: Mapped[str | None] = mapped_column(EncryptedText())
    screening_level: Mapped[str] = mapped_column(String(10), default="none")
    screening_evidence: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON(), default=list)

    script: Mapped[DearManScript | None] = relationship(lazy="joined")
    plan: Mapped[BoundaryPlan | None] = relationship(lazy="joined")

    @property
    def about(self) -> str:
        if self.script is not None:
            return self.script.title
        if self.plan is not None:
            return self.plan.my_limit
        return ""


# --- use cases (the caller commits) ---


def _record(
    db: Session,
    author: User,
    client: Client,
    entity: str,
    entity_id: int,
    action: str,
    now: datetime,
    screening: str,
) -> None:
    audit.record(
        db,
        at=now,
        actor_id=author.id,
        organisation_id=client.organisation_id,
        action=f"{entity}.{action}",
        entity=entity,
        entity_id=entity_id,
        client_id=client.id,
        detail={"screening": screening},
    )


def _screen(
    db: Session,
    row: DearManScript | BoundaryPlan | BoundaryPractice,
    client: Client,
    kind: str,
    label: str,
    words: list[str | None],
    now: datetime,
    base_url: str,
) -> TextScreening:
    result = screen_text(
        db,
        client=client,
        source_kind=kind,
        source_id=row.id,
        source_label=label,
        text="\n\n".join(w for w in words if w),
        now=now,
        base_url=base_url,
    )
    row.screening_level = result.level
    row.screening_evidence = result.evidence
    return result


def save_script(
    db: Session,
    *,
    client: Client,
    author: User,
    title: str,
    steps: Mapping[str, str],
    now: datetime,
    base_url: str,
    script_id: int | None = None,
) -> tuple[DearManScript, TextScreening]:
    """Write a new script, or change one (`script_id`)."""
    title, clean = check_steps(title, steps)
    if script_id is None:
        script = DearManScript(
            client_id=client.id,
            created_at=now,
            title=title,
            steps=clean,
            screening_level="none",
            screening_evidence=[],
        )
        db.add(script)
        action = "create"
    else:
        script = own_script(db, client, script_id)
        script.title, script.steps = title, clean
        action = "update"
    script.updated_at = now
    db.flush()
    screening = _screen(
        db,
        script,
        client,
        *SCRIPT_SOURCE,
        [title, *clean.values()],
        now,
        base_url,
    )
    _record(db, author, client, "dear_man", script.id, action, now, screening.level)
    return script, screening


@dataclass(frozen=True)
class PlanInput:
    my_limit: str
    how_to_say: str
    if_crossed: str


def check_plan(my_limit: str, how_to_say: str, if_crossed: str) -> PlanInput:
    values = PlanInput(my_limit.strip(), how_to_say.strip(), if_crossed.strip())
    for value, what in (
        (values.my_limit, "your limit"),
        (values.how_to_say, "how you will say it"),
        (values.if_crossed, "what you will do if it's crossed"),
    ):
        if not value:
            raise Invalid(f"Please write {what} — a sentence is enough.")
        if len(value) > MAX_TEXT:
            raise Invalid(f"Please keep {what} to {MAX_TEXT:,} characters or fewer.")
    return values


def save_plan(
    db: Session,
    *,
    client: Client,
    author: User,
    my_limit: str,
    how_to_say: str,
    if_crossed: str,
    now: datetime,
    base_url: str,
    plan_id: int | None = None,
) -> tuple[BoundaryPlan, TextScreening]:
    values = check_plan(my_limit, how_to_say, if_crossed)
    if plan_id is None:
        plan = BoundaryPlan(
            client_id=client.id, created_at=now, screening_level="none", screening_evidence=[]
        )
        db.add(plan)
        action = "create"
    else:
        plan = own_plan(db, client, plan_id)
        action = "update"
    plan.my_limit, plan.how_to_say, plan.if_crossed = (
        values.my_limit,
        values.how_to_say,
        values.if_crossed,
    )
    plan.updated_at = now
    db.flush()
    screening = _screen(
        db,
        plan,
        client,
        *PLAN_SOURCE,
        [values.my_limit, values.how_to_say, values.if_crossed],
        now,
        base_url,
    )
    _record(db, author, client, "boundary_plan", plan.id, action, now, screening.level)
    return plan, screening


def log_practice(
    db: Session,
    *,
    client: Client,
    author: User,
    about: str,
    practised_on: str,
    went: str,
    what_happened: str,
    try_next: str,
    now: datetime,
    base_url: str,
) -> tuple[BoundaryPractice, TextScreening]:
    """`about` is "script-<id>", "plan-<id>" or "" (something not written down here)."""
    script_id = plan_id = None
    kind, _, raw_id = about.partition("-")
    if about:
        if kind not in ("script", "plan") or not raw_id.isdigit():
            raise Invalid("Please choose a script or plan from your list.")
        try:
            if kind == "script":
                script_id = own_script(db, client, int(raw_id)).id
            else:
                plan_id = own_plan(db, client, int(raw_id)).id
        except NotFound:
            raise Invalid("Please choose a script or plan from your list.") from None
    day = parse_day(practised_on, "the day you practised")
    if day > now.date():
        raise Invalid("That day hasn't come yet. Please choose today or an earlier day.")
    if (now.date() - day).days > PLAN_WINDOW_DAYS:
        raise Invalid("Please choose a day within the last year.")
    went_value = parse_rating(went, "how it went", required=True)
    assert went_value is not None
    what_happened, try_next = what_happened.strip(), try_next.strip()
    for value, what in ((what_happened, "what happened"), (try_next, "what to try next")):
        if len(value) > MAX_TEXT:
            raise Invalid(f"Please keep {what} to {MAX_TEXT:,} characters or fewer.")
    practice = BoundaryPractice(
        client_id=client.id,
        created_at=now,
        script_id=script_id,
        plan_id=plan_id,
        practised_on=day,
        went=went_value,
        what_happened=what_happened or None,
        try_next=try_next or None,
        screening_level="none",
        screening_evidence=[],
    )
    db.add(practice)
    db.flush()
    screening = _screen(
        db,
        practice,
        client,
        *PRACTICE_SOURCE,
        [what_happened, try_next],
        now,
        base_url,
    )
    _record(db, author, client, "boundary_practice", practice.id, "create", now, screening.level)
    return practice, screening


def own_script(db: Session, client: Client, script_id: int) -> DearManScript:
    script = db.scalar(
        select(DearManScript).where(
            DearManScript.id == script_id, DearManScript.client_id == client.id
        )
    )
    if script is None:
        raise NotFound()
    return script


def own_plan(db: Session, client: Client, plan_id: int) -> BoundaryPlan:
    plan = db.scalar(
        select(BoundaryPlan).where(BoundaryPlan.id == plan_id, BoundaryPlan.client_id == client.id)
    )
    if plan is None:
        raise NotFound()
    return plan


def scripts(db: Session, client: Client) -> list[DearManScript]:
    return list(
        db.scalars(
            select(DearManScript)
            .where(DearManScript.client_id == client.id)
            .order_by(DearManScript.updated_at.desc(), DearManScript.id.desc())
        )
    )


def boundary_plans(db: Session, client: Client) -> list[BoundaryPlan]:
    return list(
        db.scalars(
            select(BoundaryPlan)
            .where(BoundaryPlan.client_id == client.id)
            .order_by(BoundaryPlan.updated_at.desc(), BoundaryPlan.id.desc())
        )
    )


def practices(db: Session, client: Client) -> list[BoundaryPractice]:
    return list(
        db.scalars(
            select(BoundaryPractice)
            .where(BoundaryPractice.client_id == client.id)
            .order_by(BoundaryPractice.practised_on.desc(), BoundaryPractice.id.desc())
        )
    )
