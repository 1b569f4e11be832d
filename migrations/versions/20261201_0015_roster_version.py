"""roster version: one row that changes with every change to what candidate matching reads

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 13:00:00
"""

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "roster_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_version")),
    )
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # stored as UTC without an offset, like UTCDateTime
    op.bulk_insert(
        table, [{"id": 1, "counter": 0, "token": secrets.token_hex(16), "changed_at": now}]
    )


def downgrade() -> None:
    op.drop_table("roster_version")
