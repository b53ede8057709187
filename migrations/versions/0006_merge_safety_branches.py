"""join the safety-plan and crisis/level-of-care branches

Revision ID: 0006_merge
Revises: 0004_safety_plan, 0005_crisis_care_level
"""

from collections.abc import Sequence

revision: str = "0006_merge"
down_revision: str | Sequence[str] | None = ("0004_safety_plan", "0005_crisis_care_level")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
