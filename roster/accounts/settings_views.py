"""Every user's own settings page: language, mail notifications, password and e-mail address,
open sessions (with "sign out everywhere") and API tokens."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roster import db
from roster.accounts import email_change, preferences, sessions, user_sessions
from roster.accounts.forms import ConfirmForm, EmailChangeForm, PreferencesForm
from roster.accounts.models import User
from roster.accounts.services import token_digest
from roster.errors import DomainError, Gone
from roster.locales import in_locale_of
from roster.refusals import back_with_message, form_page, on_refusal

bp = Blueprint("settings", __name__)


def _me() -> User:
    return current_user._get_current_object()


def _page(prefs: PreferencesForm | None = None, address: EmailChangeForm | None = None) -> str:
    user = _me()
    session = db.session()
    key = sessions.current_key()
    here = token_digest(key) if key else None
    return render_template(
        "accounts/settings.html",
        user=user,
        prefs=prefs
        or PreferencesForm(data={"locale": user.locale, "notify_by_email": user.notify_by_email}),
        address=address or EmailChangeForm(formdata=None),
        confirm=ConfirmForm(),
        pending=email_change.pending_change(session, user),
        browser_sessions=[
            (record, record.key_hash == here)
            for record in user_sessions.live_sessions(
                session,
                user,
                idle=timedelta(minutes=current_app.config["ROSTER_SESSION_IDLE_MINUTES"]),
                max_age=timedelta(hours=current_app.config["ROSTER_SESSION_MAX_HOURS"]),
            )
        ],
        tokens=user_sessions.usable_tokens(session, user),
        device_label=user_sessions.device_label,
    )


@bp.get("/settings")
@login_required
def index() -> str:
    return _page()


@bp.post("/settings/preferences")
@login_required
def save_preferences() -> tuple[str, int] | Response:
    form = PreferencesForm()
    page = form_page(form, lambda _p: _page(prefs=form))
    if page.submitted():
        preferences.update_preferences(
            session=db.session(),
            user=_me(),
            locale=form.locale.data,
            notify_by_email=bool(form.notify_by_email.data),
        )
        with in_locale_of(form.locale.data):  # said in the language just chosen
            flash(_("Your settings are saved."), "info")
        return redirect(url_for("settings.index"))
    return page.again()


@bp.post("/settings/email")
@login_required
def ask_email_change() -> tuple[str, int] | Response:
    form = EmailChangeForm()
    page = form_page(form, lambda _p: _page(address=form))
    if page.submitted():
        email_change.request_change(
            session=db.session(),
            user=_me(),
            password=form.current_password.data,
            new_email=form.new_email.data,
            base_url=current_app.config["ROSTER_BASE_URL"],
        )
        flash(
            _("We sent a confirmation link to the new address. It changes once you follow it."),
            "info",
        )
        return redirect(url_for("settings.index"))
    return page.again()


def _link_gone(exc: DomainError) -> tuple[str, int]:
    return render_template("accounts/email_gone.html", message=exc.message), 410


@bp.route("/settings/email/<token>", methods=["GET", "POST"])
def confirm_email(token: str) -> str | tuple[str, int] | Response:
    """Opening the link shows what changes; only the button changes it (mail scanners open
    links too). It works without signing in: the link itself proves the new address."""
    on_refusal(_link_gone)
    change = email_change.change_for(db.session(), token)
    form = ConfirmForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("accounts/email_confirm.html", change=change, form=form), status
    on_refusal(
        lambda exc: (
            _link_gone(exc)
            if isinstance(exc, Gone)
            else (
                render_template(
                    "accounts/email_confirm.html", change=change, form=form, refusal=exc.message
                ),
                exc.status,
            )
        )
    )
    email_change.confirm_change(session=db.session(), raw_token=token)
    flash(_("Your e-mail address is changed."), "info")
    return redirect(
        url_for("settings.index" if current_user.is_authenticated else "accounts.login")
    )


@bp.post("/settings/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back_with_message(url_for("settings.index"))
    user_sessions.end_one(session=db.session(), user=_me(), session_id=session_id)
    flash(_("That session is signed out."), "info")
    return redirect(url_for("settings.index"))


@bp.post("/settings/sessions/end-all")
@login_required
def end_all_sessions() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    sessions.end(db.session(), _me())
    flash(_("You are signed out everywhere."), "info")
    response = redirect(url_for("accounts.login"))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.post("/settings/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user_sessions.revoke_own_token(session=db.session(), user=_me(), token_id=token_id)
    flash(_("The token is revoked."), "info")
    return redirect(url_for("settings.index"))
