"""Throttling of failed sign-ins, codes and invitation links, per account and per address;
and of password reset requests, each of which counts (it sends a mail), in a bucket of its own.

Only failures count, in a sliding window (no permanent lock). The counters live in the storage
named by ROSTER_RATELIMIT_STORAGE: `memory://` is per process, so with several workers use a shared
one (`redis://host:6379`), or each worker would allow the limit again. A browser that has signed in
to an account before carries a signed device cookie and counts its failures apart, so strangers
failing on purpose cannot lock the owner out of their own browser.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, Response, abort, after_this_request, current_app, g, request, session
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from roster import db
from roster.accounts import services
from roster.accounts.sessions import PENDING_KEY
from roster.errors import TooManyAttempts
from roster.forms import clean_text

EXTENSION = "roster.throttle"
RESET_EXTENSION = "roster.throttle.reset"
DEVICE_DAYS = 90
# Asking for a reset link mails the account: few per account, more per client address.
RESET_PER_ACCOUNT = "5 per hour"
RESET_PER_ADDRESS = "30 per hour"


def _digest(name: str) -> str:
    """Counter names are digests, so no address ends up in the storage."""
    return hashlib.sha256(name.encode()).hexdigest()[:32]


def user_key(user_id: int) -> str:
    """The counter of an account, however its address was spelled."""
    return _digest(f"user:{user_id}")


def identity_key(email: object) -> str | None:
    """The counter for the account an address names: the account's own once found, otherwise
    the address cleaned (as forms clean it), stripped and casefolded. Every spelling that signs
    in to an account, or that fails on it, counts in one place."""
    if not isinstance(email, str):
        return None
    address = clean_text(email).strip()
    if not address:
        return None
    user = services.find_user_by_email(db.session(), address)
    return user_key(user.id) if user is not None else _digest(f"address:{address.casefold()}")


@dataclass
class Throttle:
    """Failure counters in a sliding window, one per account and one per client address."""

    storage_uri: str
    per_account: str = "10 per 15 minutes"
    per_address: str = "50 per 15 minutes"
    prefix: str = "roster"
    storage: Storage = field(init=False)
    window: MovingWindowRateLimiter = field(init=False)

    def __post_init__(self) -> None:
        storage = storage_from_string(self.storage_uri)
        if not isinstance(storage, Storage):
            raise ValueError("the sign-in counters need a synchronous storage, not an async one")
        self.storage = storage
        self.window = MovingWindowRateLimiter(self.storage)
        self._account: RateLimitItem = parse(self.per_account)
        self._address: RateLimitItem = parse(self.per_address)

    def _checks(self, account: str | None, address: str) -> list[tuple[RateLimitItem, str, str]]:
        checks = [(self._address, "address", hashlib.sha256(address.encode()).hexdigest()[:32])]
        if account:
            checks.append((self._account, "account", account))
        return checks

    def blocked(self, *, account: str | None, address: str) -> bool:
        """Whether another attempt is refused, whatever the credentials it carries."""
        return any(
            not self.window.test(item, self.prefix, kind, key)
            for item, kind, key in self._checks(account, address)
        )

    def failed(self, *, account: str | None, address: str) -> None:
        for item, kind, key in self._checks(account, address):
            self.window.hit(item, self.prefix, kind, key)

    def clear(self, *, account: str | None, address: str) -> None:
        for item, kind, key in self._checks(account, address):
            self.window.clear(item, self.prefix, kind, key)

    def reachable(self) -> bool:
        return bool(self.storage.check())


@dataclass(frozen=True)
class Guard:
    """How a guarded endpoint names the account under attack and which answers are failures."""

    account: Callable[[], str | None]
    failure_statuses: frozenset[int] = frozenset()
    # Every POST counts, not only failures (asking for a reset link).
    every_post: bool = False


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="roster.known-device")


def device_cookie_name() -> str:
    return "__Host-device" if current_app.config["SESSION_COOKIE_SECURE"] else "device"


def remember_device(user_id: int) -> None:
    """After a full sign-in: mark this browser as one the account's owner uses."""
    value = _devices().dumps({"a": user_key(user_id), "d": secrets.token_hex(8)})

    @after_this_request
    def _set(response: Response) -> Response:
        response.set_cookie(
            device_cookie_name(),
            value,
            max_age=DEVICE_DAYS * 86400,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
            samesite="Lax",
        )
        return response


