"""`make load`: a bounded locust load on two gunicorn servers sharing one PostgreSQL database and
Redis for the limits (127.0.0.1 only), with a test SMTP server and the mail sender running; then
throughput and p50/p95/p99 per action, the error count, and the invariants.

    python -m bench.load.run [--duration 300] [--users 24] [--write-report]

Exits non-zero on any error or broken invariant. The database is created for the run and dropped.
"""

from __future__ import annotations

import argparse
import csv
import email
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
from aiosmtpd.controller import Controller

from bench import ROOT, machine, write_section
from bench.load import invariants, world
from roster.db import make_engine
from tests.ops.servers import Server, free_port

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379"
BIN = Path(sys.executable).parent


class Recorder:
    """An SMTP handler counting each Message-ID it receives."""

    def __init__(self) -> None:
        self.delivered: Counter[str] = Counter()

    async def handle_DATA(self, _server, _session, envelope) -> str:
        message = email.message_from_bytes(envelope.content)
        self.delivered[str(message["Message-ID"])] += 1
        return "250 OK"


@dataclass
class Outcome:
    """What a run measured: per action (name -> row of the locust stats) and what broke."""

    rows: list[dict[str, str]] = field(default_factory=list)
    errors: int = 0
    requests: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _database(server: str) -> tuple[str, str]:
    name = f"roster_load_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server.rpartition('/')[0]}/{name}", name


