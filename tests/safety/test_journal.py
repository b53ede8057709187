"""The journal: private by default, shared entry by entry, encrypted, and screened on
every save — with the client told plainly, and urgent words leading straight to support."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mend.identity.models import User
from mend.practice.models import JournalEntry
from mend.safety.models import Alert
from tests.support.personas import Personas
from tests.support.web import Browser

URGENT = "I have the pills saved up and tonight I am going to take them all. Goodbye."
CONCERN = "Honestly everyone would be better off without me."
ORDINARY = "They left me out of the group chat again and it stung all afternoon."


def _write(kim: Browser, body: str, shared: bool = False, mood: str = "sad") -> object:
    form = {"body": body, "mood": mood}
    if shared:
        form["shared"] = "on"
    return kim.post("/me/journal", form)


def _entry(db: Session) -> JournalEntry:
    db.expire_all()
    return db.scalars(select(JournalEntry)).one()


def test_the_client_is_told_plainly_that_entries_are_screened(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    page = as_user(people.kim.user).get("/me/journal/new").text
    assert "private" in page and "check every entry" in page


def test_ordinary_entry_is_saved_private_encrypted_and_raises_nothing(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = _write(kim, ORDINARY)
    assert response.status_code == 303  # type: ignore[attr-defined]
    entry = _entry(db)
    assert (entry.body, entry.mood, entry.shared, entry.screening_level) == (
        ORDINARY,
        "sad",
        False,
        "none",
    )
    raw = db.connection().exec_driver_sql("SELECT body FROM journal_entries").scalar()
    assert raw is not None and "group chat" not in raw
    assert db.scalar(select(func.count()).select_from(Alert)) == 0
    assert "group chat" in kim.get("/me/journal").text


def test_urgent_entry_shows_support_next_and_alerts_with_the_words(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = _write(kim, URGENT)
    assert response.headers["location"] == "/me/support?told=1"  # type: ignore[attr-defined]
    alert = db.scalars(select(Alert)).one()
    assert alert.severity == "urgent" and alert.source_kind == "journal"
    assert "(private)" in alert.source_label
    assert any("pills" in r["label"] or "tonight" in r["label"] for r in alert.reasons)
    page = as_user(people.carol).get(f"/clinic/alerts/{alert.id}").text
    assert "Urgent crisis language" in page


def test_concern_entry_is_saved_with_a_gentle_check_in(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = _write(kim, CONCERN)
    location = response.headers["location"]  # type: ignore[attr-defined]
    assert location.endswith("check=1")
    assert "find support right now" in kim.get(location).text
    assert db.scalars(select(Alert)).one().severity == "concern"


def test_editing_an_entry_rescreens_without_duplicating_its_alert(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    _write(kim, ORDINARY)
    entry = _entry(db)
    assert kim.post(f"/me/journal/{entry.id}", {"body": CONCERN, "mood": ""}).status_code == 303
    assert (
        kim.post(f"/me/journal/{entry.id}", {"body": CONCERN + " Still.", "mood": ""}).status_code
        == 303
    )
    assert db.scalar(select(func.count()).select_from(Alert)) == 1
    assert _entry(db).screening_level == "concern"


def test_private_entries_stay_private_and_shared_ones_reach_the_care_team(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    _write(kim, "A private thought about my sister.")
    _write(kim, "Something I want Carol to read.", shared=True)
    carol = as_user(people.carol)
    shared_page = carol.get(f"/clinic/clients/{people.kim.id}/journal").text
    assert "Something I want Carol to read." in shared_page
    assert "private thought" not in shared_page
    private = db.scalars(select(JournalEntry).where(JournalEntry.shared.is_(False))).one()
    kim.post(f"/me/journal/{private.id}/share", {"shared": "on"})
    assert "private thought" in carol.get(f"/clinic/clients/{people.kim.id}/journal").text
    kim.post(f"/me/journal/{private.id}/share", {})
    assert "private thought" not in carol.get(f"/clinic/clients/{people.kim.id}/journal").text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"body": "   ", "mood": ""}, "Please write something"),
        ({"body": "x" * 10_001, "mood": ""}, "up to 10,000 characters"),
        ({"body": "fine", "mood": "ecstatic-ish"}, "choose a mood from the list"),
    ],
)
def test_bad_journal_input_is_refused_and_nothing_saved(
    form: dict[str, str],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    response = as_user(people.kim.user).post("/me/journal", form)
    assert response.status_code == 422
    assert message in response.text
    assert db.scalar(select(func.count()).select_from(JournalEntry)) == 0


def test_nobody_else_can_read_or_change_a_clients_journal(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    _write(kim, "Shared with my team only.", shared=True)
    entry = _entry(db)
    lee = as_user(people.lee.user)
    assert lee.get(f"/me/journal/{entry.id}").status_code == 404
    assert lee.post(f"/me/journal/{entry.id}", {"body": "changed", "mood": ""}).status_code == 404
    assert lee.post(f"/me/journal/{entry.id}/share", {}).status_code == 404
    assert "Shared with my team" not in lee.get("/me/journal").text
    for outsider in (people.dan, people.erin):
        assert as_user(outsider).get(f"/clinic/clients/{people.kim.id}/journal").status_code == 404
    assert _entry(db).body == "Shared with my team only." and _entry(db).shared


def test_support_page_works_without_javascript_and_names_the_crisis_line(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    page = as_user(people.kim.user).get("/me/support?told=1").text
    assert "<script" not in page
    assert re.search(r'href="tel:988"', page) and 'href="tel:911"' in page
