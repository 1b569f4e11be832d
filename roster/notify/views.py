"""The admin's view of the outbox: backlog, failures and every message (never its body)."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, request
from flask_login import current_user, login_required

from roster import db, policy
from roster.notify import outbox
from roster.notify.models import OUTBOX_STATES

bp = Blueprint("notify", __name__)

PER_PAGE = 50


@bp.get("/admin/outbox")
@login_required
def backlog() -> str:
    if not policy.can_manage_users(current_user):
        abort(403)
    session = db.session()
    state = request.args.get("state") or None
    if state not in (None, *OUTBOX_STATES):
        state = None
    page = max(1, request.args.get("page", 1, type=int) or 1)
    messages, total = outbox.listing(session, state=state, page=page, per_page=PER_PAGE)
    return render_template(
        "notify/outbox.html",
        counts=outbox.backlog(session),
        oldest=outbox.oldest_pending(session),
        problems=outbox.recent_problems(session),
        messages=messages,
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        state=state,
        states=OUTBOX_STATES,
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
