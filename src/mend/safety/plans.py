"""Safety plans, co-written by a client and their clinician.

The plan follows the structure of the Stanley–Brown safety planning intervention
(its steps, in order, plus reasons for living); every title and prompt is Mend's own
wording, because the published form's text is copyrighted while the method is free.

Every save adds a version and nothing is overwritten, so the history can always show
who changed what. The whole plan is one encrypted JSON document per version: it is
some of the most sensitive writing a person does, and it is always read whole.

Tables live here rather than in safety/models.py so that plans can change without
touching the alert tables (and vice versa).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from mend.care import access
from mend.care.models import Client
from mend.identity.models import Organisation, User
from mend.platform import audit
from mend.platform.clock import SystemClock
from mend.platform.crypto import EncryptedJSON
from mend.platform.db import Base, UTCDateTime
from mend.platform.errors import Invalid, NotFound
from mend.web.crisis import RESOURCES, CrisisLine, resources_for

# --- the sections, in Mend's own words ---

TEXT = "text"
CONTACT = "contact"

# How a number can be reached. Crisis text lines cannot take calls and some helplines
# cannot take texts: a "Call" button that cannot connect is worse than none.
CALL_OR_TEXT = "call_text"
CALL_ONLY = "call"
TEXT_ONLY = "text"
REACH_CHOICES: tuple[tuple[str, str], ...] = (
    (CALL_OR_TEXT, "Call or text"),
    (CALL_ONLY, "Call only"),
    (TEXT_ONLY, "Text only"),
)

MAX_ENTRY_CHARS = 300
MAX_ENTRIES = 12
MIN_PHONE_DIGITS = 3
MAX_PHONE_DIGITS = 20
MAX_PHONE_CHARS = 40
CONTENT_FORMAT = 1
SOURCE_KIND = "safety_plan"  # what a client writes in their plan is screened as this


@dataclass(frozen=True)
class SectionSpec:
    id: str
    title: str
    prompt: str
    kind: str  # TEXT or CONTACT
    noun: str  # what one entry is called, for labels and messages


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "warning_signs",
        "Signs that a hard time is starting",
        "What do you notice when things begin to slide? It might be a thought that keeps "
        "coming back, a feeling in your body, a time of day, a place, or something you "
        "find yourself doing or not doing.",
        TEXT,
        "Sign",
    ),
    SectionSpec(
        "coping",
        "Things I can do on my own",
        "Small things that help you ride out a difficult moment without needing anyone "
        "else: moving your body, music, a shower, slow breathing, holding something cold, "
        "a game, a favourite film. Whatever has helped before, even a little.",
        TEXT,
        "Thing I can do",
    ),
    SectionSpec(
        "distractions",
        "People and places that take my mind off things",
        "People you can simply be around, and places you can go, that help you feel less "
        "alone without having to talk about how you feel: a friend's kitchen, a café, "
        "the library, a class, a place of worship.",
        CONTACT,
        "Person or place",
    ),
    SectionSpec(
        "helpers",
        "People I can reach out to",
        "People you trust enough to tell that you are struggling and ask for help. "
        "Add their number so you can call or text them in one tap. If someone has hurt "
        "you, you do not need to include them.",
        CONTACT,
        "Person",
    ),
    SectionSpec(
        "professionals",
        "Professional help, day or night",
        "Your clinician, your doctor, and services that answer any time. We have added "
        "the crisis lines for where you live; you can change them or add your own.",
        CONTACT,
        "Service or professional",
    ),
    SectionSpec(
        "safe_environment",
        "Making my surroundings safer",
        "Ways to put time and distance between you and anything you might use to hurt "
        "yourself when things are at their worst: what could be locked away or kept "
        "elsewhere, and who could help with that. Your clinician can think this through "
        "with you.",
        TEXT,
        "Step",
    ),
    SectionSpec(
        "reasons",
        "What I am living for",
        "People, pets, plans, hopes, values, small joys: anything that matters to you, "
        "however big or small. These can be the first thing to read when things are hard.",
        TEXT,
        "Reason",
    ),
)
SECTION_IDS: tuple[str, ...] = tuple(s.id for s in SECTIONS)
SPECS: dict[str, SectionSpec] = {s.id: s for s in SECTIONS}


# --- entries: pure rules, no database ---

_PHONE_CHARS = re.compile(r"^[0-9+\-() ]+$")
_SPACES = re.compile(r"\s+")
_NUMBER_IN_TEXT = re.compile(r"\+?[0-9][0-9 ()\-]*[0-9]|[0-9]")


def _tidy(value: str) -> str:
    return _SPACES.sub(" ", value).strip()


@dataclass(frozen=True)
class Entry:
    """One line of a plan. `phone` and `reach` only mean something in contact sections."""

    text: str
    phone: str | None = None
    reach: str = CALL_OR_TEXT

    @property
    def _dial(self) -> str:
        # Keep an international "+"; drop the spaces, dashes and brackets people type.
        phone = self.phone or ""
        digits = re.sub(r"[^0-9]", "", phone)
        return ("+" if phone.startswith("+") else "") + digits

    @property
    def call_href(self) -> str | None:
        return f"tel:{self._dial}" if self.phone and self.reach != TEXT_ONLY else None

    @property
    def sms_href(self) -> str | None:
        return f"sms:{self._dial}" if self.phone and self.reach != CALL_ONLY else None

    @property
    def label(self) -> str:
        """The entry as one line of text (history and diffs)."""
        return f"{self.text} ({self.phone})" if self.phone else self.text

    def to_json(self) -> dict[str, Any]:
        if self.phone is None:
            return {"text": self.text}
        return {"text": self.text, "phone": self.phone, "reach": self.reach}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Entry:
        phone = data.get("phone")
        return cls(
            str(data.get("text", "")),
            str(phone) if phone else None,
            str(data.get("reach", CALL_OR_TEXT)),
        )


Content = dict[str, tuple[Entry, ...]]


@dataclass(frozen=True)
class Problem:
    """Something wrong with what was typed, said plainly, and where it is."""

    section: str
    index: int  # the row within the section (0-based); -1 for the section as a whole
    field: str  # "text", "phone", "reach", or "" for the section as a whole
    message: str

    @property
    def field_id(self) -> str:
        if self.index < 0:
            return f"section-{self.section}"
        return f"{self.section}-{self.index}-{self.field}"


def make_entry(
    spec: SectionSpec, index: int, text: str, phone: str = "", reach: str = CALL_OR_TEXT
) -> tuple[Entry | None, list[Problem]]:
    """Tidy one row and check it. A row left blank is no entry and no problem."""
    text = _tidy(text)
    phone = _tidy(phone) if spec.kind == CONTACT else ""
    if not text and not phone:
        return None, []
    problems: list[Problem] = []
    what = f"{spec.noun} {index + 1} in “{spec.title}”"
    if len(text) > MAX_ENTRY_CHARS:
        problems.append(
            Problem(
                spec.id,
                index,
                "text",
                f"{what} is {len(text)} characters long. Please keep each entry to "
                f"{MAX_ENTRY_CHARS} characters or fewer.",
            )
        )
    if phone:
        digits = sum(c.isdigit() for c in phone)
        if (
            len(phone) > MAX_PHONE_CHARS
            or not _PHONE_CHARS.match(phone)
            or not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS
        ):
            problems.append(
                Problem(
                    spec.id,
                    index,
                    "phone",
                    f"The phone number for {what} doesn't look right. Please use digits, "
                    f"with spaces, +, - or brackets if you like "
                    f"({MIN_PHONE_DIGITS} to {MAX_PHONE_DIGITS} digits).",
                )
            )
        if not text:
            problems.append(
                Problem(
                    spec.id,
                    index,
                    "text",
                    f"Please add a name for the number {phone} in “{spec.title}”, so you "
                    "know who you are reaching.",
                )
            )
        if reach not in dict(REACH_CHOICES):
            problems.append(
                Problem(
                    spec.id,
                    index,
                    "reach",
                    f"Please choose how to reach {what}: call, text, or both.",
                )
            )
    if problems:
        return None, problems
    if not phone:
        # Without a number "how to reach" means nothing; keep it out of comparisons.
        return Entry(text), []
    return Entry(text, phone, reach), []


def check_content(content: Mapping[str, Sequence[Entry]]) -> tuple[Content, list[Problem]]:
    """Every section tidied and checked; the same rules for forms and for code."""
    unknown = set(content) - set(SECTION_IDS)
    if unknown:
        raise Invalid(f"Unknown safety plan sections: {', '.join(sorted(unknown))}.")
    clean: Content = {}
    problems: list[Problem] = []
    for spec in SECTIONS:
        entries: list[Entry] = []
        for index, entry in enumerate(content.get(spec.id, ())):
            made, found = make_entry(spec, index, entry.text, entry.phone or "", entry.reach)
            problems.extend(found)
            if made is not None:
                entries.append(made)
        if len(entries) > MAX_ENTRIES:
            problems.append(
                Problem(
                    spec.id,
                    -1,
                    "",
                    f"“{spec.title}” can hold up to {MAX_ENTRIES} entries. Please keep the "
                    "ones that matter most.",
                )
            )
        clean[spec.id] = tuple(entries)
    return clean, problems


def new_words(before: Content, after: Content) -> list[tuple[str, str]]:
    """(section id, words) for each entry of `after` whose words its section in `before`
    did not have: what was written in this save, which is what gets screened."""
    found: list[tuple[str, str]] = []
    for s in SECTION_IDS:
        old = {_tidy(e.text) for e in before.get(s, ())}
        found.extend(
            (s, e.text) for e in after.get(s, ()) if _tidy(e.text) and _tidy(e.text) not in old
        )
    return found


def source_label(section_id: str) -> str:
    """How an alert names the part of a safety plan its words came from."""
    return f"their safety plan ({SPECS[section_id].title})"


def empty_content() -> Content:
    return {s.id: () for s in SECTIONS}


def changed_sections(before: Content, after: Content) -> list[str]:
    """Section ids whose entries differ, in plan order."""
    return [s for s in SECTION_IDS if before.get(s, ()) != after.get(s, ())]


def _number_as_written(text: str, digits: str) -> str:
    """The number as the crisis line's own link text writes it ("1-800-668-6868")."""
    for match in _NUMBER_IN_TEXT.findall(text):
        if re.sub(r"[^0-9]", "", match) == digits:
            return str(match)
    return digits


