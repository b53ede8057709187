"""Strengths over their real pages: the log of getting through hard times and the
strengths used most; letters to oneself that stay private unless shared."""

from __future__ import annotations

from collections.abc import Callable

import httpx2 as httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi import FastAPI
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from mend.identity.models import User
from mend.models import Base
from mend.platform.audit import AuditEvent
from mend.platform.clock import FixedClock
from mend.platform.settings import Settings
from mend.practice import strengths, strengths_pages
from mend.practice.strengths import CompassionLetter, StrengthCount, StrengthMoment
from mend.safety.models import Alert
from mend.web.app import create_app
from tests.support.personas import Personas
from tests.support.web import Browser

MINE = "/me/strengths"
LETTERS = f"{MINE}/letters"
URGENT = "I have the pills saved up and tonight I am going to take them all. Goodbye."
CONCERN = "Honestly everyone would be better off without me."
STORY = "When Alex left I kept going to work and called my sister every night."


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    # Until the lead mounts the router in create_app, the tests mount it themselves.
    app = create_app(settings, session_factory=factory, clock=clock)
    if not any(getattr(r, "path", None) == MINE for r in app.routes):
        app.include_router(strengths_pages.router)
    return app


def log(browser: Browser, **extra: object) -> httpx.Response:
    form: dict[str, object] = {
        "story": STORY,
        "happened_on": "2025-11-02",
        "strength": ["persistence", "asking_for_help"],
        "own": "stubbornness",
    }
    form.update(extra)
    return browser.post(MINE, form)


def count(db: Session, table: type[Base]) -> int:
    return db.scalar(select(func.count()).select_from(table)) or 0


def test_client_logs_a_hard_time_and_sees_their_strengths(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    assert "You have already got through hard things" in kim.get(MINE).text
    form = kim.get(f"{MINE}/new").text
    assert form.count('type="checkbox" name="strength"') == len(strengths.STRENGTHS)
    response = log(kim)
    moment = db.scalars(select(StrengthMoment)).one()
    assert response.headers["location"] == f"{MINE}/{moment.id}?saved=1"
    assert (moment.picked, moment.own) == (["persistence", "asking_for_help"], ["stubbornness"])
    log(kim, strength=["persistence", "humour"], own="", happened_on="2026-01-10")
    log(kim, strength=["courage"], own="Stubbornness, hope", happened_on="2026-02-01")
    home = kim.get(MINE).text
    assert "Strengths you&#39;ve used most" in home or "Strengths you've used most" in home
    top = home.split("Strengths you", 1)[1]
    assert top.index("Persistence") < top.index("Stubbornness") < top.index("Asking for help")
    assert "2 times" in top
    assert strengths.strengths_summary(db, people.kim, limit=3) == [
        StrengthCount("Persistence", 2, False),
        StrengthCount("Stubbornness", 2, True),  # the newest spelling: moments come newest first
        StrengthCount("Asking for help", 1, False),
    ]
    raw = (
        db.connection()
        .exec_driver_sql("SELECT story, picked, own FROM strength_moments ORDER BY id")
        .first()
    )
    assert raw is not None
    assert "Alex left" not in raw[0] and "persistence" not in raw[1] and "stubborn" not in raw[2]


def test_client_changes_a_moment(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    log(kim)
    moment = db.scalars(select(StrengthMoment)).one()
    page = kim.get(f"{MINE}/{moment.id}").text
    assert 'value="persistence" checked' in page and 'value="stubbornness"' in page
    kim.post(
        f"{MINE}/{moment.id}",
        {"story": "Rewritten.", "happened_on": "2025-11-03", "strength": ["kindness"], "own": ""},
    )
    db.expire_all()
    assert (moment.story, moment.picked, moment.own) == ("Rewritten.", ["kindness"], [])
    assert list(
        db.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity == "strength_moment")
            .order_by(AuditEvent.id)
        )
    ) == ["strength_moment.create", "strength_moment.update"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"story": " "}, "write a little about what happened"),
        ({"story": "s" * 4001}, "4,000 characters"),
        ({"happened_on": "last spring"}, "choose roughly when it happened"),
        ({"happened_on": "2026-03-03"}, "That day hasn&#39;t come yet"),
        ({"strength": ["charisma"]}, "choose strengths from the list"),
        ({"strength": [], "own": ""}, "pick at least one strength"),
        ({"own": "a, b, c, d, e, f"}, "up to 5 strengths"),
    ],
)
def test_bad_moments_are_refused_and_nothing_saved(
    form: dict[str, object],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    response = log(as_user(people.kim.user), **form)
    assert response.status_code == 422
    assert message in response.text
    assert count(db, StrengthMoment) == 0


def test_letters_are_private_until_shared(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    form = kim.get(f"{LETTERS}/new").text
    assert "as you would to a friend" in form and "Your letters are private" in form
    assert "check every letter" in form
    response = kim.post(LETTERS, {"body": "Dear Kim, you did your best with what you had."})
    letter = db.scalars(select(CompassionLetter)).one()
    assert response.headers["location"] == f"{LETTERS}/{letter.id}?saved=1"
    assert letter.shared is False
    raw = db.connection().exec_driver_sql("SELECT body FROM compassion_letters").scalar()
    assert raw is not None and "Dear Kim" not in raw

    carol = as_user(people.carol)
    clinic = f"/clinic/clients/{people.kim.id}/strengths"
    assert "Dear Kim" not in carol.get(clinic).text
    kim.post(f"{LETTERS}/{letter.id}/share", {"shared": "on"})
    assert "Dear Kim" in carol.get(clinic).text
    kim.post(f"{LETTERS}/{letter.id}/share", {})
    assert "Dear Kim" not in carol.get(clinic).text
    kim.post(LETTERS, {"body": "Dear me, shared from the start.", "shared": "on"})
    assert "shared from the start" in carol.get(clinic).text
    actions = list(
        db.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity == "compassion_letter")
            .order_by(AuditEvent.id)
        )
    )
    assert actions == [
        "compassion_letter.create",
        "compassion_letter.share",
        "compassion_letter.unshare",
        "compassion_letter.create",
    ]


