"""Offer pages: the expert's page for one offer (read it, accept with the two confirmations, or
decline through `offer_views`) and its calendar file once accepted; a coordinator's withdraw
and "offer again" from the request page."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roster import db, locales, policy
from roster.db import utcnow
from roster.errors import DomainError
from roster.experts.forms import LEVEL_LABELS
from roster.refusals import back_with_message, on_refusal
from roster.requests import expert_offer, offers, withdrawals
from roster.requests.consent import confirmed
from roster.requests.forms import (
    EXCLUSION_LABELS,
    MODE_LABELS,
    OFFER_STATE_LABELS,
    AcceptForm,
    ActionForm,
    DeclineForm,
)
from roster.requests.pages import visible_or_404

bp = Blueprint("offer_pages", __name__)


def render_offer(
    offer_id: int,
    *,
    accept_form: AcceptForm | None = None,
    decline_form: DeclineForm | None = None,
    message: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The offer page; a form passed in carries what was typed and its errors."""
    detail = expert_offer.view_offer(db.session(), current_user, offer_id, db.today())
    html = render_template(
        "requests/offer.html",
        detail=detail,
        accept_form=accept_form or AcceptForm(formdata=None),
        decline_form=decline_form or DeclineForm(formdata=None),
        message=message,
        states=OFFER_STATE_LABELS,
        modes=MODE_LABELS,
        levels=LEVEL_LABELS,
    )
    return html, status


@bp.get("/offers/<int:offer_id>")
@login_required
def show(offer_id: int) -> tuple[str, int]:
    return render_offer(offer_id)


def _refusal_text(exc: DomainError) -> str:
    if isinstance(exc, offers.NotEligible):
        # The same labels the candidates list shows a coordinator for these codes.
        labels = [str(EXCLUSION_LABELS.get(code, code)) for code in exc.fields["reasons"]]
        return f"{exc.message} ({', '.join(labels)})"
    return exc.message


@bp.post("/offers/<int:offer_id>/accept")
@login_required
def accept(offer_id: int) -> tuple[str, int] | Response:
    form = AcceptForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        # Both confirmations are required: the page again, the message beside each box.
        return render_offer(offer_id, accept_form=form, status=422)
    on_refusal(lambda exc: render_offer(offer_id, message=_refusal_text(exc), status=exc.status))
    # accept_offer takes the write lock first: nothing may be written before it in this request.
    offers.accept_offer(
        session=db.session(),
        actor=current_user,
        offer_id=offer_id,
        today=db.today(),
        consent=confirmed("web"),
    )
    flash(_("You accepted the offer. The requesting officer will contact you."), "info")
    return redirect(url_for("offer_pages.show", offer_id=offer_id))


@bp.get("/offers/<int:offer_id>/engagement.ics")
@login_required
def calendar(offer_id: int) -> Response:
    link = f"{current_app.config['ROSTER_BASE_URL'].rstrip('/')}/offers/{offer_id}"
    text = expert_offer.engagement_calendar(
        db.session(), current_user, offer_id, db.today(), stamp=utcnow(), link=link
    )
    return Response(
        text,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="engagement-{offer_id}.ics"',
            "Cache-Control": "no-store",
        },
    )


def _coordinator_post(request_id: int) -> str:
    """The request page the coordinator came from; 403/404/400 before anything is read."""
    if not policy.can_manage_offers(current_user):
        abort(403)
    req = visible_or_404(request_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    back = url_for("requests.show", request_id=req.id)
    back_with_message(back)
    return back


@bp.post("/requests/<int:request_id>/offers/<int:offer_id>/withdraw")
@login_required
def withdraw(request_id: int, offer_id: int) -> Response:
    back = _coordinator_post(request_id)
    # withdraw takes the write lock first: nothing may be written before it in this request.
    withdrawals.withdraw(
        session=db.session(),
        actor=current_user,
        offer_id=offer_id,
        today=db.today(),
        request_id=request_id,
    )
    flash(_("The offer was withdrawn; the expert is told by mail."), "info")
    return redirect(back)


@bp.post("/requests/<int:request_id>/offers/<int:offer_id>/again")
@login_required
def again(request_id: int, offer_id: int) -> Response:
    back = _coordinator_post(request_id)
    sent = withdrawals.offer_again(
        session=db.session(),
        actor=current_user,
        request=visible_or_404(request_id),
        offer_id=offer_id,
        today=db.today(),
        base_url=current_app.config["ROSTER_BASE_URL"],
    )
    flash(
        _(
            "Offered again; the reply is due by %(at)s UTC.",
            at=locales.when(sent.respond_by),
        ),
        "info",
    )
    return redirect(back)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
