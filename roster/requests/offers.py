"""Offers and seats: rank candidates, send offers, accept without over-assignment or double
booking, decline, expire and withdraw."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from roster import audit, policy
from roster.db import affected_rows, lock_for_write, utcnow
from roster.errors import Conflict, Forbidden, NotFound, ValidationFailed
from roster.experts.models import Expert
from roster.requests import alerts, candidate_loader, deadlines, pool_cache, settings
from roster.requests.consent import Consent
from roster.requests.matching import Ranking, rank
from roster.requests.models import Assignment, CrisisRequest, Offer
from roster.requests.services import apply_action
from roster.requests.weights import MatchingWeights

FRESH = {"populate_existing": True}
# The history note of the system's `staff` action, stored as written (pages word it by this key).
LAST_SEAT_NOTE = "The last seat was accepted."


def offer_is(state: str) -> str:
    """Why an offer in `state` cannot be answered now, in words."""
    said = {
        "open": _("This offer is open."),
        "accepted": _("This offer is accepted."),
        "declined": _("This offer is declined."),
        "expired": _("This offer is expired."),
        "withdrawn": _("This offer is withdrawn."),
    }
    return said.get(state) or _("This offer is %(state)s.", state=state)


def candidates(
    *,
    session: Session,
    actor: policy.Actor,
    request: CrisisRequest,
    today: date,
    explain: bool = False,
    weights: MatchingWeights | None = None,
    limit: int | None = 50,
) -> Ranking:
    if not policy.can_match(actor):
        raise Forbidden(_("Only coordinators see candidates."))
    pool = pool_cache.candidate_pool(session, today=today)
    return rank(
        candidate_loader.request_spec(session, request),
        pool,
        today=today,
        team=candidate_loader.team_so_far(session, request),
        limit=limit,
        explain=explain,
        weights=weights if weights is not None else settings.matching_weights(),
    )


def hard_rule_failures(
    session: Session, request: CrisisRequest, expert_ids: Iterable[int], today: date
) -> dict[int, list[str]]:
    """For each selected expert who would be excluded now: the reason codes."""
    ids = list(dict.fromkeys(expert_ids))
    pool = candidate_loader.candidate_facts(session, today=today, expert_ids=ids, vetted_only=False)
    found = {f.expert_id for f in pool}
    ranking = rank(
        candidate_loader.request_spec(session, request), pool, today=today, explain=True, limit=0
    )
    failures = {e.expert_id: list(e.reasons) for e in ranking.excluded}
    for missing in set(ids) - found:
        failures[missing] = ["not_vetted"]
    return failures


def send_offers(
    *,
    session: Session,
    actor: policy.Actor,
    request: CrisisRequest,
    expert_ids: list[int],
    respond_by: datetime,
    today: date,
    base_url: str = "",
) -> list[Offer]:
    if not policy.can_match(actor):
        raise Forbidden(_("Only coordinators send offers."))
    if request.state != "matching":
        raise Conflict(_("Offers can be sent only while the request is being matched."))
    if not expert_ids:
        raise ValidationFailed(_("Choose at least one expert."), {"expert_ids": [_("Empty.")]})
    deadlines.check_respond_by(request, respond_by, utcnow())
    failures = hard_rule_failures(session, request, expert_ids, today)
    if failures:
        raise Conflict(
            _("Some selected experts no longer pass a hard rule."),
            {
                "expert_ids": [
                    f"{eid}: {', '.join(codes)}" for eid, codes in sorted(failures.items())
                ]
            },
        )
    already = set(
        session.exec(
            select(Offer.expert_id).where(Offer.request_id == request.id, Offer.state == "open")
        ).all()
    )
    offers = []
    for expert_id in dict.fromkeys(expert_ids):
        if expert_id in already:
            continue
        offer = Offer(
            request_id=request.id,
            expert_id=expert_id,
            respond_by=respond_by,
            created_by_id=actor.id,
        )
        session.add(offer)
        offers.append(offer)
        session.flush()
        alerts.offer_received(
            session,
            request=request,
            expert=session.get_one(Expert, expert_id),
            respond_by=respond_by,
            base_url=base_url,
        )
    if offers and request.first_offer_at is None:
        request.first_offer_at = utcnow()
        session.add(request)
    session.flush()
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="offer.send",
        subject=f"request:{request.id}",
        experts=sorted(o.expert_id for o in offers),
    )
    return offers


def own_expert(session: Session, actor: policy.Actor) -> Expert:
    expert = session.exec(select(Expert).where(Expert.user_id == actor.id)).first()
    if expert is None or not policy.answers_offers(actor):
        raise Forbidden(_("Only experts answer offers."))
    return expert


def owned_offer(session: Session, actor: policy.Actor, offer_id: int) -> Offer:
    """The actor's own offer: 403 for non-experts, 404 for an offer that is not theirs."""
    expert = own_expert(session, actor)
    offer = session.get(Offer, offer_id)
    if offer is None or offer.expert_id != expert.id:
        raise NotFound(_("No such offer."))
    return offer


