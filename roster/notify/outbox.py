"""Writing mail into the outbox, and delivering it with retries, backoff and no duplicates."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from roster.db import utcnow
from roster.notify.models import OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
BASE_DELAY = timedelta(minutes=1)


def enqueue(session: Session, *, kind: str, to: str, subject: str, body: str) -> OutboxMessage:
    """Add a mail to the outbox inside the caller's transaction: a rollback drops it too."""
    message = OutboxMessage(kind=kind, to_address=to, subject=subject[:200], body=body)
    session.add(message)
    session.flush()
    return message


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8, 16 minutes... between tries."""
    return BASE_DELAY * (2 ** max(0, attempts - 1))


def as_email(message: OutboxMessage, sender: str, domain: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.to_address
    mail["Subject"] = message.subject
    # A stable Message-ID lets a receiving server drop a copy should a crash between the
    # SMTP acknowledgement and our commit ever make us send a message again.
    mail["Message-ID"] = f"<outbox-{message.id}@{domain}>"
    mail.set_content(message.body)
    return mail


Transport = Callable[[EmailMessage], None]


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _claim(session: Session, now: datetime, limit: int) -> list[OutboxMessage]:
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Several workers may run; each row is taken by one of them only.
        query = query.with_for_update(skip_locked=True)
    else:
        session.execute(sa.text("BEGIN IMMEDIATE"))  # SQLite: one writer at a time
    return list(session.exec(query).all())


def deliver_due(
    engine: Engine,
    transport: Transport,
    *,
    sender: str,
    domain: str,
    now: datetime | None = None,
    limit: int = 50,
) -> DeliveryReport:
    """Send what is due, one message per transaction, and record each outcome."""
    report = DeliveryReport()
    now = now or utcnow()
    while True:
        with Session(engine, expire_on_commit=False) as session:
            batch = _claim(session, now, 1)
            if not batch:
                session.rollback()
                return report
            message = batch[0]
            message.attempts += 1
            try:
                transport(as_email(message, sender, domain))
            except Exception as exc:  # noqa: BLE001 - any transport failure is retried
                message.last_error = f"{type(exc).__name__}: {exc}"[:500]
                if message.attempts >= MAX_ATTEMPTS:
                    message.state = "failed"
                    report.failed += 1
                    log.warning("outbox message %s failed for good", message.id)
                else:
                    message.next_attempt_at = now + backoff(message.attempts)
                    report.retried += 1
            else:
                message.state = "sent"
                message.sent_at = utcnow()
                message.last_error = None
                message.body = ""  # bodies may carry one-time links; keep none once sent
                report.sent += 1
            session.add(message)
            session.commit()
        limit -= 1
        if limit <= 0:
            return report


def recent_problems(session: Session, limit: int = 50) -> list[OutboxMessage]:
    """Failed messages and pending ones already retried, newest first."""
    return list(
        session.exec(
            select(OutboxMessage)
            .where(
                sa.or_(
                    OutboxMessage.state == "failed",
                    sa.and_(OutboxMessage.state == "pending", OutboxMessage.attempts > 0),
                )
            )
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        ).all()
    )


def oldest_pending(session: Session) -> OutboxMessage | None:
    return session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.state == "pending")
        .order_by(OutboxMessage.created_at)
        .limit(1)
    ).first()


def backlog(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(OutboxMessage.state, sa.func.count()).group_by(OutboxMessage.state)
    ).all()
    return dict(rows)
