"""Concurrent accepts never over-assign a request nor double-book an expert, on both engines."""

from __future__ import annotations

import os
import threading
from collections import Counter
from datetime import date

from sqlmodel import select

from roster.requests.models import Assignment, CrisisRequest, Offer
from tests.support.factories import make_offer, make_request

ROUNDS = int(os.environ.get("ROSTER_RACE_ROUNDS", "2"))


def race(app, calls: list[tuple[str, dict[str, str]]]) -> Counter:
    """Fire every (path, headers) POST at once from its own thread and client."""
    barrier = threading.Barrier(len(calls))
    results: list[int] = []
    lock = threading.Lock()

    def run(path: str, headers: dict[str, str]) -> None:
        client = app.test_client()
        barrier.wait()
        status = client.post(path, headers=headers).status_code
        with lock:
            results.append(status)

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(results)


def test_fifty_accepts_on_three_seats(auth, app, make_user, make_expert, db_session):
    coordinator = make_user("coordinator", clearance="NS")
    experts = [make_expert(clearance="NS") for _ in range(50)]
    headers = [auth.bearer(e) for e in experts]
    for _round in range(ROUNDS):
        request = make_request(db_session, coordinator, seats=3)
        offers = [make_offer(db_session, request, e) for e in experts]
        outcome = race(
            app,
            [(f"/api/v1/offers/{o.id}/accept", h) for o, h in zip(offers, headers, strict=True)],
        )
        assert outcome == Counter({200: 3, 409: 47}), outcome
        db_session.expire_all()
        seated = db_session.exec(
            select(Assignment).where(Assignment.request_id == request.id)
        ).all()
        assert len(seated) == 3 and len({a.expert_id for a in seated}) == 3
        stored = db_session.get(CrisisRequest, request.id)
        assert (stored.filled, stored.state) == (3, "staffed")
        accepted = db_session.exec(
            select(Offer).where(Offer.request_id == request.id, Offer.state == "accepted")
        ).all()
        assert len(accepted) == 3
        # Free the experts for the next round: the engagement is over.
        for seat in seated:
            db_session.delete(seat)
        db_session.commit()


def test_one_expert_two_overlapping_requests_at_once(auth, app, make_user, make_expert, db_session):
    coordinator = make_user("coordinator", clearance="NS")
    expert = make_expert(clearance="NS")
    headers = auth.bearer(expert)
    for round_no in range(ROUNDS):
        start = date(2027, 1 + round_no % 12, 1)
        first = make_request(
            db_session,
            coordinator,
            seats=2,
            starts_on=start,
            ends_on=date(start.year, start.month, 20),
        )
        second = make_request(
            db_session,
            coordinator,
            seats=2,
            starts_on=date(start.year, start.month, 10),
            ends_on=date(start.year, start.month, 28),
        )
        offers = [make_offer(db_session, first, expert), make_offer(db_session, second, expert)]
        outcome = race(app, [(f"/api/v1/offers/{o.id}/accept", headers) for o in offers])
        assert outcome == Counter({200: 1, 409: 1}), outcome
        db_session.expire_all()
        seats = db_session.exec(select(Assignment).where(Assignment.expert_id == expert.id)).all()
        assert len(seats) == 1
        db_session.delete(seats[0])
        db_session.commit()
