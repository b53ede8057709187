"""Behavioural activation: small activities the client plans, does and rates.

Tables live here (like safety/plans.py) so the tool can change without touching the
journal. Titles and notes are the client's own words: encrypted at rest and screened
before every commit, like the journal. The care team can read activities (the client
is told so on the page); the rules that summarise them are in activation_rules.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from mend.care.models import Client
from mend.identity.models import User
from mend.platform import audit
from mend.platform.crypto import EncryptedJSON, EncryptedText
from mend.platform.db import Base, UTCDateTime
from mend.platform.errors import Invalid, NotFound
from mend.practice import activation_rules as rules
from mend.practice.checkins import CheckIn
from mend.safety.screening import TextScreening, screen_text

MAX_TITLE = 200
MAX_NOTE = 2_000
SOURCE_KIND = "activity"
SOURCE_LABEL = "a planned activity"
# How far from today a plan may be dated: far enough for any real plan, near enough
# that a typo in the year is caught.
PLAN_WINDOW_DAYS = 366


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    hint: str


CATEGORIES: tuple[Category, ...] = (
    Category("connection", "Connection", "Time with people: a message, a call, a coffee."),
    Category("movement", "Movement", "A walk, a stretch, dancing in the kitchen."),
    Category("mastery", "Getting things done", "A small task that leaves you feeling capable."),
    Category("pleasure", "Enjoyment", "Something you like, just because you like it."),
    Category("self_care", "Looking after myself", "Food, rest, a shower, fresh air."),
    Category("values", "What matters to me", "Something that fits the person you want to be."),
)
CATEGORY_LABELS: dict[str, str] = {c.id: c.label for c in CATEGORIES}
TIMES_OF_DAY: tuple[tuple[str, str], ...] = (
    ("morning", "Morning"),
    ("afternoon", "Afternoon"),
    ("evening", "Evening"),
)
TIME_LABELS: dict[str, str] = dict(TIMES_OF_DAY)


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_client_planned", "client_id", "planned_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    title: Mapped[str] = mapped_column(EncryptedText())
    category: Mapped[str] = mapped_column(String(20))
    planned_on: Mapped[date] = mapped_column(Date)
    time_of_day: Mapped[str | None] = mapped_column(String(10))
    done_on: Mapped[date | None] = mapped_column(Date)
    mastery: Mapped[int | None] = mapped_column(Integer)
    pleasure: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(EncryptedText())
    screening_level: Mapped[str] = mapped_column(String(10), default="none")
    screening_evidence: Mapped[list[dict[str, Any]]] = mapped_column(EncryptedJSON(), default=list)

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)

    @property
    def time_label(self) -> str:
        return TIME_LABELS.get(self.time_of_day or "", "")

    @property
    def facts(self) -> rules.ActivityFacts:
        return rules.ActivityFacts(
            self.planned_on, self.done_on, self.mastery, self.pleasure, self.category
        )


# --- checking what was typed ---


def parse_day(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(f"Please choose {what} (for example {date(2026, 3, 2):%Y-%m-%d}).") from None


def parse_rating(value: str, what: str, *, required: bool = False) -> int | None:
    """A 0–10 rating from a form: a whole number in range, or None when left blank."""
    value = value.strip()
    if not value:
        if required:
            raise Invalid(f"Please choose a number from 0 to 10 for {what}.")
        return None
    if not value.isdigit() or not rules.RATING_MIN <= int(value) <= rules.RATING_MAX:
        raise Invalid(f"Please choose a whole number from 0 to 10 for {what}.")
    return int(value)


@dataclass(frozen=True)
class PlanInput:
    title: str
    category: str
    planned_on: date
    time_of_day: str | None


def check_plan(
    title: str, category: str, planned_on: str, time_of_day: str, today: date
) -> PlanInput:
    title = " ".join(title.split())
    if not title:
        raise Invalid("Please say what you'd like to do — a few words is plenty.")
    if len(title) > MAX_TITLE:
        raise Invalid(f"Please keep the activity to {MAX_TITLE} characters or fewer.")
    if category not in CATEGORY_LABELS:
        raise Invalid("Please choose what kind of activity this is.")
    day = parse_day(planned_on, "the day you plan to do it")
    if abs((day - today).days) > PLAN_WINDOW_DAYS:
        raise Invalid("Please choose a day within a year of today.")
    if time_of_day and time_of_day not in TIME_LABELS:
        raise Invalid("Please choose morning, afternoon or evening, or leave it open.")
    return PlanInput(title, category, day, time_of_day or None)


# --- use cases (the caller commits) ---


def _screen(
    db: Session, activity: Activity, client: Client, now: datetime, base_url: str
) -> TextScreening:
    words = activity.title + ("\n\n" + activity.note if activity.note else "")
    result = screen_text(
        db,
        client=client,
        source_kind=SOURCE_KIND,
        source_id=activity.id,
        source_label=SOURCE_LABEL,
        text=words,
        now=now,
        base_url=base_url,
    )
    activity.screening_level = result.level
    activity.screening_evidence = result.evidence
    return result


def _audit(
    db: Session,
    author: User,
    client: Client,
    activity: Activity,
    action: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        db,
        at=now,
        actor_id=author.id,
        organisation_id=client.organisation_id,
        action=f"activity.{action}",
        entity="activity",
        entity_id=activity.id,
        client_id=client.id,
        detail=detail,
    )


def plan_activity(
    db: Session,
    *,
    client: Client,
    author: User,
    title: str,
    category: str,
    planned_on: str,
    time_of_day: str,
    now: datetime,
    base_url: str,
) -> tuple[Activity, TextScreening]:
    checked = check_plan(title, category, planned_on, time_of_day, now.date())
    activity = Activity(
        client_id=client.id,
        created_at=now,
        updated_at=now,
        title=checked.title,
        category=checked.category,
        planned_on=checked.planned_on,
        time_of_day=checked.time_of_day,
        screening_level="none",
        screening_evidence=[],
    )
    db.add(activity)
    db.flush()
    screening = _screen(db, activity, client, now, base_url)
    _audit(db, author, client, activity, "create", now, {"screening": screening.level})
    return activity, screening


def update_activity(
    db: Session,
    *,
    client: Client,
    author: User,
    activity_id: int,
    title: str,
    category: str,
    planned_on: str,
    time_of_day: str,
    now: datetime,
    base_url: str,
) -> tuple[Activity, TextScreening]:
    activity = own_activity(db, client, activity_id)
    checked = check_plan(title, category, planned_on, time_of_day, now.date())
    activity.title = checked.title
    activity.category = checked.category
    activity.planned_on = checked.planned_on
    activity.time_of_day = checked.time_of_day
    activity.updated_at = now
    screening = _screen(db, activity, client, now, base_url)
    _audit(db, author, client, activity, "update", now, {"screening": screening.level})
    return activity, screening


def mark_done(
    db: Session,
    *,
    client: Client,
    author: User,
    activity_id: int,
    done_on: str,
    mastery: str,
    pleasure: str,
    note: str,
    now: datetime,
    base_url: str,
) -> tuple[Activity, TextScreening]:
    activity = own_activity(db, client, activity_id)
    day = parse_day(done_on, "the day you did it")
    if day > now.date():
        raise Invalid("That day hasn't come yet. Please choose today or an earlier day.")
    if (now.date() - day).days > PLAN_WINDOW_DAYS:
        raise Invalid("Please choose a day within the last year.")
    mastery_value = parse_rating(mastery, "achievement")
    pleasure_value = parse_rating(pleasure, "enjoyment")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise Invalid(f"Please keep the note to {MAX_NOTE:,} characters or fewer.")
    activity.done_on = day
    activity.mastery = mastery_value
    activity.pleasure = pleasure_value
    activity.note = note or None
    activity.updated_at = now
    screening = _screen(db, activity, client, now, base_url)
    _audit(
        db,
        author,
        client,
        activity,
        "done",
        now,
        {"mastery": mastery_value, "pleasure": pleasure_value, "screening": screening.level},
    )
    return activity, screening


def mark_not_done(
    db: Session, *, client: Client, author: User, activity_id: int, now: datetime
) -> Activity:
    """Undo "done" (a mis-tap): the ratings and note go with it."""
    activity = own_activity(db, client, activity_id)
    if activity.done_on is not None:
        activity.done_on = None
        activity.mastery = None
        activity.pleasure = None
        activity.note = None
        activity.updated_at = now
        _audit(db, author, client, activity, "undone", now)
    return activity


def delete_activity(
    db: Session, *, client: Client, author: User, activity_id: int, now: datetime
) -> None:
    activity = own_activity(db, client, activity_id)
    _audit(db, author, client, activity, "delete", now)
    db.delete(activity)
    db.flush()


def own_activity(db: Session, client: Client, activity_id: int) -> Activity:
    activity = db.scalar(
        select(Activity).where(Activity.id == activity_id, Activity.client_id == client.id)
    )
    if activity is None:
        raise NotFound()
    return activity


def activities_between(db: Session, client: Client, first: date, last: date) -> list[Activity]:
    """Activities planned from `first` to `last` inclusive, in the order of the day."""
    found = db.scalars(
        select(Activity)
        .where(
            Activity.client_id == client.id,
            Activity.planned_on >= first,
            Activity.planned_on <= last,
        )
        .order_by(Activity.planned_on, Activity.id)
    )
    order = {key: i for i, (key, _) in enumerate(TIMES_OF_DAY)}
    # Morning before afternoon before evening; open-time plans last within their day.
    return sorted(found, key=lambda a: (a.planned_on, order.get(a.time_of_day or "", 9), a.id))


def done_between(db: Session, client: Client, first: date, last: date) -> list[Activity]:
    """Activities done from `first` to `last` (by the day they were done)."""
    return list(
        db.scalars(
            select(Activity)
            .where(
                Activity.client_id == client.id,
                Activity.done_on >= first,
                Activity.done_on <= last,
            )
            .order_by(Activity.done_on, Activity.id)
        )
    )


# --- mood from the daily check-ins ---


# The check-ins tool (practice/checkins.py) is built alongside this one. Reading its
# table by name rather than importing its model keeps this module working before it
# lands (and on a database without it); switch this to its model once both are
# merged. Its model names the table "check_ins"; the brief named it "checkins".
def moods_between(db: Session, client: Client, first: date, last: date) -> list[tuple[date, int]]:
    """(day, mood 0–10) for every daily check-in from `first` to `last`."""
    start = datetime.combine(first, time(), tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC)
    rows = db.execute(
        select(CheckIn.created_at, CheckIn.mood)
        .where(
            CheckIn.client_id == client.id, CheckIn.created_at >= start, CheckIn.created_at < end
        )
        .order_by(CheckIn.created_at)
    )
    return [(at.date(), int(mood)) for at, mood in rows]


def day_points(db: Session, client: Client, first: date, last: date) -> list[rules.DayPoint]:
    done = done_between(db, client, first, last)
    return rules.daily_points(
        (a.done_on for a in done if a.done_on is not None),
        moods_between(db, client, first, last),
        first,
        last,
    )