def crisis_entries(locale: str | None) -> tuple[Entry, ...]:
    """The crisis lines for a country and its emergency number, as plan entries: the
    same lines every client page shows for that country (web.crisis)."""
    resources = resources_for(locale)
    # Lines sharing a number ("call 988", "text 988") become one entry with both buttons.
    by_number: dict[str, list[CrisisLine]] = {}
    for line in resources.lines:
        target = line.href.partition(":")[2].split("?", 1)[0]
        by_number.setdefault(_digits(target), []).append(line)
    entries: list[Entry] = []
    for digits, lines in by_number.items():
        schemes = {line.href.partition(":")[0] for line in lines}
        if schemes >= {"tel", "sms"}:
            reach = CALL_OR_TEXT
        elif "sms" in schemes:
            reach = TEXT_ONLY
        else:
            reach = CALL_ONLY
        written = _number_as_written(" ".join(line.link_text for line in lines), digits)
        entries.append(Entry(f"{lines[0].name}: {lines[0].how}", written, reach))
    number = resources.emergency_number
    entries.append(
        Entry(
            f"Emergency services: call {number} if you are in danger right now.", number, CALL_ONLY
        )
    )
    return tuple(entries)


def starter_content(locale: str | None) -> Content:
    """A new plan: every section empty except professional help, which starts with the
    crisis lines for the organisation's locale and the emergency number. They are
    ordinary entries, so the client and clinician can change them like any other."""
    content = empty_content()
    content["professionals"] = crisis_entries(locale)
    return content


