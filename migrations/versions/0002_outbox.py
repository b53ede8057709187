"""notification outbox

Revision ID: 0002_outbox
Revises: 0001
Create Date: 2026-11-23 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mend.platform.crypto
import mend.platform.db

revision: str = "0002_outbox"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("body", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("claimed_until", mend.platform.db.UTCDateTime(), nullable=True),
        sa.Column("sent_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_messages_dedupe_key")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outbox_messages_sent_at"), ["sent_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_messages_sent_at"))
        batch_op.drop_index(batch_op.f("ix_outbox_messages_next_attempt_at"))

    op.drop_table("outbox_messages")
