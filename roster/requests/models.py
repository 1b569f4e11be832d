"""Tables of crisis requests: the request, its needs, history, offers, seats, log and feedback."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from roster import limits
from roster.db import UTCDateTime, one_of, utcnow
from roster.reference.codes import CEFR_LEVELS
from roster.requests.workflow import ACTIONS, STATES, State

REQUEST_KINDS = ("crisis", "exercise", "training", "consultation")
RequestKind = Literal["crisis", "exercise", "training", "consultation"]
URGENCIES = ("routine", "priority", "immediate")
Urgency = Literal["routine", "priority", "immediate"]
MODES = ("remote", "deployed")
Mode = Literal["remote", "deployed"]  # the same values as `candidate_facts.Mode`
OFFER_STATES = ("open", "accepted", "declined", "withdrawn", "expired")
OfferState = Literal["open", "accepted", "declined", "withdrawn", "expired"]
# How an accepting expert gave (or, for old API clients, did not give) the two confirmations.
CONSENT_WAYS = ("web", "api", "api-legacy")
ConsentWay = Literal["web", "api", "api-legacy"]
LOG_KINDS = ("consultation", "deliverable", "exercise", "note")
FEEDBACK_DIRECTIONS = ("lno_on_expert", "expert_on_request")


class CrisisRequest(SQLModel, table=True):
    """A request for expertise. `state` changes only through the workflow's one function;
    `filled` counts accepted seats and never passes `seats` (checked by the database too)."""

    __tablename__ = "crisis_request"
    __table_args__ = (
        one_of("kind", REQUEST_KINDS),
        one_of("urgency", URGENCIES),
        one_of("mode", MODES),
        one_of("state", STATES),
        sa.CheckConstraint("seats >= 1", name="seats_positive"),
        sa.CheckConstraint("filled >= 0 AND filled <= seats", name="filled_within_seats"),
        sa.CheckConstraint("starts_on <= ends_on", name="window_ordered"),
    )

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    title: str = Field(max_length=limits.REQUEST_TITLE)
    description: str = Field(default="", sa_type=sa.Text)
    kind: RequestKind = Field(sa_type=sa.String(20))
    classification: str = Field(foreign_key="clearance_level.code", max_length=4)
    required_clearance: str = Field(foreign_key="clearance_level.code", max_length=4)
    urgency: Urgency = Field(sa_type=sa.String(10))
    starts_on: date
    ends_on: date
    mode: Mode = Field(sa_type=sa.String(10))
    seats: int = Field(default=1)
    filled: int = Field(default=0)
    state: State = Field(default="draft", sa_type=sa.String(12), index=True)
    requested_by_id: int = Field(foreign_key="user_account.id", index=True)
    command_id: int | None = Field(default=None, foreign_key="command.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    triaged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    first_offer_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    staffed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = Field(default=1)


class RequestTopic(SQLModel, table=True):
    __tablename__ = "request_topic"
    __table_args__ = (sa.CheckConstraint("min_level BETWEEN 1 AND 4", name="level_range"),)

    request_id: int = Field(foreign_key="crisis_request.id", primary_key=True, ondelete="CASCADE")
    topic_code: str = Field(foreign_key="topic.code", primary_key=True)
    min_level: int


class RequestLanguage(SQLModel, table=True):
    __tablename__ = "request_language"
    __table_args__ = (one_of("min_level", CEFR_LEVELS),)

    request_id: int = Field(foreign_key="crisis_request.id", primary_key=True, ondelete="CASCADE")
    language_code: str = Field(primary_key=True, max_length=2)
    min_level: str = Field(max_length=6)


class RequestRegion(SQLModel, table=True):
    __tablename__ = "request_region"

    request_id: int = Field(foreign_key="crisis_request.id", primary_key=True, ondelete="CASCADE")
    country_code: str = Field(primary_key=True, max_length=2)


class RequestEvent(SQLModel, table=True):
    """One line of a request's history: who did what, when, from which state to which."""

    __tablename__ = "request_event"
    __table_args__ = (one_of("action", ("create", *ACTIONS)),)

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    request_id: int = Field(foreign_key="crisis_request.id", index=True, ondelete="CASCADE")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id")
    action: str = Field(max_length=12)
    from_state: str | None = Field(default=None, max_length=12)
    to_state: str = Field(max_length=12)
    note: str = Field(default="", sa_type=sa.Text)