def _digits(value: str) -> str:
    return re.sub(r"[^0-9]", "", value)


def localised(content: Content, locale: str | None) -> Content:
    """The plan as shown where the organisation is now. A crisis or emergency number of
    another country, and not of this one, gives way to this country's lines (a "Call"
    button that cannot connect is worse than none: after a move to the United Kingdom,
    988, 741741 and 911 become Samaritans, Shout, NHS 111 and 999). Only professional
    help is touched, where new plans keep the lines; everything else stays as written."""
    here = crisis_entries(locale)
    here_numbers = {_digits(e.phone or "") for e in here}
    elsewhere = {
        _digits(e.phone or "") for code in RESOURCES for e in crisis_entries(code)
    } - here_numbers
    kept: list[Entry] = []
    first_dropped: int | None = None
    for entry in content.get("professionals", ()):
        if entry.phone and _digits(entry.phone) in elsewhere:
            first_dropped = len(kept) if first_dropped is None else first_dropped
            continue
        kept.append(entry)
    if first_dropped is None:
        return content
    present = {_digits(e.phone or "") for e in kept}
    kept[first_dropped:first_dropped] = [e for e in here if _digits(e.phone or "") not in present]
    return {**content, "professionals": tuple(kept)}


def _encode(content: Content) -> dict[str, Any]:
    return {
        "format": CONTENT_FORMAT,
        "sections": {s: [e.to_json() for e in content.get(s, ())] for s in SECTION_IDS},
    }


