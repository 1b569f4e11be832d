"""Request performance: requests by state and urgency, time from submitted to staffed against each
urgency's target, the offer funnel with decline reasons, and what is overdue now.

Every figure counts only the requests the viewer may see (`services.visible_clause`), so no
classified request shows up even as a number to someone not cleared for it."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col

from roster.reports.period import Period
from roster.requests.models import OFFER_STATES, CrisisRequest, Offer
from roster.requests.services import Viewer, visible_clause
from roster.requests.settings import response_targets
from roster.requests.workflow import STATES, URGENCIES, overdue

# Time-to-staff buckets, their upper bounds in hours: the three response targets mark the edges.
BUCKETS: tuple[tuple[str, float], ...] = (
    ("<= 4 h", 4.0),
    ("4-48 h", 48.0),
    ("2-10 d", 240.0),
    ("> 10 d", math.inf),
)
WAITING_STATES = ("submitted", "matching")
TOP_REASONS = 10
NO_REASON = ""


@dataclass(frozen=True)
class StaffingTime:
    """Submitted-to-staffed hours for one urgency, against its target."""

    urgency: str
    target_hours: float
    count: int
    median_hours: float | None
    p90_hours: float | None
    within_target: int
    buckets: tuple[int, ...]


@dataclass(frozen=True)
class Waiting:
    request_id: int
    title: str
    urgency: str
    state: str
    submitted_at: datetime
    hours_waiting: float
    target_hours: float


@dataclass
class Performance:
    period: Period
    by_state: dict[tuple[str, str], int] = field(default_factory=dict)
    staffing: list[StaffingTime] = field(default_factory=list)
    offers: dict[str, int] = field(default_factory=dict)
    decline_reasons: list[tuple[str, int]] = field(default_factory=list)
    overdue: list[Waiting] = field(default_factory=list)

    def state_total(self, state: str) -> int:
        return sum(n for (s, _), n in self.by_state.items() if s == state)

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


def nearest_rank(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least `share` of them at or below
    it (no interpolation, so the answer is always an observed time)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def staffing_time(urgency: str, hours: list[float]) -> StaffingTime:
    """Summary of submitted-to-staffed times (in hours) of one urgency. Pure."""
    target = response_targets()[urgency] / timedelta(hours=1)
    counts = [0] * len(BUCKETS)
    for h in hours:
        counts[next(i for i, (_, top) in enumerate(BUCKETS) if h <= top)] += 1
    return StaffingTime(
        urgency=urgency,
        target_hours=target,
        count=len(hours),
        median_hours=statistics.median(hours) if hours else None,
        p90_hours=nearest_rank(hours, 0.9),
        within_target=sum(1 for h in hours if h <= target),
        buckets=tuple(counts),
    )


def request_performance(
    session: Session, viewer: Viewer, *, period: Period, now: datetime
) -> Performance:
    """All request figures for one viewer and period (requests created within it; times to
    staff and offers of requests submitted or sent within it). Overdue is as of `now`."""
    low, high = period.bounds()
    visible = visible_clause(viewer)
    report = Performance(period=period)
    rows = session.execute(
        sa.select(col(CrisisRequest.state), col(CrisisRequest.urgency), sa.func.count())
        .where(visible, col(CrisisRequest.created_at) >= low, col(CrisisRequest.created_at) < high)
        .group_by(CrisisRequest.state, CrisisRequest.urgency)
    ).all()
    report.by_state = {(s, u): n for s, u, n in rows if s in STATES and u in URGENCIES}

    staffed = session.execute(
        sa.select(
            col(CrisisRequest.urgency),
            col(CrisisRequest.submitted_at),
            col(CrisisRequest.staffed_at),
        ).where(
            visible,
            col(CrisisRequest.submitted_at) >= low,
            col(CrisisRequest.submitted_at) < high,
            col(CrisisRequest.staffed_at).is_not(None),
        )
    ).all()
    hours: dict[str, list[float]] = {u: [] for u in URGENCIES}
    for urgency, submitted, done in staffed:
        hours[urgency].append(max((done - submitted) / timedelta(hours=1), 0.0))
    report.staffing = [staffing_time(u, hours[u]) for u in URGENCIES]

    offer_rows = session.execute(
        sa.select(col(Offer.state), col(Offer.decline_reason))
        .join(CrisisRequest, col(CrisisRequest.id) == col(Offer.request_id))
        .where(visible, col(Offer.created_at) >= low, col(Offer.created_at) < high)
    ).all()
    states = Counter(state for state, _ in offer_rows)
    report.offers = {"sent": len(offer_rows)} | {s: states.get(s, 0) for s in OFFER_STATES}
    reasons = Counter(
        " ".join((reason or "").split()).casefold() or NO_REASON
        for state, reason in offer_rows
        if state == "declined"
    )
    report.decline_reasons = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_REASONS]
    report.overdue = overdue_now(session, viewer, now=now)
    return report


def overdue_now(session: Session, viewer: Viewer, *, now: datetime) -> list[Waiting]:
    """Visible requests waiting for staff past their urgency's target, the most overdue first."""
    rows = session.execute(
        sa.select(
            col(CrisisRequest.id),
            col(CrisisRequest.title),
            col(CrisisRequest.urgency),
            col(CrisisRequest.state),
            col(CrisisRequest.submitted_at),
        ).where(
            visible_clause(viewer),
            col(CrisisRequest.state).in_(WAITING_STATES),
            col(CrisisRequest.submitted_at).is_not(None),
        )
    ).all()
    waiting = [
        Waiting(
            request_id=rid,
            title=title,
            urgency=urgency,
            state=state,
            submitted_at=submitted,
            hours_waiting=round((now - submitted) / timedelta(hours=1), 1),
            target_hours=response_targets()[urgency] / timedelta(hours=1),
        )
        for rid, title, urgency, state, submitted in rows
        if overdue(submitted, urgency, now, response_targets())
    ]
    return sorted(waiting, key=lambda w: -w.hours_waiting / w.target_hours)


def by_month(
    session: Session, viewer: Viewer, *, today: date, months: int = 24
) -> list[tuple[str, int, int]]:
    """(YYYY-MM, requests raised, requests staffed) for each of the last `months` calendar months
    up to today's, counting only the requests the viewer may see."""
    keys: list[str] = []
    year, month = today.year, today.month
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    keys.reverse()
    since = datetime(int(keys[0][:4]), int(keys[0][5:]), 1, tzinfo=UTC)
    rows = session.execute(
        sa.select(col(CrisisRequest.created_at), col(CrisisRequest.staffed_at)).where(
            visible_clause(viewer),
            sa.or_(col(CrisisRequest.created_at) >= since, col(CrisisRequest.staffed_at) >= since),
        )
    ).all()
    raised: Counter[str] = Counter()
    staffed: Counter[str] = Counter()
    for created, done in rows:
        raised[created.strftime("%Y-%m")] += 1
        if done is not None:
            staffed[done.strftime("%Y-%m")] += 1
    return [(k, raised.get(k, 0), staffed.get(k, 0)) for k in keys]
