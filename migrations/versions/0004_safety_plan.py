"""safety plans and their versions

Revision ID: 0004_safety_plan
Revises: 0001
Create Date: 2026-11-22 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mend.platform.crypto
import mend.platform.db

revision: str = "0004_safety_plan"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "safety_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        # Not a foreign key on purpose (see SafetyPlan in mend/safety/plans.py).
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_safety_plans_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_safety_plans_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_plans")),
        sa.UniqueConstraint("client_id", name=op.f("uq_safety_plans_client_id")),
    )
    with op.batch_alter_table("safety_plans", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safety_plans_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "safety_plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("author_role", sa.String(length=20), nullable=False),
        sa.Column("content", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.Column("change_summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_safety_plan_versions_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["safety_plans.id"],
            name=op.f("fk_safety_plan_versions_plan_id_safety_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_plan_versions")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_safety_plan_versions_plan_id")),
    )
    with op.batch_alter_table("safety_plan_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safety_plan_versions_plan_id"), ["plan_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("safety_plan_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_plan_versions_plan_id"))
    op.drop_table("safety_plan_versions")
    with op.batch_alter_table("safety_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_plans_organisation_id"))
    op.drop_table("safety_plans")
