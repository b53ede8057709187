"""A form sent just as the sign-in timed out is kept and offered back after sign-in,
so nobody loses what they wrote to an idle timer (no time limits on forms)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mend.identity.models import KeptSubmission, User
from mend.platform.clock import FixedClock
from mend.practice.models import JournalEntry
from tests.support.personas import PASSWORD, Personas
from tests.support.web import Browser

WORDS = "A long evening entry,\nwritten slowly over more than an hour."
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', re.S)


def _timed_out_post(kim: Browser, clock: FixedClock, csrf: str | None = None) -> object:
    kim.get("/me/journal/new")
    clock.advance(minutes=61)
    form = {"body": WORDS, "mood": "tired"}
    if csrf is not None:
        form["csrf_token"] = csrf
    return kim.post("/me/journal", form)


def test_timed_out_journal_entry_is_kept_and_sent_after_sign_in(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = _timed_out_post(kim, clock)
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/sign-in?kept=1"  # type: ignore[attr-defined]
    assert db.scalar(select(func.count()).select_from(JournalEntry)) == 0
    raw = db.connection().exec_driver_sql("SELECT fields FROM kept_submissions").scalar()
    assert raw is not None and "evening" not in raw  # kept encrypted
    assert "kept safe" in kim.get("/sign-in?kept=1").text
    signed_in = kim.post("/sign-in", {"email": "kim@harbour.test", "password": PASSWORD})
    assert signed_in.headers["location"].startswith("/kept/")
    page = kim.get(signed_in.headers["location"])
    assert "We kept what you sent" in page.text
    assert "written slowly over more than an hour" in page.text
    # Submit the kept page's own form, exactly as a browser would.
    resend = page.text.split('action="/me/journal"', 1)[1].split("</form>", 1)[0]
    fields = {html.unescape(k): html.unescape(v) for k, v in HIDDEN.findall(resend)}
    sent = kim.post("/me/journal", fields, csrf=False)
    assert sent.status_code == 303
    entry = db.scalars(select(JournalEntry)).one()
    assert (entry.body, entry.mood) == (WORDS, "tired")


def test_a_kept_form_is_offered_once_and_can_be_let_go(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    _timed_out_post(kim, clock)
    kim.get("/sign-in?kept=1")
    first = kim.post("/sign-in", {"email": "kim@harbour.test", "password": PASSWORD})
    kept_path = first.headers["location"]
    kim.get(kept_path)
    assert kim.post(kept_path + "/discard").status_code == 303
    assert kim.get(kept_path).status_code == 404
    kim.post("/sign-out")
    kim.get("/sign-in")
    again = kim.post("/sign-in", {"email": "kim@harbour.test", "password": PASSWORD})
    assert again.headers["location"] == "/me"


def test_a_form_without_the_sessions_own_token_is_not_kept(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = _timed_out_post(kim, clock, csrf="forged-by-another-site")
    assert response.headers["location"].startswith("/sign-in?next=")  # type: ignore[attr-defined]
    assert db.scalar(select(func.count()).select_from(KeptSubmission)) == 0


def test_nobody_else_can_open_a_kept_form(
    db: Session, people: Personas, clock: FixedClock, as_user: Callable[[User], Browser]
) -> None:
    _timed_out_post(as_user(people.kim.user), clock)
    kept = db.scalars(select(KeptSubmission)).one()
    lee = as_user(people.lee.user)
    assert lee.get(f"/kept/{kept.id}").status_code == 404
    assert lee.post(f"/kept/{kept.id}/discard").status_code == 404
    db.expire_all()
    assert db.get(KeptSubmission, kept.id).discarded_at is None  # type: ignore[union-attr]
