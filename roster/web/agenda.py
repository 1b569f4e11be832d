"""What needs each user now, for the home pages: the coordinator's queues, an LNO's open requests
and what each waits for, an expert's open offers and coming engagements.

A read model over the request and expert services: every list goes through the same visibility
rule as the request pages (`visible_clause`), so a home never names a request above the viewer's
clearance, and the coordinator's vetting lists come from the vetting service, behind the policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from roster import policy
from roster.experts import vetting
from roster.experts.models import Expert
from roster.requests.models import Assignment, CrisisRequest, Offer
from roster.requests.services import viewer_for, visible_by_id, visible_clause
from roster.requests.settings import response_targets
from roster.requests.workflow import TERMINAL_STATES

SHOWN = 8  # items per list; each list links to its full page
LAPSING_WITHIN = timedelta(hours=24)


@dataclass(frozen=True)
class Waiting:
    """A request and how long it has waited against its urgency's response target."""

    request: CrisisRequest
    hours: float
    target_hours: float

    @property
    def overdue(self) -> bool:
        return self.hours > self.target_hours


@dataclass(frozen=True)
class Lapsing:
    offer: Offer
    request: CrisisRequest
    expert_name: str
    hours_left: float


@dataclass(frozen=True)
class Short:
    request: CrisisRequest
    open_offers: int


@dataclass(frozen=True)
class Own:
    """One of an LNO's open requests and who or what it waits for (a code the page words)."""

    request: CrisisRequest
    waits_for: str
    waiting: Waiting | None = None
    open_offers: int = 0


@dataclass
class Agenda:
    triage: list[Waiting] = field(default_factory=list)
    triage_total: int = 0
    lapsing: list[Lapsing] = field(default_factory=list)
    short: list[Short] = field(default_factory=list)
    pending_profiles: list[Expert] = field(default_factory=list)
    unverified: list[tuple[Expert, list[str]]] = field(default_factory=list)
    own: list[Own] = field(default_factory=list)
    offers: list[tuple[Offer, CrisisRequest]] = field(default_factory=list)
    engagements: list[tuple[Assignment, CrisisRequest]] = field(default_factory=list)


def _waiting(request: CrisisRequest, now: datetime) -> Waiting:
    target = response_targets()[request.urgency] / timedelta(hours=1)
    submitted = request.submitted_at or request.created_at
    return Waiting(request, max((now - submitted) / timedelta(hours=1), 0.0), target)


def _open_offers(session: Session, request_ids: list[int]) -> dict[int, int]:
    if not request_ids:
        return {}
    rows = session.execute(
        sa.select(col(Offer.request_id), sa.func.count())
        .where(col(Offer.request_id).in_(request_ids), col(Offer.state) == "open")
        .group_by(col(Offer.request_id))
    ).all()
    return {rid: int(n) for rid, n in rows}


def agenda_for(session: Session, user: policy.Actor, now: datetime) -> Agenda:
    """The lists the user's home shows; empty lists for what their role does not handle."""
    agenda = Agenda()
    if policy.can_match(user):
        _coordinator(session, user, now, agenda)
    if policy.can_vet(user):
        agenda.pending_profiles = [
            e for e in vetting.vetting_queue(session, now.date()) if e.vetting_status == "pending"
        ][:SHOWN]
    if policy.can_verify(user):
        agenda.unverified = vetting.unverified_items(session, limit=SHOWN)
    if policy.can_raise_request(user) and not policy.can_match(user):
        _lno(session, user, now, agenda)
    if policy.answers_offers(user):
        _expert(session, user, now, agenda)
    return agenda


def _coordinator(session: Session, user: policy.Actor, now: datetime, agenda: Agenda) -> None:
    visible = visible_clause(viewer_for(session, user, now.date()))
    submitted = session.exec(
        select(CrisisRequest)
        .where(visible, CrisisRequest.state == "submitted")
        .order_by(col(CrisisRequest.submitted_at), col(CrisisRequest.id))
    ).all()
    waiting = sorted((_waiting(r, now) for r in submitted), key=lambda w: -w.hours / w.target_hours)
    agenda.triage, agenda.triage_total = waiting[:SHOWN], len(waiting)
    lapsing = session.execute(
        sa.select(Offer, CrisisRequest, col(Expert.full_name))
        .join(CrisisRequest, col(CrisisRequest.id) == col(Offer.request_id))
        .join(Expert, col(Expert.id) == col(Offer.expert_id))
        .where(
            visible,
            col(Offer.state) == "open",
            col(Offer.respond_by) >= now,
            col(Offer.respond_by) <= now + LAPSING_WITHIN,
        )
        .order_by(col(Offer.respond_by), col(Offer.id))
        .limit(SHOWN)
    ).all()
    agenda.lapsing = [
        Lapsing(o, r, name, (o.respond_by - now) / timedelta(hours=1)) for o, r, name in lapsing
    ]
    short = session.exec(
        select(CrisisRequest)
        .where(
            visible,
            CrisisRequest.state == "matching",
            col(CrisisRequest.filled) < col(CrisisRequest.seats),
        )
        .order_by(col(CrisisRequest.starts_on), col(CrisisRequest.id))
        .limit(SHOWN)
    ).all()
    counts = _open_offers(session, [r.id for r in short])
    agenda.short = [Short(r, counts.get(r.id, 0)) for r in short]


def waits_for(request: CrisisRequest, today: date) -> str:
    """Who the request waits for, as a code the LNO home words."""
    if request.state == "draft":
        return "you_submit"
    if request.state == "submitted":
        return "triage"
    if request.state == "matching":
        return "experts"
    if request.state == "staffed":
        return "you_start" if request.starts_on <= today else "start_date"
    return "you_complete" if request.ends_on <= today else "under_way"


def _lno(session: Session, user: policy.Actor, now: datetime, agenda: Agenda) -> None:
    rows = session.exec(
        select(CrisisRequest)
        .where(
            visible_clause(viewer_for(session, user, now.date())),
            CrisisRequest.requested_by_id == user.id,
            col(CrisisRequest.state).not_in(TERMINAL_STATES),
        )
        .order_by(col(CrisisRequest.starts_on), col(CrisisRequest.id))
    ).all()
    counts = _open_offers(session, [r.id for r in rows])
    agenda.own = [
        Own(
            r,
            waits_for(r, now.date()),
            _waiting(r, now) if r.state in ("submitted", "matching") else None,
            counts.get(r.id, 0),
        )
        for r in rows
    ]


def _expert(session: Session, user: policy.Actor, now: datetime, agenda: Agenda) -> None:
    viewer = viewer_for(session, user, now.date())
    if viewer.expert_id is None:
        return
    offers = session.exec(
        select(Offer)
        .where(
            Offer.expert_id == viewer.expert_id,
            Offer.state == "open",
            col(Offer.respond_by) >= now,
        )
        .order_by(col(Offer.respond_by))
    ).all()
    seats = session.exec(
        select(Assignment)
        .where(Assignment.expert_id == viewer.expert_id, col(Assignment.ends_on) >= now.date())
        .order_by(col(Assignment.starts_on))
    ).all()
    requests = visible_by_id(
        session, viewer, {o.request_id for o in offers} | {a.request_id for a in seats}
    )
    agenda.offers = [(o, requests[o.request_id]) for o in offers if o.request_id in requests]
    agenda.engagements = [
        (a, requests[a.request_id])
        for a in seats
        if a.request_id in requests and requests[a.request_id].state not in TERMINAL_STATES
    ]
