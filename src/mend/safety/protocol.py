"""The crisis protocol's rules: the assessment's five steps, the risk level's matching
intervention, the de-escalation checklist, the disposition and the follow-up schedule.

Pure: no database, no web. The step structure follows SAMHSA's Suicide Assessment
Five-step Evaluation and Triage (SAFE-T), HHS Publication No. (SMA) 09-4432: identify risk
factors; identify protective factors; conduct a suicide inquiry; determine the risk level
and its matching intervention; document. Only the step names and structure come from
SAFE-T; every prompt, checklist item and description here is written in Mend's own words.

The risk level is always the clinician's judgement. `suggested_level` offers a starting
point drawn from the ASQ result and the inquiry answers, and says why; the clinician may
choose any level, and nothing here chooses for them.

Follow-ups (contact within 24 hours, 72 hours and 7 days, then caring contacts on the days
the organisation sets) follow the post-crisis practice of early, repeated contact and
brief "caring contacts" over the following months. They never complete themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

RiskLevel = Literal["low", "moderate", "high"]
RISK_LEVELS: tuple[RiskLevel, ...] = ("low", "moderate", "high")
_LEVEL_RANK = {level: rank for rank, level in enumerate(RISK_LEVELS)}

MAX_NOTE = 4000
"""Longest free-text answer accepted in any field of the protocol."""


@dataclass(frozen=True)
class Choice:
    """One tickable item on a checklist."""

    id: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Prompt:
    """One free-text field: what to write, and a hint on what belongs there."""

    id: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class InquiryArea:
    """One area of the suicide inquiry: present, absent, or not yet known, plus detail."""

    id: str
    label: str
    ask: str


@dataclass(frozen=True)
class Step:
    number: int
    id: str
    title: str
    purpose: str
    checklist: tuple[Choice, ...] = ()
    inquiry: tuple[InquiryArea, ...] = ()
    notes: tuple[Prompt, ...] = ()


RISK_FACTORS = (
    Choice(
        "loss_or_rejection",
        "Recent loss or rejection",
        "A break-up, being left or shut out, a bereavement, humiliation or betrayal.",
    ),
    Choice("prior_attempt", "Earlier suicide attempt", "Including interrupted or aborted ones."),
    Choice(
        "lethal_means",
        "Can get hold of lethal means",
        "Firearms at home, stored medicines, or another method they have thought of.",
    ),
    Choice("self_harm", "Self-harm, past or present"),
    Choice(
        "current_symptoms",
        "Current symptoms that raise risk",
        "Hopelessness, depression, agitation, severe anxiety, poor sleep, psychosis.",
    ),
    Choice("substance_use", "Alcohol or drug use, especially recently increased"),
    Choice("isolation", "Cut off from other people, or living alone without contact"),
    Choice(
        "trauma_or_abuse", "Trauma or abuse, past or ongoing", "Including abuse by someone trusted."
    ),
    Choice("recent_discharge", "Recently left hospital or another intensive service"),
    Choice("family_history", "Suicide in the family or among friends"),
    Choice("impulsivity", "Acts on impulse, or has been aggressive"),
    Choice("pain_or_illness", "Chronic pain or serious physical illness"),
    Choice(
        "life_stress",
        "Pressing life problems",
        "Money, housing, work, school, legal trouble, or being bullied.",
    ),
)

PROTECTIVE_FACTORS = (
    Choice("reasons_for_living", "Names reasons for living"),
    Choice("coping_skills", "Has coping skills they have used before"),
    Choice("future_plans", "Talks about plans or hopes for the future"),
    Choice("beliefs", "Beliefs that stand against suicide", "Faith, values, culture."),
    Choice("responsibilities", "Responsibilities to others", "Children, family, pets."),
    Choice("supportive_people", "People they trust and can reach"),
    Choice("therapeutic_alliance", "Engaged with their care team"),
    Choice("safety_plan", "Has a safety plan they can use"),
    Choice("means_restricted", "Lethal means are out of reach or locked away"),
)

INQUIRY_AREAS = (
    InquiryArea(
        "thoughts",
        "Thoughts",
        "Ask directly about thoughts of suicide: how often, how strong, how long they last, "
        "and what sets them off.",
    ),
    InquiryArea(
        "plan",
        "Plan",
        "Ask whether they have thought how, when or where, and whether they have prepared.",
    ),
    InquiryArea(
        "behaviours",
        "Behaviours",
        "Ask about attempts, attempts stopped by themself or someone else, rehearsing, "
        "and self-harm, recent and past.",
    ),
    InquiryArea(
        "intent",
        "Intent",
        "Ask how far they mean to act on the thoughts, and what is pulling them towards "
        "dying and towards living.",
    ),
)
INQUIRY_ANSWERS: tuple[tuple[str, str], ...] = (
    ("yes", "Present"),
    ("no", "Not present"),
    ("unknown", "Not asked or unclear"),
)

STEPS = (
    Step(
        1,
        "risk_factors",
        "Identify risk factors",
        "Tick what applies now or recently; add anything the list misses.",
        checklist=RISK_FACTORS,
        notes=(Prompt("risk_factors_note", "Other risk factors and detail"),),
    ),
    Step(
        2,
        "protective_factors",
        "Identify protective factors",
        "What is holding them, inside themself and around them.",
        checklist=PROTECTIVE_FACTORS,
        notes=(Prompt("protective_factors_note", "Other protective factors and detail"),),
    ),
    Step(
        3,
        "inquiry",
        "Conduct a suicide inquiry",
        "Ask plainly and without judgement. Record what they said in their words where you can.",
        inquiry=INQUIRY_AREAS,
    ),
    Step(
        4,
        "risk_level",
        "Determine the risk level and the matching intervention",
        "Weigh the risk against the protective factors and the inquiry. The level is your "
        "judgement; Mend's suggestion is only a starting point.",
        notes=(Prompt("level_rationale", "Why this level", "What tipped the balance."),),
    ),
    Step(
        5,
        "documentation",
        "Document",
        "What was decided and why, so anyone picking this up later can follow it.",
        notes=(
            Prompt(
                "treatment_plan",
                "Plan to address the risk",
                "Changes to care, who does what, and by when.",
            ),
            Prompt(
                "means_instructions",
                "Lethal means: what was agreed",
                "Who will remove or lock away what, and how you will check.",
            ),
            Prompt("informed", "Who was told", "Family, supports or services contacted, and how."),
        ),
    ),
)

NOTE_FIELDS: tuple[str, ...] = tuple(p.id for s in STEPS for p in s.notes) + tuple(
    f"{a.id}_note" for a in INQUIRY_AREAS
)


@dataclass(frozen=True)
class Intervention:
    level: RiskLevel
    summary: str
    actions: tuple[str, ...]


# The level each SAFE-T risk level points towards, described in Mend's words.
INTERVENTIONS: dict[RiskLevel, Intervention] = {
    "high": Intervention(
        "high",
        "Arrange an emergency evaluation now and consider hospital admission.",
        (
            "Do not leave the person alone until someone responsible is with them.",
            "Arrange an emergency evaluation, or admission, today.",
            "Remove or lock away lethal means with them or a support person.",
            "Tell the people who need to know, and write down who you told.",
        ),
    ),
    "moderate": Intervention(
        "moderate",
        "Consider a more intensive level of care, and see them more often.",
        (
            "Consider a higher level of care (more sessions, intensive outpatient or "
            "partial hospital).",
            "Write or review the safety plan together.",
            "Talk through lethal means and agree how to keep them out of reach.",
            "Increase contact and give crisis line numbers.",
        ),
    ),
    "low": Intervention(
        "low",
        "Continue outpatient care with a safety plan in place.",
        (
            "Write or review the safety plan together.",
            "Give crisis line numbers and make sure they can find them.",
            "Keep treating the symptoms and stresses that raised the risk.",
        ),
    ),
}


def intervention_for(level: str) -> Intervention:
    """The matching intervention for a risk level; ValueError for a level Mend does not know."""
    if level not in INTERVENTIONS:
        raise ValueError(f"unknown risk level: {level!r}")
    return INTERVENTIONS[level]


def parse_risk_level(value: str | None) -> RiskLevel | None:
    """A submitted risk level: None when not yet chosen, ValueError when unknown."""
    value = (value or "").strip()
    if not value:
        return None
    if value not in _LEVEL_RANK:
        raise ValueError("Please choose low, moderate or high as the risk level.")
    return value


DEESCALATION = (
    Choice("stayed_with", "Stayed with them, or kept them on the line"),
    Choice("calm", "Spoke slowly and calmly; listened without arguing or judging"),
    Choice("asked_directly", "Asked directly about suicide"),
    Choice("grounding", "Used breathing or grounding together"),
    Choice("reasons", "Talked through their reasons for living"),
    Choice("means_away", "Put lethal means out of reach, with them or a support person"),
    Choice("support_person", "Brought in a support person they chose"),
    Choice("safety_plan", "Went through the safety plan's next steps"),
    Choice("crisis_lines", "Gave crisis line numbers"),
    Choice("next_contact", "Agreed when you will next be in touch"),
)

DISPOSITIONS = (
    Choice("safety_plan_reviewed", "Safety plan reviewed"),
    Choice("means_counselling", "Lethal-means counselling done"),
    Choice("sessions_increased", "Sessions increased"),
    Choice("referral_iop_php", "Referred to intensive outpatient or partial hospital"),
    Choice("emergency_evaluation", "Emergency evaluation"),
)


def _checked(values: Iterable[str], choices: Sequence[Choice], what: str) -> tuple[str, ...]:
    known = [c.id for c in choices]
    chosen = set(values)
    unknown = sorted(chosen - set(known))
    if unknown:
        raise ValueError(f"Mend does not know the {what} “{unknown[0]}”. Please reload the page.")
    return tuple(c for c in known if c in chosen)  # in checklist order, duplicates gone


def parse_deescalation(values: Iterable[str]) -> tuple[str, ...]:
    return _checked(values, DEESCALATION, "de-escalation step")


def parse_disposition(values: Iterable[str]) -> tuple[str, ...]:
    chosen = _checked(values, DISPOSITIONS, "disposition")
    if not chosen:
        raise ValueError("Please tick at least one part of the disposition.")
    return chosen


@dataclass(frozen=True)
class Assessment:
    """What the clinician recorded in steps 1, 2, 3 and 5, plus step 4's rationale."""

    risk_factors: tuple[str, ...] = ()
    protective_factors: tuple[str, ...] = ()
    inquiry: Mapping[str, str] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)

    def answer(self, area: str) -> str:
        return self.inquiry.get(area, "unknown")

    def note(self, name: str) -> str:
        return self.notes.get(name, "")

    def to_json(self) -> dict[str, Any]:
        return {
            "risk_factors": list(self.risk_factors),
            "protective_factors": list(self.protective_factors),
            "inquiry": dict(self.inquiry),
            "notes": {k: v for k, v in self.notes.items() if v},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Assessment:
        data = data or {}
        return cls(
            tuple(data.get("risk_factors", ())),
            tuple(data.get("protective_factors", ())),
            dict(data.get("inquiry", {})),
            dict(data.get("notes", {})),
        )

    def changed_parts(self, other: Assessment) -> list[str]:
        """Names (never content) of the parts that differ, for the audit trail."""
        mine, theirs = self.to_json(), other.to_json()
        parts = [
            k for k in ("risk_factors", "protective_factors", "inquiry") if mine[k] != theirs[k]
        ]
        parts += sorted(
            n for n in NOTE_FIELDS if mine["notes"].get(n, "") != theirs["notes"].get(n, "")
        )
        return parts


def parse_assessment(
    *,
    risk_factors: Iterable[str],
    protective_factors: Iterable[str],
    inquiry: Mapping[str, str],
    notes: Mapping[str, str],
) -> Assessment:
    """Check a submitted assessment; ValueError with a message for the person otherwise."""
    answers = {a for a, _ in INQUIRY_ANSWERS}
    parsed_inquiry: dict[str, str] = {}
    for area in INQUIRY_AREAS:
        value = (inquiry.get(area.id) or "unknown").strip()
        if value not in answers:
            raise ValueError(f"The answer for “{area.label}” isn't one of the choices.")
        parsed_inquiry[area.id] = value
    unknown = sorted(set(inquiry) - {a.id for a in INQUIRY_AREAS})
    if unknown:
        raise ValueError(f"Mend does not know the inquiry area “{unknown[0]}”.")
    parsed_notes: dict[str, str] = {}
    for name, text in notes.items():
        if name not in NOTE_FIELDS:
            raise ValueError(f"Mend does not know the field “{name}”. Please reload the page.")
        text = text.strip()
        if len(text) > MAX_NOTE:
            raise ValueError(f"Please keep each answer under {MAX_NOTE} characters.")
        parsed_notes[name] = text
    return Assessment(
        _checked(risk_factors, RISK_FACTORS, "risk factor"),
        _checked(protective_factors, PROTECTIVE_FACTORS, "protective factor"),
        parsed_inquiry,
        parsed_notes,
    )


@dataclass(frozen=True)
class Suggestion:
    level: RiskLevel
    reasons: tuple[str, ...]


ASQ_ACUTE = "acute positive"
ASQ_NON_ACUTE = "non-acute positive"


def suggested_level(asq_band: str | None, assessment: Assessment) -> Suggestion | None:
    """A starting point for step 4, never a decision, or None when nothing points anywhere.

    Mirrors the shape of SAFE-T's level descriptions: intent, suicidal behaviour or an
    acute positive ASQ point to high; a plan without intent or behaviour, or a non-acute
    positive ASQ, to moderate; thoughts alone to low. Risk and protective factors are not
    counted: weighing them is the clinician's work, and a count would look more exact than
    it is.
    """
    found: list[tuple[RiskLevel, str]] = []
    if asq_band == ASQ_ACUTE:
        found.append(("high", "The ASQ was an acute positive screen (thoughts of suicide now)."))
    elif asq_band == ASQ_NON_ACUTE:
        found.append(("moderate", "The ASQ was a non-acute positive screen."))
    if assessment.answer("intent") == "yes":
        found.append(("high", "Intent to act was recorded in the inquiry."))
    if assessment.answer("behaviours") == "yes":
        found.append(("high", "Suicidal behaviour was recorded in the inquiry."))
    if assessment.answer("plan") == "yes":
        found.append(("moderate", "A plan was recorded in the inquiry."))
    if assessment.answer("thoughts") == "yes":
        found.append(("low", "Thoughts of suicide were recorded in the inquiry."))
    if not found:
        return None
    top = max(_LEVEL_RANK[level] for level, _ in found)
    level = RISK_LEVELS[top]
    return Suggestion(level, tuple(reason for lvl, reason in found if lvl == level))


# --- follow-ups ---

CONTACT_24H = "contact_24h"
CONTACT_72H = "contact_72h"
CONTACT_7D = "contact_7d"
EARLY_CONTACTS = (
    (CONTACT_24H, timedelta(hours=24), "Contact within 24 hours"),
    (CONTACT_72H, timedelta(hours=72), "Contact within 72 hours"),
    (CONTACT_7D, timedelta(days=7), "Contact within 7 days"),
)
REQUIRED_BEFORE_CLOSE = tuple(kind for kind, _, _ in EARLY_CONTACTS)
CARING_PREFIX = "caring_"
MAX_CARING_DAY = 365

REACHED = "reached"
NOT_REACHED = "not_reached"
OUTCOMES = ((REACHED, "Reached them"), (NOT_REACHED, "Could not reach them"))


def caring_kind(day: int) -> str:
    return f"{CARING_PREFIX}{day}d"


def follow_up_label(kind: str) -> str:
    for name, _, label in EARLY_CONTACTS:
        if kind == name:
            return label
    if kind.startswith(CARING_PREFIX) and kind.endswith("d"):
        return f"Caring contact, day {kind[len(CARING_PREFIX) : -1]}"
    return kind


def caring_days_problems(days: Sequence[int]) -> list[str]:
    """Why an organisation's caring-contact days cannot be used (for its settings page)."""
    problems = []
    if len(set(days)) != len(days):
        problems.append("Each caring-contact day may appear only once.")
    for day in days:
        if not 7 < day <= MAX_CARING_DAY:
            problems.append(
                f"Caring contacts come after the 7-day contact: choose days from 8 to "
                f"{MAX_CARING_DAY} (got {day})."
            )
    return problems


def follow_up_schedule(
    opened_at: datetime, caring_contact_days: Iterable[int]
) -> list[tuple[str, datetime]]:
    """Every follow-up an episode needs, earliest first, as (kind, due_at).

    Due times count from when the episode was opened (the crisis), not from when the
    disposition was written down, so late paperwork never pushes the 24-hour contact back.
    Caring-contact days count from the same moment. Days the 7-day contact already covers
    (7 or fewer) and days past a year are left out rather than refused: the settings page
    refuses them (`caring_days_problems`), and a bad setting must never stop a crisis
    episode from getting its follow-ups.
    """
    schedule = [(kind, opened_at + delay) for kind, delay, _ in EARLY_CONTACTS]
    for day in sorted({int(d) for d in caring_contact_days if 7 < int(d) <= MAX_CARING_DAY}):
        schedule.append((caring_kind(day), opened_at + timedelta(days=day)))
    return schedule


def follow_up_severity(kind: str) -> Literal["high", "concern"]:
    """How an overdue follow-up escalates, in the alert severities' terms: the 24- and
    72-hour contacts fall in the days of highest risk after a crisis and move as fast as a
    high alert; later contacts move at the pace of a concern."""
    return "high" if kind in (CONTACT_24H, CONTACT_72H) else "concern"


def closing_problems(
    *, disposition_recorded: bool, pending_required: Sequence[str], review_note: str
) -> list[str]:
    """Why an episode cannot be closed yet (empty when it can).

    The early contacts must each be done, either reached or marked "could not reach" with
    a note, because those days carry the highest risk. Caring contacts may still be ahead:
    they run on after the episode closes, and stay on the clinician's list until done.
    """
    problems = []
    if not disposition_recorded:
        problems.append("Record the disposition first, so the follow-ups are scheduled.")
    if pending_required:
        names = ", ".join(follow_up_label(k).lower() for k in pending_required)
        problems.append(
            f"These follow-ups are not done yet: {names}. Mark each as reached or as "
            "could not reach, with a note."
        )
    if not review_note.strip():
        problems.append("Please write the post-crisis review note.")
    elif len(review_note.strip()) > MAX_NOTE:
        problems.append(f"Please keep the review note under {MAX_NOTE} characters.")
    return problems
