"""Mail about a request above NATO UNCLASSIFIED names nothing of it: for every kind of request
mail, neither the title nor the description appears in the subject or the body (as stored and
as it would leave on the wire). Mail about an unclassified request may still name it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from roster.db import utcnow
from roster.experts.models import Expert
from roster.notify.models import OutboxMessage
from roster.notify.outbox import as_email
from tests.support.factories import make_offer, make_request, seat

TITLE = "Operation Nightjar"
DESCRIPTION = "Pre-positioned stocks near Gao"


def _request(db_session, coordinator, classification, **kwargs):
    found = make_request(
        db_session,
        coordinator,
        classification=classification,
        required="NS" if classification == "NS" else "NR",
        **kwargs,
    )
    found.title, found.description = TITLE, DESCRIPTION
    db_session.add(found)
    db_session.commit()
    return found


def _offer(ctx, classification):
    app, client, db_session, make_user, make_expert, auth = ctx
    coordinator = make_user("coordinator", clearance="NS")
    found = _request(db_session, coordinator, classification)
    response = client.post(
        f"/api/v1/requests/{found.id}/offers",
        json={
            "expert_ids": [make_expert(clearance="NS").id],
            "respond_by": (utcnow() + timedelta(hours=48)).isoformat(),
        },
        headers=auth.bearer(coordinator),
    )
    assert response.status_code == 201, response.get_json()


def _reminder(ctx, classification):
    app, _client, db_session, make_user, make_expert, _auth = ctx
    found = _request(db_session, make_user("coordinator", clearance="NS"), classification)
    make_offer(db_session, found, make_expert(clearance="NS"), hours=5)
    result = app.test_cli_runner().invoke(args=["roster", "send-reminders"])
    assert "1 offer reminder(s)" in result.output, result.output


def _withdrawal(ctx, classification):
    _app, client, db_session, make_user, make_expert, auth = ctx
    coordinator = make_user("coordinator", clearance="NS")
    found = _request(db_session, coordinator, classification)
    make_offer(db_session, found, make_expert(clearance="NS"))
    response = client.post(
        f"/api/v1/requests/{found.id}/actions/cancel",
        json={"note": "No longer needed."},
        headers=auth.bearer(coordinator),
    )
    assert response.status_code == 200, response.get_json()


def _overdue(ctx, classification):
    app, _client, db_session, make_user, _make_expert, _auth = ctx
    found = _request(
        db_session,
        make_user("coordinator", clearance="NS"),
        classification,
        state="submitted",
        urgency="immediate",
    )
    found.submitted_at = utcnow() - timedelta(hours=5)
    db_session.add(found)
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["roster", "send-reminders"])
    assert "1 overdue request(s) notified" in result.output, result.output


def _requalify_withdrawal(ctx, classification):
    """An open offer withdrawn because the expert's vetting was suspended."""
    _app, client, db_session, make_user, make_expert, auth = ctx
    coordinator = make_user("coordinator", clearance="NS")
    found = _request(db_session, coordinator, classification)
    expert = make_expert(clearance="NS")
    make_offer(db_session, found, expert)
    _suspend(auth, client, coordinator, expert)


def _seat_flagged(ctx, classification):
    _app, client, db_session, make_user, make_expert, auth = ctx
    coordinator = make_user("coordinator", clearance="NS")
    found = _request(db_session, coordinator, classification, state="staffed")
    expert = make_expert(clearance="NS")
    seat(db_session, found, expert)
    _suspend(auth, client, coordinator, expert)


def _suspend(auth, client, coordinator, expert: Expert) -> None:
    response = client.post(
        f"/api/v1/experts/{expert.id}/vetting",
        json={"status": "suspended", "note": "Under review."},
        headers=auth.bearer(coordinator),
    )
    assert response.status_code == 200, response.get_json()


PRODUCERS = {
    "offer": _offer,
    "reminder": _reminder,
    "withdrawal": _withdrawal,
    "overdue": _overdue,
    "requalify-withdrawal": _requalify_withdrawal,
    "seat_flagged": _seat_flagged,
}
KIND_OF = {"requalify-withdrawal": "withdrawal"}
NAMES_THE_TITLE = {"offer", "reminder", "withdrawal", "requalify-withdrawal", "seat_flagged"}


def produced(ctx, producer: str, classification: str) -> list[OutboxMessage]:
    PRODUCERS[producer](ctx, classification)
    db_session = ctx[2]
    db_session.expire_all()
    kind = KIND_OF.get(producer, producer)
    found = db_session.exec(
        select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    ).all()
    assert found, f"no {kind} mail was written"
    return found


@pytest.fixture
def ctx(app, client, db_session, make_user, make_expert, auth):
    return app, client, db_session, make_user, make_expert, auth


@pytest.mark.parametrize("producer", sorted(PRODUCERS))
def test_mail_about_a_secret_request_carries_no_request_content(ctx, producer):
    for message in produced(ctx, producer, "NS"):
        wire = as_email(message, "roster@roster.example", "roster.example").as_string()
        for text in (message.subject, message.body, wire):
            assert TITLE not in text and DESCRIPTION not in text, text
            assert "Nightjar" not in text and "Gao" not in text, text
        assert "2027-03-01" not in message.body  # nor its dates


@pytest.mark.parametrize("producer", sorted(NAMES_THE_TITLE))
def test_mail_about_an_unclassified_request_may_name_it(ctx, producer):
    messages = produced(ctx, producer, "NU")
    assert all(TITLE in m.subject and TITLE in m.body for m in messages)
