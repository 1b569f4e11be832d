"""The reply-by time of offers: its default from the request's urgency, and the times refused
(already past, or after the request's last day), for the offer form and the API alike."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask_babel import gettext as _

from roster.errors import ValidationFailed
from roster.requests import settings
from roster.requests.models import CrisisRequest


def request_end(request: CrisisRequest) -> datetime:
    """The moment the request is over: the end of its last day, UTC."""
    return datetime.combine(request.ends_on + timedelta(days=1), time(), tzinfo=UTC)


def default_respond_by(request: CrisisRequest, now: datetime) -> datetime:
    """`now` plus the reply-by of the request's urgency, to the minute, and never after the
    request ends."""
    chosen = min(now + settings.reply_by(request.urgency), request_end(request))
    return chosen.replace(second=0, microsecond=0)


def check_respond_by(request: CrisisRequest, respond_by: datetime, now: datetime) -> None:
    """Refuse (422 on `respond_by`) a reply-by that has passed or falls after the request ends."""
    if respond_by <= now:
        raise ValidationFailed(
            _("The reply deadline has passed."), {"respond_by": [_("Must be in the future.")]}
        )
    if respond_by > request_end(request):
        raise ValidationFailed(
            _("The reply deadline falls after the request ends."),
            {
                "respond_by": [
                    _(
                        "Must be before the request ends (%(day)s).",
                        day=request.ends_on.isoformat(),
                    )
                ]
            },
        )
