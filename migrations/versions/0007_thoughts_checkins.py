"""thought records and daily check-ins

Revision ID: 0007_thoughts_checkins
Revises: 0006_merge
Create Date: 2026-11-23 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mend.platform.crypto
import mend.platform.db

revision: str = "0007_thoughts_checkins"
down_revision: str | None = "0006_merge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "thought_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("completed_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.Column("steps_done", sa.Integer(), nullable=False),
        sa.Column("situation", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("thought", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("emotions", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.Column("traps", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.Column("evidence_for", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("evidence_against", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("balanced_thought", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("screening_level", sa.String(length=10), nullable=False),
        sa.Column("screening", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_thought_records_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thought_records")),
    )
    with op.batch_alter_table("thought_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_thought_records_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_thought_records_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "check_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("mood", sa.Integer(), nullable=False),
        sa.Column("window_state", sa.String(length=10), nullable=False),
        sa.Column("body_signals", sa.JSON(), nullable=False),
        sa.Column("other_signals", mend.platform.crypto.EncryptedText(), nullable=True),
        sa.Column("sleep_half_hours", sa.Integer(), nullable=True),
        sa.Column("note", mend.platform.crypto.EncryptedText(), nullable=True),
        sa.Column("screening_level", sa.String(length=10), nullable=False),
        sa.Column("screening_evidence", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.CheckConstraint("mood >= 0 AND mood <= 10", name=op.f("ck_check_ins_mood_range")),
        sa.CheckConstraint(
            "window_state IN ('within', 'hyper', 'hypo')",
            name=op.f("ck_check_ins_window_state"),
        ),
        sa.CheckConstraint(
            "sleep_half_hours IS NULL OR (sleep_half_hours >= 0 AND sleep_half_hours <= 48)",
            name=op.f("ck_check_ins_sleep_range"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_check_ins_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_ins")),
    )
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_check_ins_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_check_ins_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_check_ins_created_at"))
        batch_op.drop_index(batch_op.f("ix_check_ins_client_id"))
    op.drop_table("check_ins")
    with op.batch_alter_table("thought_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_thought_records_created_at"))
        batch_op.drop_index(batch_op.f("ix_thought_records_client_id"))
    op.drop_table("thought_records")
