"""Two real servers on one database, hammered at once: the audit chain stays one chain and no
request fails on it. Wrong-password sign-ins, audited reads and denied calls all append."""

from __future__ import annotations

import http.client
import json
import threading
from collections import Counter
from datetime import date

import pytest
from alembic import command
from sqlmodel import Session, select

from roster import audit
from roster.accounts.models import User
from roster.accounts.services import issue_token
from roster.cli import alembic_config
from roster.db import make_engine
from roster.experts.models import Expert
from roster.seeding import load_reference
from tests.conftest import ENGINES, new_database, password_hash_of
from tests.ops.servers import Server

THREADS = 16
ROUNDS = 3  # each round: a wrong password, an LNO read, an audited read, a bad token
GENEROUS_LIMITS = {
    # Throttling is not what this test checks: let every wrong password reach the audit trail.
    "ROSTER_RATELIMIT_PER_ADDRESS": "100000 per 15 minutes",
    "ROSTER_RATELIMIT_PER_ACCOUNT": "100000 per 15 minutes",
}


def _arrange(url: str) -> tuple[int, str, str, str]:
    """An expert to read, the LNO's and the coordinator's tokens, and an email to sign in as."""
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference(session)
        lno = User(email="race.lno@roster.example", full_name="L", role="lno")
        coordinator = User(
            email="race.coordinator@roster.example", full_name="C", role="coordinator"
        )
        owner = User(
            email="race.expert@roster.example",
            full_name="E",
            role="expert",
            password_hash=password_hash_of("the right password 42"),
        )
        session.add_all([lno, coordinator, owner])
        session.flush()
        expert = Expert(
            user_id=owner.id,
            full_name="Race Expert",
            email=owner.email,
            vetting_status="vetted",
            vetting_valid_until=date(2030, 1, 1),
        )
        session.add(expert)
        lno_token, _ = issue_token(session=session, user=lno, hours=2)
        coordinator_token, _ = issue_token(session=session, user=coordinator, hours=2)
        session.commit()
        expert_id, email = expert.id, owner.email
    engine.dispose()
    return expert_id, lno_token, coordinator_token, email


def _call(port: int, method: str, path: str, body: dict | None, token: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, json.dumps(body) if body else None, headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.mark.parametrize("engine_name", ENGINES)
def test_two_servers_at_once_keep_one_chain(engine_name, pg_server, tmp_path_factory, tmp_path):
    url, drop = new_database(engine_name, pg_server, tmp_path_factory)
    servers: list[Server] = []
    try:
        expert_id, lno_token, coordinator_token, email = _arrange(url)
        servers = [Server(url, tmp_path, env=GENEROUS_LIMITS) for _ in range(2)]
        barrier = threading.Barrier(THREADS)
        statuses: Counter = Counter()
        lock = threading.Lock()

        def hammer(n: int) -> None:
            port = servers[n % 2].port
            calls = [
                ("POST", "/api/v1/tokens", {"email": email, "password": f"wrong {n}"}, None),
                ("GET", f"/api/v1/experts/{expert_id}", None, lno_token),
                ("GET", f"/api/v1/experts/{expert_id}", None, coordinator_token),
                ("GET", f"/api/v1/experts/{expert_id}", None, f"not-a-token-{n}"),
            ]
            barrier.wait()
            for _round in range(ROUNDS):
                for call in calls:
                    status = _call(port, *call)
                    with lock:
                        statuses[(call[0], call[3] is None, status)] += 1

        threads = [threading.Thread(target=hammer, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert not [s for (_m, _t, s) in statuses if s >= 500], statuses
        assert sum(statuses.values()) == THREADS * ROUNDS * 4, statuses

        engine = make_engine(url)
        try:
            with Session(engine) as session:
                events = list(session.exec(select(audit.AuditEvent)))
                assert audit.first_broken(session) is None
        finally:
            engine.dispose()
        assert len({e.prev_hash for e in events}) == len(events)  # no link extended twice
        # A wrong password, an audited read and a denied token each leave one event.
        assert len(events) >= THREADS * ROUNDS * 3
    finally:
        for server in servers:
            server.kill()
        drop()
