"""Changing one's e-mail address: asked with the current password, confirmed from the new one.

The address changes only when the link mailed to the new address is followed; the old address
hears of the request. An expert's profile address follows the account's. An address another
account (or another expert's profile) already uses is refused, on asking and on confirming."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from roster import audit
from roster.accounts.models import EmailChange, User
from roster.accounts.passwords import verify_password
from roster.accounts.services import find_user_by_email, normalize_email, token_digest
from roster.db import affected_rows, utcnow
from roster.errors import Conflict, Gone, ValidationFailed
from roster.experts.models import Expert
from roster.locales import in_locale_of
from roster.notify import outbox

CHANGE_HOURS = 24
FIELD = "new_email"

CONFIRM_MAIL = _l(
    """Hello {name},

You asked to use this address for your Roster account. Confirm it through this single-use link
within {hours} hours:

{link}

Until then your account keeps its current address. If you did not ask for this, ignore this
message.
"""
)

NOTICE_MAIL = _l(
    """Hello {name},

Someone signed in to your Roster account asked to change its e-mail address. The change takes
effect only once confirmed from the new address. If this was not you, change your password and
tell your administrator.
"""
)

CHANGED_MAIL = _l(
    """Hello {name},

The e-mail address of your Roster account was changed; mail now goes to the new address.
If this was not you, tell your administrator at once.
"""
)


def confirm_url(base_url: str, raw_token: str) -> str:
    return f"{base_url.rstrip('/')}/settings/email/{raw_token}"


def _refuse_clash(session: Session, user: User, address: str) -> None:
    other = find_user_by_email(session, address)
    profile = session.exec(select(Expert).where(Expert.email == address)).first()
    if (other is not None and other.id != user.id) or (
        profile is not None and profile.user_id != user.id
    ):
        raise Conflict(
            _("Another account already uses this address."),
            {FIELD: [_("Another account already uses this address.")]},
        )


def request_change(
    *, session: Session, user: User, password: str, new_email: str, base_url: str = ""
) -> None:
    if not verify_password(user.password_hash, password):
        raise ValidationFailed(
            _("The current password is wrong."),
            {"current_password": [_("The current password is wrong.")]},
        )
    try:
        address = normalize_email(new_email)
    except ValidationFailed as exc:
        raise ValidationFailed(
            exc.message, {FIELD: exc.fields.get("email", [exc.message])}
        ) from exc
    if address == user.email:
        raise ValidationFailed(
            _("This is already your address."), {FIELD: [_("This is already your address.")]}
        )
    _refuse_clash(session, user, address)
    now = utcnow()
    for old in _pending(session, user):
        old.used_at = now
    raw = secrets.token_urlsafe(32)
    session.add(
        EmailChange(
            user_id=user.id,
            new_email=address,
            token_hash=token_digest(raw),
            expires_at=now + timedelta(hours=CHANGE_HOURS),
        )
    )
    with in_locale_of(user):
        outbox.enqueue(
            session,
            kind="email_change",
            to=address,
            subject=_("Confirm your new Roster address"),
            body=CONFIRM_MAIL.format(
                name=user.full_name, hours=CHANGE_HOURS, link=confirm_url(base_url, raw)
            ),
        )
    with in_locale_of(user):
        outbox.enqueue(
            session,
            kind="email_change_notice",
            to=user.email,
            subject=_("A change of your Roster address was asked"),
            body=NOTICE_MAIL.format(name=user.full_name),
        )
    audit.record(
        session, actor=f"user:{user.id}", action="email.change_request", subject=f"user:{user.id}"
    )
    session.flush()


def _pending(session: Session, user: User) -> list[EmailChange]:
    return list(
        session.exec(
            select(EmailChange).where(
                EmailChange.user_id == user.id, col(EmailChange.used_at).is_(None)
            )
        )
    )


def pending_change(session: Session, user: User) -> EmailChange | None:
    """The change waiting for confirmation, to show on the settings page."""
    now = utcnow()
    live = [c for c in _pending(session, user) if c.expires_at > now]
    return live[-1] if live else None


def change_for(session: Session, raw_token: str) -> EmailChange:
    """The live change behind a link; Gone when it is unknown, used, replaced or expired."""
    change = session.exec(
        select(EmailChange).where(EmailChange.token_hash == token_digest(raw_token))
    ).first()
    if change is None:
        raise Gone(_("This confirmation link is not valid."))
    if change.used_at is not None:
        raise Gone(_("This confirmation link has already been used."))
    if change.expires_at <= utcnow():
        raise Gone(_("This confirmation link has expired. Ask for the change again."))
    user = session.get(User, change.user_id)
    if user is None or not user.active:
        raise Gone(_("This confirmation link is not valid."))
    return change


def confirm_change(*, session: Session, raw_token: str) -> User:
    change = change_for(session, raw_token)
    user = session.get(User, change.user_id)
    if user is None:  # change_for checked it; kept for the type checker
        raise Gone(_("This confirmation link is not valid."))
    _refuse_clash(session, user, change.new_email)
    claimed = session.execute(
        sa.update(EmailChange)
        .where(col(EmailChange.id) == change.id, col(EmailChange.used_at).is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if affected_rows(claimed) != 1:
        raise Gone(_("This confirmation link has already been used."))
    old_address = user.email
    user.email = change.new_email
    # A new version, so an edit opened before the change is stale rather than refused.
    session.execute(
        sa.update(Expert)
        .where(col(Expert.user_id) == user.id)
        .values(email=change.new_email, version=col(Expert.version) + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    with in_locale_of(user):
        outbox.enqueue(
            session,
            kind="email_changed",
            to=old_address,
            subject=_("Your Roster address was changed"),
            body=CHANGED_MAIL.format(name=user.full_name),
        )
    audit.record(session, actor=f"user:{user.id}", action="email.change", subject=f"user:{user.id}")
    session.flush()
    return user
