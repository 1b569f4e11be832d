"""The admin's audit trail page: browse and filter who did or saw what, by ids only."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, request
from flask_login import current_user, login_required

from roster import db, policy
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
    return render_template("ops/audit.html", form=form, found=found, args=args)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
