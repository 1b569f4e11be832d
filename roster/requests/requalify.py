"""When an expert's vetting or clearance changes: the open offers they no longer qualify for are
withdrawn, and the seats they hold but no longer qualify for are flagged to coordinators."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from roster import audit
from roster.experts.models import Expert
from roster.requests import mails, offers
from roster.requests.matching import EXCLUSION_CODES
from roster.requests.models import Assignment, CrisisRequest, Offer

# The hard rules about who the expert is, not about their calendar: a seat already held counts
# as booked, so capacity and double booking say nothing here.
QUALIFICATION_CODES: tuple[str, ...] = tuple(
    c for c in EXCLUSION_CODES if c in {"not_vetted", "clearance_too_low", "clearance_expires"}
)
LIVE_SEAT_STATES = ("matching", "staffed", "active")
WHY = _l("you no longer meet the vetting or clearance the request needs")


def qualification_failures(
    session: Session, request: CrisisRequest, expert_ids: Iterable[int], today: date
) -> dict[int, list[str]]:
    """For each expert who no longer qualifies for the request: the reason codes (the same
    rules and codes as sending offers and the candidates list)."""
    failures = offers.hard_rule_failures(session, request, expert_ids, today)
    found = {
        expert_id: [c for c in codes if c in QUALIFICATION_CODES]
        for expert_id, codes in failures.items()
    }
    return {expert_id: codes for expert_id, codes in found.items() if codes}


def requalify_expert(
    *, session: Session, expert: Expert, today: date, base_url: str = ""
) -> tuple[int, int]:
    """Withdraw the expert's open offers they no longer qualify for (audited, the expert told by
    mail) and flag their live seats likewise (audited, cleared coordinators told by mail).
    Returns (offers withdrawn, seats flagged)."""
    withdrawn = flagged = 0
    for offer, request in session.exec(
        select(Offer, CrisisRequest)
        .join(CrisisRequest, col(CrisisRequest.id) == col(Offer.request_id))
        .where(Offer.expert_id == expert.id, Offer.state == "open")
        .order_by(col(Offer.id))
    ).all():
        reasons = qualification_failures(session, request, [expert.id], today).get(expert.id)
        if reasons:
            offers.withdraw_offer(session, offer, request, why=WHY)
            audit.record(
                session,
                actor="system",
                action="offer.withdraw",
                subject=f"request:{request.id}",
                offer=offer.id,
                reasons=reasons,
            )
            withdrawn += 1
    for request in session.exec(
        select(CrisisRequest)
        .join(Assignment, col(Assignment.request_id) == col(CrisisRequest.id))
        .where(Assignment.expert_id == expert.id, col(CrisisRequest.state).in_(LIVE_SEAT_STATES))
        .order_by(col(CrisisRequest.id))
    ).all():
        reasons = qualification_failures(session, request, [expert.id], today).get(expert.id)
        if reasons:
            _flag_seat(session, request, expert, reasons, today, base_url)
            flagged += 1
    session.flush()
    return withdrawn, flagged


def _flag_seat(
    session: Session,
    request: CrisisRequest,
    expert: Expert,
    reasons: list[str],
    today: date,
    base_url: str,
) -> None:
    audit.record(
        session,
        actor="system",
        action="seat.flag",
        subject=f"request:{request.id}",
        expert=expert.id,
        reasons=reasons,
    )
    for user in mails.coordinators_cleared_for(session, request, today):
        mails.enqueue(
            session,
            kind="seat_flagged",
            request=request,
            to=user.email,
            locale=user.locale,
            reasons=", ".join(reasons),
            link=f"{base_url.rstrip('/')}/requests/{request.id}",
        )


def seat_warnings(session: Session, request: CrisisRequest, today: date) -> dict[int, list[str]]:
    """The experts holding a seat on a live request who no longer qualify for it, with why.
    Worked out afresh on every read, so a renewed vetting or a verified clearance clears it."""
    if request.state not in LIVE_SEAT_STATES:
        return {}
    seated = session.exec(
        select(Assignment.expert_id).where(Assignment.request_id == request.id)
    ).all()
    return qualification_failures(session, request, seated, today) if seated else {}
