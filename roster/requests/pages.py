"""What the request and matching pages look up for the signed-in user: the request they may see
(404 otherwise) and the names of the people shown."""

from __future__ import annotations

from collections.abc import Iterable

from flask import abort
from flask_login import current_user
from sqlmodel import Session, col, select

from roster import db
from roster.accounts.models import User
from roster.errors import NotFound
from roster.experts.models import Expert
from roster.requests import services
from roster.requests.models import CrisisRequest


def visible_or_404(request_id: int) -> CrisisRequest:
    """The request if the current user may see it; 404 otherwise (never reveal it exists)."""
    session = db.session()
    try:
        return services.get_visible(
            session, services.viewer_for(session, current_user, db.today()), request_id
        )
    except NotFound:
        abort(404)


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(User.id, User.full_name).where(col(User.id).in_(wanted))).all()
    return dict(rows)


def expert_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.exec(select(Expert.id, Expert.full_name).where(col(Expert.id).in_(wanted))).all()
    return dict(rows)
