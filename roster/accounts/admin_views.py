"""Admin pages on one account: change its role and own clearance, mail it a password reset link."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roster import db, policy
from roster.accounts import admin_changes, reset, sessions
from roster.accounts.forms import ConfirmForm, UserChangeForm
from roster.accounts.models import User
from roster.refusals import back_with_message, form_page

bp = Blueprint("user_admin", __name__)


def _managed_user(user_id: int) -> User:
    if not policy.can_manage_users(current_user):
        abort(403)
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
def edit(user_id: int) -> tuple[str, int] | Response:
    user = _managed_user(user_id)
    form = UserChangeForm(
        data={
            "role": user.role,
            "clearance_level": user.clearance_level or "",
            "clearance_expires_on": user.clearance_expires_on,
        }
    )
    page = form_page(
        form, lambda _p: render_template("accounts/user_edit.html", form=form, user=user)
    )
    if page.submitted():
        level = form.clearance_level.data or None
        clearance = (
            admin_changes.Clearance(level, form.clearance_expires_on.data) if level else None
        )
        changed = admin_changes.change_user(
            session=db.session(),
            actor=current_user._get_current_object(),
            user_id=user.id,
            role=form.role.data,
            clearance=clearance,
        )
        if changed.id == current_user.id:
            sessions.renew_after_change(changed)  # the change ended the others, not this one
        flash(
            _("%(name)s is changed; their sessions and tokens were ended.", name=changed.full_name),
            "info",
        )
        return redirect(url_for("accounts.users"))
    return page.again()


@bp.post("/admin/users/<int:user_id>/password-reset")
@login_required
def send_reset(user_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = _managed_user(user_id)
    back_with_message(url_for("accounts.users"))
    reset.send_reset(
        session=db.session(),
        actor=current_user._get_current_object(),
        user_id=user.id,
        base_url=current_app.config["ROSTER_BASE_URL"],
    )
    flash(_("A password reset link was mailed to %(name)s.", name=user.full_name), "info")
    return redirect(url_for("accounts.users"))
