"""`flask --app wsgi roster audit verify`, `roster backup PATH` and `roster restore PATH`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from roster import db
from roster.ops import backup as backups
from roster.ops import trail

audit_cli = AppGroup("audit", help="The tamper-evident audit trail.")


@audit_cli.command("verify")
def verify() -> None:
    """Check every link of the audit chain; exit 1 naming the first broken event."""
    check = trail.verify_chain(db.session())
    if not check.intact:
        raise click.ClickException(check.message)
    click.echo(check.message)


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a consistent backup of the database to PATH (safe while the app runs)."""
    try:
        backups.backup(current_app.config["ROSTER_DATABASE_URL"], path)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {path}.")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace every row of the database with this backup?")
def restore_command(path: Path) -> None:
    """Replace the database's contents with the backup at PATH (stop the app first)."""
    db.engine().dispose()  # no pooled connection may hold the old file or a lock
    try:
        backups.restore(current_app.config["ROSTER_DATABASE_URL"], path)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    db.engine().dispose()
    click.echo(f"Database restored from {path}.")


def register(group: click.Group) -> None:
    """Add the operations commands to the `roster` command group."""
    group.add_command(audit_cli)
    group.add_command(backup_command)
    group.add_command(restore_command)
