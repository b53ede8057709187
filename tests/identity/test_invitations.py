"""A clinician adds a client and hands over a one-time link; the client sets a password."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mend.care.models import CareTeamMember, Client
from mend.identity.models import Invitation, User
from mend.platform.clock import FixedClock
from tests.support.personas import Personas
from tests.support.web import Browser

LINK = re.compile(r"http://mend\.test(/invitation/[A-Za-z0-9_-]+)")
NEW_PASSWORD = "a long new password"


def _add_client(carol: Browser, **form: str) -> tuple[int, str]:
    carol.get("/clinic/clients/new")
    data = {"name": "Rosa Client", "email": "rosa@harbour.test", "referral_reason": "", **form}
    response = carol.post("/clinic/clients", data)
    assert response.status_code == 201, response.text
    match = LINK.search(response.text)
    assert match
    return response.status_code, match.group(1)


def test_clinician_adds_client_who_accepts_and_signs_in(
    people: Personas, db: Session, browser: Browser, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    _, path = _add_client(carol, referral_reason="Left out by a close group of friends")
    client = db.scalar(
        select(Client)
        .join(User, User.id == Client.user_id)
        .where(User.email == "rosa@harbour.test")
    )
    assert client is not None
    team = db.scalar(select(CareTeamMember).where(CareTeamMember.client_id == client.id))
    assert team is not None and team.clinician_id == people.carol.id
    page = browser.get(path)
    assert "Welcome, Rosa Client" in page.text
    accepted = browser.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert accepted.status_code == 303
    assert accepted.headers["location"].startswith("/me")
    assert browser.get("/me").status_code == 200
    # The link works once.
    assert browser.get(path).status_code == 404


def test_referral_reason_is_encrypted_at_rest(
    people: Personas, db: Session, as_user: Callable[[User], Browser]
) -> None:
    _add_client(as_user(people.carol), referral_reason="Betrayed by a business partner")
    raw = (
        db.connection()
        .exec_driver_sql("SELECT referral_reason FROM clients WHERE referral_reason IS NOT NULL")
        .scalar()
    )
    assert raw is not None
    assert "Betrayed" not in raw
    assert (
        db.scalar(select(Client.referral_reason).where(Client.referral_reason.is_not(None)))
        == "Betrayed by a business partner"
    )


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "", "email": "x@harbour.test"}, "Please enter a name"),
        ({"name": "X", "email": "not-an-email"}, "Please enter an email address"),
        ({"name": "X", "email": "kim@harbour.test"}, "already uses that email"),
        (
            {"name": "X", "email": "y@harbour.test", "referral_reason": "z" * 2001},
            "Some of what was sent",
        ),
    ],
)
def test_bad_new_client_form_is_refused_and_changes_nothing(
    form: dict[str, str],
    message: str,
    people: Personas,
    db: Session,
    as_user: Callable[[User], Browser],
) -> None:
    carol = as_user(people.carol)
    before = db.scalar(select(func.count()).select_from(User))
    response = carol.post("/clinic/clients", form)
    assert response.status_code == 422
    assert message in response.text.replace("&#39;", "'")
    assert db.scalar(select(func.count()).select_from(User)) == before


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", "at least 10 characters"),
        (NEW_PASSWORD, "something else entirely", "don't match"),
        (" " + NEW_PASSWORD, " " + NEW_PASSWORD, "start or end the password with a space"),
    ],
)
def test_bad_password_on_invitation_keeps_the_link_usable(
    password: str,
    confirm: str,
    message: str,
    people: Personas,
    browser: Browser,
    as_user: Callable[[User], Browser],
) -> None:
    _, path = _add_client(as_user(people.carol))
    browser.get(path)
    response = browser.post(path, {"password": password, "confirm": confirm})
    assert response.status_code == 422
    assert message in response.text.replace("&#39;", "'")
    assert browser.get(path).status_code == 200


def test_expired_invitation_is_refused_kindly(
    people: Personas, browser: Browser, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    _, path = _add_client(as_user(people.carol))
    clock.advance(days=8)
    page = browser.get(path)
    assert page.status_code == 404
    assert "ask your clinician for a new one" in page.text
    assert 'href="tel:988"' in page.text  # help is never behind a broken link


def test_a_new_link_replaces_the_old_one(
    people: Personas, db: Session, browser: Browser, as_user: Callable[[User], Browser]
) -> None:
    carol = as_user(people.carol)
    _, old = _add_client(carol)
    client_id = db.scalar(
        select(Client.id)
        .join(User, User.id == Client.user_id)
        .where(User.email == "rosa@harbour.test")
    )
    carol.get(f"/clinic/clients/{client_id}")
    renewed = carol.post(f"/clinic/clients/{client_id}/invitation")
    match = LINK.search(renewed.text)
    assert match
    assert browser.get(old).status_code == 404
    assert browser.get(match.group(1)).status_code == 200
    open_links = select(func.count()).select_from(Invitation).where(Invitation.used_at.is_(None))
    assert db.scalar(open_links) == 1


def test_unknown_invitation_token_is_404(browser: Browser) -> None:
    assert browser.get("/invitation/not-a-real-token").status_code == 404
    browser.get("/sign-in")
    assert (
        browser.post(
            "/invitation/not-a-real-token", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        ).status_code
        == 404
    )
