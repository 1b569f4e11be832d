"""Accepting an offer re-checks every hard rule sending checked, inside the locked transaction:
a clearance lowered or a vetting suspended after the offer went out refuses the seat (409, with
the candidates list's reason codes), over the API and on the page."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from roster.db import today
from roster.experts.models import AvailabilityWindow, Expert
from roster.requests.models import Assignment, CrisisRequest, Offer
from tests.support.auth import csrf_token
from tests.support.factories import make_offer, make_request

# Both confirmations of the accept form, ticked.
CONSENT = {"no_conflict": "y", "share_contact": "y"}


def secret_offer(db_session, make_user, make_expert):
    """An NS request in matching, and an open offer to an NS-verified, vetted expert."""
    coordinator = make_user("coordinator", clearance="NS")
    found = make_request(db_session, coordinator, classification="NS", required="NS")
    expert = make_expert(clearance="NS")
    offer = make_offer(db_session, found, expert)
    return coordinator, found, expert, offer


def accept(auth, client, expert, offer):
    return client.post(f"/api/v1/offers/{offer.id}/accept", headers=auth.bearer(expert))


def assert_seat_untaken(db_session, found: CrisisRequest) -> None:
    db_session.expire_all()
    stored = db_session.get(CrisisRequest, found.id)
    assert (stored.filled, stored.state) == (0, "matching")
    assert db_session.exec(select(Assignment).where(Assignment.request_id == found.id)).all() == []


def test_accept_after_lowering_own_clearance_is_409_clearance_too_low(
    auth, client, make_user, make_expert, db_session
):
    _coordinator, found, expert, offer = secret_offer(db_session, make_user, make_expert)
    headers = auth.bearer(expert)
    version = client.get(f"/api/v1/experts/{expert.id}", headers=headers).get_json()["version"]
    lowered = client.patch(
        f"/api/v1/experts/{expert.id}",
        json={
            "version": version,
            "clearance": {"level": "NR", "issued_by": "BE", "expires_on": "2030-01-01"},
        },
        headers=headers,
    )
    assert lowered.status_code == 200, lowered.get_json()
    response = client.post(f"/api/v1/offers/{offer.id}/accept", headers=headers)
    assert response.status_code == 409, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "not_eligible"
    assert "clearance_too_low" in error["fields"]["reasons"]
    assert_seat_untaken(db_session, found)


def test_accept_after_vetting_suspended_is_409_not_vetted(
    auth, client, make_user, make_expert, db_session
):
    coordinator, found, expert, offer = secret_offer(db_session, make_user, make_expert)
    suspended = client.post(
        f"/api/v1/experts/{expert.id}/vetting",
        json={"status": "suspended", "note": "Under review."},
        headers=auth.bearer(coordinator),
    )
    assert suspended.status_code == 200, suspended.get_json()
    response = accept(auth, client, expert, offer)
    assert response.status_code == 409, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "not_eligible" and error["fields"]["reasons"] == ["not_vetted"]
    assert_seat_untaken(db_session, found)


def test_accept_rechecks_rules_that_lapse_without_any_edit(
    auth, client, make_user, make_expert, db_session
):
    """Vetting that ran out yesterday (before expire-vettings ran) and an unavailable window
    declared after the offer: the offer is still open, and accept still refuses."""
    _coordinator, found, expert, offer = secret_offer(db_session, make_user, make_expert)
    stored = db_session.get(Expert, expert.id)
    stored.vetting_valid_until = today() - timedelta(days=1)
    db_session.add(stored)
    db_session.add(
        AvailabilityWindow(expert_id=expert.id, starts_on=found.starts_on, ends_on=found.starts_on)
    )
    db_session.commit()
    response = accept(auth, client, expert, offer)
    assert response.status_code == 409, response.get_json()
    assert response.get_json()["error"]["fields"]["reasons"] == ["not_vetted", "unavailable"]
    db_session.expire_all()
    assert db_session.get(Offer, offer.id).state == "open"
    assert_seat_untaken(db_session, found)


def test_accept_while_qualified_still_takes_the_seat(
    auth, client, make_user, make_expert, db_session
):
    _coordinator, found, expert, offer = secret_offer(db_session, make_user, make_expert)
    response = accept(auth, client, expert, offer)
    assert response.status_code == 200, response.get_json()
    db_session.expire_all()
    assert db_session.get(CrisisRequest, found.id).state == "staffed"


def test_page_accept_shows_the_refusal_as_a_message(auth, make_user, make_expert, db_session):
    _coordinator, found, expert, offer = secret_offer(db_session, make_user, make_expert)
    stored = db_session.get(Expert, expert.id)
    stored.vetting_status = "suspended"
    db_session.add(stored)
    db_session.commit()
    client = auth.page(expert)
    token = csrf_token(client, "/offers")
    response = client.post(f"/offers/{offer.id}/accept", data={"csrf_token": token, **CONSENT})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'id="offer-problem"' in page and "not vetted, or vetting expired" in page
    assert_seat_untaken(db_session, found)
