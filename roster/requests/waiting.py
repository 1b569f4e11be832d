"""Requests waiting on coordinators: how long each has waited against its response target, and
the order the queue shows them in."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from roster.requests import settings, workflow
from roster.requests.models import CrisisRequest

QUEUE_STATES = frozenset({"submitted", "matching"})


def _span(delta: timedelta, in_days: bool) -> str:
    if in_days:
        return _("%(n)s d", n=round(delta / timedelta(days=1), 1))
    return _("%(n)s h", n=int(delta / timedelta(hours=1)))


def response_age(request: CrisisRequest, now: datetime) -> dict[str, Any] | None:
    """For a request waiting on coordinators: time used of its response target, and overdue."""
    if request.state not in QUEUE_STATES or request.submitted_at is None:
        return None
    targets = settings.response_targets()
    target = targets[request.urgency]
    used = workflow.age_against_target(request.submitted_at, request.urgency, now, targets)
    in_days = target > timedelta(days=3)
    return {
        "text": _(
            "%(used)s of %(target)s (%(percent)s%%)",
            used=_span(max(now - request.submitted_at, timedelta(0)), in_days),
            target=_span(target, in_days),
            percent=int(used * 100),
        ),
        "overdue": workflow.overdue(request.submitted_at, request.urgency, now, targets),
    }


def queue_order(
    requests: list[CrisisRequest], ages: dict[int, dict[str, Any] | None]
) -> list[CrisisRequest]:
    """Overdue first, then the oldest submitted waiting request, then the rest newest first."""

    def key(r: CrisisRequest) -> tuple[int, float]:
        age = ages.get(r.id)
        if age is None:
            return (2, -r.created_at.timestamp())
        assert r.submitted_at is not None  # response_age gives an age only once submitted
        return (0 if age["overdue"] else 1, r.submitted_at.timestamp())

    return sorted(requests, key=key)
