"""A user's ways in, as their settings page lists them: browser sign-ins and API tokens.

The session cookie carries a random key next to the user's nonce; only the key's SHA-256 is
stored. A record lives while it is not ended and was opened under the user's current nonce, so
everything that rotates the nonce (sign out everywhere, a new password, a role change) ends
every record at once without touching them."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from roster import audit
from roster.accounts.models import ApiToken, User, UserSession
from roster.accounts.services import live_tokens, token_digest
from roster.db import utcnow
from roster.errors import NotFound

# How often last_seen_at moves: coarse on purpose, a hint for recognising a session, not a log.
SEEN_EVERY = timedelta(minutes=5)

_BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def device_summary(user_agent: str) -> str:
    """ "Firefox on Linux" from a User-Agent header; the header itself is not kept."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"


def device_label(device: str) -> str:
    """A stored summary (kept in English, as written at sign-in) in the reader's language."""
    if device == "Unknown browser":
        return _("Unknown browser")
    browser, on, system = device.partition(" on ")
    if on:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return device


def start(session: Session, user: User, user_agent: str = "") -> str:
    """Record a new sign-in of `user`; the raw key goes into the session cookie. The user's
    records that can no longer come back (ended, or opened under an older nonce) go."""
    session.execute(
        sa.delete(UserSession)
        .where(col(UserSession.user_id) == user.id)
        .where(
            sa.or_(
                col(UserSession.ended_at).is_not(None),
                col(UserSession.nonce) != user.session_nonce,
            )
        )
        .execution_options(synchronize_session=False)
    )
    raw = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user.id,
            key_hash=token_digest(raw),
            nonce=user.session_nonce,
            device=device_summary(user_agent)[:80],
        )
    )
    session.flush()
    return raw


def _live(record: UserSession | None, user: User | None) -> bool:
    return (
        record is not None
        and user is not None
        and record.user_id == user.id
        and record.ended_at is None
        and secrets.compare_digest(record.nonce, user.session_nonce)
    )


def live_record(session: Session, user_id: int, raw_key: object) -> UserSession | None:
    """The live record behind a cookie's key for this user, or None (then the cookie is dead)."""
    if not isinstance(raw_key, str) or not raw_key:
        return None
    record = session.exec(
        select(UserSession).where(UserSession.key_hash == token_digest(raw_key))
    ).first()
    user = session.get(User, user_id)
    return record if _live(record, user) else None


def seen(session: Session, record: UserSession) -> None:
    now = utcnow()
    if now - record.last_seen_at >= SEEN_EVERY:
        record.last_seen_at = now
        session.flush()


def live_sessions(
    session: Session, user: User, *, idle: timedelta, max_age: timedelta
) -> list[UserSession]:
    """The user's open sessions, the most recently seen first. One idle or older than the
    session limits is over (its cookie is refused), so it is not listed either."""
    now = utcnow()
    return list(
        session.exec(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                col(UserSession.ended_at).is_(None),
                UserSession.nonce == user.session_nonce,
                col(UserSession.last_seen_at) > now - idle - SEEN_EVERY,
                col(UserSession.created_at) > now - max_age,
            )
            .order_by(col(UserSession.last_seen_at).desc(), col(UserSession.id).desc())
        )
    )


def end_one(*, session: Session, user: User, session_id: int) -> None:
    """End one of the user's own sessions; someone else's, or one already over, is not found."""
    record = session.get(UserSession, session_id)
    if record is None or not _live(record, user):
        raise NotFound(_("No such session."))
    record.ended_at = utcnow()
    audit.record(
        session,
        actor=f"user:{user.id}",
        action="session.end",
        subject=f"user:{user.id}",
        session_record=record.id,
    )
    session.flush()


def usable_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's API tokens that still open the API (not revoked, not expired), newest first."""
    now = utcnow()
    tokens = [t for t in live_tokens(session, user) if t.expires_at > now]
    return sorted(tokens, key=lambda t: (t.created_at, t.id), reverse=True)


def revoke_own_token(*, session: Session, user: User, token_id: int) -> None:
    """Revoke one of the user's own tokens; someone else's, or one already dead, is not found."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise NotFound(_("No such token."))
    token.revoked_at = utcnow()
    audit.record(session, actor=f"user:{user.id}", action="token.revoke", subject=f"user:{user.id}")
    session.flush()
