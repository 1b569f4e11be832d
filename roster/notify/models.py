"""The outbox table: every notification is a row written in the transaction that caused it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from roster.db import UTCDateTime, one_of, utcnow

OUTBOX_STATES = ("pending", "sent", "failed")
OutboxState = Literal["pending", "sent", "failed"]


class OutboxMessage(SQLModel, table=True):
    """One mail to send. `state` moves pending -> sent, or pending -> failed after retries.

    `claimed_until`: a worker is sending it; no other takes it before then. A worker that
    crashed mid-send leaves the claim behind, and the message is due again once it lapses."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        one_of("state", OUTBOX_STATES),
        sa.Index("ix_outbox_message_due", "state", "next_attempt_at"),
    )

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    kind: str = Field(max_length=40)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    body: str = Field(sa_type=sa.Text)
    state: OutboxState = Field(default="pending", sa_type=sa.String(10))
    attempts: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)


NOTIFICATION_KINDS = (
    "request_submitted",
    "request_triaged",
    "request_returned",
    "request_rejected",
    "request_cancelled",
    "request_staffed",
    "offer_received",
    "offer_withdrawn",
    "offer_accepted",
    "offer_declined",
    "offer_expired",
    "seats_short",
)
NotificationKind = Literal[
    "request_submitted",
    "request_triaged",
    "request_returned",
    "request_rejected",
    "request_cancelled",
    "request_staffed",
    "offer_received",
    "offer_withdrawn",
    "offer_accepted",
    "offer_declined",
    "offer_expired",
    "seats_short",
]


class Notification(SQLModel, table=True):
    """One thing a user is told in the app (and, by their choice, by mail). `link` is the path of
    the page behind sign-in that the notification is about."""

    __tablename__ = "notification"
    __table_args__ = (
        one_of("kind", NOTIFICATION_KINDS),
        # The header's unread count and the list page read by user, newest first.
        sa.Index("ix_notification_user_unread", "user_id", "read_at", "id"),
    )

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    user_id: int = Field(foreign_key="user_account.id")
    kind: NotificationKind = Field(sa_type=sa.String(30))
    subject: str = Field(max_length=300)
    link: str = Field(max_length=300)
    request_id: int | None = Field(default=None, foreign_key="crisis_request.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
