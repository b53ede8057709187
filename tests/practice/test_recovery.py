"""My recovery toolkit: built from the client's own data (safety plan, practice ratings,
readings, and the coping and network modules when they are there), gentle placeholders
when they are not, printable, and only ever the client's own."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from mend.identity.models import User
from mend.platform.audit import AuditEvent
from mend.platform.clock import FixedClock
from mend.platform.settings import Settings
from mend.practice.recovery_pages import Line, helpful_lines, people_lines
from mend.safety import plans
from mend.safety.plans import Entry
from tests.practice.test_homework import assign, mounted, only
from tests.support.personas import Personas
from tests.support.web import Browser

PAGE = "/me/recovery"
COPING_PLACEHOLDER = "As you use the coping tools, the ones that help most will appear here"
PEOPLE_PLACEHOLDER = "the ones who feel safe will appear here"


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    return mounted(settings, factory, clock)


@pytest.fixture
def without_partners(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the coping and network modules had not been built yet."""
    monkeypatch.setitem(sys.modules, "mend.practice.coping", None)
    monkeypatch.setitem(sys.modules, "mend.practice.network", None)


@dataclass
class FakeTool:
    tool_id: str
    name: str
    sessions: int
    average_drop: float


@dataclass
class FakePerson:
    name: str
    relationship: str
    call_href: str | None
    sms_href: str | None
    email_href: str | None = None


@pytest.fixture
def with_partners(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand-ins shaped like coping.helpful_tools and network.network_summary."""
    coping = types.ModuleType("mend.practice.coping")
    coping.helpful_tools = lambda db, client: [  # type: ignore[attr-defined]
        FakeTool("grounding", "5-4-3-2-1 grounding", 4, 2.5),
        FakeTool("box-breathing", "Box breathing", 2, 1.0),
    ]
    network = types.ModuleType("mend.practice.network")
    network.network_summary = lambda db, client: [  # type: ignore[attr-defined]
        FakePerson("Sam, my brother", "family", "tel:+15550100199", "sms:+15550100199"),
        FakePerson("Ana", "friend", "javascript:alert(1)", None, "mailto:ana@example.org"),
    ]
    monkeypatch.setitem(sys.modules, "mend.practice.coping", coping)
    monkeypatch.setitem(sys.modules, "mend.practice.network", network)


def save_plan(db: Session, people: Personas, clock: FixedClock) -> None:
    content = plans.empty_content()
    content["warning_signs"] = (Entry("I stop answering messages"),)
    content["reasons"] = (Entry("My niece's laugh"), Entry("Finishing my course"))
    plans.save_plan(db, client=people.kim, author=people.carol, content=content, now=clock.now())
    db.commit()


# --- reading other modules' results ---


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        (None, []),
        ("not a list", []),
        ({"name": "a mapping is not a list"}, []),
        (["Walking"], [Line("Walking")]),
        (
            [FakeTool("grounding", "Grounding", 3, 2.25)],
            [
                Line(
                    "Grounding",
                    "Your distress went down by 2.2 on average over 3 times.",
                    "/me/coping/grounding",
                )
            ],
        ),
        (
            [{"name": "Breathing", "tool_id": "../../admin", "average_drop": 0}],
            [Line("Breathing")],
        ),
        (
            [{"tool_id": "calm-place", "sessions": 1, "average_drop": 1}],
            [
                Line(
                    "calm-place",
                    "Your distress went down by 1 on average over 1 time.",
                    "/me/coping/calm-place",
                )
            ],
        ),
        ([object(), {"other": 1}], []),
    ],
)
def test_helpful_tools_are_read_whatever_their_shape(found: object, expected: list[Line]) -> None:
    assert helpful_lines(found) == expected


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        (None, []),
        (["Sam"], [Line("Sam")]),
        (
            [FakePerson("Sam", "brother", "tel:+1555", "sms:+1555")],
            [Line("Sam", "brother", None, (("Call", "tel:+1555"), ("Text", "sms:+1555")))],
        ),
        (
            [FakePerson("Eve", "", "javascript:alert(1)", "sms:12", "mailto:a@b.c")],
            [Line("Eve", "", None, (("Email", "mailto:a@b.c"),))],
        ),
        ({"safe_people": [{"name": "Jo", "relationship": "aunt"}]}, [Line("Jo", "aunt")]),
        (types.SimpleNamespace(safe=["Kit"]), [Line("Kit")]),
    ],
)
def test_safe_people_are_read_whatever_their_shape(found: object, expected: list[Line]) -> None:
    assert people_lines(found) == expected


# --- the page ---


@pytest.mark.usefixtures("without_partners")
def test_placeholders_stand_in_for_modules_not_built_yet(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    page = as_user(people.kim.user).get(PAGE)
    assert page.status_code == 200
    assert COPING_PLACEHOLDER in page.text and PEOPLE_PLACEHOLDER in page.text
    assert "add them to your" in page.text.lower()  # empty safety plan: a gentle invitation
    assert 'href="/static/library.css"' in page.text and "Print" in page.text
    assert "tel:988" in page.text  # crisis lines on the sheet itself, for printing
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "recovery_toolkit.read")).one()
    assert event.client_id == people.kim.id
    assert event.detail == {"coping": False, "people": False}


@pytest.mark.usefixtures("with_partners")
def test_the_toolkit_gathers_the_clients_own_data(
    db: Session, people: Personas, as_user: Callable[[User], Browser], clock: FixedClock
) -> None:
    save_plan(db, people, clock)
    carol = as_user(people.carol)
    assign(carol, people, "coping:pmr")
    kim = as_user(people.kim.user)
    kim.post(f"/me/homework/{only(db).id}/done", {"before": "8", "after": "5"})
    kim.get("/me/library/self-compassion")
    page = kim.get(PAGE).text
    for words in (
        "I stop answering messages",
        "My niece&#39;s laugh",
        "Finishing my course",
        "5-4-3-2-1 grounding",
        "went down by 2.5 on average over 4 times",
        'href="/me/coping/grounding"',
        "Sam, my brother",
        'href="tel:+15550100199"',
        'href="mailto:ana@example.org"',
        "Progressive muscle relaxation",
        "went down by 3 on average (once)",
        'href="/me/library/self-compassion"',
    ):
        assert words in page, words
    assert "javascript:" not in page
    assert COPING_PLACEHOLDER not in page and PEOPLE_PLACEHOLDER not in page
    reads = db.scalars(select(AuditEvent.action).where(AuditEvent.client_id == people.kim.id)).all()
    assert "safety_plan.read" in reads and "recovery_toolkit.read" in reads


def test_the_toolkit_works_with_the_real_partner_modules(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    pytest.importorskip("mend.practice.coping")
    pytest.importorskip("mend.practice.network")
    page = as_user(people.kim.user).get(PAGE)
    assert page.status_code == 200
    assert 'href="/me/coping"' in page.text and 'href="/me/people"' in page.text


@pytest.mark.usefixtures("without_partners")
def test_only_the_client_sees_their_own_toolkit(
    db: Session, people: Personas, as_user: Callable[[User], Browser], clock: FixedClock
) -> None:
    save_plan(db, people, clock)
    lee_page = as_user(people.lee.user).get(PAGE).text
    assert "I stop answering messages" not in lee_page and "niece" not in lee_page
    for staff in (people.carol, people.dan, people.erin, people.admin):
        assert as_user(staff).get(PAGE).status_code == 404
