"""A safety plan lists the crisis lines of the organisation's current country, from the
same source as every client page's crisis strip: after the organisation moves to the
United Kingdom, a plan started in the United States shows Samaritans, Shout, NHS 111 and
999, and no longer 988, 741741 or 911."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mend.identity.models import User
from tests.safety.test_plan_pages import MINE, form_fields, start_kims_plan
from tests.support.personas import Personas
from tests.support.web import Browser

US_LINES = ('href="tel:988"', 'href="sms:988"', "741741", 'href="tel:911"')
UK_LINES = ('href="tel:116123"', 'href="sms:85258"', 'href="tel:111"', 'href="tel:999"')


@pytest.fixture
def moved_to_the_uk(people: Personas, as_user: Callable[[User], Browser]) -> Browser:
    """Kim's plan, started while the organisation was in the United States; then the
    admin sets the country to the United Kingdom. Answers Kim's browser."""
    kim = as_user(people.kim.user)
    start_kims_plan(kim)
    assert all(line in kim.get(MINE).text for line in US_LINES)
    moved = as_user(people.admin).post("/admin/organisation", {"name": "Harbour", "locale": "GB"})
    assert moved.status_code == 303
    return kim


@pytest.mark.parametrize("page", [MINE, f"{MINE}/print", "/me/support?told=1"])
def test_the_clients_plan_pages_show_the_uk_lines_only(page: str, moved_to_the_uk: Browser) -> None:
    text = moved_to_the_uk.get(page).text
    assert [line for line in US_LINES if line in text] == []
    assert all(line in text for line in UK_LINES)
    assert "Samaritans" in text and "Sam, my brother" in text  # the client's own people stay


def test_the_clinicians_view_of_the_plan_shows_the_uk_lines_only(
    people: Personas, moved_to_the_uk: Browser, as_user: Callable[[User], Browser]
) -> None:
    page = as_user(people.carol).get(f"/clinic/clients/{people.kim.id}/safety-plan").text
    # The plan as it stands; its history still says, truly, what version 1 held.
    current = page[page.index('id="current-title"') : page.index('id="history-title"')]
    assert "988" not in current and "741741" not in current and "911" not in current
    assert "Samaritans" in current and "116 123" in current and 'href="tel:999"' in current
    assert "741741" in page[page.index('id="history-title"') :]


def test_the_editor_starts_from_the_uk_lines_and_saving_keeps_them(
    moved_to_the_uk: Browser,
) -> None:
    kim = moved_to_the_uk
    fields = form_fields(kim.get(f"{MINE}/edit").text)
    phones = [
        v for k, v in fields.items() if k.startswith("professionals-") and k.endswith("-phone")
    ]
    assert [p for p in phones if p] == ["116 123", "85258", "111", "999"]
    assert kim.post(f"{MINE}/edit", fields).headers["location"] == f"{MINE}?saved=1"
    assert "741741" not in kim.get(MINE).text
