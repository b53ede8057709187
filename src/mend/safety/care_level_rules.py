"""Level-of-care guidance: a transparent rule table. Pure: no database, no web.

This guidance supports, and never replaces, clinical judgement. Each rule names the least
intensive level of care it considers safe for what it sees; the recommendation is the
highest level any fired rule requires, and every rule is shown with the values it read,
whether it fired or not. The clinician records the level actually chosen and why.

Principles, not invented precision. The rules apply two published frameworks:

- *Stepped care* (as in NICE's depression and PTSD guidance): start with the least
  intensive care likely to help, watch the response with routine measures, and step up
  when someone deteriorates or does not improve over a fair trial. "Reliable" change is the
  Jacobson-Truax reliable change index on the PHQ-9 against the first score
  (`mend.measures.change`).
- *SAFE-T* (SAMHSA, HHS Publication (SMA) 09-4432): the matching intervention rises with
  suicide risk; high risk points to an emergency evaluation and possible admission,
  moderate risk to considering a more intensive level of care and more contact.

Thresholds are the instruments' published ones (PHQ-9 cut-off 10 and "severe" band 20-27;
PCL-5 provisional-PTSD cut-off 33). Mend has no validated numbers for mapping symptoms to
a level of care, so where a rule needs one it errs towards more care and says so, and the
clinician's own ratings (daily functioning, support, engagement) carry the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

Level = Literal[
    "outpatient",
    "enhanced_outpatient",
    "intensive_outpatient",
    "partial_hospitalisation",
    "inpatient_or_emergency",
]
LEVELS: tuple[Level, ...] = (
    "outpatient",
    "enhanced_outpatient",
    "intensive_outpatient",
    "partial_hospitalisation",
    "inpatient_or_emergency",
)
LEVEL_LABELS: dict[str, str] = {
    "outpatient": "Outpatient",
    "enhanced_outpatient": "Enhanced outpatient (two or more sessions a week)",
    "intensive_outpatient": "Intensive outpatient programme",
    "partial_hospitalisation": "Partial hospitalisation",
    "inpatient_or_emergency": "Inpatient or emergency evaluation",
}

Risk = Literal["none", "low", "moderate", "high", "imminent"]
RISKS: tuple[Risk, ...] = ("none", "low", "moderate", "high", "imminent")
Support = Literal["none", "weak", "some", "strong"]
SUPPORTS: tuple[Support, ...] = ("none", "weak", "some", "strong")
Engagement = Literal["good", "partial", "poor"]
ENGAGEMENTS: tuple[Engagement, ...] = ("good", "partial", "poor")
Response = Literal[
    "recovered", "reliably improved", "no reliable change", "reliably deteriorated", "unknown"
]
RESPONSES: tuple[Response, ...] = (
    "recovered",
    "reliably improved",
    "no reliable change",
    "reliably deteriorated",
    "unknown",
)
FUNCTIONING: dict[int, str] = {
    1: "1 — cannot manage most daily tasks (self-care, home, work or study)",
    2: "2 — serious difficulty with daily tasks",
    3: "3 — some difficulty",
    4: "4 — mild difficulty",
    5: "5 — managing daily life well",
}
SUPPORT_LABELS = {
    "none": "None — nobody they can turn to",
    "weak": "Weak — someone, but unreliable or far away",
    "some": "Some — at least one person they can reach",
    "strong": "Strong — several people they trust and can reach",
}
ENGAGEMENT_LABELS = {
    "good": "Good — attends and does the work between sessions",
    "partial": "Partial — misses some sessions or tasks",
    "poor": "Poor — often absent or disengaged",
}

PHQ9_CUTOFF = 10  # "probable major depression" (Kroenke 2001); start of the moderate band
PHQ9_SEVERE = 20  # start of the published "severe" band (20-27)
PCL5_CUTOFF = 33  # provisional PTSD (NCPTSD range 31-33; Mend uses the top, as in its alerts)
FAIR_TRIAL_WEEKS = 8  # a common minimum trial before judging non-response in stepped care


@dataclass(frozen=True)
class Ratings:
    """What only the clinician can rate."""

    functioning: int
    support: Support
    engagement: Engagement


def parse_ratings(functioning: str, support: str, engagement: str) -> Ratings:
    """Submitted ratings; ValueError with a message for the person when one is unusable."""
    try:
        rating = int(functioning.strip())
    except ValueError as exc:
        raise ValueError("Please rate daily functioning from 1 to 5.") from exc
    if rating not in FUNCTIONING:
        raise ValueError("Please rate daily functioning from 1 to 5.")
    if support not in SUPPORTS:
        raise ValueError("Please choose how strong the support network is.")
    if engagement not in ENGAGEMENTS:
        raise ValueError("Please choose how engaged they are in treatment.")
    return Ratings(rating, support, engagement)


@dataclass(frozen=True)
class Inputs:
    risk: Risk
    phq9_total: float | None
    phq9_band: str | None
    pcl5_total: float | None
    functioning: int
    support: Support
    engagement: Engagement
    response: Response
    weeks_since_baseline: float | None
    """Weeks between the first and the latest PHQ-9, over which `response` was measured."""
    current_level: Level = "outpatient"
    """The level of care chosen last time (outpatient when none was recorded)."""

    def __post_init__(self) -> None:
        for value, allowed, what in (
            (self.risk, RISKS, "risk"),
            (self.support, SUPPORTS, "support"),
            (self.engagement, ENGAGEMENTS, "engagement"),
            (self.response, RESPONSES, "response"),
            (self.current_level, LEVELS, "current level"),
        ):
            if value not in allowed:
                raise ValueError(f"unknown {what}: {value!r}")
        if self.functioning not in FUNCTIONING:
            raise ValueError(f"functioning must be 1-5, got {self.functioning!r}")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Inputs:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def _phq9_at_least(i: Inputs, value: int) -> bool:
    return i.phq9_total is not None and i.phq9_total >= value


def _serious_symptoms(i: Inputs) -> bool:
    """PHQ-9 in the severe band, or PCL-5 at or above the provisional-PTSD cut-off."""
    return _phq9_at_least(i, PHQ9_SEVERE) or (
        i.pcl5_total is not None and i.pcl5_total >= PCL5_CUTOFF
    )


def _clinical_symptoms(i: Inputs) -> bool:
    """PHQ-9 at or above its cut-off, or PCL-5 at or above its cut-off."""
    return _phq9_at_least(i, PHQ9_CUTOFF) or (
        i.pcl5_total is not None and i.pcl5_total >= PCL5_CUTOFF
    )


def step_up(level: Level) -> Level:
    return LEVELS[min(LEVELS.index(level) + 1, len(LEVELS) - 1)]


def _score(value: float | None) -> str:
    if value is None:
        return "no score"
    return f"{value:g}"


def _weeks(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.1f}"


Shown = Callable[[Inputs], tuple[tuple[str, str], ...]]


def _risk(i: Inputs) -> tuple[tuple[str, str], ...]:
    return (("Risk", i.risk),)


def _risk_support(i: Inputs) -> tuple[tuple[str, str], ...]:
    return (("Risk", i.risk), ("Support network", i.support))


def _symptoms(i: Inputs) -> tuple[tuple[str, str], ...]:
    return (("PHQ-9", _score(i.phq9_total)), ("PCL-5", _score(i.pcl5_total)))


def _symptoms_functioning(i: Inputs) -> tuple[tuple[str, str], ...]:
    return (*_symptoms(i), ("Daily functioning", str(i.functioning)))


def _response(i: Inputs) -> tuple[tuple[str, str], ...]:
    return (
        ("Response (PHQ-9 vs baseline)", i.response),
        ("Weeks since baseline", _weeks(i.weeks_since_baseline)),
        ("PHQ-9", _score(i.phq9_total)),
        ("Current level", LEVEL_LABELS[i.current_level]),
    )


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    """Plain language, shown to the clinician."""
    condition: Callable[[Inputs], bool]
    shown: Shown
    """The inputs the rule reads, with their values: shown whether or not it fired."""
    minimum: Callable[[Inputs], Level]
    """The least intensive level the rule considers safe when it fires."""


def _fixed(level: Level) -> Callable[[Inputs], Level]:
    return lambda _: level


RULES: tuple[Rule, ...] = (
    # SAFE-T: imminent danger (an acute positive ASQ: thoughts of suicide right now, or
    # urgent crisis language not yet assessed) means an emergency evaluation now.
    Rule(
        "risk.imminent",
        "Imminent suicide risk calls for an emergency evaluation now.",
        lambda i: i.risk == "imminent",
        _risk,
        _fixed("inpatient_or_emergency"),
    ),
    # SAFE-T's high-risk intervention is admission or an emergency evaluation unless
    # something significant has changed; the clinician records it if so.
    Rule(
        "risk.high",
        "High suicide risk (judged in the crisis protocol) calls for an emergency "
        "evaluation and considering admission.",
        lambda i: i.risk == "high",
        _risk,
        _fixed("inpatient_or_emergency"),
    ),
    # Serious symptoms while the person can barely manage daily life: weekly sessions
    # cannot hold that; a day programme provides structure most days of the week.
    Rule(
        "symptoms.serious_functioning_1",
        f"Serious symptoms (PHQ-9 {PHQ9_SEVERE}+ or PCL-5 {PCL5_CUTOFF}+) with daily "
        "functioning rated 1 call for partial hospitalisation.",
        lambda i: _serious_symptoms(i) and i.functioning == 1,
        _symptoms_functioning,
        _fixed("partial_hospitalisation"),
    ),
    # The same symptoms with serious (not total) difficulty: several structured hours a
    # week while the person stays at home.
    Rule(
        "symptoms.serious_functioning_2",
        f"Serious symptoms (PHQ-9 {PHQ9_SEVERE}+ or PCL-5 {PCL5_CUTOFF}+) with daily "
        "functioning rated 2 call for an intensive outpatient programme.",
        lambda i: _serious_symptoms(i) and i.functioning == 2,
        _symptoms_functioning,
        _fixed("intensive_outpatient"),
    ),
    # Moderate risk leans on the people around someone between sessions; without them
    # SAFE-T's "consider a higher level of care" applies with more force.
    Rule(
        "risk.moderate_weak_support",
        "Moderate suicide risk with a weak or no support network calls for an intensive "
        "outpatient programme.",
        lambda i: i.risk == "moderate" and i.support in ("none", "weak"),
        _risk_support,
        _fixed("intensive_outpatient"),
    ),
    # SAFE-T moderate risk: more contact and a reviewed safety plan at the least.
    Rule(
        "risk.moderate",
        "Moderate suicide risk calls for more frequent sessions.",
        lambda i: i.risk == "moderate",
        _risk,
        _fixed("enhanced_outpatient"),
    ),
    # Low risk is usually held in outpatient care by a safety plan and the people in it;
    # with nobody at all to turn to, more contact stands in until a network is built.
    Rule(
        "risk.low_no_support",
        "Low suicide risk with no support network at all calls for more frequent sessions.",
        lambda i: i.risk == "low" and i.support == "none",
        _risk_support,
        _fixed("enhanced_outpatient"),
    ),
    # Severe depression on its own: stepped care steps up the intensity of treatment.
    Rule(
        "symptoms.phq9_severe",
        f"PHQ-9 in the severe band ({PHQ9_SEVERE}-27) calls for more frequent sessions.",
        lambda i: _phq9_at_least(i, PHQ9_SEVERE),
        _symptoms,
        _fixed("enhanced_outpatient"),
    ),
    # Very poor daily functioning, whatever the scores say, needs more support than a
    # weekly hour.
    Rule(
        "functioning.poor",
        "Daily functioning rated 1 or 2 calls for more frequent sessions.",
        lambda i: i.functioning <= 2,
        lambda i: (("Daily functioning", str(i.functioning)),),
        _fixed("enhanced_outpatient"),
    ),
    # Poor engagement with clinically significant symptoms: more frequent, shorter
    # contact is a way back in, and a chance to look at what gets in the way.
    Rule(
        "engagement.poor_with_symptoms",
        f"Poor engagement with clinically significant symptoms (PHQ-9 {PHQ9_CUTOFF}+ or "
        f"PCL-5 {PCL5_CUTOFF}+) calls for more frequent contact.",
        lambda i: i.engagement == "poor" and _clinical_symptoms(i),
        lambda i: (("Engagement", i.engagement), *_symptoms(i)),
        _fixed("enhanced_outpatient"),
    ),
    # Stepped care: reliable deterioration at the current level is the signal to step up.
    Rule(
        "response.deteriorated",
        "Reliable deterioration on the PHQ-9 since baseline calls for one step up from "
        "the current level of care.",
        lambda i: i.response == "reliably deteriorated",
        _response,
        lambda i: step_up(i.current_level),
    ),
    # Stepped care: no reliable change after a fair trial, with symptoms still at or
    # above the cut-off, is the other signal to step up.
    Rule(
        "response.no_change",
        f"No reliable change after {FAIR_TRIAL_WEEKS} weeks or more, with PHQ-9 still "
        f"{PHQ9_CUTOFF}+, calls for one step up from the current level of care.",
        lambda i: (
            i.response == "no reliable change"
            and i.weeks_since_baseline is not None
            and i.weeks_since_baseline >= FAIR_TRIAL_WEEKS
            and _phq9_at_least(i, PHQ9_CUTOFF)
        ),
        _response,
        lambda i: step_up(i.current_level),
    ),
    # Stepped care starts with the least intensive care likely to help.
    Rule(
        "baseline",
        "Outpatient care is where stepped care starts.",
        lambda _: True,
        lambda _: (),
        _fixed("outpatient"),
    ),
)


@dataclass(frozen=True)
class RuleResult:
    id: str
    description: str
    fired: bool
    values: tuple[tuple[str, str], ...]
    minimum: Level

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "description": self.description,
            "fired": self.fired,
            "values": [list(v) for v in self.values],
            "minimum": self.minimum,
        }


@dataclass(frozen=True)
class Recommendation:
    level: Level
    fired: tuple[RuleResult, ...]
    evaluated: tuple[RuleResult, ...]
    """Every rule in table order, fired or not."""
    missing: tuple[str, ...]
    """Inputs Mend had no value for: rules that need them could not fire."""

    @property
    def deciding(self) -> tuple[RuleResult, ...]:
        """The fired rules that set the level (those requiring the highest level)."""
        return tuple(r for r in self.fired if r.minimum == self.level)


def recommend(inputs: Inputs, rules: tuple[Rule, ...] = RULES) -> Recommendation:
    evaluated = tuple(
        RuleResult(
            r.id, r.description, bool(r.condition(inputs)), r.shown(inputs), r.minimum(inputs)
        )
        for r in rules
    )
    fired = tuple(r for r in evaluated if r.fired)
    level: Level = max((r.minimum for r in fired), key=LEVELS.index, default="outpatient")
    missing = tuple(
        name
        for name, value in (
            ("PHQ-9 score", inputs.phq9_total),
            ("PCL-5 score", inputs.pcl5_total),
            ("response to treatment", None if inputs.response == "unknown" else inputs.response),
        )
        if value is None
    )
    return Recommendation(level, fired, evaluated, missing)
