"""The read model of a user's notifications, for the list page and the API alike: their own
only, newest first, and none that names a request the reader may no longer see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from roster.db import today
from roster.notify import notifications
from roster.notify.models import Notification
from roster.requests import services

# What stands in for the subject once the reader may no longer see the request it names (their
# clearance lapsed, say): no read-up, not even of a title they were once told.
HIDDEN_SUBJECT = _l("A notification about a request you can no longer see")


@dataclass(frozen=True, slots=True)
class NotificationView:
    id: int
    kind: str
    subject: str
    link: str
    request_id: int | None
    created_at: datetime
    read_at: datetime | None

    @property
    def unread(self) -> bool:
        return self.read_at is None


@dataclass(frozen=True, slots=True)
class NotificationPage:
    items: list[NotificationView]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)


def notifications_page(
    session: Session, user: Any, *, unread: bool = False, page: int = 1, per_page: int = 20
) -> NotificationPage:
    rows, total = notifications.page_of(
        session, user.id, unread=unread, page=page, per_page=per_page
    )
    return NotificationPage(
        items=views_of(session, user, rows), total=total, page=page, per_page=per_page
    )


def views_of(session: Session, user: Any, rows: list[Notification]) -> list[NotificationView]:
    """The user's own notifications as they may read them now: one query for visibility."""
    about = {n.request_id for n in rows if n.request_id is not None}
    visible = services.visible_by_id(session, services.viewer_for(session, user, today()), about)
    return [
        NotificationView(
            id=n.id,
            kind=n.kind,
            subject=n.subject
            if n.request_id is None or n.request_id in visible
            else str(HIDDEN_SUBJECT),
            link=n.link,
            request_id=n.request_id,
            created_at=n.created_at,
            read_at=n.read_at,
        )
        for n in rows
    ]
