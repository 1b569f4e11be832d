"""The admin's audit trail page: browse and filter who did or saw what, by ids only, and verify
the chain."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roster import db, policy
from roster.accounts.forms import ConfirmForm
from roster.ops import trail
from roster.ops.forms import AuditFilterForm

bp = Blueprint("ops", __name__)


@bp.get("/admin/audit")
@login_required
def audit_trail() -> str:
    if not policy.can_manage_users(current_user):
        abort(403)
    session = db.session()
    form = AuditFilterForm(request.args)
    form.set_actions(trail.known_actions(session))
    found = None
    if form.validate():
        found = trail.search(session, form.trail_filter(), page=form.page.data or 1)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "ops/audit.html", form=form, found=found, args=args, verify_form=ConfirmForm()
    )


@bp.post("/admin/audit/verify")
@login_required
def verify_chain() -> Response:
    """The same check and words as `flask roster audit verify`, shown on the audit page."""
    if not policy.can_manage_users(current_user):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    check = trail.verify_chain(db.session())
    flash(check.message, "info" if check.intact else "error")
    return redirect(url_for("ops.audit_trail"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
