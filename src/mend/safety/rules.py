"""Which questionnaire answers raise a safety alert, how urgent it is, and what to do next.

Pure functions: no database, no web. Sources (see shared/reference/INSTRUMENTS.md):

- ASQ (NIMH Ask Suicide-Screening Questions; Horowitz et al. 2012, adult validation 2021):
  "yes" to any of items 1-4 (or declining to answer one) is a positive screen; with "yes"
  to item 5 it is an *acute positive* — emergency safety evaluation now, the person is not
  left alone; with "no" to item 5 a *non-acute positive* — a brief suicide safety
  assessment is due the same day.
- PHQ-9 item 9 (Kroenke, Spitzer & Williams 2001): any answer above "Not at all" is followed
  up the same session with a suicide-risk screen (clinical-practice convention; Mend
  suggests the ASQ) and crisis resources.
- PHQ-9 total 20-27 is the published "severe" band; PCL-5 total at or above the published
  cut-off (31-33; Mend uses 33) suggests probable PTSD. Both raise a *concern* so the
  clinician reviews the plan; an organisation may set these lower (more sensitive).

An organisation may tighten thresholds (alert on milder answers) but never loosen them
past the published ones: `threshold_problems` refuses any looser setting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

Severity = Literal["urgent", "high", "concern"]
SEVERITY_RANK: dict[str, int] = {"urgent": 3, "high": 2, "concern": 1}


def needs_support_page(severity: str) -> bool:
    """Whether the client's very next page is the support page: for urgent or high-risk
    answers and words (ASQ positive, PHQ-9 item 9, urgent crisis language), not concerns."""
    return SEVERITY_RANK.get(severity, 0) >= SEVERITY_RANK["high"]


@dataclass(frozen=True)
class Thresholds:
    """Alert thresholds; the defaults are the published values."""

    phq9_item9_min: int = 1
    phq9_total_min: int = 20
    pcl5_total_min: int = 33


PUBLISHED = Thresholds()
# (field, the loosest value allowed, the most sensitive value that still means something)
_LIMITS = {
    "phq9_item9_min": (1, 1),
    "phq9_total_min": (20, 5),
    "pcl5_total_min": (33, 10),
}


def threshold_problems(values: Mapping[str, int]) -> list[str]:
    """Why these organisation thresholds cannot be used (empty when they can)."""
    problems = []
    for name, value in values.items():
        if name not in _LIMITS:
            problems.append(f"{name} is not a threshold Mend knows.")
            continue
        loosest, most_sensitive = _LIMITS[name]
        if value > loosest:
            problems.append(
                f"{name} may not be above the published threshold {loosest}; "
                "organisations may only make alerts more sensitive."
            )
        elif value < most_sensitive:
            problems.append(f"{name} may not be below {most_sensitive}.")
    return problems


@dataclass(frozen=True)
class Reason:
    """One piece of what made a rule fire, shown to the clinician verbatim."""

    label: str
    detail: str


@dataclass(frozen=True)
class RiskSignal:
    rule: str
    severity: Severity
    title: str
    next_step: str
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.severity]

    def reasons_json(self) -> list[dict[str, str]]:
        return [{"label": r.label, "detail": r.detail} for r in self.reasons]


@dataclass(frozen=True)
class AnsweredItem:
    number: int
    text: str
    answer: int | None
    answer_label: str | None


ASQ_ACUTE = "acute positive"
ASQ_NON_ACUTE = "non-acute positive"


def _answer_reason(item: AnsweredItem) -> Reason:
    shown = "no answer" if item.answer is None else f"{item.answer_label or item.answer}"
    return Reason(f"Item {item.number}: {item.text}", f"Answered: {shown}")


def questionnaire_signals(
    instrument_id: str,
    items: Sequence[AnsweredItem],
    total: float | None,
    band: str | None,
    thresholds: Thresholds = PUBLISHED,
) -> list[RiskSignal]:
    """Every safety signal in one completed questionnaire, most urgent first."""
    signals: list[RiskSignal] = []
    by_number = {i.number: i for i in items}
    if instrument_id == "asq":
        positives = [i for i in items if i.number <= 4 and (i.answer is None or i.answer == 1)]
        if band == ASQ_ACUTE:
            signals.append(
                RiskSignal(
                    rule="asq.acute_positive",
                    severity="urgent",
                    title="ASQ acute positive screen",
                    next_step=(
                        "Emergency safety evaluation now. The person should not be left alone "
                        "until they have been evaluated."
                    ),
                    reasons=(*(_answer_reason(i) for i in positives), _answer_reason(by_number[5])),
                )
            )
        elif band == ASQ_NON_ACUTE:
            signals.append(
                RiskSignal(
                    rule="asq.non_acute_positive",
                    severity="high",
                    title="ASQ non-acute positive screen",
                    next_step=(
                        "A brief suicide safety assessment is due today, before the end of the "
                        "day. Review the safety plan with the client."
                    ),
                    reasons=tuple(_answer_reason(i) for i in positives)
                    + ((_answer_reason(by_number[5]),) if 5 in by_number else ()),
                )
            )
    if instrument_id == "phq9":
        item9 = by_number.get(9)
        if (
            item9 is not None
            and item9.answer is not None
            and item9.answer >= thresholds.phq9_item9_min
        ):
            signals.append(
                RiskSignal(
                    rule="phq9.item9",
                    severity="high",
                    title="PHQ-9 item 9: thoughts of death or self-harm",
                    next_step=(
                        "Follow up the same day: ask the ASQ suicide-risk questions with the "
                        "client and review their safety plan."
                    ),
                    reasons=(_answer_reason(item9),),
                )
            )
        if total is not None and total >= thresholds.phq9_total_min:
            signals.append(
                RiskSignal(
                    rule="phq9.total",
                    severity="concern",
                    title="PHQ-9 in the severe range",
                    next_step="Review the treatment plan and level of care.",
                    reasons=(
                        Reason(
                            "Total score",
                            f"{total:g} (alert at {thresholds.phq9_total_min} or more)",
                        ),
                        Reason("Band", band or "none"),
                    ),
                )
            )
    if instrument_id == "pcl5" and total is not None and total >= thresholds.pcl5_total_min:
        signals.append(
            RiskSignal(
                rule="pcl5.total",
                severity="concern",
                title="PCL-5 at or above the probable-PTSD cut-off",
                next_step="Consider a structured PTSD assessment and review the treatment plan.",
                reasons=(
                    Reason(
                        "Total score", f"{total:g} (alert at {thresholds.pcl5_total_min} or more)"
                    ),
                ),
            )
        )
    signals.sort(key=lambda s: -s.rank)
    return signals


def text_signal(
    level: str, evidence: Sequence[Mapping[str, Any]], source_label: str
) -> RiskSignal | None:
    """The alert for a piece of the client's own writing that screened `urgent` or `concern`."""
    if level not in ("urgent", "concern"):
        return None
    reasons = tuple(
        Reason(f"Words: “{e['text']}”", str(e.get("description") or e.get("rule") or ""))
        for e in evidence
    )
    if level == "urgent":
        return RiskSignal(
            rule="text.urgent",
            severity="urgent",
            title=f"Urgent crisis language in {source_label}",
            next_step=(
                "Contact the client now. If you cannot reach them and believe they are in "
                "danger, follow your emergency protocol."
            ),
            reasons=reasons,
        )
    return RiskSignal(
        rule="text.concern",
        severity="concern",
        title=f"Concerning language in {source_label}",
        next_step="Check in with the client before or at the next session; review the safety plan.",
        reasons=reasons,
    )