def _decode(data: Mapping[str, Any] | None) -> Content:
    sections = (data or {}).get("sections", {})
    return {s: tuple(Entry.from_json(e) for e in sections.get(s, [])) for s in SECTION_IDS}


# --- tables ---


class SafetyPlan(Base):
    """One per client; its versions hold the words."""

    __tablename__ = "safety_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), unique=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Deliberately not a foreign key: plans and versions would then reference each
    # other, making creating and clearing the tables order-dependent. save_plan sets it
    # in the same transaction as the version it points to.
    current_version_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SafetyPlanVersion(Base):
    """A whole plan as saved by one person at one moment. Never updated."""

    __tablename__ = "safety_plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("safety_plans.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author_role: Mapped[str] = mapped_column(String(20))
    content: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON())
    # Section ids only (no health information), so it is stored in the clear.
    change_summary: Mapped[list[str]] = mapped_column(JSON)

    author: Mapped[User] = relationship(lazy="joined")


# --- what pages see ---


@dataclass(frozen=True)
class SectionView:
    id: str
    number: int
    title: str
    prompt: str
    kind: str
    noun: str
    entries: tuple[Entry, ...]

    @property
    def is_contact(self) -> bool:
        return self.kind == CONTACT


def section_views(content: Content) -> list[SectionView]:
    return [
        SectionView(s.id, n, s.title, s.prompt, s.kind, s.noun, content.get(s.id, ()))
        for n, s in enumerate(SECTIONS, start=1)
    ]


@dataclass(frozen=True)
class PlanView:
    plan_id: int
    version: int
    updated_at: datetime
    updated_by: str
    updated_by_id: int
    updated_by_role: str
    sections: list[SectionView]

    @property
    def content(self) -> Content:
        return {s.id: s.entries for s in self.sections}

    @property
    def is_empty(self) -> bool:
        return not any(s.entries for s in self.sections)


@dataclass(frozen=True)
class SectionChange:
    id: str
    title: str
    added: list[Entry]
    removed: list[Entry]

    @property
    def reordered(self) -> bool:
        return not self.added and not self.removed


@dataclass(frozen=True)
class VersionView:
    number: int
    created_at: datetime
    author_id: int
    author_name: str
    author_role: str
    changes: list[SectionChange]

    @property
    def changed_titles(self) -> list[str]:
        return [c.title for c in self.changes]


@dataclass(frozen=True)
class SaveResult:
    created: bool  # False when nothing had changed, so no version was added
    version: int
    changed: list[str]
    # The other person's name, when their save landed while this one was being written
    # and the two changed different sections (both are kept).
    merged_with: str | None = None


