"""What a new practice would try first, in a real browser: a clinician adds a client and
assigns the PHQ-9; the client accepts the invitation on a phone, answers part of it,
comes back, finishes (partly by keyboard); the clinician sees the score, chart, flag and
CSV. Every page is checked with axe-core and screenshotted."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import (
    CheckAccessibility,
    LiveServer,
    NewContext,
    Practice,
    save_screenshot,
)

pytestmark = pytest.mark.browser

CLIENT_NAME = "Sam Rivera"
CLIENT_EMAIL = "sam@example.org"
CLIENT_PASSWORD = "blue kettle morning walk"
# PHQ-9 answers, item by item: 1+2+0+2+0+1+3+0+1 = 10 ("moderate"), item 9 flagged.
LABELS = ("Not at all", "Several days", "More than half the days", "Nearly every day")
ANSWERS = {1: 1, 2: 2, 3: 0, 4: 2, 5: 0, 6: 1, 7: 3, 8: 0, 9: 1}
TOTAL = sum(ANSWERS.values())
SIGN_IN_ERROR = "That email and password don't match an account. Please try again."


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def expect_crisis_numbers(page: Page) -> None:
    """The 988 line is on screen at the top of every client page (and in the footer)."""
    expect(page.locator('.crisis-strip a[href="tel:988"]')).to_be_visible()
    expect(page.locator('.crisis-footer a[href="tel:988"]')).to_be_attached()


def radio(page: Page, number: int, code: int) -> Locator:
    return page.locator(f"#q-{number}").get_by_role("radio", name=LABELS[code], exact=True)


@contextmanager
def autosaved(page: Page) -> Iterator[None]:
    """Wait for the autosave request the enclosed action triggers, and check it was kept."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.request.headers.get("x-mend-autosave") == "1"
    ) as info:
        yield
    response = info.value
    assert response.status == 204, f"autosave answered {response.status} from {response.url}"


def tap_answer(page: Page, number: int, code: int) -> None:
    """Tap the answer's label, as a thumb would, and wait for the autosave to land."""
    with autosaved(page):
        page.locator(f"#q-{number}").locator("label.option").nth(code).tap()
    expect(radio(page, number, code)).to_be_checked()


