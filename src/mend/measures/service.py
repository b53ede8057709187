"""Use cases for measurement: assign, find what is due, save answers, score, read history.

Answers are validated here against the instrument definition before anything is
stored, and a completed administration keeps the instrument version it was scored
with, so a later definition change never rewrites an old score.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mend.care.models import Client
from mend.identity.models import User
from mend.measures import schedule
from mend.measures.change import ChangeResult, classify_change
from mend.measures.definitions import Instrument, default_registry
from mend.measures.models import Administration, Assignment
from mend.measures.scoring import InvalidAnswers, Score, score
from mend.platform import audit
from mend.platform.errors import Invalid, NotFound

COMPLETED = "completed"
IN_PROGRESS = "in_progress"


def instrument(instrument_id: str) -> Instrument:
    try:
        return default_registry().get(instrument_id)
    except LookupError as exc:
        raise NotFound() from exc


def assign(
    db: Session,
    *,
    clinician: User,
    client: Client,
    instrument_id: str,
    interval_days: int | None,
    share_scores: bool,
    now: datetime,
) -> Assignment:
    try:
        definition = default_registry().get(instrument_id)
    except LookupError as exc:
        raise Invalid("Please choose a questionnaire from the list.") from exc
    problem = schedule.interval_problem(interval_days)
    if problem:
        raise Invalid(problem)
    assignment = Assignment(
        client_id=client.id,
        instrument_id=definition.id,
        assigned_by_id=clinician.id,
        interval_days=interval_days,
        starts_at=now,
        share_scores=share_scores,
        active=True,
        created_at=now,
    )
    db.add(assignment)
    db.flush()
    audit.record(
        db,
        at=now,
        actor_id=clinician.id,
        organisation_id=client.organisation_id,
        action="assignment.create",
        entity="assignment",
        entity_id=assignment.id,
        client_id=client.id,
        detail={"instrument": definition.id, "interval_days": interval_days},
    )
    return assignment


def end_assignment(
    db: Session, *, clinician: User, client: Client, assignment_id: int, now: datetime
) -> None:
    assignment = db.scalar(
        select(Assignment).where(Assignment.id == assignment_id, Assignment.client_id == client.id)
    )
    if assignment is None:
        raise NotFound()
    if not assignment.active:
        return
    assignment.active = False
    assignment.ended_at = now
    audit.record(
        db,
        at=now,
        actor_id=clinician.id,
        organisation_id=client.organisation_id,
        action="assignment.end",
        entity="assignment",
        entity_id=assignment.id,
        client_id=client.id,
    )


def assignments(db: Session, client: Client) -> list[Assignment]:
    return list(
        db.scalars(
            select(Assignment)
            .where(Assignment.client_id == client.id)
            .order_by(Assignment.active.desc(), Assignment.created_at.desc())
        )
    )


@dataclass(frozen=True)
class DueItem:
    assignment: Assignment
    instrument: Instrument
    due_at: datetime
    draft: Administration | None

    @property
    def answered(self) -> int:
        if self.draft is None:
            return 0
        return sum(1 for a in self.draft.answers if a is not None)


def due_items(db: Session, client: Client, now: datetime) -> list[DueItem]:
    active = list(
        db.scalars(
            select(Assignment)
            .where(Assignment.client_id == client.id, Assignment.active.is_(True))
            .order_by(Assignment.created_at)
        )
    )
    if not active:
        return []
    by_assignment: dict[int, list[Administration]] = defaultdict(list)
    for admin in db.scalars(
        select(Administration).where(Administration.assignment_id.in_([a.id for a in active]))
    ):
        assert admin.assignment_id is not None
        by_assignment[admin.assignment_id].append(admin)
    items = []
    registry = default_registry()
    for assignment in active:
        rows = by_assignment[assignment.id]
        completed = {r.due_at for r in rows if r.status == COMPLETED}
        due_at = schedule.due_occurrence(
            assignment.starts_at, assignment.interval_days, now, completed
        )
        if due_at is None:
            continue
        try:
            definition = registry.get(assignment.instrument_id)
        except LookupError:
            continue  # a local definition that was removed: nothing can be shown
        draft = next((r for r in rows if r.due_at == due_at and r.status == IN_PROGRESS), None)
        items.append(DueItem(assignment, definition, due_at, draft))
    return items


def due_item(db: Session, client: Client, assignment_id: int, now: datetime) -> DueItem:
    for item in due_items(db, client, now):
        if item.assignment.id == assignment_id:
            return item
    raise NotFound()


def parse_answers(definition: Instrument, raw: dict[str, str]) -> list[int | None]:
    """Answer codes in item order from submitted form fields `item-<number>`;
    a code that is not one of that item's options is refused."""
    answers: list[int | None] = []
    for item in definition.items:
        value = raw.get(f"item-{item.number}", "").strip()
        if value == "":
            answers.append(None)
            continue
        try:
            code = int(value)
        except ValueError as exc:
            raise Invalid(f"Question {item.number} has an answer Mend can't read.") from exc
        if code not in {o.code for o in definition.options[item.options]}:
            raise Invalid(f"Question {item.number} has an answer that isn't one of its choices.")
        answers.append(code)
    return answers