def test_editing_a_letter_keeps_its_sharing_and_rescreens(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    kim.post(LETTERS, {"body": "Dear me.", "shared": "on"})
    letter = db.scalars(select(CompassionLetter)).one()
    response = kim.post(f"{LETTERS}/{letter.id}", {"body": CONCERN})
    assert response.headers["location"].endswith("?saved=1&check=1")
    db.expire_all()
    assert letter.shared is True and letter.body == CONCERN and letter.screening_level == "concern"
    alert = db.scalars(select(Alert)).one()
    assert alert.source_kind == "compassion_letter" and "(shared)" in alert.source_label


def test_urgent_words_in_a_private_letter_lead_to_support_and_alert(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = kim.post(LETTERS, {"body": URGENT})
    assert response.headers["location"] == "/me/support?told=1"
    alert = db.scalars(select(Alert)).one()
    assert alert.severity == "urgent" and "(private)" in alert.source_label
    # The care team is alerted, but the private letter itself stays private.
    assert (
        URGENT not in as_user(people.carol).get(f"/clinic/clients/{people.kim.id}/strengths").text
    )


def test_urgent_words_in_a_moment_lead_to_support(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    response = log(as_user(people.kim.user), story=URGENT)
    assert response.headers["location"] == "/me/support?told=1"
    assert db.scalars(select(Alert)).one().source_kind == "strength_moment"


@pytest.mark.parametrize(
    ("body", "message"),
    [(" ", "Please write something"), ("x" * 10_001, "up to 10,000 characters")],
)
def test_bad_letters_are_refused(
    body: str, message: str, db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    response = as_user(people.kim.user).post(LETTERS, {"body": body})
    assert response.status_code == 422 and message in response.text
    assert count(db, CompassionLetter) == 0


def test_nobody_else_can_see_or_change_strengths_or_letters(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    log(kim)
    kim.post(LETTERS, {"body": "Dear Kim, a shared letter.", "shared": "on"})
    moment = db.scalars(select(StrengthMoment)).one()
    letter = db.scalars(select(CompassionLetter)).one()
    lee = as_user(people.lee.user)
    assert lee.get(f"{MINE}/{moment.id}").status_code == 404
    assert (
        lee.post(
            f"{MINE}/{moment.id}", {"story": "x", "happened_on": "2026-03-01", "strength": ["hope"]}
        ).status_code
        == 404
    )
    assert lee.get(f"{LETTERS}/{letter.id}").status_code == 404
    assert lee.post(f"{LETTERS}/{letter.id}", {"body": "changed"}).status_code == 404
    assert lee.post(f"{LETTERS}/{letter.id}/share", {}).status_code == 404
    assert "Alex left" not in lee.get(MINE).text and "Dear Kim" not in lee.get(LETTERS).text
    clinic = f"/clinic/clients/{people.kim.id}/strengths"
    for outsider in (people.dan, people.erin):
        assert as_user(outsider).get(clinic).status_code == 404
    assert kim.get(clinic).status_code == 404
    db.expire_all()
    assert moment.story == STORY and letter.body == "Dear Kim, a shared letter." and letter.shared


def test_clinician_reads_strengths_and_the_read_is_audited(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    log(as_user(people.kim.user))
    page = as_user(people.carol).get(f"/clinic/clients/{people.kim.id}/strengths")
    assert page.status_code == 200
    assert "Alex left" in page.text and "Persistence" in page.text and "stubbornness" in page.text
    assert "<form" not in page.text.split("<main", 1)[1]
    read = db.scalars(select(AuditEvent).where(AuditEvent.action == "strengths.read")).one()
    assert (read.actor_id, read.client_id) == (people.carol.id, people.kim.id)


def test_the_models_match_the_migration(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    mine = (StrengthMoment.__tablename__, CompassionLetter.__tablename__)
    assert [d for d in differences if any(t in repr(d) for t in mine)] == []
