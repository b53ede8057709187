"""Words of risk are never dropped: every free-text field of a client's form is screened
before the rest of the form is checked. A form refused for another field still raises
its alert (committed before the 422 answer, the words kept encrypted as the evidence),
comes back with everything typed, and shows the support content at the top. Sending it
again corrected, with the same words, raises no second alert."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mend.identity.models import User
from mend.practice.activation import Activity
from mend.practice.boundaries import BoundaryPractice
from mend.practice.checkins import CheckIn
from mend.practice.coping import CopingPlace
from mend.practice.models import JournalEntry
from mend.practice.network import NetworkPerson
from mend.practice.strengths import CompassionLetter, StrengthMoment
from mend.practice.thoughts import ThoughtRecord
from mend.safety import plans
from mend.safety.models import Alert
from mend.safety.plans import Entry
from tests.support.personas import Personas
from tests.support.web import Browser

# The words from the issue: written in a check-in whose sleep field was malformed.
URGENT = "I've decided to kill myself tonight, I have the pills ready"
OTHER_URGENT = "I am going to end my life. I have the rope ready."
CONCERN = "Honestly everyone would be better off without me."
SUPPORT = "Your care team has been told"

CHECK_IN = {
    "mood": "2",
    "window": "hypo",
    "signal": ["numb"],
    "other_signals": "",
    "sleep": "about 3 hours",  # malformed: refused
    "note": URGENT,
}
MOMENT = {"story": URGENT, "happened_on": "2026-03-01", "own": ""}  # no strength ticked


def alerts(db: Session) -> list[Alert]:
    db.expire_all()
    return list(db.scalars(select(Alert).order_by(Alert.id)))


def count(db: Session, table: type) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(table)) or 0


def words_of(alert: Alert) -> str:
    return " ".join(r["label"] for r in alert.reasons)


def test_check_in_refused_for_its_sleep_field_still_raises_the_urgent_alert(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    response = as_user(people.kim.user).post("/me/check-in", CHECK_IN)

    assert response.status_code == 422
    page = html.unescape(response.text)
    # The form comes back as typed, with what to fix...
    assert "Please give your sleep in hours" in page
    assert URGENT in page and 'value="about 3 hours"' in page
    # ...under the support content: care team told, crisis lines a tap away.
    assert page.index(SUPPORT) < page.index("Please give your sleep in hours")
    assert "You are not alone" in page and 'href="tel:988"' in page and 'href="tel:911"' in page
    assert "<script" not in page
    assert count(db, CheckIn) == 0  # nothing of the form is saved
    [alert] = alerts(db)
    assert (alert.severity, alert.state, alert.client_id) == ("urgent", "open", people.kim.id)
    assert (alert.source_kind, alert.source_id) == ("check_in", "")
    assert alert.source_label == "a daily check-in (note)"
    assert "kill myself" in words_of(alert)
    raw = db.connection().exec_driver_sql(f"SELECT reasons FROM alerts WHERE id = {alert.id}")
    assert "kill myself" not in str(raw.scalar())  # the words are kept, encrypted


def test_the_corrected_check_in_is_saved_and_raises_no_second_alert(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    assert kim.post("/me/check-in", CHECK_IN).status_code == 422
    assert kim.post("/me/check-in", CHECK_IN).status_code == 422  # sent again, unchanged

    corrected = kim.post("/me/check-in", CHECK_IN | {"sleep": "3"})

    assert corrected.status_code == 303
    assert corrected.headers["location"] == "/me/support?told=1"
    [entry] = db.scalars(select(CheckIn)).all()
    [alert] = alerts(db)
    # The one alert now points at the saved check-in.
    assert (alert.source_kind, alert.source_id) == ("check_in", str(entry.id))
    assert entry.screening_level == "urgent"


def test_strengths_entry_without_a_ticked_strength_still_raises_the_urgent_alert(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = kim.post("/me/strengths", MOMENT)

    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "Please pick at least one strength" in page and URGENT in page
    assert SUPPORT in page and 'href="tel:988"' in page
    assert count(db, StrengthMoment) == 0
    [alert] = alerts(db)
    assert (alert.severity, alert.source_kind, alert.source_id) == (
        "urgent",
        "strength_moment",
        "",
    )
    assert "kill myself" in words_of(alert)

    saved = kim.post("/me/strengths", MOMENT | {"strength": ["persistence"]})
    assert saved.headers["location"] == "/me/support?told=1"
    moment = db.scalars(select(StrengthMoment)).one()
    [alert] = alerts(db)
    assert alert.source_id == str(moment.id)


@dataclass(frozen=True)
class RefusedForm:
    url: str
    form: dict[str, Any]
    table: type
    kind: str
    message: str


REFUSED_FORMS = {
    "journal": RefusedForm(
        "/me/journal",
        {"body": URGENT, "mood": "furious"},
        JournalEntry,
        "journal",
        "Please choose a mood from the list",
    ),
    "thought record": RefusedForm(
        "/me/thoughts",
        {"situation": URGENT, "thought": "The bus was late again.", "go": "next"},
        ThoughtRecord,
        "thought_record",
        "Please name at least one feeling",
    ),
    "activity": RefusedForm(
        "/me/activities",
        {"title": URGENT, "category": "", "planned_on": "2026-03-02"},
        Activity,
        "activity",
        "Please choose what kind of activity",
    ),
    "boundary practice": RefusedForm(
        "/me/boundaries/practice",
        {"practised_on": "2026-03-01", "went": "", "what_happened": URGENT},
        BoundaryPractice,
        "boundary_practice",
        "Please choose a number from 0 to 10",
    ),
    "support network person": RefusedForm(
        "/me/people",
        {"name": "Sam", "relationship": URGENT, "closeness": "", "trust": "5"},
        NetworkPerson,
        "network_person",
        "how close you feel",
    ),
    "self-compassion letter": RefusedForm(
        "/me/strengths/letters",
        {"body": URGENT + " " + "The sea was calm today. " * 450},
        CompassionLetter,
        "compassion_letter",
        "Letters can be up to",
    ),
    "calm place": RefusedForm(
        "/me/coping/calm-place/place",
        {"name": URGENT, "sights": "y" * 301},
        CopingPlace,
        "coping_place",
        "can be up to 300 characters",
    ),
}


@pytest.mark.parametrize("tool", list(REFUSED_FORMS))
def test_every_tool_raises_the_alert_from_a_refused_form_and_shows_support(
    tool: str, db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    case = REFUSED_FORMS[tool]
    kim = as_user(people.kim.user)

    response = kim.post(case.url, case.form)

    assert response.status_code == 422
    page = html.unescape(response.text)
    assert case.message in page
    assert URGENT in page  # nothing typed is lost
    assert SUPPORT in page and 'href="tel:988"' in page
    assert count(db, case.table) == 0
    [alert] = [a for a in alerts(db) if a.severity == "urgent"]
    assert (alert.source_kind, alert.client_id) == (case.kind, people.kim.id)
    assert "kill myself" in words_of(alert)
    raised = len(alerts(db))

    kim.post(case.url, case.form)  # sent again with the same words
    assert len(alerts(db)) == raised


def test_two_fields_of_one_refused_form_make_one_alert_with_all_the_words(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    form = CHECK_IN | {"other_signals": OTHER_URGENT}
    assert as_user(people.kim.user).post("/me/check-in", form).status_code == 422
    [alert] = alerts(db)
    assert "kill myself" in words_of(alert) and "end my life" in words_of(alert)


def test_a_refused_form_sent_again_with_other_words_keeps_those_words_too(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    kim.post("/me/check-in", CHECK_IN)
    kim.post("/me/check-in", CHECK_IN | {"note": OTHER_URGENT})
    [alert] = alerts(db)
    assert "kill myself" in words_of(alert) and "end my life" in words_of(alert)


def test_support_on_a_refused_form_shows_the_clients_own_plan_with_tap_to_call_people(
    db: Session, people: Personas, as_user: Callable[[User], Browser], clock: Any
) -> None:
    content = plans.new_plan_content(db, people.kim)
    content["helpers"] = (Entry("My sister Jo", "07700 900123"),)
    content["coping"] = (Entry("Hold an ice cube"),)
    plans.save_plan(db, client=people.kim, author=people.kim.user, content=content, now=clock.now())
    db.commit()

    page = html.unescape(as_user(people.kim.user).post("/me/check-in", CHECK_IN).text)

    assert "Your safety plan" in page and "Hold an ice cube" in page
    assert 'href="tel:07700900123"' in page and "My sister Jo" in page


def test_concerning_words_in_a_refused_form_raise_a_concern_without_the_support_page(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    response = as_user(people.kim.user).post("/me/check-in", CHECK_IN | {"note": CONCERN})
    assert response.status_code == 422
    assert SUPPORT not in response.text
    [alert] = alerts(db)
    assert alert.severity == "concern"


def test_a_refused_form_without_risk_words_raises_nothing(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    form = CHECK_IN | {"note": "Slept badly after the argument with my sister."}
    response = as_user(people.kim.user).post("/me/check-in", form)
    assert response.status_code == 422
    assert SUPPORT not in response.text
    assert alerts(db) == []


def test_only_the_care_team_sees_the_alert_from_a_refused_form(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    as_user(people.kim.user).post("/me/check-in", CHECK_IN)
    [alert] = alerts(db)
    # Leak first: the alert exists, and people outside Kim's care team cannot see it.
    for outsider in (people.dan, people.erin):
        browser = as_user(outsider)
        assert "Kim" not in browser.get("/clinic/alerts").text
        assert browser.get(f"/clinic/alerts/{alert.id}").status_code == 404
        assert "Kim" not in browser.get("/clinic").text
    carol = as_user(people.carol)
    assert "Kim" in carol.get("/clinic/alerts").text
    page = html.unescape(carol.get(f"/clinic/alerts/{alert.id}").text)
    assert "kill myself" in page and "a daily check-in (note)" in page


def test_writing_to_another_clients_entry_is_404_before_anything_is_screened(
    db: Session, people: Personas, clock: Any, as_user: Callable[[User], Browser]
) -> None:
    from mend.practice import thoughts

    # Leak first: Lee's record exists, and Kim cannot reach it with words or without.
    lees, _ = thoughts.save_first(
        db,
        client=people.lee,
        author=people.lee.user,
        record_id=None,
        step=thoughts.FirstStep("A quiet day.", "The meeting ran over.", (("calm", "20"),)),
        now=clock.now(),
        base_url="http://mend.test",
    )
    db.commit()
    kim = as_user(people.kim.user)
    for step, form in (
        ("evidence", {"evidence_for": URGENT, "evidence_against": ""}),
        ("balance", {"balanced": URGENT}),
        ("thought", {"situation": URGENT, "thought": "x", "go": "next"}),
    ):
        assert kim.post(f"/me/thoughts/{lees.id}/{step}", form).status_code == 404
    assert alerts(db) == []
