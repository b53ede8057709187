"""screenings of client writing, with the screener's version on alerts

Revision ID: 0013_text_screenings
Revises: 0012_merge_tools
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mend.platform.crypto
import mend.platform.db

revision: str = "0013_text_screenings"
down_revision: str | None = "0012_merge_tools"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "text_screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("source_kind", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("source_label", sa.String(length=120), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("screener_version", sa.String(length=200), nullable=False),
        sa.Column("result", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.Column("pending_text", mend.platform.crypto.EncryptedText(), nullable=True),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("rescreened_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_text_screenings_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_text_screenings_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_screenings")),
    )
    with op.batch_alter_table("text_screenings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_text_screenings_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_text_screenings_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_text_screenings_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_text_screenings_pending"), ["pending"], unique=False)
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("screener_version", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("screener_version")
    with op.batch_alter_table("text_screenings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_text_screenings_pending"))
        batch_op.drop_index(batch_op.f("ix_text_screenings_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_text_screenings_created_at"))
        batch_op.drop_index(batch_op.f("ix_text_screenings_client_id"))
    op.drop_table("text_screenings")
