"""Reminders: an offer about to lapse and an overdue request each mail once, and an overdue
notice reaches only coordinators cleared for the request."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from roster.db import utcnow
from roster.notify.models import OutboxMessage
from tests.support.factories import make_offer, make_request


def mails(db_session, kind):
    db_session.expire_all()
    return db_session.exec(
        select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    ).all()


def test_offer_lapsing_within_a_day_is_reminded_once(app, make_user, make_expert, db_session):
    found = make_request(db_session, make_user("coordinator", clearance="NS"))
    lapsing = make_expert(clearance="NS")
    make_offer(db_session, found, lapsing, hours=5)
    make_offer(db_session, found, make_expert(clearance="NS"), hours=72)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["roster", "send-reminders"])
    assert "1 offer reminder(s)" in first.output, first.output
    second = runner.invoke(args=["roster", "send-reminders"])
    assert "0 offer reminder(s)" in second.output
    reminders = mails(db_session, "reminder")
    assert len(reminders) == 1
    assert reminders[0].to_address == lapsing.email


def test_overdue_request_notifies_cleared_coordinators_once(app, make_user, db_session):
    secret_reader = make_user("coordinator", clearance="NS")
    low_reader = make_user("coordinator", clearance="NR")
    found = make_request(
        db_session,
        secret_reader,
        state="submitted",
        classification="NS",
        required="NS",
        urgency="immediate",
    )
    found.submitted_at = utcnow() - timedelta(hours=5)
    db_session.add(found)
    db_session.commit()
    fresh = make_request(db_session, secret_reader, state="submitted", urgency="routine")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["roster", "send-reminders"])
    assert "1 overdue request(s) notified" in result.output, result.output
    assert runner.invoke(args=["roster", "send-reminders"]).output.endswith(
        "0 overdue request(s) notified.\n"
    )
    notices = mails(db_session, "overdue")
    assert [m.to_address for m in notices] == [secret_reader.email]
    assert low_reader.email not in {m.to_address for m in notices}
    assert all(str(fresh.id) not in m.subject for m in notices)
