"""One offer as its expert reads it, for the offer page and the calendar file: the request's
description, the topics and levels asked by name, dates, mode, the requesting command, the
classification, the reply-by and the time left, and the engagement once accepted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, select

from roster.db import utcnow
from roster.errors import NotFound
from roster.reference import taxonomy
from roster.reference.models import Command
from roster.requests import ics, mails, offers, services, timings
from roster.requests.models import Assignment, CrisisRequest, Offer
from roster.requests.presenters import OfferCard


@dataclass(frozen=True)
class OfferDetail:
    card: OfferCard
    topics: list[tuple[str, int]]  # (topic name, minimum level)
    command: str | None
    engagement: Assignment | None  # the seat, once the offer is accepted

    @property
    def offer(self) -> Offer:
        return self.card.offer

    @property
    def request(self) -> CrisisRequest | None:
        """None when the expert may no longer read the request (e.g. their clearance lapsed)."""
        return self.card.request

    @property
    def time_left(self) -> tuple[int, int, int] | None:
        """(days, hours, minutes) until the reply-by, while the offer can still be answered."""
        if not self.card.can_answer:
            return None
        return timings.spoken(timings.minutes_between(self.card.now, self.offer.respond_by))

    @property
    def has_calendar(self) -> bool:
        return self.engagement is not None and self.request is not None


def view_offer(session: Session, viewer: Any, offer_id: int, today: date) -> OfferDetail:
    """The expert's own offer: Forbidden for anyone but an expert, NotFound for another's."""
    offer = offers.owned_offer(session, viewer, offer_id)
    seen = services.viewer_for(session, viewer, today)
    request = services.visible_by_id(session, seen, {offer.request_id}).get(offer.request_id)
    topics: list[tuple[str, int]] = []
    command = None
    if request is not None:
        names = taxonomy.topic_names(session)
        topics = [
            (names.get(t["code"], t["code"]), t["min_level"])
            for t in services.needs(session, request)["topics"]
        ]
        if request.command_id is not None:
            found = session.get(Command, request.command_id)
            command = found.name if found is not None else None
    engagement = None
    if offer.state == "accepted":
        engagement = session.exec(select(Assignment).where(Assignment.offer_id == offer.id)).first()
    return OfferDetail(OfferCard(offer, request, utcnow()), topics, command, engagement)


def engagement_calendar(
    session: Session, viewer: Any, offer_id: int, today: date, *, stamp: datetime, link: str
) -> str:
    """The accepted engagement as an .ics text; NotFound unless the offer is the viewer's,
    accepted, and its request still visible to them. A request above NATO UNCLASSIFIED gets no
    title or content in the file, only its number and the link."""
    detail = view_offer(session, viewer, offer_id, today)
    request, engagement = detail.request, detail.engagement
    if request is None or engagement is None:
        raise NotFound(_("No engagement to put in a calendar."))
    if mails.is_classified(request):
        summary = _("Roster engagement #%(id)s", id=request.id)
        description = _("Sign in to read it: %(link)s", link=link)
    else:
        summary = request.title
        description = (
            _("Deployed engagement. Details: %(link)s", link=link)
            if request.mode == "deployed"
            else _("Remote engagement. Details: %(link)s", link=link)
        )
    event = ics.CalendarEvent(
        uid=f"engagement-{engagement.id}@roster",
        summary=summary,
        description=description,
        starts_on=engagement.starts_on,
        ends_on=engagement.ends_on,
        stamp=stamp,
        url=link,
    )
    return ics.calendar(event)
