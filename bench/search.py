"""Search benchmark (`python -m bench.search`): a synthetic roster, then fixed searches timed
in-process, over HTTP (gunicorn) and as the same raw SQL; writes the "search" section."""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import psycopg
import sqlalchemy as sa
from alembic import command
from sqlalchemy import event
from sqlmodel import Session
from werkzeug.datastructures import MultiDict

from bench import ROOT, machine, percentiles, write_section
from bench.search_data import TODAY, build_roster
from roster.accounts.models import User
from roster.accounts.services import issue_token
from roster.api.search import RESULT_SCHEMA, parse_query
from roster.cli import alembic_config
from roster.db import make_engine
from roster.search.cards import topic_names
from roster.search.service import search_roster
from roster.seeding import load_reference

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
SEARCHES = {
    "LNO: text + 3 filters + facets": "q=mediation&topic=cthb:2&language=fr:B2&clearance=NC",
    "filters only": "topic=crsv:3&language=en:C1&region=UA&deployable=true",
    "rare term": "q=ethnography",
    "common term": "q=gender",
    "deep page (page 200)": "topic=poc&sort=name&page=200",
}


def database(engine_name: str, n: int, fresh: bool) -> tuple[str, bool]:
    """The bench database URL, and whether it must be built."""
    if engine_name == "sqlite":
        path = ROOT / "instance" / "bench" / f"search-{n}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}", not path.exists()
    server = os.environ.get("ROSTER_BENCH_POSTGRES_URL", DEFAULT_PG)
    name = f"roster_bench_search_{n}"
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if fresh or not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server.rpartition('/')[0]}/{name}", bool(fresh or not exists)


def drop_database(engine_name: str, url: str) -> None:
    if engine_name == "sqlite":
        return
    server = os.environ.get("ROSTER_BENCH_POSTGRES_URL", DEFAULT_PG)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rpartition("/")[2]}" WITH (FORCE)')


def prepare(url: str, n: int, build: bool) -> tuple[User, str]:
    """Migrate and fill the database when needed; returns the LNO and an API token for it."""
    engine = make_engine(url)
    command.upgrade(alembic_config(url), "head")  # a kept database may predate newer migrations
    if build:
        with Session(engine) as session:
            load_reference(session)
            session.commit()
            build_roster(session, n)
            with engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("ANALYZE"))
    with Session(engine, expire_on_commit=False) as session:
        lno = session.scalars(
            sa.select(User).where(User.email == "bench.lno@roster.example")
        ).first()
        if lno is None:
            lno = User(email="bench.lno@roster.example", full_name="Bench LNO", role="lno")
            lno.clearance_level = "NS"
            session.add(lno)
            session.flush()
        token, _ = issue_token(session=session, user=lno, hours=4)
        session.commit()
    engine.dispose()
    return lno, token


def in_process(session: Session, lno: User, query: str) -> Callable[[], object]:
    """The API's own work for one search, without the HTTP server: parse, search, dump."""
    topics = set(topic_names(session))

    def run() -> object:
        criteria = parse_query(MultiDict(_pairs(query)), may_filter_vetting=False, topics=topics)
        found = search_roster(session=session, viewer=lno, criteria=criteria, today=TODAY)
        payload = {
            "items": found.cards,
            "total": found.result.total,
            "page": criteria.page,
            "per_page": criteria.per_page,
            "facets": found.result.facets,
        }
        body = json.dumps(RESULT_SCHEMA.dump(payload), default=str)
        session.rollback()
        return body

    return run


def _pairs(query: str) -> list[tuple[str, str]]:
    return [tuple(part.split("=", 1)) for part in query.split("&")]  # type: ignore[misc]


def captured_sql(engine: sa.Engine, run: Callable[[], object]) -> list[tuple[str, object]]:
    """The statements (with parameters) one run sends to the database."""
    seen: list[tuple[str, object]] = []

    def grab(_conn, _cursor, statement, parameters, _context, _many) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    return seen


def raw_runner(engine: sa.Engine, statements: list[tuple[str, object]]) -> Callable[[], object]:
    """The same statements on the bare DB-API connection: execute and fetch every row."""
    raw = engine.raw_connection()

    def run() -> object:
        cursor = raw.cursor()
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            cursor.fetchall()
        cursor.close()
        raw.rollback()
        return None

    return run


def timed(run: Callable[[], object], repeat: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        run()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_timings(url: str, token: str, repeat: int) -> dict[str, list[float]]:
    """Each search over HTTP against gunicorn (2 workers) serving the app on the bench database."""
    port = _free_port()
    env = {**os.environ, "ROSTER_DATABASE_URL": url, "ROSTER_SECRET_KEY": "bench-only"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/api/v1/experts?"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)

        def getter(query: str) -> Callable[[], object]:
            request = urllib.request.Request(  # noqa: S310 - http only
                base + query, headers={"Authorization": f"Bearer {token}"}
            )
            return lambda: urllib.request.urlopen(request, timeout=60).read()  # noqa: S310 - http only

        return {name: timed(getter(query), repeat) for name, query in SEARCHES.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="experts in the synthetic roster")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per search")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn leg")
    parser.add_argument("--rebuild", action="store_true", help="build the roster even if present")
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL database after")
    parser.add_argument("--section", default=None, help="BENCHMARKS.md section (default per run)")
    args = parser.parse_args(argv)

    url, build = database(args.engine, args.n, args.rebuild)
    started = time.perf_counter()
    lno, token = prepare(url, args.n, build)
    built_s = time.perf_counter() - started
    engine = make_engine(url)
    rows = []
    with Session(engine, expire_on_commit=False) as session:
        session.add(lno)
        for name, query in SEARCHES.items():
            app_run = in_process(session, lno, query)
            statements = captured_sql(engine, app_run)
            app = timed(app_run, args.repeat)
            raw = timed(raw_runner(engine, statements), args.repeat)
            rows.append([name, query, app, raw, None, len(statements)])
            print(f"{name}: app p50/p95 {percentiles(app)}, raw {percentiles(raw)}", flush=True)
    engine.dispose()
    if not args.no_http:
        for row, samples in zip(rows, http_timings(url, token, args.repeat).values(), strict=True):
            row[4] = samples
    report(args, rows, built_s if build else None)
    if args.drop:
        drop_database(args.engine, url)


def report(args: argparse.Namespace, rows: list, built_s: float | None) -> None:
    command_line = (
        f"python -m bench.search --n {args.n} --engine {args.engine} --repeat {args.repeat}"
    )
    lines = [
        f"### Search: {args.engine}, N = {args.n:,} experts",
        "",
        f"Machine: {machine()}. Command: `{command_line}`"
        + (f"; roster built in {built_s:.0f} s." if built_s else ".")
        + f" {args.repeat} timed runs per search after 3 warm-ups, viewer an LNO (vetted scope).",
        "",
        "| search | query | in-process p50 / p95 ms | raw SQL p50 / p95 ms | app / raw (p50) "
        "| HTTP p50 / p95 ms | statements |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, query, app, raw, http, statements in rows:
        a50, a95 = percentiles(app)
        r50, r95 = percentiles(raw)
        h = "n/a" if http is None else "{:.1f} / {:.1f}".format(*percentiles(http))
        lines.append(
            f"| {name} | `{query}` | {a50:.1f} / {a95:.1f} | {r50:.1f} / {r95:.1f} "
            f"| {a50 / r50:.2f}x | {h} | {statements} |"
        )
    write_section(args.section or f"search-{args.engine}-{args.n}", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
