"""Seats short: a request in matching whose offers' reply-by has passed with seats still unfilled
and no open offer left that could fill them. The coordinators cleared for it are told once per
shortfall, with the next candidates to ask (a job: `flask roster seats-short`)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from roster import audit
from roster.experts.models import Expert
from roster.requests import alerts, candidate_loader, pool_cache, settings
from roster.requests.matching import rank
from roster.requests.models import CrisisRequest, Offer

NEXT_CANDIDATES = 3
ACTION = "request.seats_short"


def notify_seats_short(session: Session, now: datetime) -> int:
    """Tell the coordinators cleared for each request now short of seats, once per shortfall
    (running it twice tells them once); how many requests were told of. A shortfall is the
    request's latest offer and the seats short then: a new round of offers that lapses again,
    or an open offer that lapses and leaves more seats short, is a new one."""
    found = 0
    for request, last_offer, lapsed, live in _short_candidates(session, now):
        short = request.seats - request.filled - live
        if short <= 0 or not lapsed or _already(session, request.id, last_offer, short):
            continue
        alerts.tell(
            session,
            users=alerts.coordinators(session, request, now.date()),
            kind="seats_short",
            request=request,
            link=f"/requests/{request.id}",
            today=now.date(),
            short=short,
            candidates=", ".join(next_candidates(session, request, now)) or _l("nobody left"),
        )
        audit.record(
            session,
            actor="system",
            action=ACTION,
            subject=f"request:{request.id}",
            last_offer=last_offer,
            short=short,
        )
        found += 1
    return found


def _short_candidates(session: Session, now: datetime) -> list[tuple[CrisisRequest, int, int, int]]:
    """Requests in matching with a seat unfilled: each with its latest offer's id, how many of
    its offers' reply-by has passed, and how many open offers may still be accepted."""
    lapsed = sa.func.sum(sa.case((col(Offer.respond_by) < now, 1), else_=0))
    live = sa.func.sum(
        sa.case((sa.and_(col(Offer.state) == "open", col(Offer.respond_by) >= now), 1), else_=0)
    )
    rows = session.exec(
        select(CrisisRequest, sa.func.max(Offer.id), lapsed, live)
        .join(Offer, col(Offer.request_id) == col(CrisisRequest.id))
        .where(
            col(CrisisRequest.state) == "matching",
            col(CrisisRequest.filled) < col(CrisisRequest.seats),
        )
        .group_by(col(CrisisRequest.id))
        .order_by(col(CrisisRequest.id))
    ).all()
    return [(r, int(last), int(gone or 0), int(open_ or 0)) for r, last, gone, open_ in rows]


def _already(session: Session, request_id: int, last_offer: int, short: int) -> bool:
    told = session.exec(
        select(audit.AuditEvent.detail).where(
            audit.AuditEvent.action == ACTION, audit.AuditEvent.subject == f"request:{request_id}"
        )
    ).all()
    return any(d.get("last_offer") == last_offer and d.get("short") == short for d in told)


def next_candidates(session: Session, request: CrisisRequest, now: datetime) -> list[str]:
    """The names of the best ranked candidates not yet offered this request (any offer), best
    first: the ranking the coordinators' candidates list shows."""
    offered = set(session.exec(select(Offer.expert_id).where(Offer.request_id == request.id)))
    today = now.date()
    ranking = rank(
        candidate_loader.request_spec(session, request),
        pool_cache.candidate_pool(session, today=today),
        today=today,
        team=candidate_loader.team_so_far(session, request),
        limit=NEXT_CANDIDATES + len(offered),
        weights=settings.matching_weights(),
    )
    ids = [r.expert_id for r in ranking.ranked if r.expert_id not in offered][:NEXT_CANDIDATES]
    names = dict(
        session.exec(select(Expert.id, Expert.full_name).where(col(Expert.id).in_(ids))).all()
    )
    return [names[i] for i in ids if i in names]
