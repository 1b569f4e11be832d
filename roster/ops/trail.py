"""Reading the audit trail: filter by action, actor, subject and days, a page at a time; and
checking its chain, for `flask roster audit verify` and the audit page alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, func, select

from roster import audit
from roster.audit import AuditEvent
from roster.db import one_page

PER_PAGE = 50


@dataclass(frozen=True)
class TrailFilter:
    """What an admin asks the trail for; empty fields do not filter. Days are UTC, inclusive."""

    action: str = ""
    actor: str = ""
    subject: str = ""
    since: date | None = None
    until: date | None = None


@dataclass
class TrailPage:
    events: list[AuditEvent]
    total: int
    page: int
    pages: int


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _conditions(flt: TrailFilter) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if flt.action:
        conditions.append(col(AuditEvent.action) == flt.action)
    if flt.actor:
        conditions.append(col(AuditEvent.actor) == flt.actor)
    if flt.subject:
        conditions.append(col(AuditEvent.subject) == flt.subject)
    if flt.since:
        conditions.append(col(AuditEvent.at) >= _start_of(flt.since))
    if flt.until:
        conditions.append(col(AuditEvent.at) < _start_of(flt.until + timedelta(days=1)))
    return conditions


def search(
    session: Session, flt: TrailFilter, *, page: int = 1, per_page: int = PER_PAGE
) -> TrailPage:
    """The matching events, newest first."""
    query = select(AuditEvent).where(*_conditions(flt)).order_by(col(AuditEvent.id).desc())
    events, total, page, pages = one_page(session, query, page=page, per_page=per_page)
    return TrailPage(events=events, total=total, page=page, pages=pages)


def known_actions(session: Session) -> list[str]:
    """Every action the trail holds, for the filter's choices."""
    return list(session.exec(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


@dataclass(frozen=True)
class ChainCheck:
    """The verdict on the audit chain, in the words the command line and the page both show."""

    intact: bool
    message: str


def verify_chain(session: Session) -> ChainCheck:
    """Check every link of the chain; name the first broken event."""
    broken = audit.first_broken(session)
    if broken is not None:
        return ChainCheck(
            False,
            _(
                "Audit trail broken at event id %(id)s: it or an event before it was changed "
                "or removed.",
                id=broken,
            ),
        )
    count = session.exec(select(func.count()).select_from(AuditEvent)).one()
    head = session.exec(
        select(AuditEvent.hash).order_by(col(AuditEvent.id).desc()).limit(1)
    ).first()
    return ChainCheck(
        True,
        _(
            "Audit trail intact: %(count)s events, head %(head)s.",
            count=count,
            head=head or audit.GENESIS,
        ),
    )
