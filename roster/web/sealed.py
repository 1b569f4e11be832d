"""The session cookie, sealed. Flask's own cookie is signed but readable by whoever holds it
(base64 JSON), and what it carries between two requests is not always harmless: a flash message
may name a person or hold a single-use invitation link. Here the payload is encrypted and
authenticated (Fernet: AES-128-CBC and HMAC-SHA256) under keys derived from SECRET_KEY and its
fallbacks, then signed and timed as Flask does. A cookie that does not open (an older, merely
signed one; a rotated-away key) is a new, empty session, never an error."""

from __future__ import annotations

import base64
import functools
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, Request
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadData, URLSafeTimedSerializer

_CONTEXT = b"roster session cookie encryption v1"


def fernet_key(secret: str | bytes) -> bytes:
    """A Fernet key of its own for the cookie, derived from a secret key (never the key itself,
    which also signs)."""
    raw = secret.encode() if isinstance(secret, str) else secret
    return base64.urlsafe_b64encode(hashlib.sha256(_CONTEXT + raw).digest())


@functools.lru_cache(maxsize=8)
def _sealing(keys: tuple[str | bytes, ...]) -> _Sealing:
    return _Sealing(list(keys))


class _Sealing:
    """The serializer Flask's signer wraps: tagged JSON, encrypted."""

    def __init__(self, keys: list[str | bytes]) -> None:
        self._json = TaggedJSONSerializer()
        self._fernet = MultiFernet([Fernet(fernet_key(k)) for k in keys])

    def dumps(self, value: Any) -> str:
        return self._fernet.encrypt(self._json.dumps(value).encode()).decode("ascii")

    def loads(self, value: str | bytes) -> Any:
        token = value.encode("ascii") if isinstance(value, str) else value
        try:
            return self._json.loads(self._fernet.decrypt(token).decode())
        except InvalidToken as exc:
            raise BadData("the session cookie does not open") from exc


class SealedCookieSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session with the payload sealed (see the module's docstring)."""

    salt = "roster-sealed-session"

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys: list[str | bytes] = [app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or [])]
        return URLSafeTimedSerializer(
            [*reversed(keys)],  # type: ignore[arg-type]  # itsdangerous: the current key last
            salt=self.salt,
            serializer=_sealing(tuple(keys)),  # the current key first: it encrypts
            signer_kwargs={"key_derivation": self.key_derivation, "digest_method": "sha256"},
        )

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        try:
            return super().open_session(app, request)
        except BadData:  # signed under another salt or format, or sealed under another key
            return self.session_class()


def init_app(app: Flask) -> None:
    app.session_interface = SealedCookieSessionInterface()
