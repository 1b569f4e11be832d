"""Times a 10,000-row expert import (`python -m bench.imports`): check the file, write the rows in
one transaction, commit, then check it again (every row a duplicate). SQLite always; PostgreSQL
when ROSTER_BENCH_POSTGRES_URL (or the default local server) answers."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from alembic import command
from sqlmodel import Session

from bench import machine, write_section
from roster.app import create_app
from roster.cli import alembic_config
from roster.imports.apply import apply_rows
from roster.imports.check import preview
from roster.seeding import load_reference
from tests.imports.scale import synthetic_csv

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def _pg_server() -> str | None:
    url = os.environ.get("ROSTER_BENCH_POSTGRES_URL", DEFAULT_PG)
    try:
        with psycopg.connect(url, connect_timeout=3):
            return url
    except psycopg.Error:
        return None


def _databases(workdir: Path) -> list[tuple[str, str, str | None]]:
    """(engine, url, name of a PostgreSQL database to drop afterwards)."""
    out: list[tuple[str, str, str | None]] = [("sqlite", f"sqlite:///{workdir / 'bench.db'}", None)]
    server = _pg_server()
    if server:
        name = f"roster_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        out.append(("postgresql", f"{server.rpartition('/')[0]}/{name}", name))
    return out


def _drop(name: str) -> None:
    server = _pg_server()
    if server:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_once(url: str, content: bytes) -> dict[str, float]:
    command.upgrade(alembic_config(url), "head")
    app = create_app({"ROSTER_DATABASE_URL": url, "SECRET_KEY": "bench"})
    engine = app.extensions["roster.engine"]
    timings: dict[str, float] = {}
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        load_reference(session)
        session.commit()
        start = time.perf_counter()
        checked = preview(session, content, "csv")
        timings["check"] = time.perf_counter() - start
        start = time.perf_counter()
        outcome = apply_rows(session, checked)
        session.commit()
        timings["write"] = time.perf_counter() - start
        assert outcome.imported == len(checked.rows)
        start = time.perf_counter()
        again = preview(session, content, "csv")
        timings["recheck"] = time.perf_counter() - start
        assert again.count("new") == 0
    engine.dispose()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    content = synthetic_csv(args.rows)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        for engine, url, drop in _databases(Path(tmp)):
            try:
                t = run_once(url, content)
            finally:
                if drop:
                    _drop(drop)
            total = t["check"] + t["write"]
            lines.append(
                f"| {engine} | {args.rows:,} | {t['check'] * 1000:,.0f} | {t['write'] * 1000:,.0f} "
                f"| {total * 1000:,.0f} | {args.rows / total:,.0f} | {t['recheck'] * 1000:,.0f} |"
            )
            print(lines[-1])
    body = "\n".join(
        [
            "## Bulk import of experts",
            "",
            f"Machine: {machine()}.",
            f"Command: `make bench` (or `.venv/bin/python -m bench.imports --rows {args.rows}`). "
            f"Synthetic CSV ({len(content) / 1e6:.1f} MB, seed 2026), 1-3 topics, languages and "
            "regions per row, into an empty migrated database. Check: parse and check every row "
            "(codes, emails, duplicates against the roster). Write: insert profiles and child "
            "rows, rebuild their search documents, commit (one transaction). Re-check: the same "
            "file again, every row found as a duplicate (the re-import writes nothing).",
            "",
            "| engine | rows | check ms | write + commit ms | total ms | rows/s | re-check ms |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            *lines,
        ]
    )
    write_section("imports", body)


if __name__ == "__main__":
    main()
