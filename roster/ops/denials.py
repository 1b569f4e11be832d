"""Denied access goes into the audit trail even though the request's own work is rolled back."""

from __future__ import annotations

import logging

from flask import Response, g, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from roster import audit, db

log = logging.getLogger(__name__)


def _denial_reason(response: Response) -> str | None:
    if response.status_code == 403:
        return "forbidden"
    # An API 401 counts when a token was presented; a call without any is not an attempt.
    presented = request.headers.get("Authorization", "").strip()
    if response.status_code == 401 and request.blueprint == "api" and presented:
        return "bad_token"
    return None


def _actor() -> str:
    if request.blueprint == "api":
        return audit.actor_label(g.get("api_user"))
    return audit.actor_label(current_user)


def record_denial(response: Response) -> None:
    """One `access.denied` event for a 403, or for an API 401 with a bad token.

    Runs after the request's transaction ended (committed or rolled back), in a transaction of
    its own, so it neither survives nor breaks the one-commit-per-request rule. Only ids and
    the route pattern are kept: no path strings, which could carry secrets or names."""
    reason = _denial_reason(response)
    if reason is None:
        return
    ids = {k: v for k, v in (request.view_args or {}).items() if isinstance(v, int)}
    rule = request.url_rule.rule if request.url_rule else "?"
    try:
        audit.record_separately(
            db.engine(),
            actor=_actor(),
            action="access.denied",
            subject=f"route:{rule}"[:60],
            reason=reason,
            method=request.method,
            ids=ids,
        )
    except SQLAlchemyError:
        log.exception("could not record a denied access in the audit trail")
