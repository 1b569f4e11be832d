"""The expert's own offers with decline (the candidates page is `candidate_views`; accepting is
on the offer's own page, `offer_pages`)."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, url_for
from flask import request as http
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roster import db
from roster.errors import DomainError
from roster.refusals import on_refusal
from roster.requests import offers, presenters
from roster.requests.forms import (
    EXCLUSION_LABELS,
    MODE_LABELS,
    OFFER_STATE_LABELS,
    ActionForm,
    DeclineForm,
)

bp = Blueprint("offers", __name__)


def _offers_page(
    *, message: str | None = None, errors: dict[int, list[str]] | None = None, status: int = 200
) -> tuple[str, int]:
    cards = presenters.view_offers(db.session(), current_user, db.today())
    html = render_template(
        "requests/offers.html",
        cards=cards,
        message=message,
        errors=errors or {},
        typed=http.form.get("reason", "") if errors else "",
        action=ActionForm(formdata=None),
        decline_form=DeclineForm(formdata=None),
        states=OFFER_STATE_LABELS,
        modes=MODE_LABELS,
    )
    return html, status


@bp.get("/offers")
@login_required
def index() -> tuple[str, int]:
    return _offers_page()


def _answer_refused(exc: DomainError) -> tuple[str, int]:
    message = exc.message
    if isinstance(exc, offers.NotEligible):
        # The same labels the candidates list shows a coordinator for these codes.
        labels = [str(EXCLUSION_LABELS.get(code, code)) for code in exc.fields["reasons"]]
        message = f"{message} ({', '.join(labels)})"
    return _offers_page(message=message, status=exc.status)


@bp.post("/offers/<int:offer_id>/decline")
@login_required
def decline(offer_id: int) -> tuple[str, int] | Response:
    on_refusal(_answer_refused)
    offers.owned_offer(db.session(), current_user, offer_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        errors = form.reason.errors or [_("Please give a reason.")]
        return _offers_page(errors={offer_id: list(errors)}, status=422)
    offers.decline_offer(
        session=db.session(), actor=current_user, offer_id=offer_id, reason=form.reason.data
    )
    flash(_("You declined the offer."), "info")
    return redirect(url_for("offers.index"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
