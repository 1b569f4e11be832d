"""The dashboard overview: the few figures a coordinator reads at a glance, each taken from the
report it summarises (`dashboard`), so a tile's number is the one its report page and the API
give. Request figures count only the requests the viewer may see: no tile reads up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col

from roster.accounts.models import User
from roster.reports import dashboard
from roster.reports.coverage import CoverageQuery
from roster.reports.period import Period
from roster.requests.models import CrisisRequest, RequestRegion, RequestTopic
from roster.requests.services import Viewer, viewer_for, visible_clause
from roster.requests.workflow import URGENCIES

OPEN_STATES = ("submitted", "matching", "staffed", "active")
RECENT_DAYS = 90  # time to staff and offers: the last 90 days against the 90 before
ASKED_DAYS = 730  # coverage: the regions requests were raised for in the last 24 months
DUE_DAYS = 30  # vettings and clearances ending within 30 days


@dataclass(frozen=True)
class Trend:
    """Median hours from submitted to staffed for one urgency, now and in the 90 days before."""

    urgency: str
    target_hours: float
    count: int
    median_hours: float | None
    previous_hours: float | None

    @property
    def change_hours(self) -> float | None:
        if self.median_hours is None or self.previous_hours is None:
            return None
        return self.median_hours - self.previous_hours

    @property
    def within_target(self) -> bool | None:
        return None if self.median_hours is None else self.median_hours <= self.target_hours


@dataclass(frozen=True)
class Overview:
    today: date
    recent: Period
    previous: Period
    year: Period
    open_by_urgency: dict[str, int]
    past_target: int
    staffing: tuple[Trend, ...]
    offers_accepted: int
    offers_answered: int
    asked_regions: tuple[str, ...]
    empty_cells: int
    thin_cells: int
    vettings_due: int
    clearances_due: int
    women_share: float | None  # None when there are none to count or the count is suppressed
    engaged: int | None  # engagements in the year; None when too few to show

    @property
    def open_total(self) -> int:
        return sum(self.open_by_urgency.values())

    @property
    def acceptance(self) -> float | None:
        return self.offers_accepted / self.offers_answered if self.offers_answered else None


def periods(today: date) -> tuple[Period, Period]:
    """The last `RECENT_DAYS` days up to today, and the same span just before them."""
    span = timedelta(days=RECENT_DAYS)
    recent = Period(today - span + timedelta(days=1), today)
    return recent, Period(recent.start - span, recent.start - timedelta(days=1))


def overview(session: Session, user: User | None, *, now: datetime) -> Overview:
    """Every headline figure for `user` (a coordinator or admin; Forbidden for anyone else)."""
    today = now.date()
    recent, previous = periods(today)
    perf = dashboard.requests_report(session, user, period=recent, now=now)  # checks the policy
    before = dashboard.requests_report(session, user, period=previous, now=now)
    old = {t.urgency: t for t in before.staffing}
    staffing = tuple(
        Trend(t.urgency, t.target_hours, t.count, t.median_hours, old[t.urgency].median_hours)
        for t in perf.staffing
    )
    viewer = viewer_for(session, user, today)
    asked = asked_regions(session, viewer, today)
    cov = dashboard.coverage_report(session, user, CoverageQuery(), today=today)
    gaps = [n for _t, column, n in cov.gaps() if column in asked]
    due = dashboard.watch_report(session, user, days=DUE_DAYS, today=today)
    year = Period.year_to(today)
    gender = dashboard.participation_report(session, user, period=year, today=today)["gender"]
    women = next((r for r in gender.rows if r.key == "woman"), None)
    return Overview(
        today=today,
        recent=recent,
        previous=previous,
        year=year,
        open_by_urgency=open_by_urgency(session, viewer),
        past_target=len(perf.overdue),
        staffing=staffing,
        offers_accepted=perf.offers.get("accepted", 0),
        offers_answered=perf.offers.get("accepted", 0) + perf.offers.get("declined", 0),
        asked_regions=tuple(sorted(asked)),
        empty_cells=sum(1 for n in gaps if n == 0),
        thin_cells=sum(1 for n in gaps if n > 0),
        vettings_due=len(due["vettings"]),
        clearances_due=len(due["clearances"]),
        women_share=women.share if women is not None else None,
        engaged=gender.total,
    )


def open_by_urgency(session: Session, viewer: Viewer) -> dict[str, int]:
    """Visible requests submitted and not yet finished, by urgency."""
    rows = session.execute(
        sa.select(col(CrisisRequest.urgency), sa.func.count())
        .where(visible_clause(viewer), col(CrisisRequest.state).in_(OPEN_STATES))
        .group_by(CrisisRequest.urgency)
    ).all()
    found = dict(rows)
    return {u: int(found.get(u, 0)) for u in URGENCIES}


def asked_regions(session: Session, viewer: Viewer, today: date) -> set[str]:
    """Countries of the visible requests raised in the last 24 months."""
    since = Period(today - timedelta(days=ASKED_DAYS - 1), today).bounds()[0]
    return set(
        session.execute(
            sa.select(col(RequestRegion.country_code))
            .distinct()
            .join(CrisisRequest, col(CrisisRequest.id) == col(RequestRegion.request_id))
            .where(visible_clause(viewer), col(CrisisRequest.created_at) >= since)
        ).scalars()
    )


def asked_cells(session: Session, viewer: Viewer, today: date) -> dict[tuple[str, str], int]:
    """How many visible requests of the last 24 months asked for each (topic, country)."""
    since = Period(today - timedelta(days=ASKED_DAYS - 1), today).bounds()[0]
    rows = session.execute(
        sa.select(col(RequestTopic.topic_code), col(RequestRegion.country_code), sa.func.count())
        .select_from(CrisisRequest)
        .join(RequestTopic, col(RequestTopic.request_id) == col(CrisisRequest.id))
        .join(RequestRegion, col(RequestRegion.request_id) == col(CrisisRequest.id))
        .where(visible_clause(viewer), col(CrisisRequest.created_at) >= since)
        .group_by(col(RequestTopic.topic_code), col(RequestRegion.country_code))
    ).all()
    return {(t, c): int(n) for t, c, n in rows}
