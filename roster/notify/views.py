"""The notification pages (the list, mark read, the mail choice) and the admin's view of the
outbox: backlog, failures and every message (never its body)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roster import db, policy
from roster.accounts.preferences import update_preferences
from roster.notify import notifications, outbox
from roster.notify.forms import MailChoiceForm, MarkReadForm
from roster.notify.models import OUTBOX_STATES
from roster.notify.presenters import notifications_page

bp = Blueprint("notify", __name__)
PER_PAGE = 20  # notifications per page
OUTBOX_PER_PAGE = 50


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
    messages, total = outbox.listing(session, state=state, page=page, per_page=OUTBOX_PER_PAGE)
    return render_template(
        "notify/outbox.html",
        counts=outbox.backlog(session),
        oldest=outbox.oldest_pending(session),
        problems=outbox.recent_problems(session),
        messages=messages,
        total=total,
        page=page,
        pages=max(1, -(-total // OUTBOX_PER_PAGE)),
        state=state,
        states=OUTBOX_STATES,
    )


@bp.get("/notifications")
@login_required
def index() -> str:
    unread = request.args.get("unread") == "1"
    listing = notifications_page(
        db.session(),
        current_user,
        unread=unread,
        page=max(request.args.get("page", 1, type=int), 1),
        per_page=PER_PAGE,
    )
    return render_template(
        "notify/notifications.html",
        listing=listing,
        unread_only=unread,
        choice=MailChoiceForm(notify_by_email=current_user.notify_by_email),
    )


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int) -> Response:
    if not MarkReadForm().validate_on_submit():
        abort(400)
    notifications.mark_read(db.session(), current_user.id, notification_id)
    return redirect(url_for("notify.index"))


@bp.post("/notifications/read-all")
@login_required
def mark_all_read() -> Response:
    if not MarkReadForm().validate_on_submit():
        abort(400)
    count = notifications.mark_all_read(db.session(), current_user.id)
    flash(_("%(n)s notification(s) marked read.", n=count), "info")
    return redirect(url_for("notify.index"))


@bp.post("/notifications/mail")
@login_required
def mail_choice() -> Response:
    form = MailChoiceForm()
    if not form.validate_on_submit():
        abort(400)
    update_preferences(
        session=db.session(), user=current_user, notify_by_email=bool(form.notify_by_email.data)
    )
    if form.notify_by_email.data:
        flash(_("Your notifications will be mailed to you."), "info")
    else:
        flash(_("Your notifications will no longer be mailed to you."), "info")
    return redirect(url_for("notify.index"))


def _unread_notifications() -> int:
    """For the page header (and a home page): one COUNT query per request, run only where a
    template asks for it."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = notifications.unread_count(db.session(), current_user.id)
    return int(g.unread_notifications)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def _unread() -> dict[str, object]:
        return {"unread_notifications": _unread_notifications}
