"""Practise, in a real browser: the clinician assigns paced breathing as homework; on a
phone the client does it with distress ratings before and after, completes a thought
record accepting a suggested thinking trap, and records a check-in; the clinician sees
the homework done with its ratings, the thought record and the check-in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from mend.care import service as care
from mend.identity import service as identity
from mend.identity.models import User
from mend.platform.clock import SystemClock
from tests.browser.conftest import CheckAccessibility, LiveServer, NewContext, Practice

pytestmark = pytest.mark.browser

CLIENT_EMAIL = "rowan@example.org"
CLIENT_PASSWORD = "slow tide over stones"
THOUGHT = "Everyone at work thinks I'm useless and I always mess everything up."


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def pick(page: Page, name: str, value: str) -> None:
    """Tap the tile of a rating or choice, as a person would (the radio sits beneath it)."""
    page.locator(f'label:has(input[name="{name}"][value="{value}"])').click()
    expect(page.locator(f'input[name="{name}"][value="{value}"]')).to_be_checked()


def _client(live_server: LiveServer, practice: Practice) -> int:
    with live_server.factory() as db:
        now = SystemClock().now()
        carol = db.query(User).filter(User.email == practice.clinician_email).one()
        created = care.add_client(
            db,
            clinician=carol,
            name="Rowan Client",
            email=CLIENT_EMAIL,
            referral_reason="",
            now=now,
            settings=live_server.settings,
        )
        identity.accept_invitation(
            db,
            token=created.invitation_token,
            password=CLIENT_PASSWORD,
            confirm=CLIENT_PASSWORD,
            now=now,
        )
        client_id = created.client.id
        db.commit()
    return client_id


def test_client_practises_between_sessions_and_the_clinician_sees_it(
    live_server: LiveServer,
    practice: Practice,
    new_context: NewContext,
    page: Page,
    check_accessibility: CheckAccessibility,
) -> None:
    client_id = _client(live_server, practice)
    chart = f"/clinic/clients/{client_id}"

    # The clinician assigns paced breathing as homework.
    sign_in(page, practice.clinician_email, practice.password)
    page.goto(chart)
    page.get_by_role("navigation", name="Client records").get_by_role(
        "link", name="Homework"
    ).click()
    page.get_by_label("Tool or reading").select_option("coping:breathing")
    page.get_by_label(re.compile("^Instructions")).fill("Once a day this week, ideally before bed.")
    due = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    page.get_by_label("Due by").fill(due)
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("main")).to_contain_text("Paced breathing")
    check_accessibility(page, "practice-homework-assigned")

    phone = new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ).new_page()
    sign_in(phone, CLIENT_EMAIL, CLIENT_PASSWORD)
    expect(phone.get_by_role("heading", name="Practice from your clinician")).to_be_visible()
    check_accessibility(phone, "practice-home")

    # The breathing exercise, rated before and after.
    phone.locator("a.hw-card").first.click()
    phone.get_by_role("button", name="Start now").click()
    pick(phone, "before", "7")
    check_accessibility(phone, "practice-breathing-before")
    phone.get_by_role("button", name="Start").click()
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    check_accessibility(phone, "practice-breathing")
    phone.get_by_role("link", name="Start").first.click()
    phone.get_by_role("link", name="I'm done").first.click()
    pick(phone, "after", "3")
    phone.get_by_role("button", name="Save").click()
    expect(phone.locator("main")).to_contain_text(re.compile(r"7.*3|down by 4|4 points", re.S))
    check_accessibility(phone, "practice-breathing-done")

    # Telling the clinician the homework is done, with ratings.
    phone.goto("/me")
    phone.locator("a.hw-card").first.click()
    phone.get_by_role("link", name="Tell us you did it").click()
    pick(phone, "before", "7")
    pick(phone, "after", "3")
    phone.get_by_label(re.compile("^Anything you noticed")).fill("Easier on the second night.")
    check_accessibility(phone, "practice-homework-done-form")
    phone.get_by_role("button", name="Mark as done").click()

    # A thought record, accepting a suggested thinking trap.
    phone.goto("/me/thoughts/new")
    phone.get_by_label(re.compile("^What was happening")).fill(
        "My manager didn't reply to my message."
    )
    phone.get_by_label(re.compile("^What went through your mind")).fill(THOUGHT)
    phone.locator("#feeling-0-name").fill("ashamed")
    phone.locator("#feeling-0-rating").fill("80")
    check_accessibility(phone, "practice-thought-what")
    phone.get_by_role("button", name="Save and continue", exact=True).last.click()
    suggested = phone.get_by_role("group", name=re.compile("^Mend wondered about"))
    expect(suggested).to_be_visible()
    first_trap = suggested.get_by_role("checkbox").first
    trap_name = suggested.locator("strong").first.inner_text()
    first_trap.check()
    check_accessibility(phone, "practice-thought-traps")
    phone.get_by_role("button", name="Save and continue", exact=True).last.click()
    phone.get_by_label(re.compile("^What makes the thought feel true")).fill(
        "He usually replies fast."
    )
    phone.get_by_label(re.compile("^What doesn't quite fit")).fill(
        "He thanked me for my report last week."
    )
    phone.get_by_role("button", name="Save and continue", exact=True).last.click()
    phone.get_by_label(re.compile("^A fairer way to see it")).fill(
        "He may just be busy; one slow reply isn't a verdict on me."
    )
    phone.locator("#after-0").fill("40")
    check_accessibility(phone, "practice-thought-balance")
    phone.get_by_role("button", name="Finish", exact=True).last.click()
    expect(phone.locator("main")).to_contain_text(trap_name)
    check_accessibility(phone, "practice-thought-record")

    # A daily check-in.
    phone.goto("/me/check-in")
    pick(phone, "mood", "4")
    pick(phone, "window", "hyper")
    phone.locator('input[name="signal"]').first.check()
    phone.get_by_label(re.compile("^How many hours did you sleep")).fill("6.5")
    check_accessibility(phone, "practice-check-in")
    phone.get_by_role("button", name="Save my check-in").click()
    expect(phone.locator("main")).to_contain_text(re.compile("check-in", re.I))

    # The clinician sees the homework done with its ratings, the record and the check-in.
    page.goto(f"{chart}/homework")
    row = page.get_by_role("row").filter(has_text="Paced breathing")
    expect(row).to_contain_text("done")
    expect(row.locator("td.num").nth(0)).to_have_text("7")
    expect(row.locator("td.num").nth(1)).to_have_text("3")
    expect(page.locator("main")).to_contain_text("Easier on the second night.")
    check_accessibility(page, "practice-clinic-homework")
    page.goto(f"{chart}/thoughts")
    expect(page.locator("main")).to_contain_text(trap_name)
    check_accessibility(page, "practice-clinic-thoughts")
    page.goto(f"{chart}/check-ins")
    expect(page.locator("main")).to_contain_text("4")
    check_accessibility(page, "practice-clinic-check-ins")
    page.goto(f"{chart}/coping")
    expect(page.locator("main")).to_contain_text(re.compile("breath", re.I))
    check_accessibility(page, "practice-clinic-coping")
