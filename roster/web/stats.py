"""Small counts shown on the home pages."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from roster.accounts.models import User
from roster.experts.models import Expert


def home_stats(session: Session) -> dict[str, int]:
    by_status = dict(
        session.exec(
            select(Expert.vetting_status, sa.func.count())
            .where(Expert.active)
            .group_by(Expert.vetting_status)
        ).all()
    )
    users = session.exec(select(sa.func.count()).select_from(User).where(User.active)).one()
    return {
        "pending": by_status.get("pending", 0),
        "vetted": by_status.get("vetted", 0),
        "users": users,
    }
