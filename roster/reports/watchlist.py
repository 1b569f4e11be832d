"""What runs out soon: vettings and clearances expiring, CSAP terms ending, and dormant experts
(not engaged for twelve months). Lists of people, for coordinators and admins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from roster.experts.models import CsapMembership, Expert
from roster.experts.vetting import expiring_clearances
from roster.requests.models import Assignment

HORIZONS = (60, 90)
DORMANT_AFTER = timedelta(days=365)


@dataclass(frozen=True)
class Due:
    """One person and the day something of theirs ends (or, for dormancy, last happened)."""

    expert_id: int
    full_name: str
    on: date | None
    what: str


def expiring_vettings(session: Session, today: date, days: int) -> list[Due]:
    """Active, vetted experts whose vetting ends within `days` (not yet expired), soonest first."""
    rows = session.exec(
        select(Expert)
        .where(
            Expert.active,
            col(Expert.pseudonym).is_(None),
            Expert.vetting_status == "vetted",
            col(Expert.vetting_valid_until) >= today,
            col(Expert.vetting_valid_until) <= today + timedelta(days=days),
        )
        .order_by(col(Expert.vetting_valid_until), col(Expert.id))
    ).all()
    return [Due(e.id, e.full_name, e.vetting_valid_until, "vetting") for e in rows]


def clearances_expiring(session: Session, today: date, days: int) -> list[Due]:
    return [
        Due(e.id, e.full_name, e.clearance_expires_on, e.clearance_level or "")
        for e in expiring_clearances(session, today, days)
        if e.pseudonym is None
    ]


def csap_terms_ending(session: Session, today: date, days: int) -> list[Due]:
    """CSAP members whose current term ends within `days`."""
    rows = session.execute(
        sa.select(
            col(Expert.id),
            col(Expert.full_name),
            col(CsapMembership.term_end),
            col(CsapMembership.cohort),
        )
        .join(CsapMembership, col(CsapMembership.expert_id) == col(Expert.id))
        .where(
            col(Expert.active),
            col(Expert.pseudonym).is_(None),
            col(CsapMembership.term_end) >= today,
            col(CsapMembership.term_end) <= today + timedelta(days=days),
        )
        .order_by(col(CsapMembership.term_end), col(Expert.id))
    ).all()
    return [Due(eid, name, end, str(cohort)) for eid, name, end, cohort in rows]


def dormant(session: Session, today: date) -> list[Due]:
    """Vetted, active experts with no engagement in twelve months: neither a recorded last
    engagement nor a seat starting since then. Someone never engaged counts once their profile
    is a year old (a newcomer is not dormant yet). Longest-idle first."""
    cutoff = today - DORMANT_AFTER
    last_seat = (
        sa.select(
            col(Assignment.expert_id), sa.func.max(col(Assignment.starts_on)).label("seat_on")
        )
        .where(col(Assignment.starts_on) <= today)
        .group_by(col(Assignment.expert_id))
        .subquery()
    )
    rows = session.execute(
        sa.select(
            col(Expert.id),
            col(Expert.full_name),
            col(Expert.last_engaged_on),
            last_seat.c.seat_on,
            col(Expert.created_at),
        )
        .outerjoin(last_seat, last_seat.c.expert_id == Expert.id)
        .where(
            col(Expert.active),
            col(Expert.pseudonym).is_(None),
            col(Expert.vetting_status) == "vetted",
            sa.or_(
                col(Expert.vetting_valid_until).is_(None), col(Expert.vetting_valid_until) >= today
            ),
            sa.or_(col(Expert.last_engaged_on).is_(None), col(Expert.last_engaged_on) < cutoff),
            sa.or_(last_seat.c.seat_on.is_(None), last_seat.c.seat_on < cutoff),
        )
    ).all()
    out = []
    for eid, name, engaged, seat, created in rows:
        last = max((d for d in (engaged, seat) if d is not None), default=None)
        if last is None and created.date() > cutoff:
            continue
        out.append(Due(eid, name, last, "dormant"))
    return sorted(out, key=lambda d: (d.on or date.min, d.expert_id))
