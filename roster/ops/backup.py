"""Backups and restores of the whole database, and checksums that show a round trip is exact.

SQLite: one-step online backup (sqlite3 `Connection.backup` with all pages at once), since a
paged backup restarts whenever another connection writes and may never finish. PostgreSQL:
`pg_dump -Fc` and `pg_restore --clean --if-exists` in one transaction."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def _sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def _libpq_url(url: str) -> str:
    """The URL as pg_dump understands it (no SQLAlchemy driver suffix)."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def pg_tool(name: str) -> str:
    """The newest installed pg_dump/pg_restore: a newer client reads older servers, not back."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
        reverse=True,
    )
    found = str(candidates[0]) if candidates else shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (PostgreSQL client tools are needed).")
    return found


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603 - fixed argument list, no shell
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _copy_sqlite(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=-1)  # all pages in one step: a consistent snapshot
    src.close()
    dst.close()


def backup(url: str, path: Path) -> None:
    """Write a complete, consistent copy of the database at `url` to `path`."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    if url.startswith("sqlite"):
        source = _sqlite_file(url)
        if not source.exists():
            raise BackupError("The SQLite database file does not exist.")
        _copy_sqlite(source, partial)
    else:
        _run([pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(partial), _libpq_url(url)])
    with partial.open("rb") as written:
        os.fsync(written.fileno())
    partial.replace(path)


def restore(url: str, path: Path) -> None:
    """Replace the contents of the database at `url` with the backup at `path`.

    Stop the application first: a restore under live writers would mix old and new rows."""
    if not path.is_file():
        raise BackupError("The backup file does not exist.")
    if url.startswith("sqlite"):
        with sqlite3.connect(path) as check:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("The backup file fails SQLite's integrity check.")
        check.close()
        _copy_sqlite(path, _sqlite_file(url))
    else:
        _run(
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "-d",
                _libpq_url(url),
                str(path),
            ]
        )


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def table_checksums(engine: Engine) -> dict[str, tuple[int, str]]:
    """Each table's row count and SHA-256 over its rows in primary-key order."""
    inspector = sa.inspect(engine)
    names = [
        n
        for n in inspector.get_table_names()
        if not (engine.dialect.name == "sqlite" and (n.startswith("sqlite_") or "_fts" in n))
    ]
    meta = sa.MetaData()
    meta.reflect(engine, only=names)
    sums: dict[str, tuple[int, str]] = {}
    with engine.connect() as conn:
        for name in sorted(names):
            table = meta.tables[name]
            order = list(table.primary_key.columns) or list(table.columns)
            digest, count = hashlib.sha256(), 0
            for row in conn.execute(sa.select(table).order_by(*order)):
                values = [_canonical(v) for v in row]
                digest.update(json.dumps(values, sort_keys=True, default=str).encode())
                digest.update(b"\n")
                count += 1
            sums[name] = (count, digest.hexdigest())
    return sums
