"""join the client-tool branches and kept submissions

Revision ID: 0012_merge_tools
Revises: 0007_thoughts_checkins, 0008_coping, 0009_more_tools, 0010_homework_reading,
    0011_kept_submissions
"""

from collections.abc import Sequence

revision: str = "0012_merge_tools"
down_revision: str | Sequence[str] | None = (
    "0007_thoughts_checkins",
    "0008_coping",
    "0009_more_tools",
    "0010_homework_reading",
    "0011_kept_submissions",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
