"""Alembic environment: the engine is handed in by mend.platform.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from mend.models import Base

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):
    from mend.platform.db import make_engine
    from mend.platform.settings import load_settings

    engine = make_engine(load_settings().resolved_database_url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
