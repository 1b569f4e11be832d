"""Two real servers on one database, each with its own cached candidate pool: a roster change made
through one is seen by the very next candidates call on the other."""

from __future__ import annotations

import http.client
import json

import pytest
from alembic import command
from sqlmodel import Session

from roster.accounts.models import User
from roster.accounts.services import issue_token
from roster.cli import alembic_config
from roster.db import make_engine
from roster.experts.models import Expert
from roster.seeding import load_reference
from tests.conftest import ENGINES, new_database
from tests.ops.servers import Server
from tests.support.factories import make_request


def _arrange(url: str) -> tuple[int, list[int], str]:
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        load_reference(session)
        coordinator = User(
            email="pool.coordinator@roster.example", full_name="C", role="coordinator"
        )
        session.add(coordinator)
        session.commit()
        found = make_request(session, coordinator, required="NU")
        experts = [
            Expert(full_name=f"Pool Expert{n}", vetting_status="vetted", notice_days=0)
            for n in range(3)
        ]
        session.add_all(experts)
        token, _ = issue_token(session=session, user=coordinator, hours=2)
        session.commit()
        ids = [e.id for e in experts]
    engine.dispose()
    return found.id, ids, token


def _call(port: int, method: str, path: str, token: str, body: object = None) -> tuple[int, object]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            method,
            path,
            None if body is None else json.dumps(body),
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_change_through_one_server_is_seen_by_the_other(
    engine_name, pg_server, tmp_path_factory, tmp_path
):
    url, drop = new_database(engine_name, pg_server, tmp_path_factory)
    servers: list[Server] = []
    try:
        request_id, ids, token = _arrange(url)
        servers = [Server(url, tmp_path, workers=1) for _ in range(2)]
        a, b = (s.port for s in servers)
        path = f"/api/v1/requests/{request_id}/candidates"

        def ranked(port: int) -> list[int]:
            status, body = _call(port, "GET", path, token)
            assert status == 200, body
            assert isinstance(body, list)
            return [c["expert_id"] for c in body]

        for port in (a, b, a, b):  # both pools built, then served from the cache
            assert ranked(port) == ids
        status, body = _call(
            a,
            "POST",
            f"/api/v1/experts/{ids[1]}/vetting",
            token,
            {"status": "suspended", "valid_until": "2030-01-01", "note": "paused"},
        )
        assert status in {200, 201}, body
        assert ranked(b) == [ids[0], ids[2]]
        status, body = _call(
            b,
            "PUT",
            f"/api/v1/experts/{ids[0]}/availability",
            token,
            [{"from": "2020-01-01", "to": "2035-12-31", "kind": "unavailable"}],
        )
        assert status == 200, body
        assert ranked(a) == [ids[2]]
        assert ranked(b) == [ids[2]]
    finally:
        for server in servers:
            server.kill()
        drop()
