"""notifications: what each user is told in the app, and read or not

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import roster.db

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "request_submitted",
    "request_triaged",
    "request_returned",
    "request_rejected",
    "request_cancelled",
    "request_staffed",
    "offer_received",
    "offer_withdrawn",
    "offer_accepted",
    "offer_declined",
    "offer_expired",
    "seats_short",
)


def upgrade() -> None:
    listed = ", ".join(f"'{kind}'" for kind in KINDS)
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("link", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("created_at", roster.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", roster.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(f"kind IN ({listed})", name=op.f("ck_notification_kind_allowed")),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["crisis_request.id"],
            name=op.f("fk_notification_request_id_crisis_request"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_notification_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notification_request_id"), ["request_id"], unique=False
        )
        batch_op.create_index(
            "ix_notification_user_unread", ["user_id", "read_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_user_unread")
        batch_op.drop_index(batch_op.f("ix_notification_request_id"))
    op.drop_table("notification")
