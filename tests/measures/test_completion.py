"""Assigning, finding what is due, saving a draft and completing it, over the real pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mend.identity.models import User
from mend.measures import service as measures
from mend.measures.models import Administration, Assignment
from mend.platform.audit import AuditEvent
from mend.platform.clock import FixedClock
from mend.platform.errors import Invalid
from tests.support.personas import Personas
from tests.support.web import Browser

# Item 9 at 0: these tests follow the ordinary path; tests/safety covers item 9 above 0.
ALL_ONES = {**{f"item-{n}": "1" for n in range(1, 9)}, "item-9": "0"}


def _assign(db: Session, people: Personas, clock: FixedClock, **kwargs: object) -> Assignment:
    options: dict[str, object] = {
        "instrument_id": "phq9",
        "interval_days": 7,
        "share_scores": False,
    }
    options.update(kwargs)
    assignment = measures.assign(
        db,
        clinician=people.carol,
        client=people.kim,
        now=clock.now(),
        **options,  # type: ignore[arg-type]
    )
    db.commit()
    return assignment


def test_clinician_assigns_from_the_chart(
    people: Personas, db: Session, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    carol.get(f"/clinic/clients/{people.kim.id}")
    response = carol.post(
        f"/clinic/clients/{people.kim.id}/assignments",
        {"instrument_id": "gad7", "repeat": "every", "every_days": "10", "share_scores": "on"},
    )
    assert response.status_code == 303
    assignment = db.scalar(select(Assignment).where(Assignment.client_id == people.kim.id))
    assert assignment is not None
    assert (assignment.instrument_id, assignment.interval_days, assignment.share_scores) == (
        "gad7",
        10,
        True,
    )


@pytest.mark.parametrize(
    "form",
    [
        {"instrument_id": "not-a-measure", "repeat": "once"},
        {"instrument_id": "phq9", "repeat": "sometimes"},
        {"instrument_id": "phq9", "repeat": "every", "every_days": "0"},
        {"instrument_id": "phq9", "repeat": "every", "every_days": "many"},
        {"instrument_id": "phq9", "repeat": "every", "every_days": "999"},
    ],
)
def test_bad_assignment_form_is_refused_and_changes_nothing(
    form: dict[str, str], people: Personas, db: Session, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    response = carol.post(f"/clinic/clients/{people.kim.id}/assignments", form)
    assert response.status_code == 422
    assert "Please" in response.text
    assert db.scalar(select(func.count()).select_from(Assignment)) == 0


def test_client_sees_due_questionnaire_and_completes_it(
    people: Personas, db: Session, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    assignment = _assign(db, people, clock)
    kim = as_user(people.kim.user)
    home = kim.get("/me")
    assert f"/me/questionnaires/{assignment.id}" in home.text
    form = kim.get(f"/me/questionnaires/{assignment.id}")
    assert "Little interest or pleasure in doing things?" in form.text
    done = kim.post(f"/me/questionnaires/{assignment.id}", {**ALL_ONES, "action": "submit"})
    assert done.status_code == 303
    thanks = kim.get(done.headers["location"])
    assert "Thank you" in thanks.text
    assert "score:" not in thanks.text  # not shared unless the clinician chose to
    admin = db.scalar(select(Administration))
    assert admin is not None
    assert (admin.status, admin.total, admin.band, admin.instrument_version) == (
        "completed",
        8.0,
        "mild",
        "1.0",
    )
    assert admin.flags == []
    assert f"/me/questionnaires/{assignment.id}" not in kim.get("/me").text
    clock.advance(days=7)
    kim = as_user(people.kim.user)  # a week later, a new visit
    assert f"/me/questionnaires/{assignment.id}" in kim.get("/me").text


def test_shared_scores_are_shown_to_the_client(
    people: Personas, db: Session, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    assignment = _assign(db, people, clock, share_scores=True)
    kim = as_user(people.kim.user)
    done = kim.post(f"/me/questionnaires/{assignment.id}", {**ALL_ONES, "action": "submit"})
    assert "score: <strong>8</strong>" in kim.get(done.headers["location"]).text


def test_answers_saved_for_later_come_back(
    people: Personas, db: Session, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    assignment = _assign(db, people, clock)
    kim = as_user(people.kim.user)
    saved = kim.post(
        f"/me/questionnaires/{assignment.id}", {"item-1": "2", "item-2": "3", "action": "save"}
    )
    assert saved.status_code == 303
    assert "2 answered so far" in kim.get("/me").text
    page = kim.get(f"/me/questionnaires/{assignment.id}").text
    assert 'name="item-1" value="2" checked' in page
    assert 'name="item-2" value="3" checked' in page
    draft = db.scalar(select(Administration))
    assert draft is not None and draft.status == "in_progress"


def test_finishing_with_unanswered_questions_keeps_answers_and_says_which(
    people: Personas, db: Session, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    assignment = _assign(db, people, clock)
    kim = as_user(people.kim.user)
    partial = {k: v for k, v in ALL_ONES.items() if k not in ("item-4", "item-7")}
    response = kim.post(f"/me/questionnaires/{assignment.id}", {**partial, "action": "submit"})
    assert response.status_code == 422
    assert "questions 4, 7" in response.text
    draft = db.scalar(select(Administration))
    assert draft is not None
    assert draft.status == "in_progress"
    assert draft.answers == [1, 1, 1, None, 1, 1, None, 1, 0]


@pytest.mark.parametrize(
    "bad",
    [{"item-1": "4"}, {"item-1": "-1"}, {"item-1": "one"}, {"item-1": "1.5"}],
)
def test_impossible_answers_are_refused_and_nothing_is_stored(
    bad: dict[str, str],
    people: Personas,
    db: Session,
    clock: FixedClock,
    as_user: Callable[[User], Browser],
) -> None:
    assignment = _assign(db, people, clock)
    kim = as_user(people.kim.user)
    response = kim.post(
        f"/me/questionnaires/{assignment.id}", {**ALL_ONES, **bad, "action": "submit"}
    )
    assert response.status_code == 422
    assert "Question 1" in response.text
    assert db.scalar(select(func.count()).select_from(Administration)) == 0


def test_a_completed_questionnaire_cannot_be_answered_again(
    people: Personas, db: Session, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    assignment = _assign(db, people, clock, interval_days=None)
    kim = as_user(people.kim.user)
    kim.post(f"/me/questionnaires/{assignment.id}", {**ALL_ONES, "action": "submit"})
    again = kim.post(f"/me/questionnaires/{assignment.id}", {**ALL_ONES, "action": "submit"})
    assert again.status_code == 404
    assert db.scalar(select(func.count()).select_from(Administration)) == 1


def test_ended_assignment_is_no_longer_due(
    people: Personas, db: Session, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    assignment = _assign(db, people, clock)
    carol = as_user(people.carol)
    assert (
        carol.post(f"/clinic/clients/{people.kim.id}/assignments/{assignment.id}/end").status_code
        == 303
    )
    assert f"/me/questionnaires/{assignment.id}" not in as_user(people.kim.user).get("/me").text


def test_every_read_and_change_of_scores_is_audited(
    people: Personas, db: Session, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    assignment = _assign(db, people, clock)
    kim = as_user(people.kim.user)
    kim.post(f"/me/questionnaires/{assignment.id}", {**ALL_ONES, "action": "submit"})
    carol = as_user(people.carol)
    carol.get(f"/clinic/clients/{people.kim.id}")
    carol.get(f"/clinic/clients/{people.kim.id}/measures/phq9.csv")
    actions = [
        (e.action, e.actor_id)
        for e in db.scalars(
            select(AuditEvent).where(AuditEvent.client_id == people.kim.id).order_by(AuditEvent.id)
        )
    ]
    assert ("assignment.create", people.carol.id) in actions
    assert ("administration.complete", people.kim.user.id) in actions
    assert ("chart.read", people.carol.id) in actions
    assert ("export.read", people.carol.id) in actions
    carol.get("/clinic")
    caseload = db.scalars(select(AuditEvent).where(AuditEvent.action == "caseload.read")).one()
    assert people.kim.id in caseload.detail["clients"]


def test_service_refuses_a_wrong_number_of_answers(
    people: Personas, db: Session, clock: FixedClock
) -> None:
    assignment = _assign(db, people, clock)
    with pytest.raises(Invalid):
        measures.save_answers(
            db,
            client=people.kim,
            actor=people.kim.user,
            assignment_id=assignment.id,
            answers=[1, 1],
            submit=True,
            now=clock.now(),
        )


def test_chart_shows_scores_change_and_csv_has_item_answers(
    people: Personas, db: Session, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    assignment = _assign(db, people, clock)
    for answer in ("3", "1"):  # 24 then 8 (item 9 at 0): a reliable improvement
        kim = as_user(people.kim.user)
        kim.post(
            f"/me/questionnaires/{assignment.id}",
            {**{k: answer for k in ALL_ONES}, "item-9": "0", "action": "submit"},
        )
        clock.advance(days=7)
    carol = as_user(people.carol)
    chart = carol.get(f"/clinic/clients/{people.kim.id}")
    assert "PHQ-9" in chart.text
    assert "recovered" in chart.text or "reliably improved" in chart.text
    svg = carol.get(f"/clinic/clients/{people.kim.id}/measures/phq9/chart.svg")
    assert svg.headers["content-type"] == "image/svg+xml"
    assert svg.text.lstrip().startswith("<?xml")
    csv_text = carol.get(f"/clinic/clients/{people.kim.id}/measures/phq9.csv").text
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("completed_at,instrument,version,total,band")
    assert lines[1].split(",")[3] == "24"
    assert lines[2].split(",")[3] == "8"
    assert lines[2].endswith("1,1,1,1,1,1,1,1,0")


def test_instrument_without_change_parameters_charts_without_classifying(
    people: Personas, db: Session, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    assignment = _assign(db, people, clock, instrument_id="pcl5")
    for answer in ("3", "1"):
        kim = as_user(people.kim.user)
        answers = {f"item-{n}": answer for n in range(1, 21)}
        assert (
            kim.post(
                f"/me/questionnaires/{assignment.id}", {**answers, "action": "submit"}
            ).status_code
            == 303
        )
        clock.advance(days=7)
    carol = as_user(people.carol)
    chart = carol.get(f"/clinic/clients/{people.kim.id}")
    assert chart.status_code == 200
    assert "change is not classified" in chart.text
    assert carol.get(f"/clinic/clients/{people.kim.id}/measures/pcl5/chart.svg").status_code == 200
    rows = carol.get(f"/clinic/clients/{people.kim.id}/measures/pcl5.csv").text.strip().splitlines()
    assert rows[1].split(",")[3] == "60" and rows[2].split(",")[3] == "20"
