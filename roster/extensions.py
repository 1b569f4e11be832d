"""Flask extension objects, created unbound and attached in `create_app`, and the request class
that lets a route accept a larger body than the app's default."""

from __future__ import annotations

from flask import Flask, Request, current_app
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
BODY_LIMITS = "roster.body_limits"


class RosterRequest(Request):
    """Flask's request, whose body limit is its route's own when the route declared one with
    `allow_body`. Decided by the matched route rather than in a hook, because CSRFProtect's app
    hook reads the form before any blueprint hook could raise the limit."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and current_app:
            limit = current_app.extensions.get(BODY_LIMITS, {}).get(self.endpoint)
            if limit is not None:
                return limit
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


def allow_body(app: Flask, endpoint: str, limit: int) -> None:
    """Let requests to `endpoint` send up to `limit` bytes instead of MAX_CONTENT_LENGTH."""
    app.extensions.setdefault(BODY_LIMITS, {})[endpoint] = limit
