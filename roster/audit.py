"""The append-only record of who did or saw what, chained by SHA-256 so tampering shows."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from roster import limits
from roster.db import UTCDateTime, hold_write_lock, lock_for_write, utcnow

GENESIS = "0" * 64


class AuditEvent(SQLModel, table=True):
    """One audited fact. Never updated or deleted; `hash` covers `prev_hash` and the row."""

    __tablename__ = "audit_event"

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor: str = Field(max_length=limits.AUDIT_REFERENCE)
    action: str = Field(max_length=limits.AUDIT_REFERENCE, index=True)
    subject: str = Field(default="", max_length=limits.AUDIT_REFERENCE)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


def canonical(event: AuditEvent) -> str:
    body = {
        "at": event.at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "subject": event.subject,
        "detail": event.detail,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + canonical(event)).encode()).hexdigest()


def actor_label(user: Any | None) -> str:
    """How the trail names a person: by user id, never by name or email."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    return f"user:{user.id}"


def record(
    session: Session, *, actor: str, action: str, subject: str = "", **detail: Any
) -> AuditEvent:
    """Append an event to the chain inside the caller's transaction.

    One writer at a time extends the chain, across processes, so concurrent requests cannot
    fork it: the head is read under a lock held until the caller's commit (PostgreSQL: an
    advisory transaction lock; SQLite: the database's writer lock)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(727274)"))
    else:
        hold_write_lock(session)
    last = session.exec(
        select(AuditEvent.hash).order_by(col(AuditEvent.id).desc()).limit(1)
    ).first()
    event = AuditEvent(
        actor=actor, action=action, subject=subject, detail=detail, prev_hash="", hash=""
    )
    event.at = event.at.replace(microsecond=0)
    event.prev_hash = last or GENESIS
    event.hash = chain_hash(event.prev_hash, event)
    session.add(event)
    session.flush()
    return event


def record_separately(
    engine: Engine, *, actor: str, action: str, subject: str = "", **detail: Any
) -> None:
    """Append an event in a short transaction of its own, committed whatever the caller does.

    For facts that must outlive a rolled-back request: denied access, failed logins. Call it
    when the request's own transaction has ended; on SQLite an open write transaction of the
    same process would otherwise hold the single writer lock this one waits for."""
    with Session(engine) as session:
        lock_for_write(session)
        record(session, actor=actor, action=action, subject=subject, **detail)
        session.commit()


def first_broken(session: Session) -> int | None:
    """The id of the first event whose link in the chain does not hold, or None."""
    prev = GENESIS
    query = select(AuditEvent).order_by(col(AuditEvent.id)).execution_options(yield_per=1000)
    events = session.exec(query)
    try:
        for event in events:
            if event.prev_hash != prev or chain_hash(prev, event) != event.hash:
                return event.id
            prev = event.hash
    finally:
        events.close()  # a server-side cursor on PostgreSQL; stopping early must release it
    return None