def _known_device(account: str) -> str | None:
    raw = request.cookies.get(device_cookie_name())
    if not raw:
        return None
    try:
        data = _devices().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != account:
        return None
    return str(data.get("d", ""))


def _in_browser(account: str | None) -> str | None:
    """Failures from a browser the owner signed in with before count in a bucket of their own,
    which strangers cannot fill."""
    device = _known_device(account) if account else None
    return f"{account}:{device}" if device else account


def _form_email() -> str | None:
    return _in_browser(identity_key(request.form.get("email")))


def _json_email() -> str | None:
    body = request.get_json(silent=True)
    return identity_key(body.get("email")) if isinstance(body, dict) else None


def _pending_account() -> str | None:
    """The account between password and code: the one the password step found."""
    pending = session.get(PENDING_KEY)
    user_part = str(pending.get("id", "")).partition(":")[0] if isinstance(pending, dict) else ""
    return _in_browser(user_key(int(user_part))) if user_part.isdigit() else None


def _link(kind: str) -> Callable[[], str | None]:
    """The counter of a link's token (invitation, reset, address confirmation)."""

    def account() -> str | None:
        token = (request.view_args or {}).get("token")
        return _digest(f"{kind}:{token}") if isinstance(token, str) and token else None

    return account


_invitation = _link("invitation")


GUARDED: dict[str, Guard] = {
    "accounts.login": Guard(_form_email),
    "accounts.second_factor": Guard(_pending_account),
    "api.create_token": Guard(_json_email),
    "accounts.accept_invitation": Guard(_invitation, frozenset({410})),
    "api.accept_invitation": Guard(_invitation, frozenset({410})),
    "reset.choose": Guard(_link("reset"), frozenset({410})),
    "api.complete_password_reset": Guard(_link("reset"), frozenset({410})),
    "settings.confirm_email": Guard(_link("email"), frozenset({410})),
}
# Asking for a reset link, counted per account and address in their own bucket.
RESET_GUARDED: dict[str, Guard] = {
    "reset.forgot": Guard(_form_email, every_post=True),
    "api.request_password_reset": Guard(_json_email, every_post=True),
}


def note_failure() -> None:
    """Count this request as a failed attempt (wrong password or code)."""
    g.auth_failed = True


def current(app: Flask) -> Throttle:
    return app.extensions[EXTENSION]


def _guarded() -> tuple[Guard, str] | None:
    """The guard of this request and the throttle it counts in, if any."""
    endpoint = request.endpoint or ""
    if endpoint in RESET_GUARDED:
        guard, extension = RESET_GUARDED[endpoint], RESET_EXTENSION
    elif endpoint in GUARDED:
        guard, extension = GUARDED[endpoint], EXTENSION
    else:
        return None
    if request.method == "GET" and not guard.failure_statuses:
        return None
    return guard, extension


def init_app(app: Flask) -> None:
    throttle = Throttle(
        app.config["ROSTER_RATELIMIT_STORAGE"],
        per_account=app.config["ROSTER_RATELIMIT_PER_ACCOUNT"],
        per_address=app.config["ROSTER_RATELIMIT_PER_ADDRESS"],
        prefix=app.config["ROSTER_RATELIMIT_PREFIX"],
    )
    app.extensions[EXTENSION] = throttle
    app.extensions[RESET_EXTENSION] = Throttle(
        app.config["ROSTER_RATELIMIT_STORAGE"],
        per_account=RESET_PER_ACCOUNT,
        per_address=RESET_PER_ADDRESS,
        prefix=f"{app.config['ROSTER_RATELIMIT_PREFIX']}-reset",
    )

    @app.before_request
    def _refuse_while_throttled() -> None:
        guarded = _guarded()
        if guarded is None:
            return
        guard, extension = guarded
        g.throttle_account = guard.account()
        limiter: Throttle = app.extensions[extension]
        if limiter.blocked(account=g.throttle_account, address=request.remote_addr or ""):
            message = _("Too many failed attempts. Wait a few minutes, then try again.")
            if request.blueprint == "api":
                raise TooManyAttempts(message)
            abort(429, description=message)

    @app.after_request
    def _count_failures(response: Response) -> Response:
        guarded = _guarded()
        if guarded is None:
            return response
        guard, extension = guarded
        counts = (guard.every_post and request.method == "POST") or (
            g.get("auth_failed") or response.status_code in guard.failure_statuses
        )
        if counts and response.status_code != 429:
            limiter: Throttle = app.extensions[extension]
            limiter.failed(account=g.get("throttle_account"), address=request.remote_addr or "")
        return response
