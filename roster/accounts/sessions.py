"""Browser sessions: sign-in in one or two steps, idle and absolute timeouts, fresh sign-ins.

The signed session cookie carries "<user id>:<nonce>"; the nonce on the user row is checked on
every request (services.load_session_user), so rotating it ends every copy of the cookie at once.
It also carries the key of its own sign-in record (user_sessions), so one session can be ended
alone from the settings page.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from sqlmodel import Session
from werkzeug.wrappers import Response

from roster import db, locales
from roster.accounts import preferences, services, user_sessions
from roster.accounts.models import User

PENDING_KEY = "pending_login"
PENDING_SECONDS = 5 * 60  # between the password and the second step
RECORD_KEY = "sid"


def _now() -> float:
    return time.time()


def begin_two_step(user: User, *, next_url: str) -> None:
    """Password accepted; the user still has to enrol or give a code before signing in."""
    session.clear()
    session[PENDING_KEY] = {"id": user.get_id(), "at": _now(), "next": next_url}


def pending_user(db_session: Session) -> User | None:
    """The user between password and second step, while that step is recent and still valid."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or _now() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    return services.load_session_user(db_session, str(pending.get("id", "")))


def pending_next() -> str | None:
    pending = session.get(PENDING_KEY)
    return pending.get("next") if isinstance(pending, dict) else None


def complete_sign_in(user: User) -> None:
    """A fresh session (and CSRF token) for the signed-in user, with its clock started. A
    language the visitor chose with the switch before signing in becomes their setting: it is
    their latest choice, and the setting beats the cookie from now on."""
    chosen = locales.supported(request.cookies.get(locales.COOKIE))
    if chosen and chosen != user.locale:
        preferences.update_preferences(session=db.session(), user=user, locale=chosen)
    _start(user)


def _start(user: User) -> None:
    session.clear()
    login_user(user)
    session[RECORD_KEY] = user_sessions.start(db.session(), user, request.user_agent.string)
    now = _now()
    session["auth_at"] = now
    session["seen_at"] = now


def renew_after_change(user: User) -> None:
    """Keep this session after a change that rotated the user's nonce (which ended the others)."""
    _start(user)


def current_key() -> str | None:
    """The key of this browser's sign-in record, to mark it in the list of sessions."""
    key = session.get(RECORD_KEY)
    return key if isinstance(key, str) else None


def _record_ended() -> bool:
    """Whether this signed-in cookie's own record was ended (or never existed)."""
    user_part = str(session.get("_user_id", "")).partition(":")[0]
    if not user_part.isdigit():
        return True
    record = user_sessions.live_record(db.session(), int(user_part), session.get(RECORD_KEY))
    if record is None:
        return True
    user_sessions.seen(db.session(), record)
    return False


def end(db_session: Session, user: User | None) -> None:
    """Sign out: every copy of the cookie stops working, and the session is emptied."""
    if user is not None and getattr(user, "is_authenticated", False):
        services.end_sessions(session=db_session, user=user)
    logout_user()
    session.clear()


def is_fresh() -> bool:
    """Whether the user signed in (with every factor) recently enough to change credentials."""
    minutes = current_app.config["ROSTER_FRESH_LOGIN_MINUTES"]
    return _now() - float(session.get("auth_at", 0)) <= minutes * 60


def sign_in_again() -> Response:
    """Sign a stale session out and send it to sign in again, back to this page after."""
    logout_user()
    session.clear()
    flash(_("For your security, sign in again to continue."), "info")
    return redirect(url_for("accounts.login", next=request.path))


def _expired(config: dict) -> bool:
    now = _now()
    auth_at = float(session.get("auth_at", 0))
    seen_at = float(session.get("seen_at", 0))
    return (
        now - seen_at > config["ROSTER_SESSION_IDLE_MINUTES"] * 60
        or now - auth_at > config["ROSTER_SESSION_MAX_HOURS"] * 3600
    )


def init_app(app: Flask) -> None:
    @app.before_request
    def _enforce_timeouts() -> None:
        if request.blueprint == "api" or request.endpoint == "static":
            return
        if "_user_id" not in session:
            return
        if _expired(app.config):
            logout_user()
            session.clear()
            flash(_("Your session has expired. Please sign in again."), "info")
            return
        if _record_ended():
            logout_user()
            session.clear()
            flash(_("This session was signed out. Please sign in again."), "info")
            return
        session["seen_at"] = _now()
