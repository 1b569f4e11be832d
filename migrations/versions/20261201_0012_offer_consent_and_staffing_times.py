"""offer consent and staffing times: the expert's two confirmations on accepting an offer, and
when each request was triaged and first offered (backfilled from history and offers)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import roster.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSENT_WAYS = "consent_via IN ('web', 'api', 'api-legacy')"


def upgrade() -> None:
    with op.batch_alter_table("crisis_request", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("triaged_at", roster.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("first_offer_at", roster.db.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("no_conflict", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("share_contact", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column("consent_at", roster.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("consent_via", sa.String(length=12), nullable=True))
        batch_op.create_check_constraint(op.f("ck_offer_consent_via_allowed"), CONSENT_WAYS)
    # Requests already past these steps: the first triage in their history, the first offer sent.
    op.execute(
        "UPDATE crisis_request SET triaged_at = (SELECT MIN(e.at) FROM request_event e "
        "WHERE e.request_id = crisis_request.id AND e.action = 'triage')"
    )
    op.execute(
        "UPDATE crisis_request SET first_offer_at = (SELECT MIN(o.created_at) FROM offer o "
        "WHERE o.request_id = crisis_request.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_offer_consent_via_allowed"), type_="check")
        batch_op.drop_column("consent_via")
        batch_op.drop_column("consent_at")
        batch_op.drop_column("share_contact")
        batch_op.drop_column("no_conflict")
    with op.batch_alter_table("crisis_request", schema=None) as batch_op:
        batch_op.drop_column("first_offer_at")
        batch_op.drop_column("triaged_at")
