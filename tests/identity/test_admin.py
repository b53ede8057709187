"""The admin manages the organisation and staff, and reads the audit log."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mend.identity.models import Organisation, Role, User
from tests.support.personas import Personas
from tests.support.web import Browser


def test_admin_creates_a_clinician_who_gets_an_invitation(
    people: Personas, db: Session, browser: Browser, as_user: Callable[[User], Browser]
) -> None:
    ada = as_user(people.admin)
    ada.get("/admin")
    response = ada.post(
        "/admin/staff", {"name": "Nia Newhire", "email": "nia@harbour.test", "role": "clinician"}
    )
    assert response.status_code == 201
    nia = db.scalar(select(User).where(User.email == "nia@harbour.test"))
    assert nia is not None and nia.role == Role.CLINICIAN and nia.organisation_id == people.org.id
    link = re.search(r"http://mend\.test(/invitation/[\w-]+)", response.text)
    assert link
    browser.get(link.group(1))
    accepted = browser.post(
        link.group(1), {"password": "a good long password", "confirm": "a good long password"}
    )
    assert accepted.headers["location"].startswith("/clinic")


@pytest.mark.parametrize(
    "form",
    [
        {"name": "X", "email": "x@harbour.test", "role": "client"},
        {"name": "X", "email": "x@harbour.test", "role": "superuser"},
        {"name": "X", "email": "carol@harbour.test", "role": "clinician"},
        {"name": "", "email": "x@harbour.test", "role": "clinician"},
    ],
)
def test_bad_staff_form_is_refused(
    form: dict[str, str], people: Personas, db: Session, as_user: Callable[[User], Browser]
) -> None:
    ada = as_user(people.admin)
    assert ada.post("/admin/staff", form).status_code == 422
    assert db.scalar(select(User).where(User.email == "x@harbour.test")) is None


def test_admin_changes_locale_and_clients_see_that_countrys_crisis_lines(
    people: Personas, db: Session, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    assert 'href="tel:988"' in kim.get("/me").text
    ada = as_user(people.admin)
    assert ada.post("/admin/organisation", {"name": "Harbour", "locale": "GB"}).status_code == 303
    page = as_user(people.kim.user).get("/me").text
    assert "116 123" in page and "999" in page
    assert 'href="tel:988"' not in page


@pytest.mark.parametrize(
    "form", [{"name": "", "locale": "US"}, {"name": "Harbour", "locale": "XX"}]
)
def test_bad_organisation_form_changes_nothing(
    form: dict[str, str], people: Personas, db: Session, as_user: Callable[[User], Browser]
) -> None:
    ada = as_user(people.admin)
    assert ada.post("/admin/organisation", form).status_code == 422
    db.expire_all()
    org = db.get(Organisation, people.org.id)
    assert org is not None and (org.name, org.locale) == ("Harbour", "US")


def test_audit_log_shows_only_this_organisations_events(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    as_user(people.erin).get(
        f"/clinic/clients/{people.omar.id}"
    )  # an event in the other organisation
    as_user(people.carol).get(f"/clinic/clients/{people.kim.id}")
    page = as_user(people.admin).get("/admin/audit").text
    assert "Carol Clinician" in page
    assert "Erin Elsewhere" not in page


def test_admin_sees_staff_but_not_client_records(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    page = as_user(people.admin).get("/admin").text
    assert "Carol Clinician" in page and "Dan Clinician" in page
    assert "Erin Elsewhere" not in page
    assert "Kim Client" not in page
