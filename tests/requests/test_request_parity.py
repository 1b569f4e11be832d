"""The request page tells an expert no more than the API does: no requester, seats, required
clearance, history notes or (unless seated) team and engagement log."""

from __future__ import annotations

import pytest

from roster.accounts.models import User
from roster.requests.models import EngagementEntry, RequestEvent
from tests.support.factories import make_offer, make_request, seat

REQUESTER = "Lena Requesterova"
TEAMMATE = "Tomas Teammatesson"
HISTORY_NOTE = "Ask the mission chief before calling anyone"
LOG_SUMMARY = "Briefed the commander on referral pathways"


@pytest.fixture
def engagement(db_session, make_user, make_expert):
    """An active request with a seated teammate, a noted history and a log entry."""
    lno = make_user("lno", clearance="NS")
    lno.full_name = REQUESTER
    db_session.add(lno)
    req = make_request(db_session, lno, state="active", seats=7, required="NC")
    seat(db_session, req, make_expert(full_name=TEAMMATE, clearance="NS"))
    db_session.add(
        RequestEvent(
            request_id=req.id,
            actor_id=lno.id,
            action="submit",
            from_state="draft",
            to_state="submitted",
            note=HISTORY_NOTE,
        )
    )
    db_session.add(
        EngagementEntry(request_id=req.id, author_id=lno.id, kind="note", summary=LOG_SUMMARY)
    )
    db_session.commit()
    return req


def expert_page(auth, expert, req):
    browser = auth.page(expert)
    return browser.get(f"/requests/{req.id}")


def assert_withheld(page: str, *, log_allowed: bool) -> None:
    """A seated expert reads the log and their teammates' names (the team); nobody else does."""
    for value in (REQUESTER, HISTORY_NOTE, "Experts needed", "Clearance the experts"):
        assert value not in page, value
    assert ">NC<" not in page
    assert (LOG_SUMMARY in page) is log_allowed
    assert (TEAMMATE in page) is log_allowed


def test_expert_with_a_declined_offer_sees_only_the_api_fields(
    auth, client, db_session, make_expert, engagement
):
    expert = make_expert(clearance="NS")
    offer = make_offer(db_session, engagement, expert)
    offer.state = "declined"
    db_session.add(offer)
    db_session.commit()
    headers = auth.bearer(expert)
    api = client.get(f"/api/v1/requests/{engagement.id}", headers=headers).get_json()
    assert "requested_by" not in api and "seats" not in api and "history" not in api
    log = client.get(f"/api/v1/requests/{engagement.id}/engagement-log", headers=headers)
    assert log.status_code == 403
    page = expert_page(auth, expert, engagement)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert engagement.title in text
    assert_withheld(text, log_allowed=False)


def test_expert_with_a_seat_reads_the_log_but_not_the_staff_fields(
    auth, db_session, make_expert, engagement
):
    expert = make_expert(clearance="NS")
    seat(db_session, engagement, expert)
    text = expert_page(auth, expert, engagement).get_data(as_text=True)
    assert engagement.title in text
    assert_withheld(text, log_allowed=True)


def test_expert_without_an_offer_sees_nothing(auth, make_expert, engagement):
    page = expert_page(auth, make_expert(clearance="NS"), engagement)
    assert page.status_code == 404
    assert_withheld(page.get_data(as_text=True), log_allowed=False)


def test_the_requester_still_sees_everything(auth, db_session, engagement):
    lno = db_session.get(User, engagement.requested_by_id)
    browser = auth.page(lno)
    text = browser.get(f"/requests/{engagement.id}").get_data(as_text=True)
    for value in (REQUESTER, TEAMMATE, HISTORY_NOTE, LOG_SUMMARY, "Experts needed", ">NC<"):
        assert value in text, value
