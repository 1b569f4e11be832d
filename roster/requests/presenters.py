"""What a viewer reads of a crisis request, for the page and the API alike: the fields they may
see, the team, the history, the engagement log and feedback where allowed, the seat warnings
(coordinators) and the actions open to them. Also the expert's offers, each with its request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from sqlmodel import Session

from roster import policy
from roster.db import utcnow
from roster.experts import presenters as expert_presenters
from roster.experts.models import Expert
from roster.requests import engagement, offer_board, offers, requalify, services, timings, workflow
from roster.requests.models import (
    Assignment,
    CrisisRequest,
    EngagementEntry,
    Feedback,
    Offer,
    RequestEvent,
)

# The states in which a request shows its team, even while nobody holds a seat.
TEAM_STATES = frozenset({"staffed", "active", "completed"})
FEEDBACK_STATES = frozenset({"completed"})
# Actions the page marks as destructive.
DANGER_ACTIONS = frozenset({"reject", "cancel"})


def request_document(session: Session, viewer: Any, request: CrisisRequest) -> dict[str, Any]:
    """The request's values, keyed as the API names them, holding only what the viewer may read."""
    allowed = policy.request_fields_for(viewer)
    values = {
        **request.model_dump(),
        **services.needs(session, request),
        **timings.staffing_minutes(
            submitted_at=request.submitted_at,
            triaged_at=request.triaged_at,
            first_offer_at=request.first_offer_at,
            staffed_at=request.staffed_at,
        ),
        "requested_by": request.requested_by_id,
    }
    if "history" in allowed:
        values["history"] = [
            {
                "at": e.at,
                "actor": e.actor_id,
                "action": e.action,
                "from_": e.from_state,
                "to": e.to_state,
                "note": e.note,
            }
            for e in services.history(session, request)
        ]
    return {key: value for key, value in values.items() if key in allowed}


@dataclass(frozen=True)
class TeamMember:
    assignment: Assignment
    expert: Expert
    contact: bool  # the viewer reads this member's e-mail and phone (and the read is recorded)
    warnings: tuple[str, ...] = ()  # why the member no longer qualifies (coordinators only)


