"""coping toolkit: exercise sessions and the client's calm place

Revision ID: 0008_coping
Revises: 0006_merge
Create Date: 2026-11-23 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mend.platform.crypto
import mend.platform.db

revision: str = "0008_coping"
down_revision: str | None = "0006_merge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coping_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("tool", sa.String(length=40), nullable=False),
        sa.Column("started_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("finished_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.Column("distress_before", sa.Integer(), nullable=False),
        sa.Column("distress_after", sa.Integer(), nullable=True),
        sa.Column("note", mend.platform.crypto.EncryptedText(), nullable=True),
        sa.Column("screening_level", sa.String(length=10), nullable=False),
        sa.Column("screening_evidence", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.CheckConstraint(
            "distress_before BETWEEN 0 AND 10",
            name=op.f("ck_coping_sessions_distress_before_range"),
        ),
        sa.CheckConstraint(
            "distress_after IS NULL OR distress_after BETWEEN 0 AND 10",
            name=op.f("ck_coping_sessions_distress_after_range"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_coping_sessions_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coping_sessions")),
    )
    with op.batch_alter_table("coping_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coping_sessions_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_coping_sessions_started_at"), ["started_at"], unique=False
        )

    op.create_table(
        "coping_places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("words", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.Column("screening_level", sa.String(length=10), nullable=False),
        sa.Column("screening_evidence", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_coping_places_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coping_places")),
        sa.UniqueConstraint("client_id", name=op.f("uq_coping_places_client_id")),
    )


def downgrade() -> None:
    op.drop_table("coping_places")
    with op.batch_alter_table("coping_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coping_sessions_started_at"))
        batch_op.drop_index(batch_op.f("ix_coping_sessions_client_id"))
    op.drop_table("coping_sessions")
