"""The one background process: delivers the outbox and runs the scheduled jobs.

`flask roster worker` runs it on its own (production, under a supervisor, beside gunicorn);
`flask roster serve` runs it in a thread beside the development server, so `make run` needs no
second terminal. Several workers at once are safe: the outbox claims each message before it is
sent (SKIP LOCKED on PostgreSQL, the writer lock on SQLite), and every job only moves rows that
are still in the state it looked for, so a second worker running the same job finds nothing left
to do. Each job runs in a transaction of its own; one that fails is rolled back, logged by name
and error class only (no personal data), and tried again at its next turn."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlmodel import Session

from roster.db import utcnow
from roster.experts import vetting
from roster.notify import outbox, transports
from roster.requests import offers, reminders, shortfall

log = logging.getLogger("roster.worker")


@dataclass(frozen=True)
class Context:
    """What a job may need besides its session: the deployment's settings."""

    base_url: str


# A job takes its session, the time of this turn and the context; answers how many rows it moved.
JobRun = Callable[[Session, datetime, Context], int]


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: JobRun


def _expire_offers(session: Session, now: datetime, _ctx: Context) -> int:
    return offers.expire_offers(session=session, now=now)


def _remind(session: Session, now: datetime, ctx: Context) -> int:
    lapsing = reminders.remind_offers(session=session, now=now, base_url=ctx.base_url)
    overdue = reminders.notify_overdue(
        session=session, now=now, today=now.astimezone(UTC).date(), base_url=ctx.base_url
    )
    return lapsing + overdue


def _seats_short(session: Session, now: datetime, _ctx: Context) -> int:
    return shortfall.notify_seats_short(session, now)


def _expire_vettings(session: Session, now: datetime, _ctx: Context) -> int:
    return vetting.expire_vettings(session=session, today=now.astimezone(UTC).date())


# The schedule. Each job is cheap when there is nothing to do, so short periods cost little and
# keep every event within a minute of the time it is due.
SCHEDULE: tuple[Job, ...] = (
    Job("expire-offers", timedelta(seconds=30), _expire_offers),
    Job("seats-short", timedelta(minutes=1), _seats_short),
    Job("reminders", timedelta(minutes=5), _remind),
    Job("expire-vettings", timedelta(minutes=30), _expire_vettings),
)


@dataclass
class Worker:
    """Runs due jobs and delivers mail at each turn. `last_run` is per process: a restarted
    worker runs every job at once, which is harmless because the jobs are idempotent."""

    app: Flask
    jobs: Iterable[Job] = SCHEDULE
    mail_every: timedelta = timedelta(seconds=5)
    # Per turn, mail is sent in batches while they come back full, for at most this long.
    mail_budget: timedelta = timedelta(seconds=4)
    mail_batch: int = 50
    last_run: dict[str, datetime] = field(default_factory=dict)
    last_mail: datetime | None = None

    def turn(self, now: datetime | None = None) -> dict[str, int]:
        """One pass: every job that is due, then the mail if its turn has come."""
        now = now or utcnow()
        done: dict[str, int] = {}
        for job in self.jobs:
            last = self.last_run.get(job.name)
            if last is not None and now - last < job.every:
                continue
            self.last_run[job.name] = now
            done[job.name] = self._run_job(job, now)
        if self.last_mail is None or now - self.last_mail >= self.mail_every:
            self.last_mail = now
            done["mail"] = self._deliver(now)
        return done

    def _run_job(self, job: Job, now: datetime) -> int:
        context = Context(base_url=self.app.config["ROSTER_BASE_URL"])
        with Session(self.app.extensions["roster.engine"], expire_on_commit=False) as session:
            try:
                count = job.run(session, now, context)
                session.commit()
            except Exception as exc:  # a failing job must not stop the others
                session.rollback()
                log.error("job %s failed: %s", job.name, type(exc).__name__)
                return 0
        if count:
            log.info("job %s moved %d row(s)", job.name, count)
        return count

    def _deliver(self, now: datetime) -> int:
        sender = self.app.config["ROSTER_MAIL_SENDER"]
        try:
            report, behind = outbox.deliver_backlog(
                self.app.extensions["roster.engine"],
                mail_transport(self.app),
                sender=sender,
                domain=sender.rpartition("@")[2] or "localhost",
                now=now,
                budget=self.mail_budget,
                batch=self.mail_batch,
            )
        except Exception as exc:  # the database may be briefly away; try again next turn
            log.error("mail delivery failed: %s", type(exc).__name__)
            return 0
        if behind:  # mail is still due: the next turn delivers again without waiting
            self.last_mail = None
        if report.sent or report.failed or report.retried:
            log.info(
                "mail: sent %d, to retry %d, failed %d", report.sent, report.retried, report.failed
            )
        return report.sent


def mail_transport(app: Flask) -> outbox.Transport:
    """SMTP when ROSTER_SMTP_HOST is set; otherwise .eml files under instance/outbox/."""
    host = app.config["ROSTER_SMTP_HOST"]
    if host:
        return transports.smtp_transport(host, app.config["ROSTER_SMTP_PORT"])
    return transports.file_transport(Path(app.instance_path) / "outbox")


def run_forever(app: Flask, stop: threading.Event, *, tick: float = 1.0) -> None:
    """Turn until `stop` is set; `tick` is the pause between turns."""
    worker = Worker(app=app)
    log.info("worker started: %s and mail", ", ".join(job.name for job in worker.jobs))
    while not stop.is_set():
        started = time.monotonic()
        worker.turn()
        stop.wait(max(0.0, tick - (time.monotonic() - started)))
    log.info("worker stopped")


def start_in_thread(app: Flask, *, tick: float = 1.0) -> tuple[threading.Thread, threading.Event]:
    """The worker beside a development server, in a daemon thread of the same process."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever, args=(app, stop), kwargs={"tick": tick}, name="roster-worker"
    )
    thread.daemon = True
    thread.start()
    return thread, stop
