"""The dashboard's reports as one viewer may see them: each entry point checks the policy, then
asks the report module. Pages, exports and the API all come through here."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlmodel import Session

from roster import policy
from roster.accounts.models import User
from roster.errors import Forbidden
from roster.reports import coverage as coverage_mod
from roster.reports import participation as participation_mod
from roster.reports import performance as performance_mod
from roster.reports import watchlist
from roster.reports.coverage import Coverage, CoverageQuery
from roster.reports.participation import Breakdown
from roster.reports.performance import Performance
from roster.reports.period import Period
from roster.requests.services import viewer_for

KINDS = ("coverage", "watchlist", "requests", "participation")


def _check(user: policy.Actor | None) -> None:
    if not policy.can_view_dashboard(user):
        raise Forbidden(_("Only coordinators and admins see the dashboard."))


def coverage_report(
    session: Session, user: policy.Actor | None, query: CoverageQuery, *, today: date
) -> Coverage:
    _check(user)
    return coverage_mod.coverage(session, query, today=today)


def watch_report(
    session: Session, user: policy.Actor | None, *, days: int, today: date
) -> dict[str, list[watchlist.Due]]:
    _check(user)
    return {
        "vettings": watchlist.expiring_vettings(session, today, days),
        "clearances": watchlist.clearances_expiring(session, today, days),
        "csap": watchlist.csap_terms_ending(session, today, days),
        "dormant": watchlist.dormant(session, today),
    }


def requests_report(
    session: Session, user: User | None, *, period: Period, now: datetime
) -> Performance:
    """Counts only the requests `user` may see (admins: none; no read-up for anyone)."""
    _check(user)
    viewer = viewer_for(session, user, now.date())
    return performance_mod.request_performance(session, viewer, period=period, now=now)


def monthly_report(
    session: Session, user: User | None, *, today: date
) -> list[tuple[str, int, int]]:
    """Requests raised and staffed per month over 24 months, as `requests_report` counts them."""
    _check(user)
    return performance_mod.by_month(session, viewer_for(session, user, today), today=today)


def participation_report(
    session: Session, user: User | None, *, period: Period, today: date
) -> dict[str, Breakdown]:
    _check(user)
    viewer = viewer_for(session, user, today)
    return participation_mod.participation(session, viewer, period=period)
