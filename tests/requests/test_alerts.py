"""Who is told of each request and offer event: the right people, and never anyone who may not
see the request (an NR reader hears nothing of an NS request). One mail per notification, none
for a user who opted out, and mail about a classified request names nothing of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from roster.accounts.models import User
from roster.db import utcnow
from roster.notify.models import Notification, OutboxMessage
from tests.support.factories import make_offer, make_request

TITLE = "Operation Kestrel"


def told(db_session, user) -> list[str]:
    db_session.expire_all()
    return [
        n.kind
        for n in db_session.exec(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    ]


def outbox(db_session, to: str) -> list[OutboxMessage]:
    db_session.expire_all()
    found = select(OutboxMessage).where(OutboxMessage.to_address == to).order_by(OutboxMessage.id)
    return list(db_session.exec(found))  # in the order written: without it PostgreSQL may shuffle


def titled(db_session, requester, classification: str, **kwargs):
    found = make_request(
        db_session,
        requester,
        classification=classification,
        required="NS" if classification == "NS" else "NR",
        **kwargs,
    )
    found.title = TITLE
    db_session.add(found)
    db_session.commit()
    return found


def act(client, auth, user, found, action: str):
    response = client.post(
        f"/api/v1/requests/{found.id}/actions/{action}",
        json={"note": "As agreed."},
        headers=auth.bearer(user),
    )
    assert response.status_code == 200, response.get_json()


@pytest.fixture
def people(make_user):
    return {
        "lno": make_user("lno", clearance="NS"),
        "ns_coordinator": make_user("coordinator", clearance="NS"),
        "nr_coordinator": make_user("coordinator", clearance="NR"),
    }


def test_a_submitted_request_reaches_only_the_coordinators_cleared_for_it(
    client, auth, db_session, people
):
    found = titled(db_session, people["lno"], "NS", state="draft")
    act(client, auth, people["lno"], found, "submit")
    assert told(db_session, people["ns_coordinator"]) == ["request_submitted"]
    assert told(db_session, people["nr_coordinator"]) == []
    assert told(db_session, people["lno"]) == []  # never told of one's own act
    (mail,) = outbox(db_session, people["ns_coordinator"].email)
    assert TITLE not in mail.subject and TITLE not in mail.body
    assert outbox(db_session, people["nr_coordinator"].email) == []


def test_in_app_subject_names_the_request_and_unclassified_mail_does_too(
    client, auth, db_session, people
):
    found = titled(db_session, people["lno"], "NU", state="draft")
    act(client, auth, people["lno"], found, "submit")
    db_session.expire_all()
    note = db_session.exec(
        select(Notification).where(Notification.user_id == people["nr_coordinator"].id)
    ).one()
    assert TITLE in note.subject and note.link == f"/requests/{found.id}"
    assert note.request_id == found.id
    (mail,) = outbox(db_session, people["nr_coordinator"].email)
    assert TITLE in mail.subject and f"/requests/{found.id}" in mail.body


@pytest.mark.parametrize(
    ("action", "kind", "state"),
    [
        ("triage", "request_triaged", "submitted"),
        ("reject", "request_rejected", "submitted"),
        ("return", "request_returned", "matching"),
        ("cancel", "request_cancelled", "matching"),
    ],
)
def test_the_requester_hears_how_a_coordinator_moved_their_request(
    client, auth, db_session, people, action, kind, state
):
    found = titled(db_session, people["lno"], "NS", state=state)
    act(client, auth, people["ns_coordinator"], found, action)
    assert told(db_session, people["lno"]) == [kind]
    assert told(db_session, people["ns_coordinator"]) == []


def test_an_nr_lno_never_hears_of_an_ns_request(client, auth, db_session, people):
    found = titled(db_session, people["lno"], "NS", state="submitted")
    people["lno"].clearance_level = "NR"  # lowered since the request was raised
    db_session.add(people["lno"])
    db_session.commit()
    act(client, auth, people["ns_coordinator"], found, "triage")
    assert told(db_session, people["lno"]) == []
    assert outbox(db_session, people["lno"].email) == []


def send(client, auth, coordinator, found, experts, hours=48):
    response = client.post(
        f"/api/v1/requests/{found.id}/offers",
        json={
            "expert_ids": [e.id for e in experts],
            "respond_by": (utcnow() + timedelta(hours=hours)).isoformat(),
        },
        headers=auth.bearer(coordinator),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_an_offer_is_one_notification_and_one_mail(
    client, auth, db_session, people, make_expert, make_user
):
    found = titled(db_session, people["lno"], "NS")
    expert = make_expert(clearance="NS")
    send(client, auth, people["ns_coordinator"], found, [expert])
    account = expert.user_id
    db_session.expire_all()
    kinds = [n.kind for n in db_session.exec(select(Notification))]
    assert kinds == ["offer_received"]
    note = db_session.exec(select(Notification)).one()
    assert note.user_id == account and note.link == "/offers"
    (mail,) = outbox(db_session, expert.email)
    assert mail.kind == "offer" and TITLE not in mail.subject


def test_no_mail_for_an_expert_who_opted_out(client, auth, db_session, people, make_expert):
    found = titled(db_session, people["lno"], "NU")
    expert = make_expert(clearance="NS")
    user = db_session.get(User, expert.user_id)
    user.notify_by_email = False
    db_session.add(user)
    db_session.commit()
    send(client, auth, people["ns_coordinator"], found, [expert])
    assert told(db_session, user) == ["offer_received"]
    assert outbox(db_session, expert.email) == []


def test_accepting_the_last_seat_tells_coordinators_and_the_requester(
    client, auth, db_session, people, make_expert
):
    found = titled(db_session, people["lno"], "NS")
    winner, loser = make_expert(clearance="NS"), make_expert(clearance="NS")
    offers = {
        o["expert_id"]: o["id"]
        for o in send(client, auth, people["ns_coordinator"], found, [winner, loser])
    }
    response = client.post(
        f"/api/v1/offers/{offers[winner.id]}/accept", json={}, headers=auth.bearer(winner)
    )
    assert response.status_code == 200, response.get_json()
    assert told(db_session, people["ns_coordinator"]) == ["offer_accepted"]
    assert told(db_session, people["nr_coordinator"]) == []
    assert told(db_session, people["lno"]) == ["request_staffed"]
    assert told(db_session, db_session.get(User, loser.user_id)) == [
        "offer_received",
        "offer_withdrawn",
    ]
    assert [m.kind for m in outbox(db_session, loser.email)] == ["offer", "withdrawal"]


def test_a_declined_offer_reaches_the_cleared_coordinators(
    client, auth, db_session, people, make_expert
):
    found = titled(db_session, people["lno"], "NS")
    expert = make_expert(clearance="NS")
    (offer,) = send(client, auth, people["ns_coordinator"], found, [expert])
    response = client.post(
        f"/api/v1/offers/{offer['id']}/decline",
        json={"reason": "On leave"},
        headers=auth.bearer(expert),
    )
    assert response.status_code == 200, response.get_json()
    assert told(db_session, people["ns_coordinator"]) == ["offer_declined"]
    assert told(db_session, people["nr_coordinator"]) == []


def test_expired_offers_are_told_once_per_request(app, db_session, people, make_expert):
    found = titled(db_session, people["lno"], "NS", seats=2)
    make_offer(db_session, found, make_expert(clearance="NS"), hours=-1)
    make_offer(db_session, found, make_expert(clearance="NS"), hours=-2)
    result = app.test_cli_runner().invoke(args=["roster", "expire-offers"])
    assert "2 offer(s) expired" in result.output, result.output
    assert told(db_session, people["ns_coordinator"]) == ["offer_expired"]
    assert told(db_session, people["nr_coordinator"]) == []
    db_session.expire_all()
    note = db_session.exec(select(Notification)).one()
    assert note.subject.startswith("2 offer(s)")
    again = app.test_cli_runner().invoke(args=["roster", "expire-offers"])
    assert "0 offer(s) expired" in again.output
    assert told(db_session, people["ns_coordinator"]) == ["offer_expired"]


def test_withdrawal_by_requalification_is_notified(client, auth, db_session, people, make_expert):
    found = titled(db_session, people["lno"], "NU")
    expert = make_expert(clearance="NS")
    make_offer(db_session, found, expert)
    response = client.post(
        f"/api/v1/experts/{expert.id}/vetting",
        json={"status": "suspended", "note": "Under review."},
        headers=auth.bearer(people["ns_coordinator"]),
    )
    assert response.status_code == 200, response.get_json()
    assert told(db_session, db_session.get(User, expert.user_id)) == ["offer_withdrawn"]
    assert [m.kind for m in outbox(db_session, expert.email)] == ["withdrawal"]


def test_an_erased_expert_is_no_longer_named_to_coordinators(
    client, auth, db_session, people, make_expert
):
    found = titled(db_session, people["lno"], "NU")
    expert = make_expert(clearance="NS", full_name="Erin Erasable")
    (offer,) = send(client, auth, people["ns_coordinator"], found, [expert])
    response = client.post(
        f"/api/v1/offers/{offer['id']}/decline",
        json={"reason": "On leave"},
        headers=auth.bearer(expert),
    )
    assert response.status_code == 200, response.get_json()
    erased = client.delete(f"/api/v1/experts/{expert.id}", headers=auth.bearer(expert, new=True))
    assert erased.status_code == 200, erased.get_json()
    db_session.expire_all()
    (note,) = db_session.exec(
        select(Notification).where(Notification.user_id == people["ns_coordinator"].id)
    ).all()
    assert "Erin Erasable" not in note.subject
    assert db_session.get(type(expert), expert.id).pseudonym in note.subject
