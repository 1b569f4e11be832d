"""The /api/v1 blueprint: bearer-token auth, JSON bodies, the error envelope and route registry."""

from __future__ import annotations

from flask import Flask

from roster.api import (  # noqa: F401 - modules register routes
    audit,
    directory,
    experts,
    inbox,
    me,
    openapi,
    password_reset,
    reference,
    reports,
    requests,
    search,
    settings,
    staffing,
    tokens,
    users,
)
from roster.api.core import bp, install_json
from roster.extensions import csrf


def init_app(app: Flask) -> None:
    csrf.exempt(bp)  # browser sessions do not authenticate API calls, so CSRF cannot apply
    install_json(app)
    app.register_blueprint(bp)
