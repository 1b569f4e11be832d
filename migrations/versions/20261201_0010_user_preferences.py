"""user preferences: the language of pages and mail, and whether notifications are mailed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("locale", sa.String(length=5), server_default="en", nullable=False)
        )
        batch_op.add_column(
            sa.Column("notify_by_email", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_user_account_locale_allowed"), "locale IN ('en', 'fr')"
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_user_account_locale_allowed"), type_="check")
        batch_op.drop_column("notify_by_email")
        batch_op.drop_column("locale")
