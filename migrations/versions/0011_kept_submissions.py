"""forms kept when a sign-in times out

Revision ID: 0011_kept_submissions
Revises: 0006_merge
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mend.platform.crypto
import mend.platform.db

revision: str = "0011_kept_submissions"
down_revision: str | None = "0006_merge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kept_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("fields", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("shown_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.Column("discarded_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_kept_submissions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_submissions")),
    )
    with op.batch_alter_table("kept_submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kept_submissions_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kept_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kept_submissions_user_id"))
    op.drop_table("kept_submissions")
