"""Matching pages: a request's ranked candidates and the offers sent to them, and the expert's
own offers with accept and decline."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, url_for
from flask import request as http
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roster import db, policy
from roster.db import utcnow
from roster.errors import DomainError
from roster.refusals import on_refusal
from roster.requests import left_out, offers, pages, presenters, settings
from roster.requests.forms import (
    COMPONENT_LABELS,
    EXCLUSION_LABELS,
    MODE_LABELS,
    OFFER_STATE_LABELS,
    ActionForm,
    DeclineForm,
    OffersForm,
)
from roster.requests.models import CrisisRequest
from roster.requests.pages import visible_or_404

bp = Blueprint("offers", __name__)


def _matchable_or_error(request_id: int) -> CrisisRequest:
    if not policy.can_match(current_user):
        abort(403)
    return visible_or_404(request_id)


def _candidates_page(
    req: CrisisRequest, form: OffersForm, *, warnings: list[dict[str, Any]], status: int = 200
) -> tuple[str, int]:
    session = db.session()
    explain = http.args.get("explain") == "excluded"
    ranking = offers.candidates(
        session=session, actor=current_user, request=req, today=db.today(), explain=explain
    )
    page = max(1, min(http.args.get("excluded_page", 1, type=int) or 1, 1_000_000))
    shown = left_out.page_of(ranking.excluded, page) if explain else None
    names = pages.expert_names(
        session,
        [r.expert_id for r in ranking.ranked]
        + [e.expert_id for e in (shown.items if shown else [])]
        + [w["expert_id"] for w in warnings],
    )
    html = render_template(
        "requests/candidates.html",
        req=req,
        ranking=ranking,
        names=names,
        form=form,
        selected=set(form.expert_ids.data or []),
        warnings=warnings,
        explain=explain,
        left_out=shown,
        component_labels=COMPONENT_LABELS,
        exclusion_labels=EXCLUSION_LABELS,
    )
    return html, status


@bp.route("/requests/<int:request_id>/candidates", methods=["GET", "POST"])
@login_required
def candidates(request_id: int) -> tuple[str, int] | Response:
    req = _matchable_or_error(request_id)
    form = OffersForm()
    if not form.is_submitted():
        form.respond_by.data = (utcnow() + settings.REPLY_BY).replace(
            second=0, microsecond=0, tzinfo=None
        )
        return _candidates_page(req, form, warnings=[])
    if not form.validate_on_submit():
        return _candidates_page(req, form, warnings=[], status=422)
    session, chosen = db.session(), list(dict.fromkeys(form.expert_ids.data or []))
    if not chosen:
        form.expert_ids.errors = [_("Choose at least one expert.")]
        return _candidates_page(req, form, warnings=[], status=422)
    failures = offers.hard_rule_failures(session, req, chosen, db.today())
    if failures:
        warnings = [{"expert_id": eid, "reasons": codes} for eid, codes in sorted(failures.items())]
        return _candidates_page(req, form, warnings=warnings, status=409)
    on_refusal(lambda exc: _offers_refused(req, form, exc))
    sent = offers.send_offers(
        session=session,
        actor=current_user,
        request=req,
        expert_ids=chosen,
        respond_by=form.respond_by.data.replace(tzinfo=UTC),
        today=db.today(),
        base_url=current_app.config["ROSTER_BASE_URL"],
    )
    flash(_("Offers sent: %(n)s.", n=len(sent)), "info")
    return redirect(url_for("requests.show", request_id=req.id))


def _offers_refused(req: CrisisRequest, form: OffersForm, exc: DomainError) -> tuple[str, int]:
    target = form.respond_by if "respond_by" in exc.fields else form.expert_ids
    target.errors = [*target.errors, exc.message]
    return _candidates_page(req, form, warnings=[], status=exc.status)


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


@bp.post("/offers/<int:offer_id>/accept")
@login_required
def accept(offer_id: int) -> tuple[str, int] | Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    on_refusal(_answer_refused)
    # accept_offer takes the write lock first: nothing may be written before it in this request.
    offers.accept_offer(
        session=db.session(), actor=current_user, offer_id=offer_id, today=db.today()
    )
    flash(_("You accepted the offer. The requesting officer will contact you."), "info")
    return redirect(url_for("offers.index"))


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
