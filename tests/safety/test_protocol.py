"""The crisis protocol's pure rules: SAFE-T's five steps, the matching interventions, the
suggestion (never a decision), the follow-up schedule and what closing needs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mend.safety import protocol
from mend.safety.protocol import Assessment

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_five_safe_t_steps_in_order() -> None:
    assert [(s.number, s.title) for s in protocol.STEPS] == [
        (1, "Identify risk factors"),
        (2, "Identify protective factors"),
        (3, "Conduct a suicide inquiry"),
        (4, "Determine the risk level and the matching intervention"),
        (5, "Document"),
    ]
    risk_ids = {c.id for c in protocol.RISK_FACTORS}
    assert {"loss_or_rejection", "prior_attempt", "lethal_means"} <= risk_ids
    assert {"reasons_for_living", "supportive_people", "therapeutic_alliance"} <= {
        c.id for c in protocol.PROTECTIVE_FACTORS
    }
    assert [a.id for a in protocol.INQUIRY_AREAS] == ["thoughts", "plan", "behaviours", "intent"]
    assert {"means_instructions", "treatment_plan", "level_rationale"} <= set(protocol.NOTE_FIELDS)


def test_every_checklist_id_is_unique() -> None:
    for checklist in (
        protocol.RISK_FACTORS,
        protocol.PROTECTIVE_FACTORS,
        protocol.DEESCALATION,
        protocol.DISPOSITIONS,
    ):
        ids = [c.id for c in checklist]
        assert len(ids) == len(set(ids))
    assert len(protocol.NOTE_FIELDS) == len(set(protocol.NOTE_FIELDS))


@pytest.mark.parametrize(
    ("level", "summary_has", "action_has"),
    [
        ("high", "emergency evaluation", "Do not leave the person alone"),
        ("moderate", "more intensive level of care", "safety plan"),
        ("low", "outpatient", "crisis line numbers"),
    ],
)
def test_each_level_has_its_matching_intervention(
    level: str, summary_has: str, action_has: str
) -> None:
    intervention = protocol.intervention_for(level)
    assert intervention.level == level
    assert summary_has in intervention.summary
    assert any(action_has in a for a in intervention.actions)


def test_an_unknown_level_has_no_intervention() -> None:
    with pytest.raises(ValueError):
        protocol.intervention_for("severe")


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [(None, None), ("", None), ("  ", None), ("low", "low"), (" high ", "high")],
)
def test_parse_risk_level(raw: str | None, parsed: str | None) -> None:
    assert protocol.parse_risk_level(raw) == parsed


@pytest.mark.parametrize("raw", ["severe", "HIGH", "imminent", "0"])
def test_parse_risk_level_refuses_unknown_levels(raw: str) -> None:
    with pytest.raises(ValueError, match="low, moderate or high"):
        protocol.parse_risk_level(raw)


def _inquiry(**answers: str) -> Assessment:
    return Assessment(inquiry=answers)


@pytest.mark.parametrize(
    ("asq", "answers", "level"),
    [
        (None, {}, None),
        ("negative", {"thoughts": "no", "plan": "no"}, None),
        (None, {"thoughts": "yes"}, "low"),
        (None, {"thoughts": "yes", "plan": "yes"}, "moderate"),
        ("non-acute positive", {}, "moderate"),
        (None, {"thoughts": "yes", "plan": "yes", "intent": "yes"}, "high"),
        (None, {"behaviours": "yes"}, "high"),
        ("acute positive", {}, "high"),
        ("acute positive", {"thoughts": "no"}, "high"),
        (None, {"thoughts": "unknown", "plan": "unknown"}, None),
    ],
)
def test_suggested_level(asq: str | None, answers: dict[str, str], level: str | None) -> None:
    suggestion = protocol.suggested_level(asq, _inquiry(**answers))
    assert (suggestion.level if suggestion else None) == level
    if suggestion:
        assert suggestion.reasons  # always says why


def test_suggestion_names_only_the_reasons_for_its_level() -> None:
    suggestion = protocol.suggested_level("acute positive", _inquiry(thoughts="yes", plan="yes"))
    assert suggestion is not None
    assert suggestion.reasons == (
        "The ASQ was an acute positive screen (thoughts of suicide now).",
    )


def test_follow_up_schedule_with_the_default_caring_days() -> None:
    schedule = protocol.follow_up_schedule(OPENED, [14, 30, 60, 90])
    assert schedule == [
        ("contact_24h", OPENED + timedelta(hours=24)),
        ("contact_72h", OPENED + timedelta(hours=72)),
        ("contact_7d", OPENED + timedelta(days=7)),
        ("caring_14d", OPENED + timedelta(days=14)),
        ("caring_30d", OPENED + timedelta(days=30)),
        ("caring_60d", OPENED + timedelta(days=60)),
        ("caring_90d", OPENED + timedelta(days=90)),
    ]


@pytest.mark.parametrize(
    ("days", "caring"),
    [
        ([], []),
        ([30, 14, 30], ["caring_14d", "caring_30d"]),  # sorted, duplicates once
        ([7, 8], ["caring_8d"]),  # the 7-day contact already covers day 7
        ([365, 366], ["caring_365d"]),
        ([0, -3], []),
    ],
)
def test_follow_up_schedule_caring_days(days: list[int], caring: list[str]) -> None:
    kinds = [kind for kind, _ in protocol.follow_up_schedule(OPENED, days)]
    assert kinds == ["contact_24h", "contact_72h", "contact_7d", *caring]


@pytest.mark.parametrize(
    ("days", "problems"),
    [([14, 30, 60, 90], 0), ([8, 365], 0), ([7], 1), ([366], 1), ([14, 14], 1), ([0, 400], 2)],
)
def test_caring_days_problems(days: list[int], problems: int) -> None:
    assert len(protocol.caring_days_problems(days)) == problems


@pytest.mark.parametrize(
    ("kind", "label", "severity"),
    [
        ("contact_24h", "Contact within 24 hours", "high"),
        ("contact_72h", "Contact within 72 hours", "high"),
        ("contact_7d", "Contact within 7 days", "concern"),
        ("caring_30d", "Caring contact, day 30", "concern"),
    ],
)
def test_follow_up_label_and_severity(kind: str, label: str, severity: str) -> None:
    assert protocol.follow_up_label(kind) == label
    assert protocol.follow_up_severity(kind) == severity


def test_disposition_needs_known_options_and_at_least_one() -> None:
    assert protocol.parse_disposition(["emergency_evaluation", "safety_plan_reviewed"]) == (
        "safety_plan_reviewed",
        "emergency_evaluation",
    )
    with pytest.raises(ValueError, match="at least one"):
        protocol.parse_disposition([])
    with pytest.raises(ValueError, match="does not know"):
        protocol.parse_disposition(["sent_home"])


def test_deescalation_may_be_empty_but_not_unknown() -> None:
    assert protocol.parse_deescalation([]) == ()
    assert protocol.parse_deescalation(["calm", "stayed_with", "calm"]) == ("stayed_with", "calm")
    with pytest.raises(ValueError):
        protocol.parse_deescalation(["hug"])


def _parse(**overrides: object) -> Assessment:
    fields: dict[str, object] = {
        "risk_factors": ["lethal_means", "loss_or_rejection"],
        "protective_factors": ["reasons_for_living"],
        "inquiry": {"thoughts": "yes", "plan": "", "behaviours": "no"},
        "notes": {"plan_note": "  none described  ", "treatment_plan": ""},
        **overrides,
    }
    return protocol.parse_assessment(**fields)  # type: ignore[arg-type]


def test_parse_assessment_normalises() -> None:
    assessment = _parse()
    assert assessment.risk_factors == ("loss_or_rejection", "lethal_means")
    assert dict(assessment.inquiry) == {
        "thoughts": "yes",
        "plan": "unknown",
        "behaviours": "no",
        "intent": "unknown",
    }
    assert assessment.note("plan_note") == "none described"
    assert Assessment.from_json(assessment.to_json()) == Assessment(
        assessment.risk_factors,
        assessment.protective_factors,
        assessment.inquiry,
        {"plan_note": "none described"},
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"risk_factors": ["bad_luck"]}, "risk factor"),
        ({"protective_factors": ["money"]}, "protective factor"),
        ({"inquiry": {"thoughts": "maybe"}}, "isn't one of the choices"),
        ({"inquiry": {"mood": "yes"}}, "inquiry area"),
        ({"notes": {"secret": "x"}}, "field"),
        ({"notes": {"plan_note": "x" * (protocol.MAX_NOTE + 1)}}, "under"),
    ],
)
def test_parse_assessment_refuses_bad_input(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _parse(**overrides)


def test_changed_parts_names_parts_never_content() -> None:
    before = _parse()
    after = _parse(notes={"plan_note": "bought pills", "treatment_plan": ""})
    assert after.changed_parts(before) == ["plan_note"]
    assert _parse().changed_parts(before) == []


@pytest.mark.parametrize(
    ("recorded", "pending", "note", "problems"),
    [
        (True, [], "Reviewed with supervisor.", 0),
        (False, [], "Reviewed.", 1),
        (True, ["contact_7d"], "Reviewed.", 1),
        (True, [], "   ", 1),
        (True, [], "x" * (protocol.MAX_NOTE + 1), 1),
        (False, ["contact_24h", "contact_72h"], "", 3),
    ],
)
def test_closing_problems(recorded: bool, pending: list[str], note: str, problems: int) -> None:
    found = protocol.closing_problems(
        disposition_recorded=recorded, pending_required=pending, review_note=note
    )
    assert len(found) == problems


def test_closing_names_the_follow_ups_still_to_do() -> None:
    (problem,) = protocol.closing_problems(
        disposition_recorded=True, pending_required=["contact_72h"], review_note="ok"
    )
    assert "contact within 72 hours" in problem and "could not reach" in problem