class PlanInvalid(Invalid):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(" ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class PlanConflict(Exception):
    """Both people changed the same section differently since the editor opened the plan.
    Nothing is saved; `merged` holds the editor's changes on top of the newest version
    (their own words in the conflicting sections) so they can look and save again."""

    sections: list[str]
    current: PlanView
    merged: Content = field(repr=False)


# --- use cases (the caller commits) ---


def _authorise(db: Session, actor: User, client: Client) -> None:
    # The routes already check; this keeps a mistaken caller from reaching another
    # person's plan, since access.py is the one rule for who sees which client.
    if db.scalar(access.visible_clients(actor).where(Client.id == client.id)) is None:
        raise NotFound()


def _plan(db: Session, client: Client) -> SafetyPlan | None:
    return db.scalar(select(SafetyPlan).where(SafetyPlan.client_id == client.id))


def _current(db: Session, plan: SafetyPlan | None) -> SafetyPlanVersion | None:
    if plan is None or plan.current_version_id is None:
        return None
    return db.get(SafetyPlanVersion, plan.current_version_id)


def _locale(db: Session, client: Client) -> str | None:
    organisation = db.get(Organisation, client.organisation_id)
    return organisation.locale if organisation else None


def _view(plan: SafetyPlan, version: SafetyPlanVersion, locale: str | None) -> PlanView:
    return PlanView(
        plan_id=plan.id,
        version=version.number,
        updated_at=version.created_at,
        updated_by=version.author.name,
        updated_by_id=version.author_id,
        updated_by_role=version.author_role,
        sections=section_views(localised(_decode(version.content), locale)),
    )


def _audit(
    db: Session,
    *,
    actor: User,
    client: Client,
    plan: SafetyPlan,
    action: str,
    now: datetime,
    detail: dict[str, Any],
) -> None:
    audit.record(
        db,
        at=now,
        actor_id=actor.id,
        organisation_id=client.organisation_id,
        action=action,
        entity="safety_plan",
        entity_id=plan.id,
        client_id=client.id,
        detail=detail,
    )


def current_plan(
    db: Session, client: Client, *, actor: User | None = None, now: datetime | None = None
) -> PlanView | None:
    """The plan as it stands, or None if nobody has saved one yet. Records the read.

    `actor` defaults to the client themself and `now` to the system clock, for pages
    on the client's own side; every other caller should pass both."""
    reader = actor or client.user
    _authorise(db, reader, client)
    plan = _plan(db, client)
    version = _current(db, plan)
    if plan is None or version is None:
        return None
    _audit(
        db,
        actor=reader,
        client=client,
        plan=plan,
        action="safety_plan.read",
        now=now or SystemClock().now(),
        detail={"version": version.number},
    )
    return _view(plan, version, _locale(db, client))


def saved_content(db: Session, client: Client) -> tuple[int | None, Content]:
    """The plan's id and its words as the editor showed them (a new plan's starting
    words when there is none; see `localised`), to compare a save with. Not a read
    shown to anyone, so not audited."""
    plan = _plan(db, client)
    version = _current(db, plan)
    if plan is None or version is None:
        return None, new_plan_content(db, client)
    return plan.id, localised(_decode(version.content), _locale(db, client))


def new_plan_content(db: Session, client: Client) -> Content:
    """What an editor starts from before the first save."""
    return starter_content(_locale(db, client))


def _merge(base: Content, mine: Content, theirs: Content) -> tuple[Content, list[str]]:
    """Three-way merge, a section at a time: a section only one side changed takes that
    side's words; a section both changed the same way is fine; one both changed
    differently is a conflict (and keeps the editor's words for them to review)."""
    merged: Content = {}
    conflicts: list[str] = []
    for s in SECTION_IDS:
        b, m, t = base.get(s, ()), mine.get(s, ()), theirs.get(s, ())
        if m != b and t != b and m != t:
            conflicts.append(s)
        merged[s] = m if m != b else t
    return merged, conflicts


def save_plan(
    db: Session,
    *,
    client: Client,
    author: User,
    content: Mapping[str, Sequence[Entry]],
    now: datetime,
    base_version: int | None = None,
) -> SaveResult:
    """Save the plan as a new version, unless nothing changed.

    `base_version` is the version the editor started from (0 for a plan not yet
    saved). If someone else saved since, their changes are kept: sections only one
    person changed are merged, and a section both changed differently raises
    PlanConflict with nothing saved. Without it, the content simply becomes current.
    Raises PlanInvalid (nothing saved) when an entry breaks a rule."""
    _authorise(db, author, client)
    clean, problems = check_content(content)
    if problems:
        raise PlanInvalid(problems)
    # Saves for one client queue behind each other (PostgreSQL row lock; SQLite's
    # BEGIN IMMEDIATE already serialises writers), so version numbers never collide.
    db.execute(select(Client.id).where(Client.id == client.id).with_for_update())
    plan = _plan(db, client)
    current = _current(db, plan)
    current_content = _decode(current.content) if current else empty_content()
    merged_with = None
    if current is not None and base_version is not None and base_version != current.number:
        base = _version_content(db, plan, base_version)
        clean, conflicts = _merge(base, clean, current_content)
        if conflicts:
            assert plan is not None
            raise PlanConflict(conflicts, _view(plan, current, _locale(db, client)), clean)
        merged_with = current.author.name
    changed = changed_sections(current_content, clean)
    if current is not None and not changed:
        return SaveResult(created=False, version=current.number, changed=[])
    if plan is None:
        plan = SafetyPlan(
            client_id=client.id, organisation_id=client.organisation_id, created_at=now
        )
        db.add(plan)
        db.flush()
    number = current.number + 1 if current else 1
    version = SafetyPlanVersion(
        plan_id=plan.id,
        number=number,
        created_at=now,
        author_id=author.id,
        author_role=author.role.value,
        content=_encode(clean),
        change_summary=changed,
    )
    db.add(version)
    db.flush()
    plan.current_version_id = version.id
    _audit(
        db,
        actor=author,
        client=client,
        plan=plan,
        action="safety_plan.create" if number == 1 else "safety_plan.update",
        now=now,
        detail={"version": number, "changed": changed},
    )
    db.flush()
    return SaveResult(created=True, version=number, changed=changed, merged_with=merged_with)


def _version_content(db: Session, plan: SafetyPlan | None, number: int) -> Content:
    if plan is None or number <= 0:
        return empty_content()
    version = db.scalar(
        select(SafetyPlanVersion).where(
            SafetyPlanVersion.plan_id == plan.id, SafetyPlanVersion.number == number
        )
    )
    return _decode(version.content) if version else empty_content()


def _diff(before: tuple[Entry, ...], after: tuple[Entry, ...]) -> tuple[list[Entry], list[Entry]]:
    """Entries added and removed, counting duplicates; an edited entry is both."""
    old, new = Counter(before), Counter(after)
    added_left, removed_left = new - old, old - new
    added: list[Entry] = []
    for e in after:
        if added_left[e] > 0:
            added.append(e)
            added_left[e] -= 1
    removed: list[Entry] = []
    for e in before:
        if removed_left[e] > 0:
            removed.append(e)
            removed_left[e] -= 1
    return added, removed


def history(db: Session, client: Client, *, actor: User, now: datetime) -> list[VersionView]:
    """Every version, newest first, with who saved it and what changed. Records the read."""
    _authorise(db, actor, client)
    plan = _plan(db, client)
    if plan is None:
        return []
    versions = list(
        db.scalars(
            select(SafetyPlanVersion)
            .where(SafetyPlanVersion.plan_id == plan.id)
            .order_by(SafetyPlanVersion.number)
        )
    )
    views: list[VersionView] = []
    before = empty_content()
    for version in versions:
        after = _decode(version.content)
        changes = []
        for s in version.change_summary:
            if s not in SPECS:
                continue
            added, removed = _diff(before.get(s, ()), after.get(s, ()))
            changes.append(SectionChange(s, SPECS[s].title, added, removed))
        views.append(
            VersionView(
                number=version.number,
                created_at=version.created_at,
                author_id=version.author_id,
                author_name=version.author.name,
                author_role=version.author_role,
                changes=changes,
            )
        )
        before = after
    _audit(
        db,
        actor=actor,
        client=client,
        plan=plan,
        action="safety_plan.history.read",
        now=now,
        detail={"versions": len(views)},
    )
    views.reverse()
    return views
