"""Keep safe, in a real browser: a client writes an urgent journal entry on a phone with
JavaScript switched off and is shown the support page next; the clinician sees the alert
with the words that fired it, acknowledges it, works a crisis episode through to its
follow-ups, and resolves the alert with a note."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from mend.care import service as care
from mend.identity import service as identity
from mend.identity.models import User
from mend.platform.clock import SystemClock
from tests.browser.conftest import (
    CheckAccessibility,
    LiveServer,
    NewContext,
    Practice,
    save_screenshot,
)

pytestmark = pytest.mark.browser

CLIENT_EMAIL = "kim@example.org"
CLIENT_PASSWORD = "green river evening light"
URGENT_WORDS = "I have decided to kill myself tonight. I have the pills ready."


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _client_with_password(live_server: LiveServer, practice: Practice) -> None:
    with live_server.factory() as db:
        now = SystemClock().now()
        carol = db.query(User).filter(User.email == practice.clinician_email).one()
        created = care.add_client(
            db,
            clinician=carol,
            name="Kim Client",
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
        db.commit()


def test_urgent_journal_entry_reaches_support_and_the_clinician_resolves_the_alert(
    live_server: LiveServer,
    practice: Practice,
    new_context: NewContext,
    page: Page,
    check_accessibility: CheckAccessibility,
) -> None:
    _client_with_password(live_server, practice)

    # The client, on a phone, without JavaScript: everything here must still work.
    phone = new_context(
        java_script_enabled=False,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    ).new_page()
    sign_in(phone, CLIENT_EMAIL, CLIENT_PASSWORD)
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Tools").click()
    phone.get_by_role("link", name=re.compile("^Journal")).click()
    expect(phone.get_by_role("heading", name="My journal")).to_be_visible()
    save_screenshot(phone, f"{live_server.backend}-no-js-journal")
    phone.get_by_role("link", name="Write").click()
    expect(phone.locator("main")).to_contain_text("Mend does check every entry, private or shared")
    phone.get_by_label("What's on your mind?").fill(URGENT_WORDS)
    phone.get_by_label("How are you feeling?").select_option("overwhelmed")
    phone.get_by_role("button", name="Save entry").click()

    expect(phone).to_have_url(re.compile(r"/me/support\?told=1$"))
    main = phone.locator("main")
    expect(phone.get_by_role("heading", name="You are not alone", level=1)).to_be_visible()
    expect(main).to_contain_text("Your care team has been told")
    expect(main.locator('a[href="tel:988"]').first).to_be_visible()
    expect(main.locator('a[href="tel:911"]')).to_be_visible()
    save_screenshot(phone, f"{live_server.backend}-no-js-support")
    # The entry was kept, and it is still private.
    phone.goto("/me/journal")
    expect(phone.locator(".entry-list")).to_contain_text("pills ready")
    expect(phone.locator(".entry-list")).not_to_contain_text("shared with care team")

    # axe needs JavaScript: check the same client pages in an ordinary phone browser.
    checked = new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ).new_page()
    sign_in(checked, CLIENT_EMAIL, CLIENT_PASSWORD)
    for path, name in (
        ("/me/journal", "journal-list"),
        ("/me/journal/new", "journal-new"),
        ("/me/support?told=1", "support"),
    ):
        checked.goto(path)
        check_accessibility(checked, name)

    # The clinician sees why the alert fired, acknowledges and resolves it.
    sign_in(page, practice.clinician_email, practice.password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Alerts").click()
    row = page.get_by_role("row").filter(has_text="Kim Client")
    expect(row).to_contain_text("urgent")
    expect(row.locator(".fired")).to_contain_text(re.compile(r"kill myself|pills", re.IGNORECASE))
    check_accessibility(page, "alert-inbox")
    row.locator("summary").click()  # each of Kim's alerts is behind it
    check_accessibility(page, "alert-inbox-open")
    row.get_by_role("link", name=re.compile("Urgent crisis language")).click()
    why = page.locator("main")
    expect(why).to_contain_text("a journal entry (private)")
    expect(why).to_contain_text(re.compile(r"kill myself|pills", re.IGNORECASE))
    check_accessibility(page, "alert-open")
    page.get_by_role("button", name="Acknowledge").click()
    expect(why).to_contain_text("acknowledged")
    alert_url = page.url

    # A crisis episode from the alert: SAFE-T risk level, disposition, follow-ups done.
    page.get_by_role("link", name="Open a crisis episode").click()
    check_accessibility(page, "crisis-open")
    page.get_by_role("button", name="Open the crisis episode").click()
    expect(page.get_by_role("heading", name=re.compile("Step 1"))).to_be_visible()
    page.locator('input[name="risk_level"][value="high"]').check()
    page.get_by_role("button", name="Save assessment").first.click()
    expect(page.locator('input[name="risk_level"][value="high"]')).to_be_checked()
    check_accessibility(page, "crisis-assessed")
    page.get_by_label("Safety plan reviewed").check()
    page.get_by_label("Lethal-means counselling done").check()
    page.get_by_role("button", name="Save disposition and schedule follow-ups").click()
    follow_ups = page.locator("#follow-ups tbody tr")
    expect(follow_ups.first).to_contain_text("pending")
    for index in range(3):  # within 24 hours, 72 hours and 7 days
        row = page.locator("#follow-ups tbody tr").nth(index)
        row.locator("summary").click()
        row.get_by_label("Reached them").check()
        row.get_by_label(re.compile("^Note")).fill(f"Spoke with Kim (contact {index + 1}); safe.")
        row.get_by_role("button", name="Mark done").click()
        expect(page.locator("#follow-ups tbody tr").nth(index)).to_contain_text("Reached them")
    check_accessibility(page, "crisis-follow-ups-done")
    page.get_by_label(re.compile("Post-crisis review note")).fill(
        "Acute risk passed; means removed with her sister; weekly sessions for a month."
    )
    page.get_by_role("button", name="Close episode").click()
    expect(page.locator("main")).to_contain_text("closed")
    page.goto(alert_url)
    page.get_by_role("button", name="Resolve alert").click()  # no note: refused
    expect(page.locator("#note:invalid")).to_have_count(1)
    page.get_by_label(re.compile("Resolution note")).fill(
        "Phoned Kim at once; she is with her sister tonight."
    )
    page.get_by_role("button", name="Resolve alert").click()
    expect(why).to_contain_text("Resolved")
    expect(why).to_contain_text("with her sister tonight")
    expect(page.locator(".history")).to_contain_text("raise")
    expect(page.locator(".history")).to_contain_text("acknowledge")
    expect(page.locator(".history")).to_contain_text("resolve")
    check_accessibility(page, "alert-resolved")
    page.goto("/clinic/alerts")
    expect(page.locator("main")).to_contain_text("No open alerts")


def _refuse_a_check_in(phone: Page) -> None:
    """Urgent words in the note, and a sleep field Mend cannot read."""
    phone.goto("/me/check-in")
    phone.locator('input[name="mood"][value="2"]').check()
    phone.locator('input[name="window"][value="hypo"]').check()
    phone.get_by_label(re.compile("How many hours did you sleep")).fill("about 3 hours")
    phone.get_by_label(re.compile("Anything you'd like to add")).fill(URGENT_WORDS)
    phone.get_by_role("button", name="Save my check-in").click()


def test_refused_check_in_shows_support_first_and_the_plan_follows_the_country(
    live_server: LiveServer,
    practice: Practice,
    new_context: NewContext,
    page: Page,
    check_accessibility: CheckAccessibility,
) -> None:
    _client_with_password(live_server, practice)

    # Without JavaScript: the refused form comes back under the support content, every
    # word kept, and the care team already has the alert.
    phone = new_context(
        java_script_enabled=False,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    ).new_page()
    sign_in(phone, CLIENT_EMAIL, CLIENT_PASSWORD)
    _refuse_a_check_in(phone)
    main = phone.locator("main")
    support = main.locator(".support-first")
    expect(support.get_by_role("heading", name="You are not alone")).to_be_visible()
    expect(support).to_contain_text("Your care team has been told")
    expect(support.locator('a[href="tel:988"]').first).to_be_visible()
    expect(main.locator("#form-error")).to_contain_text("Please give your sleep in hours")
    expect(phone.get_by_label(re.compile("Anything you'd like to add"))).to_have_value(URGENT_WORDS)
    save_screenshot(phone, f"{live_server.backend}-no-js-check-in-refused")

    checked = new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ).new_page()
    sign_in(checked, CLIENT_EMAIL, CLIENT_PASSWORD)
    _refuse_a_check_in(checked)  # the same words again: no second alert
    check_accessibility(checked, "check-in-refused-support")

    # The clinician's caseload puts Kim first and says why.
    sign_in(page, practice.clinician_email, practice.password)
    row = page.get_by_role("row").filter(has_text="Kim Client")
    expect(row).to_contain_text("1 urgent alert")
    check_accessibility(page, "caseload-with-alerts")

    # Kim's plan, started in the United States; then the organisation moves to the UK.
    checked.goto("/me/safety-plan/edit")
    checked.get_by_label("Name of person 1").fill("Sam, my brother")
    checked.get_by_label("Phone (optional) for person 1").fill("+1 555 010 0199")
    checked.get_by_role("button", name="Save my plan").first.click()
    expect(checked.locator("main")).to_contain_text("988 Suicide & Crisis Lifeline")
    admin = new_context(**{"viewport": {"width": 1280, "height": 800}}).new_page()
    sign_in(admin, practice.admin_email, practice.password)
    admin.goto("/admin")
    admin.get_by_label(re.compile("^Country")).select_option("GB")
    admin.get_by_role("button", name="Save").first.click()
    for path, name in (("/me/safety-plan", "plan-uk"), ("/me/safety-plan/print", "plan-print-uk")):
        checked.goto(path)
        plan = checked.locator("main")
        expect(plan).to_contain_text("Samaritans")
        expect(plan.locator('a[href="tel:999"]').first).to_be_attached()
        expect(plan).not_to_contain_text("741741")
        expect(plan.locator('a[href="tel:988"]')).to_have_count(0)
        check_accessibility(checked, name)
    page.goto("/clinic")
    page.get_by_role("link", name="Kim Client", exact=True).click()
    page.get_by_role("link", name=re.compile("safety plan", re.IGNORECASE)).first.click()
    current = page.locator("section[aria-labelledby='current-title']")
    expect(current).to_contain_text("Samaritans")
    expect(current).not_to_contain_text("741741")
    check_accessibility(page, "plan-clinic-uk")
