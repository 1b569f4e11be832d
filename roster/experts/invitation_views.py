"""Pages that invite profile owners to the roster: one from their profile, or those ticked on
the vetting queue (an import's page posts to roster/imports/views.py)."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from roster import db, policy
from roster.experts import invitations
from roster.experts.forms import ActionForm, InviteSelectedForm
from roster.experts.views import visible_or_404
from roster.refusals import back_with_message

bp = Blueprint("invitations", __name__)


@bp.post("/experts/<int:expert_id>/invitation")
@login_required
def invite(expert_id: int) -> ResponseReturnValue:
    expert = visible_or_404(expert_id)
    if not policy.can_invite_profile_owner(current_user):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    back_with_message(url_for("experts.show", expert_id=expert_id))
    sent = invitations.invite_owner(
        session=db.session(),
        actor=current_user,
        expert=expert,
        today=db.today(),
        invitation_days=current_app.config["ROSTER_INVITATION_DAYS"],
        base_url=current_app.config["ROSTER_BASE_URL"],
    )
    return render_template("experts/invitation_sent.html", sent=sent)


def invite_selected(expert_ids: list[int], back_url: str, back_label: str) -> str:
    """Invite the owners of the ticked profiles, each on its own, and show what happened."""
    outcome = invitations.invite_owners(
        session=db.session(),
        actor=current_user,
        expert_ids=expert_ids,
        today=db.today(),
        invitation_days=current_app.config["ROSTER_INVITATION_DAYS"],
        base_url=current_app.config["ROSTER_BASE_URL"],
    )
    return render_template(
        "experts/invitations_sent.html",
        outcome=outcome,
        back_url=back_url,
        back_label=back_label,
    )


@bp.post("/vetting/invitations")
@login_required
def invite_from_queue() -> ResponseReturnValue:
    if not policy.can_invite_profile_owner(current_user):
        abort(403)
    form = InviteSelectedForm()
    back = url_for("review.queue")
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        for message in form.expert_ids.errors:
            flash(str(message), "error")
        return redirect(back)
    return invite_selected(form.expert_ids.data, back, _("Back to the vetting queue"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
