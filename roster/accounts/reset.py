"""Password reset (ASVS 5.0 V6): a single-use, hashed, one-hour link mailed to an active account.

Asking answers the same for every address, known or not: the same work is done either way up to
the point where only a real account gets a row and a mail. A reset ends every browser session
(the password change rotates the session nonce) and every API token; a second factor stays on."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from roster import audit, policy
from roster.accounts.models import Invitation, PasswordReset, User
from roster.accounts.passwords import hash_password
from roster.accounts.services import (
    check_new_password,
    find_user_by_email,
    live_tokens,
    normalize_email,
    token_digest,
)
from roster.db import affected_rows, utcnow
from roster.errors import Conflict, Forbidden, Gone, NotFound, ValidationFailed
from roster.locales import in_locale_of
from roster.notify import outbox

RESET_HOURS = 1

RESET_MAIL = _l(
    """Hello {name},

Someone, probably you, asked to reset the password of your Roster account.
Choose a new password through this single-use link within {hours} hour(s):

{link}

If you did not ask for this, ignore this message: your password stays as it is.
"""
)

RESET_BY_ADMIN_MAIL = _l(
    """Hello {name},

An administrator of the Roster sent you this link to choose a new password.
Use it within {hours} hour(s); it works once:

{link}

If you did not expect this, tell your administrator.
"""
)

DONE_MAIL = _l(
    """Hello {name},

The password of your Roster account was just reset, and every session and API token of the
account was ended. If this was not you, contact your administrator at once.
"""
)


def reset_url(base_url: str, raw_token: str) -> str:
    return f"{base_url.rstrip('/')}/password/reset/{raw_token}"


def _account_for(session: Session, email: str) -> User | None:
    try:
        address = normalize_email(email)
    except ValidationFailed:
        return None
    return find_user_by_email(session, address)


def request_reset(*, session: Session, email: str, base_url: str = "") -> None:
    """Mail a reset link if `email` names an active account; otherwise do as much of the same
    work and say nothing. The caller answers the same either way."""
    raw = secrets.token_urlsafe(32)
    digest = token_digest(raw)  # hashed for every address, so both paths cost the same
    user = _account_for(session, email)
    if user is None or not user.active:
        audit.record(session, actor="anonymous", action="password_reset.request", subject="")
        session.flush()
        return
    _issue(session, user, digest, created_by=None)
    _mail_link(session, user, RESET_MAIL, reset_url(base_url, raw))
    audit.record(
        session, actor="anonymous", action="password_reset.request", subject=f"user:{user.id}"
    )
    session.flush()


def _mail_link(session: Session, user: User, text: Any, link: str) -> None:
    """The reset mail (`text`, a lazy template) in the owner's language, through the outbox."""
    with in_locale_of(user):
        outbox.enqueue(
            session,
            kind="password_reset",
            to=user.email,
            subject=_("Reset your Roster password"),
            body=text.format(name=user.full_name, hours=RESET_HOURS, link=link),
        )


def send_reset(*, session: Session, actor: User, user_id: int, base_url: str = "") -> User:
    """An admin mails a reset link to an account's owner; the admin never sees the link."""
    if not policy.can_manage_users(actor):
        raise Forbidden(_("Only admins send password reset links."))
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    if not policy.can_send_reset(actor, user):
        raise Conflict(_("This account is deactivated; reactivate it before sending a reset link."))
    raw = secrets.token_urlsafe(32)
    _issue(session, user, token_digest(raw), created_by=actor.id)
    _mail_link(session, user, RESET_BY_ADMIN_MAIL, reset_url(base_url, raw))
    audit.record(
        session, actor=f"user:{actor.id}", action="password_reset.send", subject=f"user:{user.id}"
    )
    session.flush()
    return user


def _issue(session: Session, user: User, digest: str, *, created_by: int | None) -> None:
    """A new link for `user`; their earlier unused links stop working."""
    now = utcnow()
    for old in session.exec(
        select(PasswordReset).where(
            PasswordReset.user_id == user.id, col(PasswordReset.used_at).is_(None)
        )
    ):
        old.used_at = now
    session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=digest,
            created_by_id=created_by,
            expires_at=now + timedelta(hours=RESET_HOURS),
        )
    )
    session.flush()


def reset_for(session: Session, raw_token: str) -> PasswordReset:
    """The live reset behind a link; Gone when it is unknown, used, replaced or expired."""
    reset = session.exec(
        select(PasswordReset).where(PasswordReset.token_hash == token_digest(raw_token))
    ).first()
    if reset is None:
        raise Gone(_("This reset link is not valid. Ask for a new one."))
    if reset.used_at is not None:
        raise Gone(_("This reset link has already been used. Ask for a new one."))
    if reset.expires_at <= utcnow():
        raise Gone(_("This reset link has expired. Ask for a new one."))
    user = session.get(User, reset.user_id)
    if user is None or not user.active:
        raise Gone(_("This reset link is not valid. Ask for a new one."))
    return reset


def _claim(session: Session, reset: PasswordReset) -> None:
    """Mark the link used, if no one else has: of parallel uses exactly one wins."""
    claimed = session.execute(
        sa.update(PasswordReset)
        .where(col(PasswordReset.id) == reset.id, col(PasswordReset.used_at).is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if affected_rows(claimed) != 1:
        raise Gone(_("This reset link has already been used. Ask for a new one."))
    session.refresh(reset)


def complete_reset(*, session: Session, raw_token: str, password: str) -> User:
    """Set the new password, end every session and token of the account. The second factor,
    if any, is left as it is: signing in still asks for it."""
    reset = reset_for(session, raw_token)
    check_new_password(password)
    user = session.get(User, reset.user_id)
    if user is None:  # reset_for checked it; kept for the type checker
        raise Gone(_("This reset link is not valid. Ask for a new one."))
    password_hash = hash_password(password)  # the slow part, before the row is locked
    _claim(session, reset)
    user.password_hash = password_hash  # rotates the session nonce: every browser is signed out
    now = utcnow()
    for token in live_tokens(session, user):
        token.revoked_at = now
    for pending in session.exec(
        select(Invitation).where(Invitation.user_id == user.id, col(Invitation.used_at).is_(None))
    ):
        pending.used_at = now
    with in_locale_of(user):
        outbox.enqueue(
            session,
            kind="password_reset_done",
            to=user.email,
            subject=_("Your Roster password was reset"),
            body=DONE_MAIL.format(name=user.full_name),
        )
    audit.record(
        session, actor=f"user:{user.id}", action="password.reset", subject=f"user:{user.id}"
    )
    session.flush()
    return user
