"""Time to staff: when a request was triaged and first offered is recorded with the event, and
the minutes from submission to triage, first offer and staffed show to staff on the page and in
`GET /requests/{id}`; experts do not read them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from roster.db import today, utcnow
from roster.requests import offers, services, timings
from roster.requests.models import CrisisRequest
from tests.support.factories import make_request, seat

T0 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def test_minutes_between_counts_whole_minutes_and_never_below_zero():
    assert timings.minutes_between(T0, T0 + timedelta(minutes=90, seconds=59)) == 90
    assert timings.minutes_between(T0, T0 - timedelta(minutes=5)) == 0
    assert timings.minutes_between(None, T0) is None and timings.minutes_between(T0, None) is None
    assert timings.spoken(26 * 60 + 7) == (1, 2, 7)


def test_staffing_minutes_keys_and_values():
    assert timings.staffing_minutes(
        submitted_at=T0,
        triaged_at=T0 + timedelta(minutes=30),
        first_offer_at=T0 + timedelta(minutes=75),
        staffed_at=None,
    ) == {"minutes_to_triage": 30, "minutes_to_first_offer": 75, "minutes_to_staffed": None}


def test_triage_and_the_first_offer_are_timed_with_their_event(db_session, make_user, make_expert):
    coordinator = make_user("coordinator", clearance="NS")
    req = make_request(db_session, coordinator, state="submitted")
    assert req.triaged_at is None and req.first_offer_at is None
    before = utcnow()
    services.apply_action(session=db_session, actor=coordinator, request=req, action="triage")
    assert req.triaged_at is not None and req.triaged_at >= before
    first, second = make_expert(clearance="NS"), make_expert(clearance="NS")
    for expert in (first, second):
        offers.send_offers(
            session=db_session,
            actor=coordinator,
            request=req,
            expert_ids=[expert.id],
            respond_by=utcnow() + timedelta(hours=4),
            today=today(),
        )
        if expert is first:
            first_at = req.first_offer_at
    assert first_at is not None and req.first_offer_at == first_at
    db_session.commit()
    db_session.expire_all()
    assert db_session.get(CrisisRequest, req.id).first_offer_at == first_at


@pytest.fixture
def timed(db_session, make_user, make_expert):
    lno = make_user("lno", clearance="NS")
    req = make_request(db_session, lno, state="staffed")
    req.submitted_at = T0
    req.triaged_at = T0 + timedelta(minutes=30)
    req.first_offer_at = T0 + timedelta(minutes=75)
    req.staffed_at = T0 + timedelta(hours=3)
    db_session.add(req)
    db_session.commit()
    expert = make_expert(clearance="NS")
    seat(db_session, req, expert)
    return lno, req, expert


def test_the_api_gives_staff_the_minutes(auth, client, make_user, timed):
    lno, req, _expert = timed
    for who in (lno, make_user("coordinator", clearance="NS")):
        body = client.get(f"/api/v1/requests/{req.id}", headers=auth.bearer(who)).get_json()
        assert body["minutes_to_triage"] == 30
        assert body["minutes_to_first_offer"] == 75
        assert body["minutes_to_staffed"] == 180
        assert body["submitted_at"].startswith("2026-11-30T10:00:00")
        assert body["staffed_at"].startswith("2026-11-30T13:00:00")


def test_an_expert_reads_no_staffing_times(auth, client, timed):
    _lno, req, expert = timed
    body = client.get(f"/api/v1/requests/{req.id}", headers=auth.bearer(expert)).get_json()
    assert not {k for k in body if k.startswith("minutes_to_") or k.endswith("_at")} - {
        "created_at"
    }
    page = auth.page(expert).get(f"/requests/{req.id}").get_data(as_text=True)
    assert 'id="time-to-staff"' not in page


def test_the_request_page_shows_the_minutes_to_staff(auth, timed):
    lno, req, _expert = timed
    page = auth.page(lno).get(f"/requests/{req.id}").get_data(as_text=True)
    assert 'id="time-to-staff"' in page
    for minutes in (30, 75, 180):
        assert f'data-minutes="{minutes}"' in page


def test_a_request_not_yet_triaged_shows_not_yet(auth, client, db_session, make_user):
    lno = make_user("lno", clearance="NS")
    req = make_request(db_session, lno, state="submitted")
    body = client.get(f"/api/v1/requests/{req.id}", headers=auth.bearer(lno)).get_json()
    assert body["minutes_to_triage"] is None and body["minutes_to_staffed"] is None
    page = auth.page(lno).get(f"/requests/{req.id}").get_data(as_text=True)
    assert "not yet" in page
