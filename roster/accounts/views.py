"""Pages for signing in and out, invitations, passwords and the admin's user list."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlmodel import select
from werkzeug.wrappers import Response

from roster import db, policy
from roster.accounts import services
from roster.accounts.forms import (
    ChangePasswordForm,
    ConfirmForm,
    InviteForm,
    LoginForm,
    SetPasswordForm,
)
from roster.accounts.models import User
from roster.errors import DomainError, Gone

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("web.home")


def _attach_errors(form, exc: DomainError) -> None:  # noqa: ANN001 - any FlaskForm
    for name, messages in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, *messages]
    if not exc.fields:
        flash(exc.message, "error")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(
            session=db.session(), email=form.email.data, password=form.password.data
        )
        if user is not None:
            session.clear()  # a fresh session (and CSRF token) for the signed-in user
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors = [_("Wrong email or password.")]
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> str | Response | tuple[str, int]:
    try:
        invitation = services.invitation_for(db.session(), token)
    except Gone as exc:
        return render_template("accounts/invitation_gone.html", message=exc.message), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.accept_invitation(
                session=db.session(), raw_token=token, password=form.password.data
            )
        except DomainError as exc:
            _attach_errors(form, exc)
        else:
            flash(_("Your password is set. Please sign in."), "info")
            return redirect(url_for("accounts.login"))
    user = db.session().get(User, invitation.user_id)
    return render_template("accounts/invitation.html", form=form, invited=user)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                session=db.session(),
                user=current_user,
                current=form.current_password.data,
                new=form.new_password.data,
            )
        except DomainError as exc:
            _attach_errors(form, exc)
        else:
            session.clear()
            login_user(current_user)  # keep this session, with the new nonce
            flash(_("Your password was changed. Other sessions were signed out."), "info")
            return redirect(url_for("web.home"))
    return render_template("accounts/password.html", form=form)


@bp.get("/admin/users")
@login_required
def users() -> str:
    if not policy.can_list_users(current_user):
        abort(403)
    rows = db.session().exec(select(User).order_by(User.role, User.full_name)).all()
    return render_template(
        "accounts/users.html",
        users=rows,
        can_manage=policy.can_manage_users(current_user),
        confirm=ConfirmForm(),
    )


@bp.route("/admin/users/invite", methods=["GET", "POST"])
@login_required
def invite() -> str | Response:
    if not policy.can_list_users(current_user):
        abort(403)
    form = InviteForm()
    form.role.choices = [c for c in form.role.choices if policy.can_invite(current_user, c.value)]
    if form.validate_on_submit():
        try:
            created = services.create_user(
                session=db.session(),
                actor=current_user,
                email=form.email.data,
                full_name=form.full_name.data,
                role=form.role.data,
                clearance_level=form.clearance_level.data or None,
                clearance_expires_on=form.clearance_expires_on.data,
                invitation_days=current_app.config["ROSTER_INVITATION_DAYS"],
                base_url=current_app.config["ROSTER_BASE_URL"],
            )
        except DomainError as exc:
            _attach_errors(form, exc)
        else:
            return render_template(
                "accounts/invited.html", user=created.user, link=created.invitation_url
            )
    return render_template("accounts/invite.html", form=form)


@bp.post("/admin/users/<int:user_id>/active")
@login_required
def set_active(user_id: int) -> Response:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    make_active = request.form.get("active") == "1"
    try:
        user = services.set_active(
            session=db.session(), actor=current_user, user_id=user_id, active=make_active
        )
    except DomainError as exc:
        abort(exc.status)
    message = (
        _("%(name)s can sign in again.", name=user.full_name)
        if make_active
        else _("%(name)s is deactivated.", name=user.full_name)
    )
    flash(message, "info")
    return redirect(url_for("accounts.users"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
