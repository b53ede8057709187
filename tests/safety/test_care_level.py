"""Level-of-care guidance on a client: inputs gathered from the record and the clinician's
ratings, every rule shown with its values, the decision and reason kept as history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from mend.care.models import Client
from mend.identity.models import User
from mend.measures.models import Administration
from mend.platform.audit import AuditEvent
from mend.platform.clock import FixedClock
from mend.platform.settings import Settings
from mend.safety import care_level, care_level_pages, crisis_pages
from mend.safety.care_level import CareLevelDecision
from mend.safety.care_level_rules import Ratings
from mend.web.app import create_app
from tests.safety.test_crisis import FULL_FORM, asq_alert, include, open_by_hand
from tests.support.personas import Personas
from tests.support.web import Browser

RATINGS = {"functioning": "3", "support": "some", "engagement": "good"}
BANNER = "This guidance supports, and never replaces, your clinical judgement."


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    return include(
        create_app(settings, session_factory=factory, clock=clock),
        care_level_pages.router,
        crisis_pages.router,
    )


def phq9(
    db: Session, client: Client, clock: FixedClock, *totals_and_weeks: tuple[int, int]
) -> None:
    """Completed PHQ-9s with these totals, each that many weeks before now."""
    bands = ((4, "none/minimal"), (9, "mild"), (14, "moderate"), (19, "moderately severe"))
    for total, weeks_ago in totals_and_weeks:
        at = clock.now() - timedelta(weeks=weeks_ago)
        db.add(
            Administration(
                client_id=client.id,
                instrument_id="phq9",
                instrument_version="1.0",
                due_at=at,
                status="completed",
                answers=[],
                started_at=at,
                updated_at=at,
                completed_at=at,
                total=float(total),
                band=next((b for top, b in bands if total <= top), "severe"),
            )
        )
    db.commit()


def _url(people: Personas) -> str:
    return f"/clinic/clients/{people.kim.id}/care-level"


def _advice(browser: Browser, people: Personas, **ratings: str) -> str:
    response = browser.get(_url(people), params={**RATINGS, **ratings})
    assert response.status_code == 200
    return response.text


def test_the_page_without_ratings_shows_the_record_and_asks_for_ratings(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    page = as_user(people.carol).get(_url(people))
    assert page.status_code == 200
    assert BANNER in page.text
    assert "no completed PHQ-9" in page.text and "outpatient assumed" in page.text
    assert "Show the recommendation" in page.text and "Recommendation:" not in page.text
    reads = db.scalars(select(AuditEvent).where(AuditEvent.action == "care_level.read")).all()
    assert [(e.actor_id, e.client_id) for e in reads] == [(people.carol.id, people.kim.id)]


def test_every_rule_is_listed_with_its_values_and_the_fired_ones_marked(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    phq9(db, people.kim, clock, (12, 9), (13, 0))  # no reliable change over 9 weeks
    page = _advice(as_user(people.carol), people)
    assert BANNER in page
    assert "Recommendation: Enhanced outpatient (two or more sessions a week)" in page
    assert "<code>response.no_change</code>" in page  # the deciding rule
    assert "Response (PHQ-9 vs baseline): <strong>no reliable change</strong>" in page
    assert "Weeks since baseline: <strong>9.0</strong>" in page
    assert page.count('<span class="badge flag">fired</span>') == 2  # and the baseline
    for rule in ("risk.imminent", "risk.high", "symptoms.phq9_severe", "functioning.poor"):
        assert f'<code class="muted">{rule}</code>' in page
    assert "12 at baseline → 13: no reliable change" in page


def test_reliable_deterioration_steps_up_from_the_level_chosen_last(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    phq9(db, people.kim, clock, (4, 6), (12, 0))
    carol = as_user(people.carol)
    assert "Recommendation: Enhanced outpatient" in _advice(carol, people)
    db.add(
        CareLevelDecision(
            organisation_id=people.org.id,
            client_id=people.kim.id,
            decided_by_id=people.carol.id,
            decided_at=clock.now() - timedelta(days=1),
            inputs={"values": {"functioning": 3, "support": "some", "engagement": "good"}},
            recommended_level="intensive_outpatient",
            fired_rules=[],
            chosen_level="intensive_outpatient",
        )
    )
    db.commit()
    assert "Recommendation: Partial hospitalisation" in _advice(carol, people)


def test_risk_comes_from_the_open_episode_and_alerts_it_has_not_weighed(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    alert = asq_alert(db, people, clock, as_user)  # urgent: imminent until assessed
    page = _advice(carol, people)
    assert "Recommendation: Inpatient or emergency evaluation" in page
    assert "unresolved urgent alert" in page
    episode_id = open_by_hand(carol, people)
    carol.post(f"/clinic/crisis/{episode_id}/assessment", {**FULL_FORM, "risk_level": "low"})
    # Nobody has acknowledged the alert yet, so the assessment cannot have weighed it.
    assert "Recommendation: Inpatient or emergency evaluation" in _advice(carol, people)
    carol.post(f"/clinic/alerts/{alert.id}/acknowledge")
    page = _advice(carol, people)
    assert "Recommendation: Outpatient" in page and "judged low" in page
    clock.advance(minutes=5)
    carol = as_user(people.carol)
    asq_alert_again = asq_alert(db, people, clock, as_user, nth=2)
    assert asq_alert_again.state == "open"
    carol.post(f"/clinic/alerts/{asq_alert_again.id}/acknowledge")
    # Raised after the assessment: still counts once acknowledged, until reassessed.
    assert "Recommendation: Inpatient or emergency evaluation" in _advice(carol, people)
    carol.post(
        f"/clinic/crisis/{episode_id}/assessment",
        {**FULL_FORM, "version": "1", "risk_level": "moderate"},
    )
    assert "Recommendation: Enhanced outpatient" in _advice(carol, people)


def test_recording_a_decision_keeps_history_and_needs_a_reason_when_it_differs(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    url = _url(people)
    agreed = carol.post(url, {**RATINGS, "recommended": "outpatient", "chosen": "outpatient"})
    assert agreed.status_code == 303 and agreed.headers["location"].endswith("?saved=1")
    clock.advance(minutes=10)
    form = {**RATINGS, "recommended": "outpatient", "chosen": "intensive_outpatient"}
    no_reason = carol.post(url, {**form, "reason": "  "})
    assert no_reason.status_code == 422
    assert "Please write why you chose intensive outpatient programme" in no_reason.text
    assert db.scalar(select(func.count()).select_from(CareLevelDecision)) == 1
    reason = "Lost her job this week and the break-up is raw; she asked for more support."
    differs = carol.post(url, {**form, "reason": reason})
    assert differs.status_code == 303
    history = care_level.history(db, people.kim)
    assert [(d.recommended_level, d.chosen_level, d.reason) for d in history] == [
        ("outpatient", "intensive_outpatient", reason),
        ("outpatient", "outpatient", None),
    ]
    assert history[0].ratings == Ratings(3, "some", "good")
    assert history[0].fired_rules[0]["id"] == "baseline"
    raw = (
        db.connection()
        .exec_driver_sql("SELECT reason, inputs FROM care_level_decisions ORDER BY id DESC")
        .first()
    )
    assert raw is not None and "break-up" not in raw[0] and "some" not in raw[1]
    events = db.scalars(
        select(AuditEvent).where(AuditEvent.action == "care_level.decide").order_by(AuditEvent.id)
    ).all()
    assert [e.detail["chosen"] for e in events] == ["outpatient", "intensive_outpatient"]
    assert all("break-up" not in str(e.detail) for e in events)
    page = carol.get(url + "?saved=1").text
    assert "Decision saved." in page and reason in page and "differs" in page
    assert '<option value="some" selected>' in page  # ratings start from the last decision


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({**RATINGS, "functioning": "9"}, 422, "1 to 5"),
        ({**RATINGS, "support": "lots"}, 422, "support network"),
        ({**RATINGS, "chosen": "hospital"}, 422, "from the list"),
        ({**RATINGS, "recommended": "partial_hospitalisation"}, 409, "changed since"),
        ({**RATINGS, "chosen": "partial_hospitalisation", "reason": "x" * 4001}, 422, ""),
    ],
)
def test_bad_decisions_change_nothing(
    form: dict[str, str],
    status: int,
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    sent = {"recommended": "outpatient", "chosen": "outpatient", **form}
    response = as_user(people.carol).post(_url(people), sent)
    assert response.status_code == status
    assert message in response.text
    assert db.scalar(select(func.count()).select_from(CareLevelDecision)) == 0
    assert db.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "care_level.decide"
    )) == 0  # fmt: skip


def test_bad_ratings_on_the_page_are_a_clear_422(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    response = as_user(people.carol).get(_url(people), params={**RATINGS, "engagement": "meh"})
    assert response.status_code == 422
    assert "Please choose how engaged they are in treatment." in response.text
    assert "Recommendation:" not in response.text


@pytest.mark.parametrize("who", ["dan", "erin", "lee"])
def test_care_level_is_404_for_everyone_off_the_care_team(
    who: str, db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    person = people.lee.user if who == "lee" else getattr(people, who)
    outsider = as_user(person)
    assert outsider.get(_url(people)).status_code == 404
    assert outsider.get(_url(people), params=RATINGS).status_code == 404
    sent = {**RATINGS, "recommended": "outpatient", "chosen": "outpatient"}
    assert outsider.post(_url(people), sent).status_code == 404
    assert db.scalar(select(func.count()).select_from(CareLevelDecision)) == 0
