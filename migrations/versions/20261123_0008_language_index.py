"""language index: the search's language filter starts from the language code

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 02:15:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("expert_language", schema=None) as batch_op:
        batch_op.create_index(
            "ix_expert_language_code_level", ["language_code", "level"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("expert_language", schema=None) as batch_op:
        batch_op.drop_index("ix_expert_language_code_level")
