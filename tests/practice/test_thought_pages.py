"""Thought records over their real pages: four steps saved one at a time, trap suggestions
accepted or dismissed, every field encrypted and screened, urgent words leading straight to
support, and nobody outside the care team able to see a thing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from mend.identity.models import User
from mend.platform.audit import AuditEvent
from mend.platform.clock import FixedClock
from mend.platform.settings import Settings
from mend.practice import thought_pages
from mend.practice.thought_rules import Emotion, TrapChoice
from mend.practice.thoughts import ThoughtRecord
from mend.safety.models import Alert
from mend.web.app import create_app
from tests.support.personas import Personas
from tests.support.web import Browser
from tests.web.test_policy import _has_policy, api_routes

URGENT = "I have the pills saved up and tonight I am going to take them all. Goodbye."
CONCERN = "Honestly everyone would be better off without me."
SITUATION = "Sat alone at lunch while my team went out without asking me."
THOUGHT = "Nobody ever invites me and I will always be the one left out."
FIRST = {
    "situation": SITUATION,
    "thought": THOUGHT,
    "feeling-0-name": "hurt",
    "feeling-0-rating": "80",
    "feeling-1-name": "lonely",
    "feeling-1-rating": "70",
    "go": "next",
}
AGAINST = "Priya asked me for coffee last week."


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    # Until the lead mounts the router in create_app, the tests mount it themselves.
    app = create_app(settings, session_factory=factory, clock=clock)
    if not any(getattr(r, "path", None) == "/me/thoughts" for r in app.routes):
        app.include_router(thought_pages.router)
    return app


def _record(db: Session) -> ThoughtRecord:
    db.expire_all()
    return db.scalars(select(ThoughtRecord)).one()


def _count(db: Session, table: type) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(table)) or 0


def _location(response: object) -> str:
    return str(response.headers["location"])  # type: ignore[attr-defined]


def _start(kim: Browser, **changes: str) -> str:
    response = kim.post("/me/thoughts", FIRST | changes)
    assert response.status_code == 303, response.text
    return _location(response)


def _finish(kim: Browser, db: Session) -> ThoughtRecord:
    """Kim works through all four steps: accepts the first suggestion, picks Comparing."""
    assert _start(kim).endswith("/traps")
    record = _record(db)
    suggested = thought_pages.thoughts.suggestions_for(record).traps
    assert suggested, "the example thought should draw at least one suggestion"
    ticks = {"trap": [suggested[0], "comparing"], "go": "next"}
    assert _location(kim.post(f"/me/thoughts/{record.id}/traps", ticks)).endswith("/evidence")
    evidence = {
        "evidence_for": "Jo and Sam went to the cinema without asking me.",
        "evidence_against": AGAINST,
    }
    assert _location(kim.post(f"/me/thoughts/{record.id}/evidence", evidence)).endswith("/balance")
    balance = {
        "balanced": "They forgot this time. Some people do want me around.",
        "after-0": "45",
        "after-1": "40",
        "go": "next",
    }
    response = kim.post(f"/me/thoughts/{record.id}/balance", balance)
    assert _location(response) == f"/me/thoughts/{record.id}?saved=1"
    return _record(db)


def test_every_route_declares_an_access_policy() -> None:
    routes = list(api_routes(thought_pages.router.routes))
    assert len(routes) >= 14
    assert [r.path for r in routes if not _has_policy(r.dependant)] == []


def test_the_client_is_told_who_can_read_records_and_that_they_are_screened(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    page = as_user(people.kim.user).get("/me/thoughts/new").text
    assert "care team can read your thought records" in page
    assert "checks what you write" in page
    assert "<script" not in page and 'style="' not in page


def test_a_whole_record_step_by_step(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    record = _finish(kim, db)
    suggested = record.trap_choice.suggested
    assert record.completed_at is not None and record.steps_done == 4
    assert record.feelings == (Emotion("hurt", 80, 45), Emotion("lonely", 70, 40))
    choice = record.trap_choice
    assert choice.accepted[:1] == suggested[:1] and set(choice.dismissed) <= set(suggested[1:])
    assert "comparing" in choice.fitting and not choice.withheld
    assert record.evidence_against == AGAINST and record.screening_level == "none"
    assert _count(db, Alert) == 0
    page = kim.get(f"/me/thoughts/{record.id}?saved=1").text
    assert "Your thought record is saved." in page and "Eased by 32.5 points" in page
    listing = kim.get("/me/thoughts").text
    assert 'src="/me/thoughts/chart.svg"' in listing and "75" in listing and "42.5" in listing
    chart = kim.get("/me/thoughts/chart.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert chart.text.lstrip().startswith("<?xml") and "<svg" in chart.text


def test_every_piece_of_writing_is_encrypted_at_rest(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    _finish(as_user(people.kim.user), db)
    raw = (
        db.connection()
        .exec_driver_sql(
            "SELECT situation, thought, emotions, traps, evidence_for, evidence_against, "
            "balanced_thought, screening FROM thought_records"
        )
        .one()
    )
    for column in raw:
        assert column and column.startswith("gAAAA"), column  # Fernet tokens
    joined = " ".join(raw)
    for words in ("lunch", "Nobody", "lonely", "comparing", "Priya", "forgot"):
        assert words not in joined


def test_the_traps_page_offers_suggestions_with_plain_explanations_and_the_full_list(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    _start(kim)
    record = _record(db)
    page = kim.get(f"/me/thoughts/{record.id}/traps").text
    assert "Mend wondered about" in page
    assert "Overgeneralizing" in page and "with words like always, never or everyone" in page
    assert "Other thinking traps" in page and 'value="blaming"' in page
    assert THOUGHT in page


def test_ticking_nothing_dismisses_every_suggestion(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    _start(kim)
    record = _record(db)
    kim.post(f"/me/thoughts/{record.id}/traps", {"go": "next"})
    choice = _record(db).trap_choice
    assert choice.suggested and choice.dismissed == choice.suggested and not choice.accepted


def test_unknown_trap_is_refused_and_nothing_changes(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    _start(kim)
    record = _record(db)
    response = kim.post(f"/me/thoughts/{record.id}/traps", {"trap": ["made-up"], "go": "next"})
    assert response.status_code == 422 and "from the list" in response.text
    assert _record(db).steps_done == 1 and _record(db).traps == {}


def test_stopping_part_way_keeps_everything_and_offers_to_carry_on(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    assert _start(kim, go="later") == "/me/thoughts?saved=later"
    record = _record(db)
    assert record.completed_at is None and record.thought == THOUGHT
    listing = kim.get("/me/thoughts?saved=later").text
    assert "Not finished yet" in listing and f"/me/thoughts/{record.id}/traps" in listing
    # Stopping at the last step keeps a half-written balanced thought and any ratings.
    kim.post(f"/me/thoughts/{record.id}/traps", {"go": "next"})
    kim.post(f"/me/thoughts/{record.id}/evidence", {"evidence_for": "", "evidence_against": ""})
    later = {"balanced": "They forgot", "after-0": "50", "after-1": "", "go": "later"}
    assert _location(kim.post(f"/me/thoughts/{record.id}/balance", later)).startswith(
        "/me/thoughts?saved=later"
    )
    record = _record(db)
    assert record.balanced_thought == "They forgot" and record.completed_at is None
    assert record.feelings == (Emotion("hurt", 80, 50), Emotion("lonely", 70, None))
    assert record.next_step_slug == "balance"
    page = kim.get(f"/me/thoughts/{record.id}/balance").text
    assert "They forgot" in page and 'value="50"' in page


def test_add_another_feeling_keeps_every_word_and_saves_nothing(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    response = kim.post("/me/thoughts", FIRST | {"go": "more"})
    assert response.status_code == 200
    assert SITUATION in response.text and THOUGHT in response.text
    assert 'name="feeling-2-name"' in response.text and 'value="lonely"' in response.text
    assert _count(db, ThoughtRecord) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"thought": "   "}, "Please write down the thought"),
        ({"situation": ""}, "Please say briefly what was happening"),
        ({"situation": "x" * 2001}, "up to 2,000 characters"),
        ({"feeling-0-rating": "101"}, "whole number from 0"),
        ({"feeling-0-rating": "a lot"}, "“a lot” isn&#39;t one of those"),
        (
            {
                "feeling-0-name": "",
                "feeling-0-rating": "",
                "feeling-1-name": "",
                "feeling-1-rating": "",
            },
            "at least one feeling",
        ),
        ({"feeling-1-name": "HURT"}, "listed twice"),
    ],
)
def test_bad_first_step_is_refused_with_the_words_kept_and_nothing_saved(
    changes: dict[str, str],
    message: str,
    db: Session,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    response = as_user(people.kim.user).post("/me/thoughts", FIRST | changes)
    assert response.status_code == 422
    assert message in response.text
    kept = (FIRST | changes)["thought"].strip()
    if kept:
        assert kept in response.text
    assert _count(db, ThoughtRecord) == 0


def test_bad_last_step_is_refused_and_the_record_is_unchanged(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    _start(kim)
    record = _record(db)
    bad = {"balanced": "A fairer view", "after-0": "45", "after-1": "", "go": "next"}
    response = kim.post(f"/me/thoughts/{record.id}/balance", bad)
    assert response.status_code == 422 and "“lonely” now" in response.text
    assert "A fairer view" in response.text
    assert _record(db).balanced_thought == "" and _record(db).steps_done == 1
    too_long = {"evidence_for": "x" * 4001, "evidence_against": AGAINST}
    response = kim.post(f"/me/thoughts/{record.id}/evidence", too_long)
    assert response.status_code == 422 and AGAINST in response.text
    assert _record(db).evidence_against == ""


def test_urgent_words_in_the_thought_save_the_draft_and_show_support_next(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    assert _start(kim, thought=URGENT) == "/me/support?told=1"
    record = _record(db)
    alert = db.scalars(select(Alert)).one()
    assert alert.severity == "urgent" and alert.source_kind == "thought_record"
    assert alert.source_id == str(record.id) and "automatic thought" in alert.source_label
    assert any("pills" in r["label"] or "tonight" in r["label"] for r in alert.reasons)
    assert record.screening_level == "urgent" and record.thought == URGENT
    # No thinking traps are offered for such a thought.
    page = kim.get(f"/me/thoughts/{record.id}/traps").text
    assert "won't look for thinking traps" in page and 'name="trap"' not in page
    kim.post(f"/me/thoughts/{record.id}/traps", {"trap": ["fortune-telling"], "go": "next"})
    assert _record(db).trap_choice == TrapChoice(withheld=True)


def test_urgent_words_in_later_steps_show_support_too(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    _start(kim)
    record = _record(db)
    response = kim.post(
        f"/me/thoughts/{record.id}/evidence", {"evidence_for": URGENT, "evidence_against": ""}
    )
    assert _location(response) == "/me/support?told=1"
    assert "evidence for the thought" in db.scalars(select(Alert)).one().source_label
    assert _record(db).evidence_for == URGENT


def test_concern_gets_a_gentle_check_in_and_no_trap_labels_and_one_alert(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    location = _start(kim, thought=CONCERN)
    assert location.endswith("/traps?check=1")
    page = kim.get(location).text
    assert "find support right now" in page and "won't look for thinking traps" in page
    record = _record(db)
    kim.post(f"/me/thoughts/{record.id}/thought", FIRST | {"thought": CONCERN + " Again."})
    assert _count(db, Alert) == 1
    assert db.scalars(select(Alert)).one().severity == "concern"


def test_withheld_suggestions_from_the_trap_module_are_never_shown(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    _start(kim, thought="When they ignore me I think about suicide, but I'm safe.")
    record = _record(db)
    assert thought_pages.thoughts.suggestions_for(record).withheld
    page = kim.get(f"/me/thoughts/{record.id}/traps").text
    assert 'name="trap"' not in page and "/me/support" in page


def test_editing_the_feelings_of_a_finished_record_keeps_matching_reratings(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    record = _finish(kim, db)
    edited = FIRST | {"feeling-1-name": "ashamed", "feeling-1-rating": "60"}
    kim.post(f"/me/thoughts/{record.id}/thought", edited)
    record = _record(db)
    assert record.feelings == (Emotion("hurt", 80, 45), Emotion("ashamed", 60, None))
    assert record.completed_at is None and record.next_step_slug == "balance"
    kim.post(
        f"/me/thoughts/{record.id}/balance",
        {"balanced": record.balanced_thought, "after-0": "45", "after-1": "30", "go": "next"},
    )
    assert _record(db).completed_at is not None


def test_nobody_else_can_read_or_change_a_clients_thought_records(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    record = _finish(kim, db)
    before = (record.thought, record.balanced_thought, record.emotions, record.traps)
    lee = as_user(people.lee.user)
    for step in ("", "/thought", "/traps", "/evidence", "/balance"):
        assert lee.get(f"/me/thoughts/{record.id}{step}").status_code == 404
    assert lee.post(f"/me/thoughts/{record.id}/thought", FIRST).status_code == 404
    assert lee.post(f"/me/thoughts/{record.id}/traps", {"go": "next"}).status_code == 404
    assert (
        lee.post(
            f"/me/thoughts/{record.id}/evidence", {"evidence_for": "x", "evidence_against": "y"}
        ).status_code
        == 404
    )
    assert (
        lee.post(
            f"/me/thoughts/{record.id}/balance",
            {"balanced": "x", "after-0": "1", "after-1": "1"},
        ).status_code
        == 404
    )
    assert THOUGHT not in lee.get("/me/thoughts").text
    assert "<svg" in lee.get("/me/thoughts/chart.svg").text  # Lee's own, empty chart
    base = f"/clinic/clients/{people.kim.id}/thoughts"
    for outsider in (people.dan, people.erin):
        browser = as_user(outsider)
        for path in (base, f"{base}/{record.id}", f"{base}/chart.svg"):
            assert browser.get(path).status_code == 404
    # Kim's record under another client's address is not found either.
    carol = as_user(people.carol)
    assert carol.get(f"/clinic/clients/{people.lee.id}/thoughts/{record.id}").status_code == 404
    assert as_user(people.admin).get(base).status_code == 404
    after = _record(db)
    assert (after.thought, after.balanced_thought, after.emotions, after.traps) == before
    assert _count(db, ThoughtRecord) == 1


def test_the_care_team_reads_records_and_trap_tallies_and_each_read_is_audited(
    db: Session, people: Personas, as_user: Callable[[User], Browser]
) -> None:
    kim = as_user(people.kim.user)
    record = _finish(kim, db)
    _start(kim, go="later", thought="I'm such an idiot for saying that.")
    carol = as_user(people.carol)
    base = f"/clinic/clients/{people.kim.id}/thoughts"
    page = carol.get(base).text
    assert THOUGHT in page and "unfinished, step 2" in page
    assert "Thinking-trap suggestions" in page and "Comparing" in page
    assert f'src="{base}/chart.svg"' in page and "hurt 80 → 45" in page
    detail = carol.get(f"{base}/{record.id}").text
    assert AGAINST in detail and "Dismissed" in detail
    assert carol.get(f"{base}/chart.svg").headers["content-type"].startswith("image/svg+xml")
    db.expire_all()
    actions = list(
        db.scalars(
            select(AuditEvent.action).where(
                AuditEvent.client_id == people.kim.id, AuditEvent.actor_id == people.carol.id
            )
        )
    )
    assert actions == ["thought_records.read", "thought_record.read", "thought_records.chart.read"]
    writes = list(
        db.scalars(
            select(AuditEvent.action).where(
                AuditEvent.client_id == people.kim.id, AuditEvent.actor_id == people.kim.user_id
            )
        )
    )
    assert writes.count("thought_record.create") == 2
    assert writes.count("thought_record.update") == 3