@dataclass
class RequestView:
    """One request as one viewer may read it. The parts a page needs beyond the fields are read
    when first asked for, so the API's short answers cost (and record) nothing more."""

    session: Session
    viewer: Any
    request: CrisisRequest
    today: date
    assigned: bool
    fields: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.fields = policy.request_fields_for(self.viewer)

    def shows(self, name: str) -> bool:
        return name in self.fields

    @property
    def is_requester(self) -> bool:
        return self.viewer is not None and self.viewer.id == self.request.requested_by_id

    @cached_property
    def document(self) -> dict[str, Any]:
        return request_document(self.session, self.viewer, self.request)

    @cached_property
    def needs(self) -> dict[str, Any]:
        return services.needs(self.session, self.request)

    @cached_property
    def history(self) -> list[RequestEvent]:
        return services.history(self.session, self.request) if self.shows("history") else []

    # --- Actions -------------------------------------------------------------------------

    @cached_property
    def actions(self) -> list[str]:
        return workflow.available_actions(
            self.request.state,
            policy.request_workflow_role(self.viewer),
            is_requester=self.is_requester,
        )

    @property
    def can_edit(self) -> bool:
        return self.request.state in workflow.EDITABLE_STATES and policy.can_edit_request(
            self.viewer, requester_id=self.request.requested_by_id
        )

    @property
    def can_match(self) -> bool:
        return policy.can_match(self.viewer) and self.request.state == "matching"

    def is_danger(self, action: str) -> bool:
        return action in DANGER_ACTIONS

    # --- Team ----------------------------------------------------------------------------

    @cached_property
    def seat_warnings(self) -> dict[int, list[str]]:
        if not policy.can_match(self.viewer):
            return {}
        return requalify.seat_warnings(self.session, self.request, self.today)

    @property
    def can_see_team(self) -> bool:
        return policy.can_see_team(self.viewer, assigned=self.assigned)

    @cached_property
    def team(self) -> list[TeamMember]:
        """The seated experts; reading a member's contact details is recorded (once per read)."""
        if not self.can_see_team:
            return []
        members = []
        for assignment, expert in offers.team(self.session, self.request):
            fields = expert_presenters.readable_fields(self.session, self.viewer, expert)
            contact = fields >= policy.CONTACT_FIELDS and not policy.is_own_profile(
                self.viewer, expert.user_id
            )
            warned = tuple(self.seat_warnings.get(expert.id, ()))
            members.append(TeamMember(assignment, expert, contact, warned))
        return members

    @property
    def show_team(self) -> bool:
        return self.can_see_team and (bool(self.team) or self.request.state in TEAM_STATES)

    # --- Offers and time to staff (coordinators; the figures for staff) ----------------------

    @property
    def can_manage_offers(self) -> bool:
        return policy.can_manage_offers(self.viewer)

    @cached_property
    def offers(self) -> list[offer_board.OfferRow]:
        if not self.can_manage_offers:
            return []
        return offer_board.offer_rows(self.session, self.viewer, self.request, utcnow())

    @property
    def offers_open_for_again(self) -> bool:
        """The candidates page is the other way to fill a declined or expired seat."""
        return any(row.can_offer_again for row in self.offers)

    @cached_property
    def staffing_minutes(self) -> dict[str, int | None]:
        if not self.shows("minutes_to_staffed"):
            return {}
        return {k: v for k, v in self.document.items() if k.startswith("minutes_to_")}

    @property
    def team_shows_contact(self) -> bool:
        return any(m.contact for m in self.team)

    # --- Engagement log ------------------------------------------------------------------

    @property
    def can_read_log(self) -> bool:
        return policy.can_read_log(self.viewer, assigned=self.assigned)

    @property
    def show_log(self) -> bool:
        return self.can_read_log and self.request.state in engagement.LOGGABLE_STATES

    @cached_property
    def log(self) -> list[EngagementEntry]:
        return engagement.log_entries(self.session, self.request) if self.can_read_log else []

    @property
    def can_log(self) -> bool:
        return self.request.state in engagement.LOGGABLE_STATES and policy.can_log_engagement(
            self.viewer, requester_id=self.request.requested_by_id, assigned=self.assigned
        )

    # --- Feedback ------------------------------------------------------------------------

    @property
    def feedback_open(self) -> bool:
        return self.request.state in FEEDBACK_STATES

    @cached_property
    def _all_feedback(self) -> list[Feedback]:
        return engagement.feedback_for(self.session, self.request) if self.feedback_open else []

    @property
    def feedback(self) -> list[Feedback]:
        """The ratings this viewer reads: all of them for coordinators, else their own."""
        if policy.can_see_all_feedback(self.viewer):
            return self._all_feedback
        return [f for f in self._all_feedback if f.author_id == self.viewer.id]

    @property
    def feedback_targets(self) -> list[TeamMember]:
        """The team members this viewer may still rate."""
        if not self.feedback_open or not policy.can_rate_experts(
            self.viewer, requester_id=self.request.requested_by_id
        ):
            return []
        rated = {f.expert_id for f in self._all_feedback if f.direction == "lno_on_expert"}
        return [m for m in self.team if m.expert.id not in rated]

    @property
    def rates_request(self) -> bool:
        """This viewer may still rate the request itself."""
        return (
            self.feedback_open
            and policy.can_rate_request(self.viewer, assigned=self.assigned)
            and not any(
                f.direction == "expert_on_request" and f.author_id == self.viewer.id
                for f in self._all_feedback
            )
        )

    @property
    def expert_names(self) -> dict[int, str]:
        return {m.expert.id: m.expert.full_name for m in self.team}

    def named_people(self) -> list[int | None]:
        """The users whose names this viewer reads on the request (only their own, for experts)."""
        if not self.shows("names"):
            return [self.viewer.id]
        return (
            [e.actor_id for e in self.history]
            + [e.author_id for e in (self.log if self.show_log else [])]
            + [f.author_id for f in self.feedback]
            + [self.request.requested_by_id]
        )


def present_request(
    session: Session, viewer: Any, request: CrisisRequest, today: date
) -> RequestView:
    """The view of a request the caller already found visible."""
    assigned = engagement.is_assigned(session, viewer, request)
    return RequestView(session, viewer, request, today, assigned)


def view_request(session: Session, viewer: Any, request_id: int, today: date) -> RequestView:
    """The request page and `GET /requests/{id}`: NotFound unless the viewer may see it."""
    found = services.get_visible(session, services.viewer_for(session, viewer, today), request_id)
    return present_request(session, viewer, found, today)


# --- The expert's offers -------------------------------------------------------------------


@dataclass(frozen=True)
class OfferCard:
    """One offer on the expert's list, with the request when the expert may still read it."""

    offer: Offer
    request: CrisisRequest | None
    now: datetime

    @property
    def expired(self) -> bool:
        return self.offer.state == "open" and self.offer.respond_by <= self.now

    @property
    def can_answer(self) -> bool:
        return self.offer.state == "open" and self.offer.respond_by > self.now

    @property
    def links_request(self) -> bool:
        return self.request is not None and self.offer.state != "open"

    @property
    def decline_reason(self) -> str | None:
        return self.offer.decline_reason if self.offer.state == "declined" else None


def view_offers(session: Session, viewer: Any, today: date) -> list[OfferCard]:
    """The expert's offers, newest first (Forbidden for anyone but an expert)."""
    mine = offers.offers_of(session, viewer)
    seen = services.viewer_for(session, viewer, today)
    now = utcnow()
    visible = services.visible_by_id(session, seen, {o.request_id for o in mine})
    return [OfferCard(offer, visible.get(offer.request_id), now) for offer in mine]
