"""activities, support network and trust steps, boundaries, strengths and letters

Revision ID: 0009_more_tools
Revises: 0006_merge
Create Date: 2026-11-22 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mend.platform.crypto
import mend.platform.db

revision: str = "0009_more_tools"
down_revision: str | Sequence[str] | None = "0006_merge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _client_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["client_id"],
        ["clients.id"],
        name=op.f(f"fk_{table}_client_id_clients"),
        ondelete="CASCADE",
    )


def _screening() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("screening_level", sa.String(length=10), nullable=False),
        sa.Column("screening_evidence", mend.platform.crypto.EncryptedJSON(), nullable=False),
    ]


def _index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column])


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("title", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("time_of_day", sa.String(length=10), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("mastery", sa.Integer(), nullable=True),
        sa.Column("pleasure", sa.Integer(), nullable=True),
        sa.Column("note", mend.platform.crypto.EncryptedText(), nullable=True),
        *_screening(),
        _client_fk("activities"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index("ix_activities_client_planned", ["client_id", "planned_on"])

    op.create_table(
        "network_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("name", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("relationship", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("reach_kind", sa.String(length=10), nullable=False),
        sa.Column("reach", mend.platform.crypto.EncryptedText(), nullable=True),
        sa.Column("closeness", sa.Integer(), nullable=False),
        sa.Column("trust", sa.Integer(), nullable=False),
        sa.Column("signs", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.Column("plan_section", sa.String(length=20), nullable=True),
        sa.Column("plan_version", sa.Integer(), nullable=True),
        *_screening(),
        _client_fk("network_people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_people")),
    )
    with op.batch_alter_table("network_people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_network_people_client_id"), ["client_id"])

    op.create_table(
        "trust_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("plan", mend.platform.crypto.EncryptedText(), nullable=True),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("outcome_at", mend.platform.db.UTCDateTime(), nullable=True),
        sa.Column("went", sa.Integer(), nullable=True),
        sa.Column("what_happened", mend.platform.crypto.EncryptedText(), nullable=True),
        sa.Column("trust_change", sa.String(length=5), nullable=True),
        *_screening(),
        _client_fk("trust_steps"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["network_people.id"],
            name=op.f("fk_trust_steps_person_id_network_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_steps")),
    )
    with op.batch_alter_table("trust_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trust_steps_client_id"), ["client_id"])
        batch_op.create_index(batch_op.f("ix_trust_steps_person_id"), ["person_id"])

    op.create_table(
        "dear_man_scripts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("title", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("steps", mend.platform.crypto.EncryptedJSON(), nullable=False),
        *_screening(),
        _client_fk("dear_man_scripts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dear_man_scripts")),
    )
    _index("dear_man_scripts", "client_id")

    op.create_table(
        "boundary_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("my_limit", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("how_to_say", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("if_crossed", mend.platform.crypto.EncryptedText(), nullable=False),
        *_screening(),
        _client_fk("boundary_plans"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_boundary_plans")),
    )
    _index("boundary_plans", "client_id")

    op.create_table(
        "boundary_practices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("script_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("practised_on", sa.Date(), nullable=False),
        sa.Column("went", sa.Integer(), nullable=False),
        sa.Column("what_happened", mend.platform.crypto.EncryptedText(), nullable=True),
        sa.Column("try_next", mend.platform.crypto.EncryptedText(), nullable=True),
        *_screening(),
        _client_fk("boundary_practices"),
        sa.ForeignKeyConstraint(
            ["script_id"],
            ["dear_man_scripts.id"],
            name=op.f("fk_boundary_practices_script_id_dear_man_scripts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["boundary_plans.id"],
            name=op.f("fk_boundary_practices_plan_id_boundary_plans"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_boundary_practices")),
    )
    for column in ("client_id", "script_id", "plan_id"):
        _index("boundary_practices", column)

    op.create_table(
        "strength_moments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("story", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("picked", mend.platform.crypto.EncryptedJSON(), nullable=False),
        sa.Column("own", mend.platform.crypto.EncryptedJSON(), nullable=False),
        *_screening(),
        _client_fk("strength_moments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strength_moments")),
    )
    _index("strength_moments", "client_id")

    op.create_table(
        "compassion_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", mend.platform.db.UTCDateTime(), nullable=False),
        sa.Column("body", mend.platform.crypto.EncryptedText(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("shared_at", mend.platform.db.UTCDateTime(), nullable=True),
        *_screening(),
        _client_fk("compassion_letters"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compassion_letters")),
    )
    _index("compassion_letters", "client_id")


def downgrade() -> None:
    for table, columns in (
        ("compassion_letters", ("client_id",)),
        ("strength_moments", ("client_id",)),
        ("boundary_practices", ("client_id", "script_id", "plan_id")),
        ("boundary_plans", ("client_id",)),
        ("dear_man_scripts", ("client_id",)),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
        op.drop_table(table)
    with op.batch_alter_table("trust_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trust_steps_person_id"))
        batch_op.drop_index(batch_op.f("ix_trust_steps_client_id"))
    op.drop_table("trust_steps")
    with op.batch_alter_table("network_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_people_client_id"))
    op.drop_table("network_people")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index("ix_activities_client_planned")
    op.drop_table("activities")
