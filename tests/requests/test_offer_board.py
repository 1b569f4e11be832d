"""Coordinators read every offer of a request (page and API), withdraw an open one and offer a
declined seat again; nobody else lists or withdraws offers."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import col, select

from roster.audit import AuditEvent
from roster.db import utcnow
from roster.notify.models import OutboxMessage
from roster.requests.models import Offer
from tests.conftest import csrf_token
from tests.support.factories import make_offer, make_request

REASON = "On mission elsewhere that fortnight"


@pytest.fixture
def board(db_session, make_user, make_expert):
    """A matching NR request with one open and one declined offer."""
    coordinator = make_user("coordinator", clearance="NS")
    lno = make_user("lno", clearance="NS")
    req = make_request(db_session, lno, classification="NR")
    waiting = make_expert(clearance="NS", full_name="Wanda Waiting")
    declining = make_expert(clearance="NS", full_name="Dario Declining")
    open_offer = make_offer(db_session, req, waiting)
    declined = make_offer(db_session, req, declining)
    declined.state, declined.decline_reason, declined.responded_at = "declined", REASON, utcnow()
    db_session.add(declined)
    db_session.commit()
    return SimpleNamespace(
        coordinator=coordinator,
        lno=lno,
        req=req,
        waiting=waiting,
        declining=declining,
        open_offer=open_offer,
        declined=declined,
    )


def offer_state(db_session, offer_id: int) -> str:
    db_session.expire_all()
    return db_session.get(Offer, offer_id).state


def test_the_api_lists_every_offer_to_a_coordinator(auth, client, board):
    answer = client.get(
        f"/api/v1/requests/{board.req.id}/offers", headers=auth.bearer(board.coordinator)
    )
    assert answer.status_code == 200
    rows = {row["expert_id"]: row for row in answer.get_json()}
    assert set(rows) == {board.waiting.id, board.declining.id}
    for row in rows.values():
        assert set(row) == {
            "id",
            "expert_id",
            "full_name",
            "state",
            "sent_at",
            "respond_by",
            "responded_at",
            "decline_reason",
        }
    waiting, declined = rows[board.waiting.id], rows[board.declining.id]
    assert (waiting["full_name"], waiting["state"]) == ("Wanda Waiting", "open")
    assert waiting["responded_at"] is None and waiting["decline_reason"] is None
    assert (declined["state"], declined["decline_reason"]) == ("declined", REASON)
    assert declined["responded_at"] and declined["sent_at"] and declined["respond_by"]


def test_nobody_but_a_coordinator_lists_offers(auth, client, db_session, make_user, board):
    url = f"/api/v1/requests/{board.req.id}/offers"
    assert client.get(url, headers=auth.bearer(board.lno)).status_code == 403
    assert client.get(url, headers=auth.bearer(board.waiting)).status_code == 403
    assert client.get(url).status_code == 401
    other_lno = make_user("lno", clearance="NS")
    assert client.get(url, headers=auth.bearer(other_lno)).status_code == 404
    secret = make_request(db_session, board.coordinator, classification="CTS", required="CTS")
    secret_url = f"/api/v1/requests/{secret.id}/offers"
    assert client.get(secret_url, headers=auth.bearer(board.coordinator)).status_code == 404


def test_the_request_page_shows_the_offers_to_coordinators_only(auth, board):
    page = auth.page(board.coordinator).get(f"/requests/{board.req.id}").get_data(as_text=True)
    assert 'id="offers"' in page
    assert f'href="/experts/{board.waiting.id}">Wanda Waiting</a>' in page
    assert REASON in page
    withdraw = f"/requests/{board.req.id}/offers/{board.open_offer.id}/withdraw"
    again = f"/requests/{board.req.id}/offers/{board.declined.id}/again"
    assert f'action="{withdraw}"' in page and f'action="{again}"' in page
    assert f"/requests/{board.req.id}/offers/{board.open_offer.id}/again" not in page
    lno_page = auth.page(board.lno).get(f"/requests/{board.req.id}").get_data(as_text=True)
    assert 'id="offers"' not in lno_page and REASON not in lno_page


def test_a_coordinator_withdraws_an_open_offer_from_the_page(auth, db_session, board):
    browser = auth.page(board.coordinator)
    token = csrf_token(browser, f"/requests/{board.req.id}")
    url = f"/requests/{board.req.id}/offers/{board.open_offer.id}/withdraw"
    response = browser.post(url, data={"csrf_token": token})
    assert response.status_code == 302
    assert offer_state(db_session, board.open_offer.id) == "withdrawn"
    event = db_session.exec(select(AuditEvent).where(AuditEvent.action == "offer.withdraw")).one()
    assert event.subject == f"request:{board.req.id}"
    assert event.detail["offer"] == board.open_offer.id and event.actor != "system"
    mail = db_session.exec(
        select(OutboxMessage).where(OutboxMessage.to_address == board.waiting.email)
    ).one()
    assert mail.kind == "withdrawal" and "withdrawn" in mail.subject.lower()


def test_the_api_withdraws_open_offers_only_and_for_coordinators_only(
    auth, client, db_session, board
):
    url = f"/api/v1/offers/{board.open_offer.id}/withdraw"
    assert client.post(url, headers=auth.bearer(board.lno)).status_code == 403
    assert offer_state(db_session, board.open_offer.id) == "open"
    done = client.post(url, headers=auth.bearer(board.coordinator))
    assert done.status_code == 200 and done.get_json()["state"] == "withdrawn"
    again = client.post(url, headers=auth.bearer(board.coordinator))
    assert again.status_code == 409
    declined_url = f"/api/v1/offers/{board.declined.id}/withdraw"
    assert client.post(declined_url, headers=auth.bearer(board.coordinator)).status_code == 409
    assert offer_state(db_session, board.declined.id) == "declined"


def test_a_withdraw_of_an_offer_above_the_coordinators_clearance_is_404(
    auth, client, db_session, make_user, make_expert
):
    top = make_user("coordinator", clearance="CTS")
    secret = make_request(db_session, top, classification="CTS", required="CTS")
    offer = make_offer(db_session, secret, make_expert(clearance="CTS"))
    low = make_user("coordinator", clearance="NS")
    answer = client.post(f"/api/v1/offers/{offer.id}/withdraw", headers=auth.bearer(low))
    assert answer.status_code == 404
    assert offer_state(db_session, offer.id) == "open"


def test_offer_again_sends_a_new_offer_to_the_same_expert(auth, client, db_session, board):
    browser = auth.page(board.coordinator)
    token = csrf_token(browser, f"/requests/{board.req.id}")
    url = f"/requests/{board.req.id}/offers/{board.declined.id}/again"
    assert browser.post(url, data={"csrf_token": token}).status_code == 302
    db_session.expire_all()
    theirs = db_session.exec(
        select(Offer).where(Offer.expert_id == board.declining.id).order_by(col(Offer.id))
    ).all()
    assert [o.state for o in theirs] == ["declined", "open"]
    assert theirs[1].respond_by > utcnow()
    page = browser.get(f"/requests/{board.req.id}").get_data(as_text=True)
    assert url not in page  # the expert holds an open offer again
    refused = browser.post(url, data={"csrf_token": token})
    assert refused.status_code == 302
    db_session.expire_all()
    assert (
        len(db_session.exec(select(Offer).where(Offer.expert_id == board.declining.id)).all()) == 2
    )


def test_an_open_offer_cannot_be_offered_again(auth, db_session, board):
    browser = auth.page(board.coordinator)
    token = csrf_token(browser, f"/requests/{board.req.id}")
    url = f"/requests/{board.req.id}/offers/{board.open_offer.id}/again"
    response = browser.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert "only a declined or expired one is sent again" in response.get_data(as_text=True)
    db_session.expire_all()
    assert len(db_session.exec(select(Offer).where(Offer.expert_id == board.waiting.id)).all()) == 1
