"""`flask roster import FILE`: the bulk import from the command line, with a progress bar.
It checks every row, shows the problems, asks before writing (unless --yes) and commits once."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from roster import audit, db
from roster.imports import apply as import_apply
from roster.imports.check import ImportFileError, digest, file_kind, preview
from roster.imports.read import MAX_BYTES, refuse

MAX_LISTED = 50


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Import the good rows without asking.")
@click.option("--dry-run", is_flag=True, help="Only check the file; write nothing.")
@with_appcontext
def import_experts(file: Path, yes: bool, dry_run: bool) -> None:
    """Import expert profiles from a CSV or XLSX file (rows already on the roster are skipped)."""
    if file.stat().st_size > MAX_BYTES:  # refused before it is read into memory
        raise click.ClickException(str(refuse("too_big")))
    content = file.read_bytes()
    session = db.session()
    try:
        checked = preview(session, content, file_kind(file.name, content))
    except ImportFileError as exc:
        raise click.ClickException(str(exc)) from exc
    for row in checked.problem_rows[:MAX_LISTED]:
        click.echo(f"line {row.line}: " + " ".join(p.message() for p in row.problems))
    if len(checked.problem_rows) > MAX_LISTED:
        click.echo(f"... and {len(checked.problem_rows) - MAX_LISTED} more rows with problems.")
    new = checked.count("new")
    click.echo(
        f"{len(checked.rows)} rows: {new} new, {checked.count('duplicate')} already on the roster, "
        f"{checked.count('invalid')} with problems."
    )
    if dry_run or not new:
        click.echo("Nothing written.")
        return
    if not yes and not click.confirm(f"Import {new} new experts?", default=False):
        click.echo("Nothing written.")
        return
    with click.progressbar(length=new, label="Importing") as bar:
        outcome = import_apply.apply_rows(session, checked, progress=bar.update)
    audit.record(
        session,
        actor="cli",
        action="experts.import",
        subject=f"file:{digest(content)[:16]}",
        imported=outcome.imported,
        duplicates=outcome.duplicates,
        invalid=outcome.invalid,
    )
    db.commit()
    click.echo(f"Imported {outcome.imported} experts as pending profiles.")


def register(group: AppGroup) -> None:
    group.add_command(import_experts)
