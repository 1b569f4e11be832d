"""Pages for signing in and out (with the second factor), invitations, passwords and users."""

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
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roster import db, policy
from roster.accounts import (
    admin_views,
    listing,
    redirects,
    reset_views,
    services,
    sessions,
    settings_views,
    throttle,
    totp,
)
from roster.accounts.forms import (
    ChangePasswordForm,
    CodeForm,
    ConfirmForm,
    EnrolForm,
    InviteForm,
    LoginForm,
    SetPasswordForm,
    UserFilterForm,
)
from roster.accounts.models import User
from roster.errors import DomainError, Gone
from roster.refusals import FormPage, back_with_message, form_page, on_refusal, onto

bp = Blueprint("accounts", __name__)


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
            next_url = redirects.next_or_home(request.args.get("next"))
            step = services.second_step(user)
            if step is None:
                sessions.complete_sign_in(user)
                throttle.remember_device(user.id)
                return redirect(next_url)
            sessions.begin_two_step(user, next_url=next_url)
            return redirect(
                url_for("accounts.second_factor" if step == "code" else "accounts.enrol")
            )
        throttle.note_failure()
        form.password.errors = [_("Wrong email or password.")]
    return render_template("accounts/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    user = sessions.pending_user(db.session())
    if user is None or services.second_step(user) != "code":
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if totp.verify_second_factor(session=db.session(), user=user, code=form.code.data):
            next_url = redirects.next_or_home(sessions.pending_next())
            sessions.complete_sign_in(user)
            throttle.remember_device(user.id)
            return redirect(next_url)
        throttle.note_failure()
        form.code.errors = [_("The code is wrong or was already used.")]
    return render_template("accounts/second_factor.html", form=form)


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol() -> str | tuple[str, int] | Response:
    """Staff who must use two-factor and have not enrolled can do nothing else until they do."""
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    user = sessions.pending_user(db.session())
    if user is None or services.second_step(user) != "enrol":
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    form = EnrolForm()
    page = _enrol_page(user, form, required=True)
    if page.submitted():
        codes = totp.confirm_enrolment(session=db.session(), user=user, code=form.code.data)
        next_url = redirects.next_or_home(sessions.pending_next())
        sessions.complete_sign_in(user)
        throttle.remember_device(user.id)
        return render_template("accounts/recovery_codes.html", codes=codes, next_url=next_url)
    return page.again()


def _enrol_page(user: User, form: EnrolForm, *, required: bool) -> FormPage:
    """A wrong code shows beside the field; any other refusal (enrolment not started, or already
    done meanwhile) goes back to the page, whose opening starts the enrolment afresh."""
    return form_page(
        form,
        lambda _p: _enrol_html(user, form, required=required),
        attach=onto("code", _("The code is wrong or was already used.")),
        back_to=url_for(request.endpoint or "accounts.enrol"),
    )


def _enrol_html(user: User, form: EnrolForm, *, required: bool) -> str:
    enrolment = totp.pending_enrolment(session=db.session(), user=user)
    qr = totp.qr_svg(enrolment.otpauth_uri, _("QR code to add the Roster to an authenticator app"))
    return render_template(
        "accounts/enrol.html", form=form, secret=enrolment.secret, qr=qr, required=required
    )


def _require_fresh_login() -> Response | None:
    """Changing a password or second factor needs a recent sign-in with every factor."""
    if sessions.is_fresh():
        return None
    return sessions.sign_in_again()


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor() -> str | tuple[str, int] | Response:
    stale = _require_fresh_login()
    if stale is not None:
        return stale
    user = current_user._get_current_object()
    if user.two_factor_enabled:
        return render_template("accounts/two_factor.html", user=user, confirm=ConfirmForm())
    form = EnrolForm()
    page = _enrol_page(user, form, required=False)
    if page.submitted():
        codes = totp.confirm_enrolment(session=db.session(), user=user, code=form.code.data)
        sessions.renew_after_change(user)
        return render_template(
            "accounts/recovery_codes.html", codes=codes, next_url=url_for("web.home")
        )
    return page.again()


@bp.post("/account/two-factor/recovery-codes")
@login_required
def new_recovery_codes() -> str | Response:
    stale = _require_fresh_login()
    if stale is not None:
        return stale
    if not ConfirmForm().validate_on_submit() or not current_user.two_factor_enabled:
        abort(400)
    codes = totp.replace_recovery_codes(session=db.session(), user=current_user)
    return render_template(
        "accounts/recovery_codes.html", codes=codes, next_url=url_for("web.home")
    )


@bp.post("/account/two-factor/off")
@login_required
def two_factor_off() -> Response:
    stale = _require_fresh_login()
    if stale is not None:
        return stale
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    totp.disable(session=db.session(), user=user)
    sessions.renew_after_change(user)
    flash(_("Two-factor authentication is off."), "info")
    return redirect(url_for("accounts.two_factor"))


@bp.post("/logout")
@login_required
def logout() -> Response:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    sessions.end(db.session(), current_user._get_current_object())
    flash(_("You are signed out."), "info")
    response = redirect(url_for("accounts.login"))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


def _invitation_gone(exc: DomainError) -> tuple[str, int]:
    return render_template("accounts/invitation_gone.html", message=exc.message), 410


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> Response | tuple[str, int]:
    on_refusal(_invitation_gone)  # the only refusal of opening the link
    invitation = services.invitation_for(db.session(), token)
    form = SetPasswordForm()
    page = form_page(
        form,
        lambda _p: render_template(
            "accounts/invitation.html",
            form=form,
            invited=db.session().get(User, invitation.user_id),
        ),
    )
    # Used meanwhile (or in parallel): the same page as on opening it.
    on_refusal(lambda exc: _invitation_gone(exc) if isinstance(exc, Gone) else page.refuse(exc))
    if page.submitted():
        services.accept_invitation(
            session=db.session(), raw_token=token, password=form.password.data
        )
        flash(_("Your password is set. Please sign in."), "info")
        return redirect(url_for("accounts.login"))
    return page.again()


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> tuple[str, int] | Response:
    stale = _require_fresh_login()
    if stale is not None:
        return stale
    form = ChangePasswordForm()
    page = form_page(form, lambda _p: render_template("accounts/password.html", form=form))
    if page.submitted():
        services.change_password(
            session=db.session(),
            user=current_user,
            current=form.current_password.data,
            new=form.new_password.data,
        )
        sessions.renew_after_change(current_user._get_current_object())
        flash(_("Your password was changed. Other sessions were signed out."), "info")
        return redirect(url_for("web.home"))
    return page.again()


@bp.get("/admin/users")
@login_required
def users() -> str:
    if not policy.can_list_users(current_user):
        abort(403)
    form = UserFilterForm(request.args)
    wanted = listing.UserFilter()
    if form.validate():
        wanted = listing.UserFilter(
            q=form.q.data or "", role=form.role.data or None, standing=form.standing.data or None
        )
    found = listing.list_users(
        db.session(), wanted, page=(form.page.data or 1) if not form.page.errors else 1
    )
    return render_template(
        "accounts/users.html",
        form=form,
        found=found,
        args={k: v for k, v in request.args.items() if k != "page" and v},
        can_manage=policy.can_manage_users(current_user),
        confirm=ConfirmForm(),
    )


@bp.route("/admin/users/invite", methods=["GET", "POST"])
@login_required
def invite() -> str | tuple[str, int] | Response:
    if not policy.can_list_users(current_user):
        abort(403)
    form = InviteForm()
    form.role.choices = [c for c in form.role.choices if policy.can_invite(current_user, c.value)]
    page = form_page(form, lambda _p: render_template("accounts/invite.html", form=form))
    if page.submitted():
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
        return render_template(
            "accounts/invited.html", user=created.user, link=created.invitation_url
        )
    return page.again()


@bp.post("/admin/users/<int:user_id>/active")
@login_required
def set_active(user_id: int) -> Response:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    make_active = request.form.get("active") == "1"
    user = services.set_active(
        session=db.session(), actor=current_user, user_id=user_id, active=make_active
    )
    message = (
        _("%(name)s can sign in again.", name=user.full_name)
        if make_active
        else _("%(name)s is deactivated.", name=user.full_name)
    )
    flash(message, "info")
    return redirect(url_for("accounts.users"))


@bp.post("/admin/users/<int:user_id>/invitation")
@login_required
def reissue_invitation(user_id: int) -> str | Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back_with_message(url_for("accounts.users"))
    reissued = services.reissue_invitation(
        session=db.session(),
        actor=current_user,
        user_id=user_id,
        invitation_days=current_app.config["ROSTER_INVITATION_DAYS"],
        base_url=current_app.config["ROSTER_BASE_URL"],
    )
    return render_template(
        "accounts/invited.html", user=reissued.user, link=reissued.invitation_url
    )


def init_app(app: Flask) -> None:
    sessions.init_app(app)
    throttle.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(reset_views.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(settings_views.bp)
