"""Shared arrangements for request tests: a request in a given state, offers, bearer tokens."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from roster.accounts.services import issue_token
from roster.db import utcnow
from roster.requests.models import Assignment, CrisisRequest, Offer, RequestTopic

START, END = date(2027, 3, 1), date(2027, 3, 14)


def bearer_for(session: Session, user) -> dict[str, str]:  # noqa: ANN001
    raw, _token = issue_token(session=session, user=user, hours=1)
    session.commit()
    return {"Authorization": f"Bearer {raw}"}


def make_request(
    session: Session,
    requester,
    *,
    state: str = "matching",
    seats: int = 1,  # noqa: ANN001
    classification: str = "NU",
    required: str = "NR",
    starts_on: date = START,
    ends_on: date = END,
    mode: str = "remote",
    topics: dict[str, int] | None = None,
    command_id: int | None = None,
    urgency: str = "priority",
) -> CrisisRequest:
    request = CrisisRequest(
        title=f"Request in {state}",
        description="Support to the mission",
        kind="crisis",
        classification=classification,
        required_clearance=required,
        urgency=urgency,
        starts_on=starts_on,
        ends_on=ends_on,
        mode=mode,
        seats=seats,
        state=state,
        requested_by_id=requester.id,
        command_id=command_id,
        submitted_at=None if state == "draft" else utcnow() - timedelta(hours=1),
    )
    session.add(request)
    session.flush()
    for code, level in (topics or {"crsv": 2}).items():
        session.add(RequestTopic(request_id=request.id, topic_code=code, min_level=level))
    session.commit()
    return request


def make_offer(session: Session, request: CrisisRequest, expert, *, hours: int = 48) -> Offer:  # noqa: ANN001
    offer = Offer(
        request_id=request.id, expert_id=expert.id, respond_by=utcnow() + timedelta(hours=hours)
    )
    session.add(offer)
    session.commit()
    return offer


def seat(session: Session, request: CrisisRequest, expert) -> Assignment:  # noqa: ANN001
    """The expert holds an accepted seat on the request (offer and assignment)."""
    offer = make_offer(session, request, expert)
    offer.state = "accepted"
    held = Assignment(
        request_id=request.id,
        expert_id=expert.id,
        offer_id=offer.id,
        starts_on=request.starts_on,
        ends_on=request.ends_on,
        mode=request.mode,
    )
    session.add_all([offer, held])
    session.commit()
    return held
