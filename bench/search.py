"""Search benchmark (`python -m bench.search`): a synthetic roster, then fixed searches timed
in-process on the fast path (read model), the SQL path and Tantivy side by side, then over HTTP
(gunicorn); checks the paths give the same answer; writes the "search-<engine>-<n>" section."""

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
from typing import Any

import psycopg
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session
from werkzeug.datastructures import MultiDict

from bench import ROOT, machine, percentiles, tantivy_index, write_section
from bench.search_data import TODAY, build_roster
from roster.accounts.models import User
from roster.accounts.services import issue_token
from roster.api.search import dump_result, parse_query
from roster.cli import alembic_config
from roster.db import make_engine
from roster.search import fast as fast_module
from roster.search import readmodel
from roster.search.cards import topic_names
from roster.search.criteria import SearchCriteria
from roster.search.fast import run_fast
from roster.search.models import ExpertSearch
from roster.search.query import run_search
from roster.search.service import search_roster
from roster.search.version import version
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
        body = json.dumps(dump_result(payload), sort_keys=True, separators=(",", ":"))
        session.rollback()
        return body

    return run


def _pairs(query: str) -> list[tuple[str, str]]:
    return [tuple(part.split("=", 1)) for part in query.split("&")]  # type: ignore[misc]


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


def core_runners(
    session: Session, criteria: SearchCriteria, index: Any, schema: Any
) -> dict[str, Callable[[], Any]]:
    """The search alone (ids, total, facets) on each path: fast, SQL, Tantivy."""

    def fast() -> Any:
        found = run_fast(session, criteria, scope="vetted", today=TODAY)
        session.rollback()
        return found

    def sql() -> Any:
        found = run_search(session, criteria, scope="vetted", today=TODAY)
        session.rollback()
        return found

    return {
        "fast": fast,
        "sql": sql,
        "tantivy": lambda: tantivy_index.search(index, schema, criteria, "vetted"),
    }


def first_call(run: Callable[[], object]) -> float:
    """One call after the per-query text cache is emptied (the model itself stays built)."""
    fast_module._matches.clear()
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def after_change(session: Session, fast_runs: list[Callable[[], Any]]) -> list[float]:
    """Each search's first fast call after a roster change: the version moves (the counter
    alone), the next search starts the background rebuild (the SQL path answers it), and once
    the new model is published the searches run once each, timed. The words of the last
    searches were warmed for the new version by the rebuild (`fast.warm_words`)."""
    for run in fast_runs:  # the searches of the moment (first_call emptied the word cache)
        run()
    session.execute(sa.text("UPDATE search_version SET n = n + 1 WHERE id = 1"))
    session.commit()
    started = run_fast(session, SearchCriteria(), scope="vetted", today=TODAY)
    session.rollback()
    if started is None:
        readmodel.wait_for_rebuilds(timeout=600)
    timings = []
    for run in fast_runs:
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="experts in the synthetic roster")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per search")
    parser.add_argument(
        "--quick-repeat",
        type=int,
        default=300,
        help="timed runs per search for the fast path and Tantivy (sub-millisecond: a p95 of 30 "
        "runs would be their second slowest run)",
    )
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
        readmodel.forget()
        started = time.perf_counter()
        model = readmodel.model_for(session, version(session), version)
        assert model is not None
        model_s = time.perf_counter() - started
        documents = {
            int(r[0]): tuple(r[1:])
            for r in session.execute(
                sa.select(
                    ExpertSearch.expert_id,  # type: ignore[arg-type]
                    ExpertSearch.name,
                    ExpertSearch.affiliation,
                    ExpertSearch.topics,
                    ExpertSearch.bio,
                )
            )
        }
        started = time.perf_counter()
        index, schema = tantivy_index.build_index(session, model, documents, TODAY)
        tantivy_s = time.perf_counter() - started
        session.rollback()
        topics = set(topic_names(session))
        fast_runs: list[Callable[[], Any]] = []
        for name, query in SEARCHES.items():
            criteria = parse_query(
                MultiDict(_pairs(query)), may_filter_vetting=False, topics=topics
            )
            runners = core_runners(session, criteria, index, schema)
            fast, sql = runners["fast"](), runners["sql"]()
            t_ids, t_total, t_facets = runners["tantivy"]()
            same = (fast.ids, fast.total, fast.facets) == (sql.ids, sql.total, sql.facets)
            agree = f"{'=' if same else '≠'} SQL, {'=' if t_total == fast.total else '≠'} Tantivy"
            if t_facets != fast.facets:
                agree += " (Tantivy facets differ)"
            cold = first_call(runners["fast"])
            samples = {
                path: timed(run, args.repeat if path == "sql" else args.quick_repeat)
                for path, run in runners.items()
            }
            api = timed(in_process(session, lno, query), args.repeat)
            rows.append([name, query, fast.total, agree, cold, samples, api, None, None])
            fast_runs.append(runners["fast"])
            print(
                f"{name}: total {fast.total} ({agree}); first {cold:.1f} ms; "
                + ", ".join(f"{p} {percentiles(v)}" for p, v in samples.items())
                + f"; API in-process {percentiles(api)}",
                flush=True,
            )
        for row, ms in zip(rows, after_change(session, fast_runs), strict=True):
            row[8] = ms
            print(f"{row[0]}: first after a change {ms:.1f} ms", flush=True)
    engine.dispose()
    if not args.no_http:
        for row, http in zip(rows, http_timings(url, token, args.repeat).values(), strict=True):
            row[7] = http
    report(args, rows, built_s if build else None, model_s, tantivy_s)
    if args.drop:
        drop_database(args.engine, url)


