"""Writing mail into the outbox, and delivering it with retries, backoff and no duplicates."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from roster.db import affected_rows, lock_for_write, utcnow
from roster.notify.models import OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
BASE_DELAY = timedelta(minutes=1)
# How long a worker's claim keeps others off a message: far longer than one send can take
# (the SMTP timeout bounds each socket operation), short enough to retry after a crash soon.
CLAIM_LEASE = timedelta(minutes=10)


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


def _due(now: datetime) -> SelectOfScalar[OutboxMessage]:
    return (
        select(OutboxMessage)
        .where(
            col(OutboxMessage.state) == "pending",
            col(OutboxMessage.next_attempt_at) <= now,
            sa.or_(
                col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) <= now
            ),
        )
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(1)
    )


def claim_next(engine: Engine, now: datetime) -> OutboxMessage | None:
    """Take the next due message for this worker, in a short transaction of its own.

    The claim counts as an attempt (a message that crashes the worker still runs out of
    tries) and keeps other workers off it until `now + CLAIM_LEASE`."""
    with Session(engine, expire_on_commit=False) as session:
        query = _due(now)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        else:
            lock_for_write(session)
        message = session.exec(query).first()
        if message is None:
            session.rollback()
            return None
        message.attempts += 1
        message.claimed_until = now + CLAIM_LEASE
        session.commit()
        return message


def _finish(engine: Engine, message: OutboxMessage, **outcome: object) -> bool:
    """Record how the attempt went and release the claim, in a transaction of its own; False
    when the claim had lapsed and another worker has taken the message since."""
    with Session(engine) as session:
        result = session.execute(
            sa.update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == message.id,
                col(OutboxMessage.state) == "pending",
                col(OutboxMessage.attempts) == message.attempts,
            )
            .values(claimed_until=None, **outcome)
        )
        session.commit()
    if affected_rows(result) != 1:
        log.warning("outbox message %s: the claim lapsed during the attempt", message.id)
        return False
    return True


def _attempt(
    engine: Engine,
    transport: Transport,
    message: OutboxMessage,
    mail: EmailMessage,
    now: datetime,
    report: DeliveryReport,
) -> None:
    try:
        transport(mail)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
        if message.attempts >= MAX_ATTEMPTS:
            if _finish(engine, message, state="failed", last_error=error):
                report.failed += 1
                log.warning("outbox message %s failed for good", message.id)
        elif _finish(
            engine, message, next_attempt_at=now + backoff(message.attempts), last_error=error
        ):
            report.retried += 1
        return
    # Bodies may carry one-time links; keep none once sent.
    if _finish(engine, message, state="sent", sent_at=utcnow(), last_error=None, body=""):
        report.sent += 1


def deliver_due(
    engine: Engine,
    transport: Transport,
    *,
    sender: str,
    domain: str,
    now: datetime | None = None,
    limit: int = 50,
) -> DeliveryReport:
    """Send what is due, one message at a time: claim it, send it with no transaction open
    (a mail server that hangs holds no lock the app needs), then record the outcome."""
    report = DeliveryReport()
    for _ in range(limit):
        clock = now or utcnow()
        message = claim_next(engine, clock)
        if message is None:
            break
        _attempt(engine, transport, message, as_email(message, sender, domain), clock, report)
    return report


def deliver_backlog(
    engine: Engine,
    transport: Transport,
    *,
    sender: str,
    domain: str,
    now: datetime | None = None,
    budget: timedelta = timedelta(seconds=4),
    batch: int = 50,
) -> tuple[DeliveryReport, bool]:
    """Batches of `deliver_due` while each comes back full and `budget` lasts, so a burst of
    mail (a crisis offered to many experts at once) drains at the transport's pace instead of
    one batch per turn. Also says whether mail was still due when the budget ran out."""
    total, deadline = DeliveryReport(), time.monotonic() + budget.total_seconds()
    while True:
        report = deliver_due(engine, transport, sender=sender, domain=domain, now=now, limit=batch)
        total.sent += report.sent
        total.retried += report.retried
        total.failed += report.failed
        full = report.sent + report.retried + report.failed >= batch
        if not full or time.monotonic() >= deadline:
            return total, full


def recent_problems(session: Session, limit: int = 50) -> list[OutboxMessage]:
    """Failed messages and pending ones already retried, newest first."""
    return list(
        session.exec(
            select(OutboxMessage)
            .where(
                sa.or_(
                    col(OutboxMessage.state) == "failed",
                    sa.and_(col(OutboxMessage.state) == "pending", col(OutboxMessage.attempts) > 0),
                )
            )
            .order_by(col(OutboxMessage.id).desc())
            .limit(limit)
        ).all()
    )


def oldest_pending(session: Session) -> OutboxMessage | None:
    return session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.state == "pending")
        .order_by(col(OutboxMessage.created_at))
        .limit(1)
    ).first()


def backlog(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(OutboxMessage.state, sa.func.count()).group_by(OutboxMessage.state)
    ).all()
    return dict(rows)


def listing(
    session: Session, *, state: str | None, page: int, per_page: int
) -> tuple[list[OutboxMessage], int]:
    """One page of messages, newest first, optionally of one state, and how many there are.
    The admin's page shows recipient, kind, state, attempts and errors from these: never bodies."""
    query = select(OutboxMessage)
    counted = select(sa.func.count()).select_from(OutboxMessage)
    if state is not None:
        query = query.where(col(OutboxMessage.state) == state)
        counted = counted.where(col(OutboxMessage.state) == state)
    total = session.exec(counted).one()
    rows = session.exec(
        query.order_by(col(OutboxMessage.id).desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return list(rows), total


def delivery_trouble(session: Session, now: datetime, *, stale: timedelta) -> dict[str, int]:
    """What an admin must hear about on their home: messages given up on, and messages waiting
    longer than `stale` (no worker running, or the mail server refusing)."""
    failed = session.exec(
        select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.state == "failed")
    ).one()
    waiting = session.exec(
        select(sa.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.state == "pending", col(OutboxMessage.created_at) < now - stale)
    ).one()
    return {"failed": failed, "stale": waiting}
