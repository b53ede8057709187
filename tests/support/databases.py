"""The databases every database test runs on: SQLite (a file, as in use) and the
PostgreSQL server on this machine. In CI a missing PostgreSQL is a failure, not a skip."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from mend.models import Base
from mend.platform import migrate
from mend.platform.db import make_engine

POSTGRES_URL = os.environ.get(
    "MEND_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


def _reset(engine: Engine) -> None:
    """Leave no schema behind from an interrupted earlier run."""
    with engine.begin() as conn:
        names = inspect(conn).get_table_names()
        if not names:
            return
        if conn.dialect.name == "postgresql":
            quoted = ", ".join(f'"{n}"' for n in names)
            conn.execute(text(f"DROP TABLE IF EXISTS {quoted} CASCADE"))
        else:
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def migrated_engine(backend: str, tmp_dir: Path) -> Iterator[Engine]:
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_dir / 'mend-test.db'}")
    else:
        engine = make_engine(POSTGRES_URL, pool_pre_ping=True)
        try:
            with engine.connect():
                pass
        except Exception as exc:  # the server is part of the machine; say so plainly
            if os.environ.get("CI"):
                raise RuntimeError(f"PostgreSQL is required in CI but unreachable: {exc}") from exc
            pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}")
        _reset(engine)
    migrate.upgrade(engine)
    try:
        yield engine
    finally:
        migrate.downgrade(engine)
        engine.dispose()
