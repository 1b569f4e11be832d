"""The candidates page of a request: full matches first, partial matches folded, the send control
at the top with the first candidates pre-selected, and after sending, who was offered by name.

The page keeps its endpoint `offers.candidates` (pages link to it by that name) while living apart
from the offer answers in `offer_views`."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask import Flask, abort, current_app, flash, redirect, render_template, url_for
from flask import request as http
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roster import db, locales, policy
from roster.db import utcnow
from roster.errors import DomainError
from roster.experts.forms import AFFILIATION_LABELS, GENDER_LABELS
from roster.refusals import on_refusal
from roster.requests import deadlines, left_out, offers, pages, shortlist
from roster.requests.forms import COMPONENT_LABELS, EXCLUSION_LABELS, OffersForm
from roster.requests.models import CrisisRequest
from roster.requests.pages import visible_or_404

# How many full matches the page lists before folding the rest (at least those pre-selected).
SHOWN = 8
# Expert ids are database integers of at most nine digits (as in URLs): a longer number posted
# as a choice can name no expert, and is dropped before any lookup.
IDS = range(1, 10**9)


def _chosen(form: OffersForm) -> list[int]:
    return [eid for eid in dict.fromkeys(form.expert_ids.data or []) if eid in IDS]


def _matchable_or_error(request_id: int) -> CrisisRequest:
    if not policy.can_match(current_user):
        abort(403)
    return visible_or_404(request_id)


def _page(
    req: CrisisRequest, form: OffersForm, *, warnings: list[dict[str, Any]], status: int = 200
) -> tuple[str, int]:
    session = db.session()
    explain = http.args.get("explain") == "excluded"
    found = shortlist.shortlist(
        session=session, actor=current_user, request=req, today=db.today(), explain=explain
    )
    selected = _chosen(form) if form.is_submitted() else list(found.preselected)
    listed = found.by_id()
    page = max(1, min(http.args.get("excluded_page", 1, type=int) or 1, 1_000_000))
    shown_out = left_out.page_of(found.excluded, page) if explain else None
    names = {eid: c.name for eid, c in listed.items()} | pages.expert_names(
        session,
        [e.expert_id for e in (shown_out.items if shown_out else [])]
        + [w["expert_id"] for w in warnings]
        + [eid for eid in selected if eid not in listed],
    )
    html = render_template(
        "requests/candidates.html",
        req=req,
        found=found,
        shown=max(SHOWN, len(found.preselected)),
        names=names,
        form=form,
        selected=set(selected),
        preselected=not form.is_submitted(),
        others=sorted(eid for eid in selected if eid not in listed),
        balance=shortlist.balance(list(listed.values()), selected),
        warnings=warnings,
        explain=explain,
        left_out=shown_out,
        component_labels=COMPONENT_LABELS,
        exclusion_labels=EXCLUSION_LABELS,
        gender_labels=GENDER_LABELS,
        affiliation_labels=AFFILIATION_LABELS,
    )
    return html, status


def candidates(request_id: int) -> tuple[str, int] | Response:
    req = _matchable_or_error(request_id)
    form = OffersForm()
    if not form.is_submitted():
        default = deadlines.default_respond_by(req, utcnow())
        form.respond_by.data = default.replace(tzinfo=None)
        return _page(req, form, warnings=[])
    if not form.validate_on_submit():
        return _page(req, form, warnings=[], status=422)
    session, chosen = db.session(), _chosen(form)
    if not chosen:
        form.expert_ids.errors = [_("Choose at least one expert.")]
        return _page(req, form, warnings=[], status=422)
    failures = offers.hard_rule_failures(session, req, chosen, db.today())
    if failures:
        warnings = [{"expert_id": eid, "reasons": codes} for eid, codes in sorted(failures.items())]
        return _page(req, form, warnings=warnings, status=409)
    on_refusal(lambda exc: _refused(req, form, exc))
    respond_by = form.respond_by.data.replace(tzinfo=UTC)
    sent = offers.send_offers(
        session=session,
        actor=current_user,
        request=req,
        expert_ids=chosen,
        respond_by=respond_by,
        today=db.today(),
        base_url=current_app.config["ROSTER_BASE_URL"],
    )
    names = pages.expert_names(session, chosen)
    offered = {o.expert_id for o in sent}
    flash(
        sent_message(
            [names.get(eid, "") for eid in chosen if eid in offered],
            [names.get(eid, "") for eid in chosen if eid not in offered],
            _("%(time)s UTC", time=locales.when(respond_by)),
        ),
        "info",
    )
    return redirect(url_for("requests.show", request_id=req.id))


def listed(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def sent_message(offered: list[str], skipped: list[str], respond_by: str) -> str:
    """Who was offered a seat, by name; who was not and why (sending skips only the experts who
    already hold an open offer on the request)."""
    parts = []
    if offered:
        parts.append(
            _(
                "Offers sent to %(names)s, to answer by %(when)s.",
                names=listed(offered),
                when=respond_by,
            )
        )
    else:
        parts.append(_("No offers were sent."))
    if skipped:
        parts.append(
            _(
                "Not sent again to %(names)s: already holding an open offer on this request.",
                names=listed(skipped),
            )
        )
    return " ".join(parts)


def _refused(req: CrisisRequest, form: OffersForm, exc: DomainError) -> tuple[str, int]:
    target = form.respond_by if "respond_by" in exc.fields else form.expert_ids
    target.errors = [*target.errors, exc.message]
    return _page(req, form, warnings=[], status=exc.status)


def init_app(app: Flask) -> None:
    app.add_url_rule(
        "/requests/<int:request_id>/candidates",
        endpoint="offers.candidates",
        view_func=login_required(candidates),
        methods=["GET", "POST"],
    )