def _drop(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(
    *,
    duration: int,
    users: int,
    spawn_rate: float = 8.0,
    filler: int = 1000,
    experts: int = 40,
    lnos: int = 8,
    coordinators: int = 3,
    pg_server: str = DEFAULT_PG,
    redis_url: str = DEFAULT_REDIS,
) -> Outcome:
    redis.Redis.from_url(redis_url, socket_timeout=3).ping()  # fail early without Redis
    url, name = _database(pg_server)
    servers: list[Server] = []
    sender: subprocess.Popen | None = None
    smtp = Controller(Recorder(), hostname="127.0.0.1", port=free_port())
    outcome = Outcome()
    with tempfile.TemporaryDirectory(prefix="roster-load-") as scratch:
        folder = Path(scratch)
        try:
            people = world.arrange(
                url, lnos=lnos, coordinators=coordinators, experts=experts, filler=filler
            )
            smtp.start()
            env = {
                "ROSTER_RATELIMIT_STORAGE": redis_url,
                # Sign-ins all come from 127.0.0.1: the per-address limit is not under test.
                "ROSTER_RATELIMIT_PER_ADDRESS": "100000 per 15 minutes",
                "ROSTER_SMTP_HOST": "127.0.0.1",
                "ROSTER_SMTP_PORT": str(smtp.port),
                "ROSTER_MAIL_SENDER": "roster@roster.example",
                "ROSTER_SQLITE_SYNCHRONOUS": "NORMAL",
            }
            servers = [Server(url, folder, workers=2, env=env) for _ in range(2)]
            hosts = [f"http://127.0.0.1:{s.port}" for s in servers]
            tokens = world.sign_in(hosts[0], people)
            world.save(folder / "world.json", tokens, hosts)
            app_env = {
                **os.environ,
                **env,
                "ROSTER_DATABASE_URL": url,
                "ROSTER_SECRET_KEY": "load-test-secret",
                "ROSTER_INSTANCE_PATH": str(folder),
            }
            # The worker, as production runs it: it stops after the turn it is in on SIGTERM, so
            # no message is left claimed half-sent when the load ends.
            sender = subprocess.Popen(
                [str(BIN / "flask"), "--app", "wsgi", "roster", "worker", "--tick", "1"],
                cwd=ROOT,
                env=app_env,
                stdout=subprocess.DEVNULL,
            )
            started = time.monotonic()
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "bench" / "load" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(users),
                    "--spawn-rate",
                    str(spawn_rate),
                    "--run-time",
                    f"{duration}s",
                    "--stop-timeout",
                    "15",
                    "--host",
                    hosts[0],
                    "--csv",
                    str(folder / "load"),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={**os.environ, "ROSTER_LOAD_WORLD": str(folder / "world.json")},
                check=False,
                timeout=duration + 120,
            )
            outcome.seconds = time.monotonic() - started
            sender.terminate()
            sender.wait(timeout=30)
            sender = None
            # Whatever the loop had not reached yet: deliver until nothing is due.
            for _ in range(10):
                subprocess.run(
                    [str(BIN / "flask"), "--app", "wsgi", "roster", "send-mail"],
                    cwd=ROOT,
                    env=app_env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                if _pending(url) == 0:
                    break
                time.sleep(1)
            with (folder / "load_stats.csv").open() as stats:
                outcome.rows = list(csv.DictReader(stats))
            total = next((r for r in outcome.rows if r["Name"] == "Aggregated"), None)
            outcome.errors = int(total["Failure Count"]) if total else -1
            outcome.requests = int(total["Request Count"]) if total else 0
            engine = make_engine(url)
            try:
                outcome.problems = invariants.problems(engine, smtp.handler.delivered)
            finally:
                engine.dispose()
            failures = folder / "load_failures.csv"
            if outcome.errors and failures.exists():
                outcome.problems.append("failures:\n" + failures.read_text()[:4000])
        finally:
            if sender is not None:
                sender.terminate()
                sender.wait(timeout=30)
            for server in servers:
                server.kill()
            smtp.stop()
            _drop(pg_server, name)
    return outcome


def _pending(url: str) -> int:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        row = conn.execute("SELECT count(*) FROM outbox_message WHERE state = 'pending'").fetchone()
    return int(row[0]) if row else 0


def table(outcome: Outcome, args: argparse.Namespace) -> str:
    load1, load5, _ = os.getloadavg()
    lines = [
        "### Load: two servers, one PostgreSQL",
        "",
        f"Machine: {machine()}; load average {load1:.2f} (1 min), {load5:.2f} (5 min) at the end."
        f" Command: `python -m bench.load.run --duration {args.duration} --users {args.users}`"
        f" (`make load`). Two gunicorn servers (2 sync workers each) on one PostgreSQL, Redis for"
        f" the limits, a test SMTP server and `flask roster worker`; locust "
        f"{args.users} users (LNOs 3 : coordinators 1 : experts 3) for {args.duration} s; "
        f"roster of {args.filler:,} synthetic experts plus {args.experts} with accounts. "
        "A 409 (a race the load provokes: triage twice, accept after the last seat) counts as "
        "an answer, anything else outside 2xx as an error.",
        "",
        "| action | requests | errors | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in outcome.rows:
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} "
            f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )
    lines += [
        "",
        f"Errors: {outcome.errors}. Invariants (no seat over-filled, no expert double-booked or "
        "over capacity, audit chain intact, every outbox message delivered exactly once): "
        + ("all hold." if not outcome.problems else "BROKEN: " + "; ".join(outcome.problems)),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=300, help="seconds of load")
    parser.add_argument("--users", type=int, default=24, help="concurrent locust users")
    parser.add_argument("--filler", type=int, default=1000, help="synthetic experts")
    parser.add_argument("--experts", type=int, default=40, help="experts with accounts")
    parser.add_argument("--write-report", action="store_true", help="write BENCHMARKS.md")
    args = parser.parse_args(argv)
    outcome = run(
        duration=args.duration,
        users=args.users,
        filler=args.filler,
        experts=args.experts,
        pg_server=os.environ.get("ROSTER_LOAD_POSTGRES_URL", DEFAULT_PG),
        redis_url=os.environ.get("ROSTER_LOAD_REDIS_URL", DEFAULT_REDIS),
    )
    report = table(outcome, args)
    print(report)
    if args.write_report:
        write_section("load", report)
    return 0 if outcome.errors == 0 and not outcome.problems else 1


if __name__ == "__main__":
    sys.exit(main())
