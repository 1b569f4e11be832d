"""seats_short: a request whose offers lapsed with seats unfilled and no open offer left to fill
them tells the coordinators cleared for it once per shortfall, naming the next candidates not
yet offered; coordinators who may not see the request hear nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from roster.db import utcnow
from roster.notify.models import Notification, OutboxMessage
from roster.requests.shortfall import notify_seats_short
from tests.support.factories import make_offer, make_request


def shortfalls(db_session, user=None) -> list[Notification]:
    db_session.expire_all()
    query = select(Notification).where(Notification.kind == "seats_short")
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    return list(db_session.exec(query.order_by(Notification.id)))


@pytest.fixture
def setting(db_session, make_user, make_expert):
    ns_coordinator = make_user("coordinator", clearance="NS")
    nr_coordinator = make_user("coordinator", clearance="NR")
    found = make_request(db_session, ns_coordinator, classification="NS", required="NS", seats=2)
    asked = make_expert(clearance="NS", full_name="Asked Already")
    make_offer(db_session, found, asked, hours=-1)  # lapsed unanswered
    unasked = make_expert(clearance="NS", full_name="Next In Line")
    return ns_coordinator, nr_coordinator, found, asked, unasked


def test_a_shortfall_is_told_once_with_the_next_candidates(app, db_session, setting):
    ns_coordinator, nr_coordinator, found, _asked, _unasked = setting
    assert notify_seats_short(db_session, utcnow()) == 1
    (note,) = shortfalls(db_session, ns_coordinator)
    assert note.request_id == found.id
    assert "2 seat(s) short" in note.subject
    assert "Next In Line" in note.subject and "Asked Already" not in note.subject
    assert shortfalls(db_session, nr_coordinator) == []
    mail = db_session.exec(select(OutboxMessage).where(OutboxMessage.kind == "seats_short")).one()
    assert mail.to_address == ns_coordinator.email
    assert "Next In Line" not in mail.body  # names stay behind sign-in
    assert notify_seats_short(db_session, utcnow()) == 0
    assert len(shortfalls(db_session)) == 1


def test_a_new_round_that_lapses_again_is_a_new_shortfall(db_session, setting):
    ns_coordinator, _nr, found, _asked, unasked = setting
    assert notify_seats_short(db_session, utcnow()) == 1
    make_offer(db_session, found, unasked, hours=1)
    assert notify_seats_short(db_session, utcnow()) == 1  # one seat short, none live to fill it
    assert notify_seats_short(db_session, utcnow() + timedelta(hours=2)) == 1
    assert notify_seats_short(db_session, utcnow() + timedelta(hours=3)) == 0
    assert len(shortfalls(db_session, ns_coordinator)) == 3


def test_open_offers_that_can_fill_the_seats_are_no_shortfall(db_session, setting, make_expert):
    _ns, _nr, found, _asked, unasked = setting
    make_offer(db_session, found, unasked, hours=5)
    make_offer(db_session, found, make_expert(clearance="NS"), hours=5)
    assert notify_seats_short(db_session, utcnow()) == 0
    assert shortfalls(db_session) == []


def test_no_shortfall_before_any_reply_by_has_passed(db_session, make_user, make_expert):
    coordinator = make_user("coordinator", clearance="NS")
    found = make_request(db_session, coordinator, seats=3)
    make_offer(db_session, found, make_expert(clearance="NS"), hours=5)
    assert notify_seats_short(db_session, utcnow()) == 0


def test_the_cli_runs_the_job(app, db_session, setting):
    result = app.test_cli_runner().invoke(args=["roster", "seats-short"])
    assert "1 request(s) short of seats notified" in result.output, result.output
    again = app.test_cli_runner().invoke(args=["roster", "seats-short"])
    assert "0 request(s) short of seats notified" in again.output, again.output