@dataclass(frozen=True)
class SaveResult:
    administration: Administration
    completed: bool
    missing: list[int]


def save_answers(
    db: Session,
    *,
    client: Client,
    actor: User,
    assignment_id: int,
    answers: list[int | None],
    submit: bool,
    now: datetime,
) -> SaveResult:
    """Keep the client's answers; when submitting a complete set, score and close it."""
    item = due_item(db, client, assignment_id, now)
    definition = item.instrument
    if len(answers) != len(definition.items):
        raise Invalid("The answers don't match this questionnaire. Please reload the page.")
    admin = item.draft
    if admin is None:
        admin = Administration(
            assignment_id=item.assignment.id,
            client_id=client.id,
            instrument_id=definition.id,
            instrument_version=definition.version,
            due_at=item.due_at,
            status=IN_PROGRESS,
            answers=list(answers),
            started_at=now,
            updated_at=now,
        )
        db.add(admin)
        try:
            with db.begin_nested():
                db.flush()
        except IntegrityError as exc:
            # The same form sent twice at once: the other request already started it.
            raise Invalid(
                "These answers were already being saved. Please reload the page."
            ) from exc
    else:
        admin.answers = list(answers)
        admin.updated_at = now
    missing = [it.number for it, a in zip(definition.items, answers, strict=True) if a is None]
    if submit:
        try:
            result = score(definition, answers)
        except InvalidAnswers as exc:
            raise Invalid(str(exc)) from exc
        if not result.complete:
            db.flush()
            audit.record(
                db,
                at=now,
                actor_id=actor.id,
                organisation_id=client.organisation_id,
                action="administration.save",
                entity="administration",
                entity_id=admin.id,
                client_id=client.id,
            )
            return SaveResult(admin, False, missing)
        _apply_score(admin, result, definition)
        admin.status = COMPLETED
        admin.completed_at = now
    db.flush()
    audit.record(
        db,
        at=now,
        actor_id=actor.id,
        organisation_id=client.organisation_id,
        action="administration.complete" if admin.status == COMPLETED else "administration.save",
        entity="administration",
        entity_id=admin.id,
        client_id=client.id,
    )
    return SaveResult(admin, admin.status == COMPLETED, missing)


def _apply_score(admin: Administration, result: Score, definition: Instrument) -> None:
    admin.instrument_version = definition.version
    admin.total = None if result.total is None else float(result.total)
    admin.band = result.band
    admin.subscales = {k: dict(v) for k, v in result.to_json_dict()["subscales"].items()}
    admin.flags = list(result.to_json_dict()["flags"])


def completed_history(db: Session, client: Client) -> dict[str, list[Administration]]:
    """Completed administrations per instrument, oldest first."""
    history: dict[str, list[Administration]] = defaultdict(list)
    for admin in db.scalars(
        select(Administration)
        .where(Administration.client_id == client.id, Administration.status == COMPLETED)
        .order_by(Administration.completed_at, Administration.id)
    ):
        history[admin.instrument_id].append(admin)
    return dict(history)


@dataclass(frozen=True)
class ScoredPoint:
    administration: Administration
    change: ChangeResult | None


def with_change(definition: Instrument, administrations: list[Administration]) -> list[ScoredPoint]:
    """Each score classified against the first (baseline) score, Jacobson–Truax."""
    if not administrations:
        return []
    baseline = administrations[0].total
    points = []
    for i, admin in enumerate(administrations):
        change = None
        if i > 0 and baseline is not None and admin.total is not None:
            result = classify_change(definition, baseline, admin.total)
            # Instruments without published reliability parameters are not classified.
            change = result if result.category is not None else None
        points.append(ScoredPoint(admin, change))
    return points
