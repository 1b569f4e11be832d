"""Which language a page or an API answer is in, and the header's switch between them.

The signed-in user's own setting wins; an anonymous visitor's choice lives in a cookie; then the
browser's Accept-Language; then English. API callers: their token's user, else Accept-Language
(an API call carries no cookie choice)."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice

from roster import db, locales
from roster.accounts import preferences
from roster.accounts.redirects import same_site_path
from roster.forms import RosterForm

bp = Blueprint("language", __name__)
COOKIE_LIFETIME = timedelta(days=365)


def select_locale() -> str:
    """The one answer to "which language?" for the request being served."""
    if not has_request_context():
        return locales.DEFAULT_LOCALE
    if request.path.startswith("/api/"):
        user = g.get("api_user")
        from_cookie = None
    else:
        user = current_user if current_user.is_authenticated else None
        from_cookie = locales.supported(request.cookies.get(locales.COOKIE))
    if user is not None and locales.supported(user.locale):
        return str(user.locale)
    if from_cookie:
        return from_cookie
    return request.accept_languages.best_match(locales.LOCALES) or locales.DEFAULT_LOCALE


def settle_locale() -> None:
    """Decide the request's language at its start, once its caller is known: deciding it at
    the first translated text instead could mean reading the user in a session a failed write
    has left unusable (an error message is translated right after an IntegrityError)."""
    get_locale()


def settle_page_locale() -> None:
    # The API's is settled after its authentication; static files and health need none.
    if not request.path.startswith("/api/") and request.endpoint not in ("static", "web.health"):
        settle_locale()


class LanguageForm(RosterForm):
    """The header's switch: one button per language, and the page to come back to."""

    locale = SelectField(choices=[SelectChoice(code, code) for code in locales.LOCALES])
    next = HiddenField()


@bp.post("/language")
def switch() -> Response:
    form = LanguageForm()
    back = same_site_path(form.next.data) or url_for("web.home")
    answer = redirect(back)
    if not form.validate():
        return answer  # a stale page's form: nothing changes, the visitor is where they were
    chosen = str(form.locale.data)
    answer.set_cookie(
        locales.COOKIE,
        chosen,
        max_age=int(COOKIE_LIFETIME.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
    )
    if current_user.is_authenticated:
        preferences.update_preferences(
            session=db.session(), user=current_user._get_current_object(), locale=chosen
        )
    return answer


def language_switch() -> LanguageForm:
    """The switch's form for the page being drawn, pointing back at it."""
    return LanguageForm(formdata=None, next=request.full_path.rstrip("?"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(settle_page_locale)
    app.jinja_env.globals["language_switch"] = language_switch
    app.jinja_env.globals["languages"] = {"en": "English", "fr": "Français"}
    app.jinja_env.filters["when"] = locales.when
    app.jinja_env.filters["day"] = locales.day
    app.jinja_env.filters["number"] = locales.number
    app.jinja_env.filters["cell"] = locales.cell
