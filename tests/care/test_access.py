"""Who may see which client. Each negative test first creates the data that could leak:
Kim has scores and an assignment before Dan (same organisation, other team), Erin
(other organisation), Lee (another client) and Ada (admin) try to read them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mend.identity.models import User
from mend.measures import service as measures
from mend.measures.models import Assignment
from mend.platform.clock import FixedClock
from tests.support.personas import Personas
from tests.support.web import Browser


@pytest.fixture
def kim_has_history(db: Session, people: Personas, clock: FixedClock) -> int:
    assignment = measures.assign(
        db,
        clinician=people.carol,
        client=people.kim,
        instrument_id="phq9",
        interval_days=None,
        share_scores=False,
        now=clock.now(),
    )
    measures.save_answers(
        db,
        client=people.kim,
        actor=people.kim.user,
        assignment_id=assignment.id,
        answers=[1, 1, 1, 1, 1, 1, 1, 1, 1],
        submit=True,
        now=clock.now(),
    )
    db.commit()
    return assignment.id


def kim_paths(people: Personas) -> list[str]:
    k = people.kim.id
    return [
        f"/clinic/clients/{k}",
        f"/clinic/clients/{k}/measures/phq9.csv",
        f"/clinic/clients/{k}/measures/phq9/chart.svg",
        f"/api/v1/clients/{k}/administrations",
    ]


def test_carol_sees_her_clients_records(
    kim_has_history: int, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    for path in kim_paths(people):
        assert carol.get(path).status_code == 200, path


@pytest.mark.parametrize("who", ["dan", "erin", "admin"])
def test_staff_off_the_care_team_get_404_for_every_client_record(
    who: str, kim_has_history: int, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    outsider = as_user(getattr(people, who))
    for path in kim_paths(people):
        response = outsider.get(path)
        assert response.status_code == 404, path
        assert people.kim.name not in response.text


def test_a_client_cannot_open_clinician_pages_for_anyone(
    kim_has_history: int, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    lee = as_user(people.lee.user)
    for path in kim_paths(people):
        assert lee.get(path).status_code == 404, path
    assert lee.get("/clinic").status_code == 404


@pytest.mark.parametrize("who", ["dan", "erin"])
def test_outsiders_cannot_change_a_clients_record(
    who: str,
    kim_has_history: int,
    people: Personas,
    db: Session,
    as_user: Callable[[User], Browser],
) -> None:
    outsider = as_user(getattr(people, who))
    k = people.kim.id
    before = db.scalar(select(func.count()).select_from(Assignment))
    attempts = [
        (f"/clinic/clients/{k}/assignments", {"instrument_id": "gad7", "repeat": "once"}),
        (f"/clinic/clients/{k}/assignments/{kim_has_history}/end", {}),
        (f"/clinic/clients/{k}/invitation", {}),
        (f"/clinic/clients/{k}/team", {"clinician_id": str(people.dan.id)}),
    ]
    for path, data in attempts:
        assert outsider.post(path, data).status_code == 404, path
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Assignment)) == before
    assert db.get(Assignment, kim_has_history).active  # type: ignore[union-attr]


def test_another_client_cannot_open_or_answer_kims_questionnaire(
    kim_has_history: int,
    people: Personas,
    db: Session,
    clock: FixedClock,
    as_user: Callable[[User], Browser],
) -> None:
    recurring = measures.assign(
        db,
        clinician=people.carol,
        client=people.kim,
        instrument_id="gad7",
        interval_days=7,
        share_scores=False,
        now=clock.now(),
    )
    db.commit()
    lee = as_user(people.lee.user)
    assert lee.get(f"/me/questionnaires/{recurring.id}").status_code == 404
    response = lee.post(f"/me/questionnaires/{recurring.id}", {"item-1": "1", "action": "save"})
    assert response.status_code == 404
    kim = as_user(people.kim.user)
    assert kim.get(f"/me/questionnaires/{recurring.id}").status_code == 200


def test_caseload_lists_only_the_clinicians_own_clients(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    page = as_user(people.carol).get("/clinic").text
    assert people.kim.name in page
    assert people.lee.name not in page
    assert people.omar.name not in page


def test_covering_clinician_added_to_the_team_can_see_the_client(
    kim_has_history: int, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    carol.get(f"/clinic/clients/{people.kim.id}")
    response = carol.post(
        f"/clinic/clients/{people.kim.id}/team",
        {"clinician_id": str(people.dan.id), "role": "covering"},
    )
    assert response.status_code == 303
    assert as_user(people.dan).get(f"/clinic/clients/{people.kim.id}").status_code == 200


def test_a_clinician_of_another_organisation_cannot_be_added_to_a_team(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    response = carol.post(
        f"/clinic/clients/{people.kim.id}/team", {"clinician_id": str(people.erin.id)}
    )
    assert response.status_code == 404
    assert as_user(people.erin).get(f"/clinic/clients/{people.kim.id}").status_code == 404


def test_admin_pages_are_404_for_clinicians_and_clients(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    for user in (people.carol, people.kim.user):
        browser = as_user(user)
        assert browser.get("/admin").status_code == 404
        assert browser.get("/admin/audit").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(browser: Browser, people: Personas) -> None:
    for path in ("/clinic", "/me", "/admin", f"/clinic/clients/{people.kim.id}"):
        response = browser.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/sign-in")
    assert browser.get(f"/api/v1/clients/{people.kim.id}/administrations").status_code == 401
