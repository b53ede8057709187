"""homework and library reads

Revision ID: 0010_homework_reading
Revises: 0006_merge
Create Date: 2026-11-22 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mend.platform.crypto
import mend.platform.db

revision: str = "0010_homework_reading"
down_revision: str | None = "0006_merge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "homework",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("tool", sa.String(length=100), nullable=False),
        sa.Column("instructions", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("opened_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.Column("completed_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.Column("distress_before", sa.Integer(), nullable=True),
        sa.Column("distress_after", sa.Integer(), nullable=True),
        sa.Column("note", mend.platform.crypto.EncryptedText(), nullable=True),
        sa.Column("screening_level", sa.String(length=10), nullable=False),
        sa.Column("screening_evidence", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.Column("cancelled_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "distress_before BETWEEN 0 AND 10", name=op.f("ck_homework_distress_before_range")
        ),
        sa.CheckConstraint(
            "distress_after BETWEEN 0 AND 10", name=op.f("ck_homework_distress_after_range")
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"], ["users.id"], name=op.f("fk_homework_assigned_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"], ["users.id"], name=op.f("fk_homework_cancelled_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_homework_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_homework")),
    )
    with op.batch_alter_table("homework", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_homework_client_id"), ["client_id"], unique=False)

    op.create_table(
        "library_reads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.String(length=80), nullable=False),
        sa.Column("first_read_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("last_read_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_library_reads_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_reads")),
        sa.UniqueConstraint("client_id", "article_id", name=op.f("uq_library_reads_client_id")),
    )
    with op.batch_alter_table("library_reads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_library_reads_client_id"), ["client_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("library_reads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_library_reads_client_id"))
    op.drop_table("library_reads")
    with op.batch_alter_table("homework", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_homework_client_id"))
    op.drop_table("homework")
