"""The page shell: login manager, per-role home pages, error pages and template helpers."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask, Response, abort, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from roster import db, policy, refusals
from roster.accounts.services import load_session_user
from roster.db import utcnow
from roster.errors import DomainError, envelope
from roster.extensions import login_manager
from roster.inputs import is_safe_link
from roster.notify import outbox
from roster.requests.forms import MODE_LABELS
from roster.requests.labels import URGENCY_LABELS
from roster.web.agenda import agenda_for
from roster.web.nav import nav_links
from roster.web.stats import home_stats

bp = Blueprint("web", __name__)

# Mail still waiting after this long means no worker is running or the server refuses it.
MAIL_STALE_AFTER = timedelta(minutes=10)

HOME_TEMPLATES = {
    "expert": "home/expert.html",
    "lno": "home/lno.html",
    "coordinator": "home/coordinator.html",
    "admin": "home/admin.html",
}

ERROR_TITLES = {
    400: _l("Bad request"),
    403: _l("Not allowed"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    409: _l("This cannot be done now"),
    410: _l("No longer available"),
    413: _l("Upload too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
}


ROLE_NAMES = {
    "expert": _l("Expert"),
    "lno": _l("Liaison officer"),
    "coordinator": _l("Coordinator"),
    "admin": _l("Administrator"),
}


@bp.get("/")
@login_required
def home() -> str:
    session, now = db.session(), utcnow()
    trouble = None
    if policy.can_manage_users(current_user):
        trouble = outbox.delivery_trouble(session, now, stale=MAIL_STALE_AFTER)
    return render_template(
        HOME_TEMPLATES[current_user.role],
        stats=home_stats(session),
        agenda=agenda_for(session, current_user, now),
        today=now.date(),
        urgency_labels=URGENCY_LABELS,
        mode_labels=MODE_LABELS,
        mail_trouble=trouble,
    )


@bp.get("/healthz")
def health() -> Response:
    return Response("ok", mimetype="text/plain")


def render_error(status: int, message: str | None = None) -> tuple[str, int]:
    title = ERROR_TITLES.get(status, ERROR_TITLES[500])
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _handle_http_error(exc: HTTPException) -> Response:
    if request.path.startswith("/api/"):
        code = exc.name.lower().replace(" ", "_")
        # The contract's message is a string; every werkzeug error has a description.
        answer = envelope(exc.code or 500, code, exc.description or exc.name)
    else:
        answer = make_response(render_error(exc.code or 500))
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        answer.headers["Allow"] = ", ".join(sorted(exc.valid_methods))  # RFC 9110: a 405 says
    return answer


def _handle_refusal(exc: DomainError) -> ResponseReturnValue:
    """Every page's one answer to a refused change (the API has its own, in roster.api.core)."""
    if request.path.startswith("/api/"):
        db.rollback()
        return envelope(exc.status, exc.code, exc.message, exc.fields)
    answered = refusals.answer(exc)
    if answered is not None:
        return answered
    # Why something is not allowed or not there is not said: the status alone.
    message = None if exc.status in refusals.STATUS_PAGE_ONLY else exc.message
    return render_error(exc.status, message)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(session_id: str):
        return load_session_user(db.session(), session_id)

    app.register_blueprint(bp)
    # Templates link only to http and https: `{% if link is safe_link %}`.
    app.jinja_env.tests["safe_link"] = is_safe_link

    @app.before_request
    def _refuse_nul_in_query() -> None:
        # A NUL reaches no database column; say so plainly instead of failing deeper down.
        if not request.path.startswith("/api/") and any(
            "\x00" in value for value in request.args.values()
        ):
            abort(400)

    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(DomainError, _handle_refusal)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[str, int] | Response:
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.rollback()
        if request.path.startswith("/api/"):
            return envelope(500, "server_error", _("An unexpected error occurred."))
        return render_error(500)

    @app.context_processor
    def _nav() -> dict[str, object]:
        return {
            "role_names": ROLE_NAMES,
            "lang": str(get_locale() or "en"),
            "nav": nav_links(current_user) if current_user.is_authenticated else [],
        }
