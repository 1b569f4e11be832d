"""The admin's view of the outbox: backlog and failures, so mail never fails unseen."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template
from flask_login import current_user, login_required

from roster import db, policy
from roster.notify import outbox

bp = Blueprint("notify", __name__)


@bp.get("/admin/outbox")
@login_required
def backlog() -> str:
    if not policy.can_manage_users(current_user):
        abort(403)
    session = db.session()
    return render_template(
        "notify/outbox.html",
        counts=outbox.backlog(session),
        oldest=outbox.oldest_pending(session),
        problems=outbox.recent_problems(session),
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
