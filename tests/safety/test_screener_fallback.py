"""When the crisis-language model cannot load, screening falls back to the rules, says so,
keeps the text to screen again, tells the admin, and catches up once the model is back."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from mend.identity.models import User
from mend.language.crisis.screening import MODEL, RULES_ONLY
from mend.platform.clock import FixedClock
from mend.safety.models import Alert, TextScreening
from mend.safety.screening import rescreen_pending, screen_text
from tests.support.personas import Personas
from tests.support.web import Browser

# Urgent in meaning, with none of the words the rules look for.
VEILED = "Sorted the cat's new home and wrote my letters. Tomorrow I go to the bridge for good."


@pytest.fixture
def model_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("MEND_ENCODER_WEIGHTS", str(tmp_path / "no-such-model"))
    MODEL.reset()
    yield
    monkeypatch.delenv("MEND_ENCODER_WEIGHTS", raising=False)
    MODEL.reset()
    assert MODEL.get(wait=300) is not None  # the rest of the suite gets the model back


def test_rules_alone_screen_while_the_model_is_missing_and_the_text_is_rescreened_later(
    model_missing: None,
    db: Session,
    factory: sessionmaker[Session],
    people: Personas,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR):
        result = screen_text(
            db,
            client=people.kim,
            source_kind="journal",
            source_id=41,
            source_label="journal entry (private)",
            text=VEILED,
            now=clock.now(),
            base_url="http://mend.test",
        )
        db.commit()
    assert "could not load" in caplog.text  # the server logs an error
    record = db.scalars(select(TextScreening)).one()
    assert record.mode == RULES_ONLY and record.pending and record.pending_text == VEILED
    assert record.level == result.level

    # The model comes back: the kept text is screened again and the alert is raised.
    monkeypatch.delenv("MEND_ENCODER_WEIGHTS")
    MODEL.reset()
    assert MODEL.get(wait=300) is not None
    assert rescreen_pending(factory, clock, "http://mend.test") == 1
    db.expire_all()
    record = db.scalars(select(TextScreening)).one()
    assert not record.pending and record.pending_text is None
    assert record.mode == "model and rules" and record.rescreened_at is not None
    assert record.level == "urgent"
    alert = db.scalars(select(Alert).where(Alert.client_id == people.kim.id)).one()
    assert alert.severity == "urgent" and alert.source_id == "41"
    assert alert.screener_version and "adapter@" in alert.screener_version
    assert any("bridge" in reason["label"] for reason in alert.reasons)
    # Nothing left to do the second time.
    assert rescreen_pending(factory, clock, "http://mend.test") == 0


def test_the_admin_sees_a_banner_while_screening_runs_on_rules_alone(
    model_missing: None,
    people: Personas,
    as_user: Callable[[User], Browser],
) -> None:
    assert MODEL.get(wait=30) is None
    page = as_user(people.admin).get("/admin").text
    assert "rules only" in page.lower()
    clinician_page = as_user(people.carol).get("/clinic").text
    assert "rules only" not in clinician_page.lower()


def test_no_banner_when_the_model_is_loaded(
    people: Personas, as_user: Callable[[User], Browser]
) -> None:
    assert MODEL.get(wait=300) is not None
    assert "rules only" not in as_user(people.admin).get("/admin").text.lower()


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("safety_plan", "Ask Sam to keep my tablets"),
        ("dear_man", "I can't lend you money this time."),
        ("coping_place", "cool sand under my feet"),
    ],
)
def test_writing_the_model_was_not_trained_on_is_screened_by_the_rules_alone(
    db: Session, people: Personas, clock: FixedClock, kind: str, words: str
) -> None:
    result = screen_text(
        db,
        client=people.kim,
        source_kind=kind,
        source_id=1,
        source_label="a test entry",
        text=words,
        now=clock.now(),
        base_url="http://mend.test",
    )
    record = db.scalars(select(TextScreening)).one()
    assert (result.level, record.mode, record.pending) == ("none", "rules by design", False)
    assert db.scalars(select(Alert)).first() is None


def test_explicit_risk_in_a_safety_plan_is_still_caught_by_the_rules(
    db: Session, people: Personas, clock: FixedClock
) -> None:
    result = screen_text(
        db,
        client=people.kim,
        source_kind="safety_plan",
        source_id=1,
        source_label="their safety plan",
        text="I am going to kill myself tonight.",
        now=clock.now(),
        base_url="http://mend.test",
    )
    assert result.level == "urgent" and result.alert is not None
