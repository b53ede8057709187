"""crisis episodes, follow-ups and level-of-care decisions

Revision ID: 0005_crisis_care_level
Revises: 0003_safety
Create Date: 2026-11-22 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mend.platform.crypto
import mend.platform.db

revision: str = "0005_crisis_care_level"
down_revision: str | None = "0003_safety"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crisis_episodes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("context", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.Column("assessment", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.Column("assessment_version", sa.Integer(), nullable=False),
        sa.Column("assessed_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.Column("assessed_by_id", sa.Integer(), nullable=True),
        sa.Column("risk_level", sa.String(length=20), nullable=True),
        sa.Column("deescalation", sa.JSON(), nullable=False),
        sa.Column("disposition", sa.JSON(), nullable=False),
        sa.Column("disposition_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.Column("follow_ups_scheduled_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.Column("closed_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("review_note", mend.platform.crypto.EncryptedText(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_crisis_episodes_alert_id_alerts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["assessed_by_id"], ["users.id"], name=op.f("fk_crisis_episodes_assessed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_crisis_episodes_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["users.id"], name=op.f("fk_crisis_episodes_closed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["users.id"], name=op.f("fk_crisis_episodes_opened_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_crisis_episodes_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_episodes")),
    )
    with op.batch_alter_table("crisis_episodes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_crisis_episodes_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_crisis_episodes_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_crisis_episodes_state"), ["state"], unique=False)
        # At most one open episode per client (a partial unique index).
        batch_op.create_index(
            "uq_crisis_episodes_open_client",
            ["client_id"],
            unique=True,
            sqlite_where=sa.text("state = 'open'"),
            postgresql_where=sa.text("state = 'open'"),
        )

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("due_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("done_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("note", mend.platform.crypto.EncryptedText(), nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("escalated_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["users.id"], name=op.f("fk_follow_ups_done_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["episode_id"],
            ["crisis_episodes.id"],
            name=op.f("fk_follow_ups_episode_id_crisis_episodes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
        sa.UniqueConstraint("episode_id", "kind", name=op.f("uq_follow_ups_episode_id")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_ups_done_at"), ["done_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_ups_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_ups_episode_id"), ["episode_id"], unique=False)

    op.create_table(
        "care_level_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("inputs", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.Column("recommended_level", sa.String(length=40), nullable=False),
        sa.Column("fired_rules", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.Column("chosen_level", sa.String(length=40), nullable=False),
        sa.Column("reason", mend.platform.crypto.EncryptedText(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_care_level_decisions_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_care_level_decisions_decided_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_care_level_decisions_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_level_decisions")),
    )
    with op.batch_alter_table("care_level_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_care_level_decisions_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_care_level_decisions_decided_at"), ["decided_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_care_level_decisions_organisation_id"),
            ["organisation_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("care_level_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_level_decisions_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_care_level_decisions_decided_at"))
        batch_op.drop_index(batch_op.f("ix_care_level_decisions_client_id"))
    op.drop_table("care_level_decisions")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_ups_episode_id"))
        batch_op.drop_index(batch_op.f("ix_follow_ups_due_at"))
        batch_op.drop_index(batch_op.f("ix_follow_ups_done_at"))
    op.drop_table("follow_ups")
    with op.batch_alter_table("crisis_episodes", schema=None) as batch_op:
        batch_op.drop_index("uq_crisis_episodes_open_client")
        batch_op.drop_index(batch_op.f("ix_crisis_episodes_state"))
        batch_op.drop_index(batch_op.f("ix_crisis_episodes_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_crisis_episodes_client_id"))
    op.drop_table("crisis_episodes")
