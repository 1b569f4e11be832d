"""The application factory: settings, database, extensions, blueprints and the request hooks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

from roster import cli, db, locales
from roster.accounts import views as account_views
from roster.api import init_app as init_api
from roster.config import Settings
from roster.directory import views as directory_views
from roster.experts import invitation_views, review_views, standing
from roster.experts import views as expert_views
from roster.extensions import RosterRequest, babel, csrf
from roster.imports import views as import_views
from roster.notify import views as notify_views
from roster.ops import denials, logs
from roster.ops import views as ops_views
from roster.reports import views as report_views
from roster.requests import candidate_views, offer_pages, offer_views, requalify, roster_version
from roster.requests import views as request_views
from roster.search import views as search_views
from roster.settings import views as settings_views
from roster.web import headers, language, sealed
from roster.web import init_app as init_web
from roster.web.converters import IdConverter

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app from the environment; `config` overrides individual Flask settings."""
    settings = Settings.from_env()
    app = Flask(
        __name__,
        instance_path=str(settings.instance_path),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.request_class = RosterRequest
    app.config.update(settings.flask_config())
    if config:
        app.config.update(config)
    app.url_map.converters["int"] = IdConverter  # before any route is added
    proxies = int(app.config["ROSTER_TRUSTED_PROXIES"])
    if proxies:
        # Only then is X-Forwarded-For believed: the address the throttle counts comes from it.
        # Flask's documented way to wrap the WSGI app; mypy sees a method being replaced.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies
        )

    logs.install()
    db.init_app(app)
    roster_version.install()  # every session's roster changes move the version on
    sealed.init_app(app)
    csrf.init_app(app)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(locales.TRANSLATIONS))
    babel.init_app(app, locale_selector=language.select_locale)
    locales.warn_if_uncompiled()
    _register(app)
    logs.mask_rule_tokens(rule.rule for rule in app.url_map.iter_rules())
    app.after_request(_finish_request)
    return app


def _register(app: Flask) -> None:
    init_web(app)
    language.init_app(app)
    account_views.init_app(app)
    expert_views.init_app(app)
    review_views.init_app(app)
    invitation_views.init_app(app)
    directory_views.init_app(app)
    notify_views.init_app(app)
    ops_views.init_app(app)
    search_views.init_app(app)
    request_views.init_app(app)
    offer_views.init_app(app)
    candidate_views.init_app(app)
    offer_pages.init_app(app)
    report_views.init_app(app)
    import_views.init_app(app)
    settings_views.init_app(app)
    init_api(app)
    # After the API's own hook, which authenticates the caller whose setting decides.
    app.before_request_funcs.setdefault("api", []).append(language.settle_locale)
    cli.init_app(app)
    base_url = app.config["ROSTER_BASE_URL"]
    # Expert services know nothing of requests; requests hear of a vetting or clearance change.
    standing.listen(
        "requests.requalify",
        lambda session, expert, today: requalify.requalify_expert(
            session=session, expert=expert, today=today, base_url=base_url
        ),
    )


def _finish_request(response: Response) -> Response:
    """One commit per request: keep the work of a successful request, drop a failed one's."""
    if response.status_code < 400:
        db.commit()
    else:
        db.rollback()
    denials.record_denial(response)  # after the rollback, in a transaction of its own
    return headers.secure(response, https=current_app.config["SESSION_COOKIE_SECURE"])
