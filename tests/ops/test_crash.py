"""Crash safety: SIGKILL the real server during a stream of acknowledged writes, again and again,
and find every acknowledged write and its outbox mail still there, and the database sound.

CI runs ROSTER_CRASH_CYCLES=3 cycles per engine (the default); `make soak` runs more."""

from __future__ import annotations

import http.client
import json
import os
import threading
import time

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session, select

from roster import audit
from roster.accounts.models import User
from roster.accounts.services import issue_token
from roster.cli import alembic_config
from roster.db import make_engine
from roster.experts.models import Expert
from roster.notify.models import OutboxMessage
from roster.seeding import load_reference
from tests.conftest import ENGINES, new_database
from tests.ops.servers import Server

CYCLES = int(os.environ.get("ROSTER_CRASH_CYCLES", "3"))
WRITERS = 3
ACKS_BEFORE_KILL = 6


def _expert(email: str) -> dict:
    return {
        "full_name": "Crash Test Expert",
        "email": email,
        "gender": "woman",
        "nationalities": ["SN"],
        "topics": [{"code": "crsv", "level": 3, "years": 5}],
        "languages": [{"code": "en", "level": "C1"}],
    }


def _stream(port: int, token: str, label: str, stop: threading.Event, acked: list[str]) -> None:
    """POST experts one after another until the server dies; note each 201 answer."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    n = 0
    while not stop.is_set():
        email = f"crash.{label}.{n}@roster.example"
        n += 1
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("POST", "/api/v1/experts", json.dumps(_expert(email)), headers)
            status = conn.getresponse().status
        except (OSError, http.client.HTTPException):
            return  # the server is gone: this write was never acknowledged
        finally:
            conn.close()
        assert status == 201, status
        acked.append(email)


def _arrange(url: str) -> str:
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference(session)
        coordinator = User(
            email="crash.coordinator@roster.example", full_name="C", role="coordinator"
        )
        session.add(coordinator)
        session.flush()
        raw, _token = issue_token(session=session, user=coordinator, hours=2)
        session.commit()
    engine.dispose()
    return raw


def _check(url: str, acked: list[str]) -> None:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            experts = set(session.exec(select(Expert.email)))
            mailed = set(session.exec(select(OutboxMessage.to_address)))
            assert set(acked) - experts == set(), "acknowledged experts lost"
            assert set(acked) - mailed == set(), "acknowledged outbox mail lost"
            assert audit.first_broken(session) is None
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        engine.dispose()


@pytest.mark.parametrize("engine_name", ENGINES)
def test_acknowledged_writes_survive_sigkill(engine_name, pg_server, tmp_path_factory, tmp_path):
    url, drop = new_database(engine_name, pg_server, tmp_path_factory)
    try:
        token = _arrange(url)
        acked: list[str] = []
        for cycle in range(CYCLES):
            server = Server(url, tmp_path)
            stop = threading.Event()
            writers = [
                threading.Thread(
                    target=_stream, args=(server.port, token, f"{cycle}-{w}", stop, acked)
                )
                for w in range(WRITERS)
            ]
            goal = len(acked) + ACKS_BEFORE_KILL
            try:
                for writer in writers:
                    writer.start()
                deadline = time.monotonic() + 15
                while len(acked) < goal and time.monotonic() < deadline:
                    time.sleep(0.01)
            finally:
                server.kill()  # mid-stream: other writes are in flight right now
                stop.set()
                for writer in writers:
                    writer.join(timeout=15)
            assert len(acked) >= goal, "the server acknowledged too few writes"
            _check(url, acked)
    finally:
        drop()