class Offer(SQLModel, table=True):
    """A seat offered to an expert, answered by accept or decline before `respond_by`. An
    accepted offer carries the expert's two confirmations (no conflict of interest, contact
    details may go to the requesting command), when and how they were given."""

    __tablename__ = "offer"
    __table_args__ = (
        one_of("state", OFFER_STATES),
        one_of("consent_via", CONSENT_WAYS),
        sa.Index("ix_offer_request_state", "request_id", "state"),
        sa.Index("ix_offer_expert_state", "expert_id", "state"),
    )

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    request_id: int = Field(foreign_key="crisis_request.id", ondelete="CASCADE")
    expert_id: int = Field(foreign_key="expert.id")
    state: OfferState = Field(default="open", sa_type=sa.String(10))
    respond_by: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decline_reason: str = Field(default="", max_length=limits.DECLINE_REASON)
    no_conflict: bool | None = None
    share_contact: bool | None = None
    consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    consent_via: ConsentWay | None = Field(default=None, sa_type=sa.String(12))


class Assignment(SQLModel, table=True):
    """A seat taken: the expert is on the request's team. Unique per (request, expert)."""

    __tablename__ = "assignment"
    __table_args__ = (
        sa.UniqueConstraint("request_id", "expert_id", name="uq_assignment_request_expert"),
        sa.Index("ix_assignment_expert_window", "expert_id", "starts_on", "ends_on"),
    )

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    request_id: int = Field(foreign_key="crisis_request.id", ondelete="CASCADE")
    expert_id: int = Field(foreign_key="expert.id")
    offer_id: int = Field(foreign_key="offer.id")
    starts_on: date
    ends_on: date
    mode: str = Field(max_length=10)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EngagementEntry(SQLModel, table=True):
    """An activity or deliverable logged while the engagement runs."""

    __tablename__ = "engagement_entry"
    __table_args__ = (one_of("kind", LOG_KINDS),)

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    request_id: int = Field(foreign_key="crisis_request.id", index=True, ondelete="CASCADE")
    author_id: int = Field(foreign_key="user_account.id")
    kind: str = Field(max_length=12)
    summary: str = Field(sa_type=sa.Text)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Feedback(SQLModel, table=True):
    """After completion: the LNO rates each expert; each expert rates the request. Coordinators
    see it; it never appears on a public profile."""

    __tablename__ = "feedback"
    __table_args__ = (
        one_of("direction", FEEDBACK_DIRECTIONS),
        sa.UniqueConstraint(
            "request_id", "expert_id", "direction", name="uq_feedback_request_expert_direction"
        ),
        sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        sa.CheckConstraint("clarity IS NULL OR clarity BETWEEN 1 AND 5", name="clarity_range"),
        sa.CheckConstraint(
            "usefulness IS NULL OR usefulness BETWEEN 1 AND 5", name="usefulness_range"
        ),
    )

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    request_id: int = Field(foreign_key="crisis_request.id", index=True, ondelete="CASCADE")
    expert_id: int = Field(foreign_key="expert.id")
    author_id: int = Field(foreign_key="user_account.id")
    direction: str = Field(max_length=20)
    rating: int | None = None
    clarity: int | None = None
    usefulness: int | None = None
    comment: str = Field(default="", sa_type=sa.Text)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RosterVersion(SQLModel, table=True):
    """One row (id 1): changes with every committed change to what candidate matching reads
    (`roster_version.WATCHED`), in the same transaction. `token` is new at each change, so a pool
    built for one token is never taken for another roster, even after the row is recreated."""

    __tablename__ = "roster_version"

    id: int = Field(default=1, primary_key=True)
    counter: int = Field(default=0, sa_type=sa.BigInteger)
    token: str = Field(max_length=32)
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
