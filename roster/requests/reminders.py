"""Reminders through the outbox: offers about to lapse, and requests past their response target.
Each is sent once; the audit trail remembers that it was."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from roster import audit
from roster.experts.models import Expert
from roster.requests import mails
from roster.requests.models import CrisisRequest, Offer
from roster.requests.settings import response_targets
from roster.requests.workflow import overdue

REMIND_BEFORE = timedelta(hours=24)


def _already(session: Session, action: str, subject: str) -> bool:
    return (
        session.exec(
            select(audit.AuditEvent.id).where(
                audit.AuditEvent.action == action, audit.AuditEvent.subject == subject
            )
        ).first()
        is not None
    )


def remind_offers(*, session: Session, now: datetime, base_url: str) -> int:
    """Mail each expert whose open offer lapses within a day, once per offer."""
    due = session.exec(
        select(Offer, Expert, CrisisRequest)
        .join(Expert, col(Expert.id) == col(Offer.expert_id))
        .join(CrisisRequest, col(CrisisRequest.id) == col(Offer.request_id))
        .where(
            Offer.state == "open", Offer.respond_by > now, Offer.respond_by <= now + REMIND_BEFORE
        )
    ).all()
    sent = 0
    for offer, expert, request in due:
        subject = f"offer:{offer.id}"
        if not expert.email or _already(session, "offer.reminded", subject):
            continue
        mails.enqueue(
            session,
            kind="reminder",
            request=request,
            to=expert.email,
            locale=mails.expert_locale(session, expert),
            name=expert.full_name,
            respond_by=offer.respond_by,
            link=f"{base_url.rstrip('/')}/offers",
        )
        audit.record(session, actor="system", action="offer.reminded", subject=subject)
        sent += 1
    return sent


def notify_overdue(*, session: Session, now: datetime, today: date, base_url: str) -> int:
    """Tell the coordinators cleared to read it, once, that a request is past its target."""
    waiting = session.exec(
        select(CrisisRequest).where(
            col(CrisisRequest.state).in_(("submitted", "matching")),
            col(CrisisRequest.submitted_at).is_not(None),
        )
    ).all()
    targets = response_targets()
    sent = 0
    for request in waiting:
        subject = f"request:{request.id}"
        if request.submitted_at is None:  # the query leaves these out; this tells the types
            continue
        if not overdue(request.submitted_at, request.urgency, now, targets) or _already(
            session, "request.overdue_notified", subject
        ):
            continue
        for user in mails.coordinators_cleared_for(session, request, today):
            mails.enqueue(
                session,
                kind="overdue",
                request=request,
                to=user.email,
                locale=user.locale,
                link=f"{base_url.rstrip('/')}/requests",
            )
        audit.record(session, actor="system", action="request.overdue_notified", subject=subject)
        sent += 1
    return sent
