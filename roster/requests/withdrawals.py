"""A coordinator's changes to single offers: withdraw an open one (audited, the expert told by
mail) and offer a declined or expired seat to the same expert again."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from roster import audit, policy
from roster.db import lock_for_write, utcnow
from roster.errors import Conflict, Forbidden, NotFound
from roster.requests import deadlines, offers, services
from roster.requests.models import Assignment, CrisisRequest, Offer

FRESH = {"populate_existing": True}
# The offers whose seat a coordinator may offer to the same expert again.
AGAIN_STATES = frozenset({"declined", "expired"})
WHY = _l("the coordinator withdrew it")  # translated in the expert's mail


def _visible_offer(
    session: Session, actor: policy.Actor, offer_id: int, today: date, *, lock: bool
) -> tuple[Offer, CrisisRequest]:
    """The offer and its request, read afresh (the request row locked when `lock`); NotFound
    unless the actor sees the request: no read-up through an offer id."""
    by_id = select(Offer).where(Offer.id == offer_id).execution_options(**FRESH)
    offer = session.exec(by_id).first()
    if offer is None:
        raise NotFound(_("No such offer."))
    viewer = services.viewer_for(session, actor, today)
    services.get_visible(session, viewer, offer.request_id)
    query = select(CrisisRequest).where(CrisisRequest.id == offer.request_id)
    if lock:
        query = query.with_for_update()
    request = session.exec(query.execution_options(**FRESH)).one()
    return session.exec(by_id).one(), request


def withdraw(
    *,
    session: Session,
    actor: policy.Actor,
    offer_id: int,
    today: date,
    request_id: int | None = None,
) -> Offer:
    """Withdraw one open offer: 403 for anyone but a coordinator, 404 for an offer of a request
    they cannot see (or not of `request_id`, when given), 409 unless it is open. Runs under the
    write locks, like an accept, so the two cannot both win."""
    if not policy.can_manage_offers(actor):
        raise Forbidden(_("Only coordinators withdraw offers."))
    lock_for_write(session)
    offer, request = _visible_offer(session, actor, offer_id, today, lock=True)
    if request_id is not None and request.id != request_id:
        raise NotFound(_("No such offer."))
    if offer.state != "open":
        raise Conflict(offers.offer_is(offer.state))
    # A fixed reason: the mail travels in the clear and must never carry what a person typed.
    offers.withdraw_offer(session, offer, request, why=WHY)
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="offer.withdraw",
        subject=f"request:{request.id}",
        offer=offer.id,
    )
    session.flush()
    return offer


def offer_again(
    *,
    session: Session,
    actor: policy.Actor,
    request: CrisisRequest,
    offer_id: int,
    today: date,
    base_url: str = "",
) -> Offer:
    """A new offer to the expert of a declined or expired offer on this request, through the
    same service (and hard rules) as any offer. The reply-by is the usual default, cut to the
    request's response target when that is shorter (an immediate request: 4 hours)."""
    if not policy.can_manage_offers(actor):
        raise Forbidden(_("Only coordinators send offers."))
    old = session.get(Offer, offer_id)
    if old is None or old.request_id != request.id:
        raise NotFound(_("No such offer."))
    if old.state not in AGAIN_STATES:
        again = {
            "open": _("This offer is open; only a declined or expired one is sent again."),
            "accepted": _("This offer is accepted; only a declined or expired one is sent again."),
            "withdrawn": _(
                "This offer is withdrawn; only a declined or expired one is sent again."
            ),
        }
        raise Conflict(
            again.get(old.state)
            or _(
                "This offer is %(state)s; only a declined or expired one is sent again.",
                state=old.state,
            )
        )
    seated = session.exec(
        select(Assignment.id).where(
            Assignment.request_id == request.id, Assignment.expert_id == old.expert_id
        )
    ).first()
    waiting = session.exec(
        select(Offer.id).where(
            Offer.request_id == request.id, Offer.expert_id == old.expert_id, Offer.state == "open"
        )
    ).first()
    if seated is not None or waiting is not None:
        raise Conflict(_("This expert already holds a seat or an open offer on this request."))
    (sent,) = offers.send_offers(
        session=session,
        actor=actor,
        request=request,
        expert_ids=[old.expert_id],
        respond_by=deadlines.default_respond_by(request, utcnow()),
        today=today,
        base_url=base_url,
    )
    return sent