def _pq(samples: list[float]) -> str:
    p50, p95 = percentiles(samples)
    digits = 2 if p95 < 10 else 1
    return f"{p50:.{digits}f} / {p95:.{digits}f}"


def report(
    args: argparse.Namespace, rows: list, built_s: float | None, model_s: float, tantivy_s: float
) -> None:
    command_line = (
        f"python -m bench.search --n {args.n} --engine {args.engine} --repeat {args.repeat}"
        f" --quick-repeat {args.quick_repeat}"
    )
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"### Search: {args.engine}, N = {args.n:,} experts",
        "",
        f"Machine: {machine()}; load average (1/5/15 min) at the end {load}. "
        f"Command: `{command_line}`"
        + (f"; roster built in {built_s:.0f} s." if built_s else ".")
        + f" {args.repeat} timed runs per search on the SQL path, the API and HTTP,"
        f" {args.quick_repeat} on the fast path and Tantivy, each after 3 warm-ups;"
        " viewer an LNO (vetted scope)."
        f" Read model built in {model_s:.1f} s (once per roster version and process);"
        f" Tantivy {tantivy_index.tantivy.__name__} 0.27 index built in {tantivy_s:.1f} s."
        " Fast, SQL and Tantivy columns: the search alone (page ids, total, facets);"
        " *first* is the fast path's first call for that query after the model is built"
        " (the words' matches and relevance are then kept per roster version);"
        " *after a change*: its first call once the roster version has moved and the"
        " background rebuild, which also matches and scores the last searched words, has"
        " published the new model;"
        " API: parse, search, cards and JSON in-process.",
        "",
        "| search | query | total | same answer | fast first ms | after a change ms "
        "| fast p50 / p95 ms "
        "| SQL path p50 / p95 ms | Tantivy p50 / p95 ms | fast / Tantivy (p95) "
        "| API in-process p50 / p95 | HTTP p50 / p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, query, total, agree, cold, samples, api, http, changed in rows:
        ratio = percentiles(samples["fast"])[1] / max(percentiles(samples["tantivy"])[1], 1e-9)
        h = "n/a" if http is None else _pq(http)
        lines.append(
            f"| {name} | `{query}` | {total:,} | {agree} | {cold:.1f} | {changed:.1f} "
            f"| {_pq(samples['fast'])} "
            f"| {_pq(samples['sql'])} | {_pq(samples['tantivy'])} | {ratio:.1f}x "
            f"| {_pq(api)} | {h} |"
        )
    write_section(args.section or f"search-{args.engine}-{args.n}", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