# --- the same words again ---

# How long writing not saved yet counts as part of an alert raised about the same
# kind of writing. Long enough for a client to correct a refused form (or read the
# support page first) and send it again; short enough that words written another day
# page the care team again.
REPEAT_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class AlertKey:
    """What decides whether a new signal is one already raised: whose, from what, which
    rule, and when. `source_id` is "" for writing not saved (yet)."""

    client_id: int
    source_kind: str
    source_id: str
    rule: str
    at: datetime
    resolved: bool = False


def repeats(earlier: AlertKey, new: AlertKey, window: timedelta = REPEAT_WINDOW) -> bool:
    """Whether `new` is `earlier` again, so nobody is paged twice for the same thing.

    Only an alert still open or acknowledged can be repeated (once a person has resolved
    it, the same words deserve a fresh look), and only for the same client, kind of
    source and rule. Then it is a repeat when it comes from the same saved entry (editing
    an entry must not page people again), or when either of the two is about writing
    not saved (`source_id` ""), within `window`: the other fields of a refused form, the
    form sent again after a correction, or the entry saved at last and screened again
    (its evidence may differ a little from the form's, for instance when the screening
    model became available in between). The caller adds any new words to the earlier
    alert, so none are lost. Two different saved entries, and two completed
    questionnaires, are never one alert."""
    if earlier.resolved:
        return False
    if (earlier.client_id, earlier.source_kind, earlier.rule) != (
        new.client_id,
        new.source_kind,
        new.rule,
    ):
        return False
    if new.source_id and earlier.source_id:
        return new.source_id == earlier.source_id
    return abs(new.at - earlier.at) <= window
