"""`flask --app wsgi roster ...`: migrate, seed and create-admin, for operators and the Makefile."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import AppGroup

from roster import db, seeding
from roster.accounts import services
from roster.db import utcnow
from roster.errors import DomainError
from roster.experts import vetting
from roster.imports import cli as imports_cli
from roster.notify import outbox
from roster.ops import cli as ops_cli
from roster.ops import worker, worker_cli
from roster.requests import offers, reminders, shortfall

ROOT = Path(__file__).resolve().parent.parent
roster_cli = AppGroup("roster", help="Roster operations.")


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    return config


@roster_cli.command("migrate")
def migrate() -> None:
    """Apply every migration to ROSTER_DATABASE_URL."""
    url = current_app.config["ROSTER_DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")
    click.echo("Database is at the latest schema.")


@roster_cli.command("seed")
@click.option("--reference-only", is_flag=True, help="Only topics, clearance levels, commands.")
def seed(reference_only: bool) -> None:
    """Load reference data and the demo roster from seeds/ (safe to run twice)."""
    session = db.session()
    added = seeding.load_reference(session=session)
    if not reference_only:
        added.update(seeding.load_demo(session=session))
    db.commit()
    summary = ", ".join(f"{name}: {count}" for name, count in added.items())
    click.echo(f"Seeded (rows added) {summary}.")


ADMIN_ENROLMENT = """Admins must use two-factor authentication. To enrol:
  1. Sign in at {base}/login with this email and password.
  2. You are sent to the enrolment page: scan its QR code with an authenticator app
     (or type in the secret key shown under it), then enter the 6-digit code the app shows.
  3. Keep the recovery codes shown next somewhere safe; each signs you in once.
Over the API: POST {base}/api/v1/tokens gives a token good only for POST /api/v1/me/totp
and /api/v1/me/totp/confirm; then ask for a full token with "otp"."""


@roster_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", help="The admin's full name.")
@click.option("--clearance", default=None, help="The admin's own clearance level, e.g. NS.")
def create_admin(email: str, name: str, clearance: str | None) -> None:
    """Create an admin account; the password is read from a prompt or standard input."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        services.check_new_password(password)
        created = services.create_user(
            session=db.session(),
            actor=None,
            email=email,
            full_name=name,
            role="admin",
            clearance_level=clearance,
            password=password,
        )
    except DomainError as exc:
        details = "; ".join(m for msgs in exc.fields.values() for m in msgs) or exc.message
        raise click.ClickException(details) from exc
    db.commit()
    click.echo(f"Admin account {created.user.email} created (user id {created.user.id}).")
    click.echo(ADMIN_ENROLMENT.format(base=current_app.config["ROSTER_BASE_URL"]))


@roster_cli.command("expire-vettings")
def expire_vettings() -> None:
    """Mark vetted experts past their valid-until date as expired (run daily, e.g. from cron)."""
    count = vetting.expire_vettings(session=db.session(), today=db.today())
    db.commit()
    click.echo(f"{count} vetting(s) expired.")


@roster_cli.command("expire-offers")
def expire_offers() -> None:
    """Mark open offers past their reply deadline as expired (run often, e.g. from cron)."""
    count = offers.expire_offers(session=db.session())
    db.commit()
    click.echo(f"{count} offer(s) expired.")


@roster_cli.command("send-reminders")
def send_reminders() -> None:
    """Remind experts of offers lapsing within a day and coordinators of overdue requests
    (each once); the mail goes out with the next send-mail."""
    base_url = current_app.config["ROSTER_BASE_URL"]
    session, now = db.session(), utcnow()
    offers_count = reminders.remind_offers(session=session, now=now, base_url=base_url)
    overdue_count = reminders.notify_overdue(
        session=session, now=now, today=db.today(), base_url=base_url
    )
    db.commit()
    click.echo(f"{offers_count} offer reminder(s), {overdue_count} overdue request(s) notified.")


@roster_cli.command("seats-short")
def seats_short() -> None:
    """Tell coordinators, once per shortfall, of requests whose offers lapsed with seats still
    unfilled, naming the next candidates to ask (run often, e.g. from cron)."""
    count = shortfall.notify_seats_short(db.session(), utcnow())
    db.commit()
    click.echo(f"{count} request(s) short of seats notified.")


def mail_transport(app: Flask) -> outbox.Transport:
    """SMTP when ROSTER_SMTP_HOST is set; otherwise .eml files under instance/outbox/."""
    return worker.mail_transport(app)


@roster_cli.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep running, checking every --interval seconds.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between checks.")
def send_mail(loop: bool, interval: float) -> None:
    """Deliver the mail waiting in the outbox, with retries and backoff."""
    # The app behind the proxy; flask types the proxy as the app, which lacks this method.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    sender = app.config["ROSTER_MAIL_SENDER"]
    domain = sender.rpartition("@")[2] or "localhost"
    while True:
        report, _behind = outbox.deliver_backlog(
            db.engine(), mail_transport(app), sender=sender, domain=domain
        )
        click.echo(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}")
        if not loop:
            return
        time.sleep(interval)


def init_app(app: Flask) -> None:
    ops_cli.register(roster_cli)
    worker_cli.register(roster_cli)
    imports_cli.register(roster_cli)
    app.cli.add_command(roster_cli)
