"""Notifications: tell users of an event in the app and, unless they opted out, by mail through
the outbox, in the transaction of the event; and read, count and mark a user's own."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from roster.accounts.models import User
from roster.db import affected_rows, utcnow
from roster.errors import NotFound
from roster.locales import in_locale_of
from roster.notify import outbox
from roster.notify.models import Notification, NotificationKind


@dataclass(frozen=True, slots=True)
class Mail:
    """The mail that carries one notification. `kind` names it in the outbox; `to` overrides
    the user's own address (an expert's profile address, say)."""

    kind: str
    subject: str
    body: str
    to: str | None = None


# A subject is a text, a lazy text or a function of the recipient: each is evaluated inside the
# recipient's locale, so a notification is stored in the language of whom it is for.
Subject = str | Callable[[User], str]  # or a LazyString (untyped)
MailFor = Callable[[User], Mail]

# What a notification's mail says when the caller composes none: nothing of the event, which
# may be classified, only that there is something to read behind sign-in.
PLAIN_SUBJECT = _l("A new notification on the Roster")
PLAIN_BODY = _l("Hello {name},\n\nSomething needs your attention. Sign in to read it:\n\n{link}\n")


def site_url(path: str, base_url: str | None = None) -> str:
    """The absolute address of a page of ours, for mail (`base_url` or the configured one)."""
    if base_url is None:
        base_url = current_app.config["ROSTER_BASE_URL"] if has_app_context() else ""
    return f"{base_url.rstrip('/')}{path}"


def notify(
    session: Session,
    *,
    users: Iterable[User],
    kind: NotificationKind,
    subject: Subject,
    link: str,
    request_id: int | None = None,
    mail: MailFor | None = None,
    base_url: str | None = None,
) -> list[Notification]:
    """Tell each active user once, in the caller's transaction: a rollback drops the
    notifications and their mail too. The caller decides who may hear of the event (no
    read-up); `subject` may name what every one of `users` may see. The mail goes out unless
    the user set `notify_by_email` off."""
    made = []
    seen: set[int] = set()
    for user in users:
        if not user.active or user.id in seen:
            continue
        seen.add(user.id)
        # Composed in the recipient's language, and the subject stored so (see `Subject`).
        with in_locale_of(user):
            text = str(subject(user) if callable(subject) else subject)
            letter = None
            if user.notify_by_email:
                letter = mail(user) if mail else _plain_mail(user, kind, site_url(link, base_url))
        made.append(
            Notification(
                user_id=user.id, kind=kind, subject=text[:300], link=link, request_id=request_id
            )
        )
        if letter is not None:
            outbox.enqueue(
                session,
                kind=letter.kind,
                to=letter.to or user.email,
                subject=letter.subject,
                body=letter.body,
            )
    session.add_all(made)
    session.flush()
    return made


# The kinds whose subject names an expert (told to coordinators): erasure takes the name out.
NAMING_EXPERTS = ("offer_accepted", "offer_declined", "seats_short")


def forget_name(session: Session, name: str, replacement: str) -> int:
    """Replace an erased expert's name in the notifications that named them; how many."""
    result = session.execute(
        sa.update(Notification)
        .where(
            col(Notification.kind).in_(NAMING_EXPERTS),
            col(Notification.subject).contains(name, autoescape=True),
        )
        .values(subject=sa.func.replace(Notification.subject, name, replacement))
        .execution_options(synchronize_session=False)
    )
    return affected_rows(result)


def _plain_mail(user: User, kind: str, link: str) -> Mail:
    return Mail(kind, str(PLAIN_SUBJECT), str(PLAIN_BODY).format(name=user.full_name, link=link))


# --- A user's own notifications -------------------------------------------------------------


def _mine(user_id: int, *, unread: bool = False) -> list[sa.ColumnElement[bool]]:
    where = [col(Notification.user_id) == user_id]
    if unread:
        where.append(col(Notification.read_at).is_(None))
    return where


def unread_count(session: Session, user_id: int) -> int:
    """One COUNT query: what the page header shows."""
    return session.exec(
        select(sa.func.count()).select_from(Notification).where(*_mine(user_id, unread=True))
    ).one()


def page_of(
    session: Session, user_id: int, *, unread: bool = False, page: int = 1, per_page: int = 20
) -> tuple[list[Notification], int]:
    """The user's notifications, newest first, one page of them, and how many there are."""
    where = _mine(user_id, unread=unread)
    total = session.exec(select(sa.func.count()).select_from(Notification).where(*where)).one()
    rows = session.exec(
        select(Notification)
        .where(*where)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), total


def mark_read(
    session: Session, user_id: int, notification_id: int, now: datetime | None = None
) -> Notification:
    """Mark one of the user's own notifications read; anyone else's is NotFound (404)."""
    found = session.get(Notification, notification_id)
    if found is None or found.user_id != user_id:
        raise NotFound(_("No such notification."))
    if found.read_at is None:
        found.read_at = now or utcnow()
        session.add(found)
        session.flush()
    return found


def mark_all_read(session: Session, user_id: int, now: datetime | None = None) -> int:
    result = session.execute(
        sa.update(Notification)
        .where(*_mine(user_id, unread=True))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return affected_rows(result)
