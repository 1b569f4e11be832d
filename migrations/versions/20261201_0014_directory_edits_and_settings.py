"""directory edits and settings in the app: CSAP roles, focal-point periods and roles, the setting table

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import roster.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = "'gfp', 'wps-fp', 'hs-fp', 'caac-fp', 'hs-liaison', 'functional-specialist'"
NEW_ROLES = OLD_ROLES + ", 'genad', 'wps-advisor'"


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", roster.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("type IN ('int', 'float')", name=op.f("ck_setting_type_allowed")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_setting_updated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    with op.batch_alter_table("csap_membership", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "role",
                sqlmodel.sql.sqltypes.AutoString(length=20),
                server_default="member",
                nullable=False,
            )
        )
        batch_op.create_check_constraint(
            op.f("ck_csap_membership_role_allowed"), "role IN ('chair', 'vice-chair', 'member')"
        )
        batch_op.create_check_constraint(
            op.f("ck_csap_membership_term_ordered"), "term_end IS NULL OR term_end >= term_start"
        )
    with op.batch_alter_table("focal_point", schema=None) as batch_op:
        batch_op.add_column(sa.Column("since", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("until", sa.Date(), nullable=True))
        batch_op.drop_constraint(op.f("ck_focal_point_role_allowed"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_focal_point_role_allowed"), f"role IN ({NEW_ROLES})"
        )
        batch_op.create_check_constraint(
            op.f("ck_focal_point_period_ordered"),
            "since IS NULL OR until IS NULL OR until >= since",
        )


def downgrade() -> None:
    # The older role list cannot hold these roles; their rows go rather than break the check.
    op.execute(sa.text("DELETE FROM focal_point WHERE role IN ('genad', 'wps-advisor')"))
    with op.batch_alter_table("focal_point", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_focal_point_period_ordered"), type_="check")
        batch_op.drop_constraint(op.f("ck_focal_point_role_allowed"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_focal_point_role_allowed"), f"role IN ({OLD_ROLES})"
        )
        batch_op.drop_column("until")
        batch_op.drop_column("since")
    with op.batch_alter_table("csap_membership", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_csap_membership_term_ordered"), type_="check")
        batch_op.drop_constraint(op.f("ck_csap_membership_role_allowed"), type_="check")
        batch_op.drop_column("role")
    op.drop_table("setting")