def offers_of(session: Session, actor: policy.Actor) -> list[Offer]:
    expert = own_expert(session, actor)
    return list(
        session.exec(
            select(Offer)
            .where(Offer.expert_id == expert.id)
            .order_by(col(Offer.created_at).desc(), col(Offer.id).desc())
        )
    )


def _locked(
    session: Session, actor: policy.Actor, offer_id: int
) -> tuple[Offer, CrisisRequest, Expert]:
    """Take the write locks (SQLite: the database; PostgreSQL: the request and expert rows),
    then read the offer, request and expert afresh."""
    lock_for_write(session)
    expert = own_expert(session, actor)
    offer = session.exec(
        select(Offer).where(Offer.id == offer_id).execution_options(**FRESH)
    ).first()
    if offer is None or offer.expert_id != expert.id:
        raise NotFound(_("No such offer."))
    request = session.exec(
        select(CrisisRequest)
        .where(CrisisRequest.id == offer.request_id)
        .with_for_update()
        .execution_options(**FRESH)
    ).one()
    expert = session.exec(
        select(Expert).where(Expert.id == expert.id).with_for_update().execution_options(**FRESH)
    ).one()
    offer = session.exec(select(Offer).where(Offer.id == offer_id).execution_options(**FRESH)).one()
    return offer, request, expert


class NotEligible(Conflict):
    """A 409 whose `fields["reasons"]` lists the hard rules failed (the candidates list's codes)."""

    code = "not_eligible"


def require_eligible(session: Session, request: CrisisRequest, expert: Expert, today: date) -> None:
    """Refuse (409 `not_eligible`) an expert who fails a hard rule of the request now: the same
    rules, codes and ranker that sending offers and the candidates list use."""
    reasons = hard_rule_failures(session, request, [expert.id], today).get(expert.id)
    if reasons:
        raise NotEligible(
            _("You no longer meet the requirements of this request."), {"reasons": reasons}
        )


