from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mend.identity.models import LoginAttempt, SignInSession
from mend.platform.clock import FixedClock
from mend.web.deps import SESSION_COOKIE
from tests.support.personas import PASSWORD, Personas
from tests.support.web import Browser


def _sign_in(browser: Browser, email: str, password: str) -> object:
    browser.get("/sign-in")
    return browser.post("/sign-in", {"email": email, "password": password})


def test_clinician_signs_in_and_lands_on_caseload(browser: Browser, people: Personas) -> None:
    response = _sign_in(browser, "carol@harbour.test", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/clinic"
    assert browser.get("/clinic").status_code == 200


def test_client_signs_in_and_lands_on_home(browser: Browser, people: Personas) -> None:
    response = _sign_in(browser, "KIM@harbour.test ", PASSWORD)
    assert response.headers["location"] == "/me"


def test_wrong_password_and_unknown_email_get_the_same_message(
    browser: Browser, people: Personas, db: Session
) -> None:
    wrong_password = _sign_in(browser, "carol@harbour.test", "not the password")
    unknown_email = _sign_in(browser, "nobody@harbour.test", "not the password")
    assert wrong_password.status_code == unknown_email.status_code == 401
    message = "That email and password don&#39;t match an account."
    assert message in wrong_password.text and message in unknown_email.text
    assert SESSION_COOKIE not in browser.http.cookies
    assert db.scalar(select(func.count()).select_from(SignInSession)) == 0


def test_repeated_failures_are_slowed_down_even_with_the_right_password(
    browser: Browser, people: Personas, clock: FixedClock
) -> None:
    for _ in range(5):
        assert _sign_in(browser, "carol@harbour.test", "guess").status_code == 401
    blocked = _sign_in(browser, "carol@harbour.test", PASSWORD)
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert "Too many sign-in attempts" in blocked.text
    clock.advance(minutes=16)
    assert _sign_in(browser, "carol@harbour.test", PASSWORD).status_code == 303


def test_successful_sign_in_clears_earlier_failures(
    browser: Browser, people: Personas, db: Session
) -> None:
    _sign_in(browser, "carol@harbour.test", "guess")
    _sign_in(browser, "carol@harbour.test", PASSWORD)
    failures = (
        select(func.count()).select_from(LoginAttempt).where(LoginAttempt.succeeded.is_(False))
    )
    assert db.scalar(failures) == 0


def test_sign_in_form_without_csrf_token_is_refused(browser: Browser, people: Personas) -> None:
    browser.get("/sign-in")
    response = browser.post(
        "/sign-in", {"email": "carol@harbour.test", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert SESSION_COOKIE not in browser.http.cookies


def test_session_expires_after_idle_time(
    browser: Browser, people: Personas, clock: FixedClock
) -> None:
    _sign_in(browser, "carol@harbour.test", PASSWORD)
    clock.advance(minutes=61)
    response = browser.get("/clinic")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in")


def test_sign_out_ends_the_session(browser: Browser, people: Personas) -> None:
    _sign_in(browser, "carol@harbour.test", PASSWORD)
    browser.get("/clinic")
    assert browser.post("/sign-out").status_code == 303
    assert browser.get("/clinic").status_code == 303


def test_next_parameter_cannot_redirect_off_site(browser: Browser, people: Personas) -> None:
    browser.get("/sign-in")
    response = browser.post(
        "/sign-in", {"email": "carol@harbour.test", "password": PASSWORD, "next": "//evil.example"}
    )
    assert response.headers["location"] == "/clinic"


def test_sign_in_page_shows_crisis_numbers_without_signing_in(browser: Browser) -> None:
    page = browser.get("/sign-in")
    assert 'href="tel:988"' in page.text
    assert "741741" in page.text
