"""The load test: its invariant checks catch what they look for, and a 30-second dose of
`make load` (two gunicorn servers, one PostgreSQL, Redis, SMTP and the mail sender) ends with no
error and every invariant holding."""

from __future__ import annotations

import os
from collections import Counter

import pytest
import redis

from bench.load import invariants
from bench.load.run import run
from roster.notify.models import OutboxMessage
from roster.requests.models import Assignment
from tests.conftest import skip_or_fail
from tests.support.factories import make_request, seat

REDIS_URL = os.environ.get("ROSTER_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def test_the_invariants_catch_overfilled_double_booked_and_mail_sent_twice(
    app, db_session, make_user, make_expert
):
    engine = app.extensions["roster.engine"]
    owner = make_user("coordinator")
    expert = make_expert()
    first = make_request(db_session, owner, mode="deployed")
    second = make_request(db_session, owner)
    held = seat(db_session, first, expert)
    first.filled = 1
    db_session.add(first)
    db_session.commit()
    assert invariants.problems(engine, Counter()) == []

    seat(db_session, second, expert)  # overlaps the deployed seat; `filled` not counted either
    mail = OutboxMessage(kind="offer", to_address="x@roster.example", subject="S", body="B")
    db_session.add(mail)
    db_session.commit()
    found = " | ".join(invariants.problems(engine, Counter({"<outbox-999999@roster.example>": 2})))
    assert f"request {second.id}: 1 seats taken, 0 of 1 filled" in found
    assert f"expert {expert.id} double-booked" in found
    assert "1 outbox messages not sent" in found
    assert "1 messages never delivered" in found
    assert "delivered more than once" in found and "deliveries of no outbox message" in found
    assert db_session.get(Assignment, held.id) is not None


@pytest.mark.load
def test_a_thirty_second_dose_of_load_ends_clean(pg_server):
    if pg_server is None:
        skip_or_fail("PostgreSQL is not available: the load test runs on PostgreSQL only")
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
    except redis.RedisError:
        skip_or_fail(f"Redis is not reachable at {REDIS_URL} (set ROSTER_TEST_REDIS_URL)")
    outcome = run(
        duration=30, users=8, filler=300, experts=24, pg_server=pg_server, redis_url=REDIS_URL
    )
    assert outcome.requests > 0
    assert outcome.errors == 0, outcome.problems
    assert outcome.problems == []
    names = {row["Name"] for row in outcome.rows}
    assert {"LNO search", "create request", "submit request", "candidates"} <= names
