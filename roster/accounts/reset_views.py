"""Pages for a forgotten password: ask for a reset link, then choose a new password through it."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from roster import db
from roster.accounts import reset
from roster.accounts.forms import ForgotPasswordForm, SetPasswordForm
from roster.errors import DomainError, Gone
from roster.refusals import form_page, on_refusal

bp = Blueprint("reset", __name__)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot() -> str | tuple[str, int] | Response:
    """The same page after asking, whether or not the address belongs to an account."""
    form = ForgotPasswordForm()
    page = form_page(form, lambda _p: render_template("accounts/forgot.html", form=form))
    if page.submitted():
        reset.request_reset(
            session=db.session(),
            email=form.email.data,
            base_url=current_app.config["ROSTER_BASE_URL"],
        )
        return render_template("accounts/reset_sent.html", hours=reset.RESET_HOURS)
    return page.again()


def _link_gone(exc: DomainError) -> tuple[str, int]:
    return render_template("accounts/reset_gone.html", message=exc.message), 410


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def choose(token: str) -> Response | tuple[str, int]:
    on_refusal(_link_gone)  # the only refusal of opening the link
    reset.reset_for(db.session(), token)
    form = SetPasswordForm()
    page = form_page(form, lambda _p: render_template("accounts/reset.html", form=form))
    on_refusal(lambda exc: _link_gone(exc) if isinstance(exc, Gone) else page.refuse(exc))
    if page.submitted():
        reset.complete_reset(session=db.session(), raw_token=token, password=form.password.data)
        if current_user.is_authenticated:
            logout_user()  # the reset ended this browser's session too
        flash(_("Your new password is set. Please sign in."), "info")
        return redirect(url_for("accounts.login"))
    return page.again()
