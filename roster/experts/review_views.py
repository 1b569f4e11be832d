"""Coordinator and privacy pages: the vetting queue, decisions, verification, export, erasure."""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from roster import db, policy
from roster.accounts import sessions
from roster.experts import invitations, privacy, vetting
from roster.experts.forms import VETTING_LABELS, ActionForm, InviteSelectedForm, VettingForm
from roster.experts.views import visible_or_404
from roster.refusals import back_with_message

bp = Blueprint("review", __name__)


def _checked_action() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _back(expert_id: int) -> ResponseReturnValue:
    return redirect(url_for("experts.show", expert_id=expert_id))


@bp.get("/vetting")
@login_required
def queue() -> str:
    if not policy.can_vet(current_user):
        abort(403)
    session, today = db.session(), db.today()
    waiting = vetting.vetting_queue(session, today)
    accounts = invitations.account_states(session, waiting)
    return render_template(
        "experts/queue.html",
        queue=waiting,
        accounts=accounts,
        invitable={e.id for e in waiting if invitations.can_be_invited(e, accounts[e.id])},
        invite_form=InviteSelectedForm(),
        expiring=vetting.expiring_clearances(session, today),
        unverified=vetting.unverified_items(session),
        today=today,
        vetting_labels=VETTING_LABELS,
    )


def _decide(expert_id: int, change: Callable[[], object], done: str) -> ResponseReturnValue:
    """Run one coordinator decision: refused ones flash why (403 stays a 403), then go back."""
    back_with_message(url_for("experts.show", expert_id=expert_id))
    change()
    flash(done, "info")
    return _back(expert_id)


@bp.post("/experts/<int:expert_id>/vetting")
@login_required
def decide(expert_id: int) -> ResponseReturnValue:
    expert = visible_or_404(expert_id)
    if not policy.can_vet(current_user):
        abort(403)
    form = VettingForm()
    if not form.validate_on_submit():
        abort(400)
    return _decide(
        expert_id,
        lambda: vetting.decide_vetting(
            session=db.session(),
            actor=current_user,
            expert=expert,
            to_status=form.status.data,
            valid_until=form.valid_until.data,
            note=form.note.data or "",
            today=db.today(),
        ),
        _("Vetting decision recorded."),
    )


@bp.post("/experts/<int:expert_id>/clearance/verify")
@login_required
def verify(expert_id: int) -> ResponseReturnValue:
    expert = visible_or_404(expert_id)
    _checked_action()
    return _decide(
        expert_id,
        lambda: vetting.verify_clearance(
            session=db.session(),
            actor=current_user,
            expert=expert,
            today=db.today(),
        ),
        _("Clearance verified."),
    )


@bp.post("/experts/<int:expert_id>/topics/<code>/confirm")
@login_required
def confirm_topic(expert_id: int, code: str) -> ResponseReturnValue:
    expert = visible_or_404(expert_id)
    _checked_action()
    return _decide(
        expert_id,
        lambda: vetting.confirm_topic(
            session=db.session(),
            actor=current_user,
            expert=expert,
            topic_code=code,
        ),
        _("Topic level confirmed."),
    )


@bp.post("/experts/<int:expert_id>/active/<int:active>")
@login_required
def set_active(expert_id: int, active: int) -> ResponseReturnValue:
    expert = visible_or_404(expert_id)
    _checked_action()
    privacy.set_expert_active(
        session=db.session(), actor=current_user, expert=expert, active=bool(active)
    )
    flash(_("Expert reactivated.") if active else _("Expert deactivated."), "info")
    return _back(expert_id)


@bp.get("/experts/<int:expert_id>/export")
@login_required
def export(expert_id: int) -> ResponseReturnValue:
    expert = visible_or_404(expert_id)
    data = privacy.export_expert(session=db.session(), actor=current_user, expert=expert)
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="roster-data-{expert_id}.json"'},
    )


@bp.route("/experts/<int:expert_id>/erase", methods=["GET", "POST"])
@login_required
def erase(expert_id: int) -> ResponseReturnValue:
    expert = visible_or_404(expert_id)
    if not policy.can_export_or_erase_expert(current_user, expert_user_id=expert.user_id):
        abort(403)
    if not sessions.is_fresh():
        return sessions.sign_in_again()
    form = ActionForm()
    if form.validate_on_submit():
        own = policy.is_own_profile(current_user, expert.user_id)
        privacy.erase_expert(
            session=db.session(), actor=current_user, expert=expert, recently_authenticated=True
        )
        if own:
            logout_user()
            flash(_("Your personal data was erased and your account closed."), "info")
            return redirect(url_for("accounts.login"))
        flash(_("The expert's personal data was erased."), "info")
        return redirect(url_for("web.home"))
    return render_template("experts/erase.html", expert=expert, form=form)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