def test_clinician_assigns_phq9_and_client_completes_it(
    live_server: LiveServer,
    practice: Practice,
    page: Page,
    phone: Page,
    new_context: NewContext,
    check_accessibility: CheckAccessibility,
    tmp_path: Path,
) -> None:
    # 1. The clinician signs in and lands on an empty caseload.
    page.goto("/sign-in")
    check_accessibility(page, "sign-in")
    sign_in(page, practice.clinician_email, practice.password)
    expect(page).to_have_url(f"{live_server.url}/clinic")
    expect(page.get_by_role("heading", name="Caseload", level=1)).to_be_visible()
    check_accessibility(page, "caseload-empty")

    # 2. Adds a client and reads the one-time invitation link.
    page.get_by_role("link", name="Add a client", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/clinic/clients/new")
    expect(page.get_by_role("heading", name="Add a client", level=1)).to_be_visible()
    check_accessibility(page, "new-client")
    page.locator("#name").fill(CLIENT_NAME)
    page.locator("#email").fill(CLIENT_EMAIL)
    page.locator("#referral_reason").fill("Low mood since a breakup; referred by GP.")
    page.get_by_role("button", name="Add client").click()
    link = page.locator("#invitation-link")
    expect(link).to_have_text(re.compile(rf"^{re.escape(live_server.url)}/invitation/\S+$"))
    invitation = link.inner_text().strip()
    check_accessibility(page, "invitation-link")

    # 3. Opens the chart and assigns the PHQ-9 weekly.
    page.get_by_role("link", name=f"Go to {CLIENT_NAME}'s chart").click()
    expect(page).to_have_url(re.compile(r"/clinic/clients/\d+$"))
    chart_url = page.url
    expect(page.get_by_text("Invitation not yet accepted")).to_be_visible()
    check_accessibility(page, "chart-new")
    page.locator("#instrument_id").select_option("phq9")
    page.locator("#repeat").select_option("weekly")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Questionnaire assigned.")
    expect(page.get_by_role("cell", name="Due now")).to_be_visible()
    check_accessibility(page, "chart-assigned")

    # 4. The client, on a phone, accepts the invitation by choosing a password.
    phone.goto(invitation)
    expect(phone.get_by_role("heading", name=f"Welcome, {CLIENT_NAME}")).to_be_visible()
    expect_crisis_numbers(phone)
    check_accessibility(phone, "client-invitation")
    phone.locator("#password").fill(CLIENT_PASSWORD)
    phone.locator("#confirm").fill(CLIENT_PASSWORD)
    phone.get_by_role("button", name="Set my password").click()
    expect(phone).to_have_url(f"{live_server.url}/me?welcome=1")
    expect(phone.get_by_text("Welcome to Mend. Your account is ready.")).to_be_visible()
    due = phone.locator(".due-list li")
    expect(due).to_have_count(1)
    expect(due).to_contain_text("PHQ-9")
    expect(due).to_contain_text("9 questions")
    expect_crisis_numbers(phone)
    check_accessibility(phone, "client-home")

    # Starts it, answers the first three by tapping, and saves for later.
    phone.get_by_role("link", name="Start PHQ-9").click()
    expect(phone).to_have_url(re.compile(r"/me/questionnaires/\d+$"))
    expect(phone.get_by_role("heading", name="PHQ-9", level=1)).to_be_visible()
    expect(phone.locator("fieldset.question")).to_have_count(9)
    expect_crisis_numbers(phone)
    check_accessibility(phone, "questionnaire")
    for number in (1, 2, 3):
        tap_answer(phone, number, ANSWERS[number])
    expect(phone.locator("#autosave-status")).to_have_text("Answers saved.")
    phone.get_by_role("button", name="Save and come back later").click()
    expect(phone).to_have_url(f"{live_server.url}/me?saved=1")
    expect(phone.get_by_text("Your answers are saved. You can finish any time.")).to_be_visible()
    expect(due).to_contain_text("3 answered so far")
    expect_crisis_numbers(phone)
    check_accessibility(phone, "client-home-saved")

    # Comes back: the earlier answers are still chosen.
    phone.get_by_role("link", name="Continue PHQ-9").click()
    for number in (1, 2, 3):
        expect(radio(phone, number, ANSWERS[number])).to_be_checked()
        for code in range(4):
            if code != ANSWERS[number]:
                expect(radio(phone, number, code)).not_to_be_checked()
    for number in range(4, 10):
        expect(phone.locator(f'#q-{number} input[type="radio"]:checked')).to_have_count(0)
    expect_crisis_numbers(phone)
    check_accessibility(phone, "questionnaire-resumed")

    # Question 4 by keyboard: focus its first option, arrow down twice.
    first = radio(phone, 4, 0)
    first.focus()
    with autosaved(phone):
        phone.keyboard.press("ArrowDown")
    with autosaved(phone):
        phone.keyboard.press("ArrowDown")
    expect(radio(phone, 4, ANSWERS[4])).to_be_checked()
    expect(radio(phone, 4, ANSWERS[4])).to_be_focused()
    # Tab leaves the group for question 5's first option; Space chooses it.
    phone.keyboard.press("Tab")
    expect(radio(phone, 5, 0)).to_be_focused()
    with autosaved(phone):
        phone.keyboard.press("Space")
    expect(radio(phone, 5, ANSWERS[5])).to_be_checked()
    check_accessibility(phone, "questionnaire-keyboard")

    for number in range(6, 10):
        tap_answer(phone, number, ANSWERS[number])
    expect(radio(phone, 9, 1)).to_be_checked()  # "Several days": the item-9 flag
    phone.get_by_role("button", name="Finish").click()

    # Item 9 above "Not at all" is a risk answer: the very next page is the support
    # page, not a plain thank-you — no score, the crisis lines, and a plain statement
    # that the care team has been told.
    expect(phone).to_have_url(re.compile(r"/me/support\?told=1$"))
    support = phone.locator("main")
    expect(phone.get_by_role("heading", name="You are not alone", level=1)).to_be_visible()
    expect(support).to_contain_text("Your care team has been told")
    expect(support).not_to_contain_text(re.compile(r"score", re.IGNORECASE))
    expect(support).not_to_contain_text("moderate")
    expect(support.locator('a[href="tel:988"]')).to_be_visible()
    expect_crisis_numbers(phone)
    check_accessibility(phone, "support-after-item9")

    # Nothing more is due; the help page is one tap away.
    phone.get_by_role("link", name="Back to home").click()
    expect(phone.get_by_text("Nothing is waiting for you right now.")).to_be_visible()
    expect(phone.get_by_role("heading", name="Your scores")).to_have_count(0)
    expect_crisis_numbers(phone)
    check_accessibility(phone, "client-home-done")
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Get help").click()
    expect(phone.get_by_role("heading", name="Support, right now")).to_be_visible()
    expect(phone.locator("main").get_by_role("link", name="Call 988")).to_be_visible()
    expect_crisis_numbers(phone)
    check_accessibility(phone, "client-help")

    # Crisis numbers don't depend on JavaScript.
    no_js = new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    plain = no_js.new_page()
    for path, stem in (("/me/help", "help"), ("/", "home")):
        plain.goto(path)
        expect(plain.locator('a[href="tel:988"]').first).to_be_visible()
        expect(plain.locator(".crisis-footer")).to_contain_text("988 Suicide & Crisis Lifeline")
        save_screenshot(plain, f"{live_server.backend}-no-js-{stem}")

    # 5. The clinician sees the score, the chart, the item-9 flag and the CSV.
    page.goto("/clinic")
    row = page.get_by_role("row").filter(has_text=CLIENT_NAME)
    expect(row).to_contain_text(f"PHQ-9 {TOTAL}")
    expect(row.locator(".badge.flag")).to_have_text("PHQ-9 item 9")
    check_accessibility(page, "caseload-scored")

    page.goto(chart_url)
    measure = page.locator("#measure-phq9")
    expect(measure.get_by_role("heading", name=re.compile(r"^PHQ-9"))).to_be_visible()
    total_cell = measure.locator("tbody tr").first.locator("td.num").first
    expect(total_cell).to_have_text(str(TOTAL))
    expect(measure.locator("tbody tr").first).to_contain_text("moderate")
    expect(measure.locator("tbody .badge.flag")).to_have_text("item 9 = 1")
    expect(measure.locator(".notice.error")).to_contain_text("(answer: 1)")
    chart = measure.locator("figure.chart img")
    expect(chart).to_have_attribute("alt", re.compile(r"\S"))
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
    )
    assert chart.evaluate("img => img.naturalWidth") > 0
    check_accessibility(page, "chart-scored")

    with page.expect_download() as download_info:
        measure.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert re.fullmatch(r"client-\d+-phq9\.csv", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with saved.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1
    (exported,) = rows
    assert exported["instrument"] == "phq9"
    assert exported["total"] == str(TOTAL)
    assert exported["band"] == "moderate"
    assert exported["item_9"] == "1"
    assert "item 9" in exported["flags"]
    assert [exported[f"item_{n}"] for n in range(1, 10)] == [str(ANSWERS[n]) for n in range(1, 10)]


def test_wrong_password_shows_the_generic_message_and_crisis_lines(
    live_server: LiveServer,
    practice: Practice,
    page: Page,
    check_accessibility: CheckAccessibility,
) -> None:
    sign_in(page, practice.clinician_email, "not the password")
    expect(page).to_have_url(f"{live_server.url}/sign-in")
    expect(page.get_by_role("alert")).to_have_text(SIGN_IN_ERROR)
    expect(page.locator("#email")).to_have_value(practice.clinician_email)
    expect(page.locator("#email")).to_have_attribute("aria-describedby", "sign-in-error")
    expect(page.locator("#password")).to_have_value("")
    expect_crisis_numbers(page)
    check_accessibility(page, "sign-in-error")

    # An unknown address gets exactly the same answer.
    sign_in(page, "nobody@harbour.test", "not the password")
    expect(page.get_by_role("alert")).to_have_text(SIGN_IN_ERROR)


def test_staff_pages_pass_axe(
    live_server: LiveServer,
    practice: Practice,
    page: Page,
    new_context: NewContext,
    check_accessibility: CheckAccessibility,
) -> None:
    sign_in(page, practice.clinician_email, practice.password)
    expect(page).to_have_url(f"{live_server.url}/clinic")
    page.goto("/clinic/clients/new")
    expect(page.get_by_role("heading", name="Add a client", level=1)).to_be_visible()
    check_accessibility(page, "sweep-new-client")
    page.get_by_role("button", name="Add client").click()  # empty: the error state
    expect(page.get_by_role("alert")).to_be_visible()
    check_accessibility(page, "sweep-new-client-error")
    page.locator("#name").fill("Alex Kim")
    page.locator("#email").fill("alex@example.org")
    page.get_by_role("button", name="Add client").click()
    expect(page.locator("#invitation-link")).to_be_visible()
    page.get_by_role("link", name="Go to Alex Kim's chart").click()
    expect(page.get_by_role("heading", name="Alex Kim", level=1)).to_be_visible()
    check_accessibility(page, "sweep-chart")
    page.goto("/clinic")
    expect(page.get_by_role("row").filter(has_text="Alex Kim")).to_contain_text("invited")
    check_accessibility(page, "sweep-caseload")

    admin = new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(admin, practice.admin_email, practice.password)
    expect(admin).to_have_url(f"{live_server.url}/admin")
    expect(admin.get_by_role("heading", name=practice.organisation, level=1)).to_be_visible()
    check_accessibility(admin, "sweep-admin")
    admin.get_by_role("link", name="Audit log").click()
    expect(admin.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    expect(admin.get_by_role("cell", name="client.create")).to_be_visible()
    check_accessibility(admin, "sweep-audit")
    for link, heading, stem in (
        ("Safety settings", "Safety settings", "sweep-safety-settings"),
        ("Escalated alerts", "Escalated alerts", "sweep-escalated-alerts"),
        ("Overdue follow-ups", None, "sweep-follow-ups"),
    ):
        admin.get_by_role("navigation", name="Main").get_by_role("link", name=link).click()
        if heading:
            expect(admin.get_by_role("heading", name=heading, level=1)).to_be_visible()
        check_accessibility(admin, stem)
    admin.goto("/admin/safety")
    admin.get_by_label("Urgent alerts (minutes)").fill("90")  # longer than "high": refused
    admin.get_by_role("button", name="Save safety settings").click()
    expect(admin.locator("#settings-errors")).to_be_visible()
    check_accessibility(admin, "sweep-safety-settings-error")
