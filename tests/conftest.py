"""Shared fixtures. Every test that touches the database runs once on SQLite and once
on PostgreSQL (the `backend` parameter), inside a transaction rolled back afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from mend.identity.models import User
from mend.platform.clock import FixedClock
from mend.platform.crypto import configure_encryption
from mend.platform.settings import Settings
from mend.web.app import create_app
from tests.support.databases import BACKENDS, migrated_engine
from tests.support.personas import Personas, make_personas
from tests.support.web import Browser, sign_in

TEST_KEY = Fernet.generate_key()
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning


@pytest.fixture(scope="session", autouse=True)
def _crisis_model() -> None:
    """Load the crisis-language model once, up front: a save waits only a few seconds for it,
    and a test must not screen by the rules alone because the machine was busy."""
    from mend.language.crisis.screening import MODEL

    assert MODEL.get(wait=600) is not None, MODEL.error


@pytest.fixture(scope="session", params=BACKENDS)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    yield from migrated_engine(request.param, tmp_path_factory.mktemp(request.param))


@pytest.fixture
def factory(engine: Engine) -> Iterator[sessionmaker[Session]]:
    connection = engine.connect()
    outer = connection.begin()
    # Sessions commit to SAVEPOINTs inside the outer transaction, which is rolled back.
    yield sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    outer.rollback()
    connection.close()


@pytest.fixture
def db(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as session:
        yield session


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture(autouse=True)
def _encryption_keys() -> None:
    # Tests that rotate keys change the process-wide key ring; every test starts clean.
    configure_encryption([TEST_KEY])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        data_dir=tmp_path,
        encryption_keys=TEST_KEY.decode(),
        secret_key="test-secret",
        base_url="http://mend.test",
    )


@pytest.fixture
def app(settings: Settings, factory: sessionmaker[Session], clock: FixedClock) -> FastAPI:
    return create_app(settings, session_factory=factory, clock=clock)


@pytest.fixture
def people(db: Session, clock: FixedClock) -> Personas:
    personas = make_personas(db, clock.now())
    db.commit()
    return personas


@pytest.fixture
def browser(app: FastAPI) -> Browser:
    return Browser(app)


@pytest.fixture
def as_user(
    app: FastAPI, factory: sessionmaker[Session], clock: FixedClock, settings: Settings
) -> Callable[[User], Browser]:
    def make(user: User) -> Browser:
        return sign_in(app, factory, user, clock, settings)

    return make