def accept_offer(
    *,
    session: Session,
    actor: policy.Actor,
    offer_id: int,
    today: date | None = None,
    consent: Consent | None = None,
) -> Offer:
    """Take a seat: refused (409) when the offer is not open, the expert fails a hard rule now
    (vetting, verified clearance over the window, availability, capacity, double booking), or no
    seat is left. Every check runs under the write locks, so it is safe under concurrent
    accepts and concurrent profile changes on both engines. `today` defaults to the UTC day.
    `consent` (the page and the API give it) is recorded on the accepted offer, with the time."""
    offer, request, expert = _locked(session, actor, offer_id)
    now = utcnow()
    if offer.state != "accepted":
        require_eligible(session, request, expert, today or now.date())
    if offer.state != "open":
        raise Conflict(offer_is(offer.state))
    if offer.respond_by < now:
        raise Conflict(_("The reply deadline for this offer has passed."))
    if request.state != "matching":
        raise Conflict(_("This request is no longer being staffed."))
    taken = session.execute(
        sa.update(CrisisRequest)
        .where(
            col(CrisisRequest.id) == request.id,
            col(CrisisRequest.filled) < col(CrisisRequest.seats),
            col(CrisisRequest.state) == "matching",
        )
        .values(filled=CrisisRequest.filled + 1)
        .execution_options(synchronize_session=False)
    )
    if affected_rows(taken) != 1:
        raise Conflict(_("Every seat on this request is taken."))
    session.add(
        Assignment(
            request_id=request.id,
            expert_id=expert.id,
            offer_id=offer.id,
            starts_on=request.starts_on,
            ends_on=request.ends_on,
            mode=request.mode,
        )
    )
    offer.state, offer.responded_at = "accepted", now
    if consent is not None:
        offer.no_conflict, offer.share_contact = consent.no_conflict, consent.share_contact
        offer.consent_at, offer.consent_via = now, consent.via
    session.add(offer)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(_("You already hold a seat on this request.")) from exc
    session.refresh(request)
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="offer.accept",
        subject=f"request:{request.id}",
        offer=offer.id,
        consent=consent.via if consent is not None else None,
    )
    alerts.offer_answered(session, request=request, expert=expert, kind="offer_accepted")
    if request.filled >= request.seats:
        withdraw_open_offers(session, request, why=_l("every seat is now taken"))
        apply_action(
            session=session,
            actor=None,
            request=request,
            action="staff",
            note=LAST_SEAT_NOTE,
        )
    return offer


def decline_offer(*, session: Session, actor: policy.Actor, offer_id: int, reason: str) -> Offer:
    offer, request, expert = _locked(session, actor, offer_id)
    if offer.state != "open":
        raise Conflict(offer_is(offer.state))
    offer.state, offer.responded_at, offer.decline_reason = "declined", utcnow(), reason.strip()
    session.add(offer)
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="offer.decline",
        subject=f"request:{request.id}",
        offer=offer.id,
    )
    session.flush()
    alerts.offer_answered(session, request=request, expert=expert, kind="offer_declined")
    return offer


def withdraw_open_offers(session: Session, request: CrisisRequest, *, why: str) -> int:
    open_offers = session.exec(
        select(Offer).where(Offer.request_id == request.id, Offer.state == "open")
    ).all()
    for offer in open_offers:
        withdraw_offer(session, offer, request, why=why)
    session.flush()
    return len(open_offers)


def withdraw_offer(session: Session, offer: Offer, request: CrisisRequest, *, why: str) -> None:
    """Withdraw one open offer and tell the expert why."""
    offer.state, offer.responded_at = "withdrawn", utcnow()
    session.add(offer)
    expert = session.get(Expert, offer.expert_id)
    if expert is not None:
        alerts.offer_withdrawn(session, request=request, expert=expert, why=why)


def expire_offers(*, session: Session, now: datetime | None = None) -> int:
    """Mark open offers past their reply deadline as expired (their seats can be offered again)
    and tell the coordinators cleared for each request how many lapsed."""
    now = now or utcnow()
    lapsed = session.exec(
        select(Offer.id, Offer.request_id).where(
            col(Offer.state) == "open", col(Offer.respond_by) < now
        )
    ).all()
    if not lapsed:
        return 0
    result = session.execute(
        sa.update(Offer)
        .where(col(Offer.id).in_([offer_id for offer_id, _ in lapsed]), col(Offer.state) == "open")
        .values(state="expired")
        .execution_options(synchronize_session=False)
    )
    per_request = Counter(request_id for _, request_id in lapsed)
    for request in session.exec(
        select(CrisisRequest)
        .where(col(CrisisRequest.id).in_(per_request))
        .order_by(col(CrisisRequest.id))
    ).all():
        alerts.offers_expired(session, request=request, count=per_request[request.id])
    return affected_rows(result)


def team(session: Session, request: CrisisRequest) -> list[tuple[Assignment, Expert]]:
    return list(
        session.exec(
            select(Assignment, Expert)
            .join(Expert, col(Expert.id) == col(Assignment.expert_id))
            .where(Assignment.request_id == request.id)
            .order_by(col(Assignment.created_at))
        ).all()
    )
