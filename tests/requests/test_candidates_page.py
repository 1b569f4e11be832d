"""The candidates page: who meets everything asked comes first, partial matches are folded with
what they lack, reasons read in words, the best are pre-selected for the seats plus a margin,
and after sending the coordinator reads who was offered, or why nobody was."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from roster.db import today, utcnow
from roster.requests import services
from roster.requests.models import CrisisRequest, Offer
from roster.requests.shortlist import preselect_count
from tests.experts.test_profile_pages import form_fields
from tests.requests.test_request_pages import CLEARED, offer_to, request_data

CRSV = "Conflict-Related Sexual Violence (CRSV)"
ASKED = {
    "seats": 2,
    "topics": [{"code": "crsv", "min_level": 3}],
    "languages": [{"code": "fr", "min_level": "B2"}],
    "regions": ["ML"],
}


@pytest.fixture
def matching(db_session):
    """Raise a request as `actor` (a coordinator) and take it to matching (a factory)."""

    def make(actor, **overrides: Any) -> CrisisRequest:
        req = services.create_request(
            session=db_session, actor=actor, data=request_data(**overrides), today=today()
        )
        for action in ("submit", "triage"):
            services.apply_action(session=db_session, actor=actor, request=req, action=action)
        db_session.commit()
        return req

    return make


def full_match(make_expert, name: str, level: int = 3):
    return make_expert(
        clearance="NS",
        full_name=name,
        topics={"crsv": level},
        languages={"fr": "C1"},
        regions=("ML",),
    )


def checked(page: str) -> list[int]:
    return [int(v) for v in re.findall(r'value="(\d+)" id="pick-\d+" checked', page)]


def test_full_matches_come_first_and_partial_ones_are_folded_with_what_they_lack(
    auth, client, make_user, make_expert, matching
):
    coordinator = make_user("coordinator", **CLEARED)
    req = matching(coordinator, **ASKED)
    # The partial match outscores the full one on depth: by score alone it would come first.
    partial = make_expert(
        clearance="NS",
        full_name="Bea Partial",
        topics={"crsv": 4},
        languages={"fr": "B1"},
        regions=("ML",),
    )
    full = full_match(make_expert, "Amal Full")
    no_mali = make_expert(
        clearance="NS", full_name="Cora Elsewhere", topics={"crsv": 4}, languages={"fr": "C2"}
    )
    by_score = client.get(f"/api/v1/requests/{req.id}/candidates", headers=auth.bearer(coordinator))
    order = [c["expert_id"] for c in by_score.get_json()]
    assert order.index(partial.id) < order.index(full.id)
    page = auth.page(coordinator).get(f"/requests/{req.id}/candidates").get_data(as_text=True)
    folded = page[page.index('<details class="more" id="partial">') :]
    assert page.index("Amal Full") < page.index('id="partial"')
    assert "Bea Partial" in folded and "Cora Elsewhere" in folded and "Amal Full" not in folded
    assert "French: B1, asked B2" in folded
    assert "Mali: no knowledge listed" in folded
    assert "1 expert meets everything asked" in page
    assert f"({CRSV}: expert or above; French: B2 or above; knowledge of Mali)" in page
    assert "2 more pass the hard rules but miss something." in page
    assert checked(page) == [full.id]
    assert partial.id not in checked(page) and no_mali.id not in checked(page)


def test_reasons_read_in_words(auth, make_user, make_expert, matching):
    coordinator = make_user("coordinator", **CLEARED)
    req = matching(coordinator, **ASKED)
    full_match(make_expert, "Amal Full", level=4)
    page = auth.page(coordinator).get(f"/requests/{req.id}/candidates").get_data(as_text=True)
    assert f"{CRSV}: leading authority (asked: expert or above)" in page
    assert "French: C1 (asked: B2 or above)" in page
    assert "knows Mali" in page
    assert "topic crsv" not in page and "knows ML" not in page


def test_the_best_are_preselected_for_the_seats_plus_half_again(
    auth, db_session, make_user, make_expert, matching
):
    assert [preselect_count(n) for n in (0, 1, 2, 3, 4)] == [0, 2, 3, 5, 6]
    coordinator = make_user("coordinator", **CLEARED)
    req = matching(coordinator, **ASKED)
    experts = [full_match(make_expert, f"Full Match{n}") for n in range(6)]
    client = auth.page(coordinator)
    page = client.get(f"/requests/{req.id}/candidates").get_data(as_text=True)
    picked = checked(page)
    assert len(picked) == 3
    assert '<output id="selected-count" aria-live="polite">3</output>' in page
    # Everyone ties on score, so the order is by id: the first three.
    assert picked == [e.id for e in experts[:3]]
    offer_to(db_session, coordinator, req, experts[0])
    page = client.get(f"/requests/{req.id}/candidates").get_data(as_text=True)
    # One offer is already out: two more, and not to the expert who holds it.
    assert checked(page) == [e.id for e in experts[1:3]]
    assert "open offer until" in page


def test_after_sending_the_page_names_who_was_offered_and_why_nobody_was(
    auth, db_session, make_user, make_expert, matching
):
    coordinator = make_user("coordinator", **CLEARED)
    req = matching(coordinator, **ASKED)
    amal, bea = full_match(make_expert, "Amal Full"), full_match(make_expert, "Bea Full")
    client = auth.page(coordinator)
    url = f"/requests/{req.id}/candidates"
    data = form_fields(client.get(url).get_data(as_text=True))
    data["expert_ids"] = [str(amal.id), str(bea.id)]
    response = client.post(url, data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Offers sent to Amal Full and Bea Full, to answer by" in page
    response = client.post(url, data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "No offers were sent." in page
    assert "Not sent again to Amal Full and Bea Full: already holding an open offer" in page
    assert len(db_session.exec(select(Offer)).all()) == 2


def respond_by_of(page: str) -> datetime:
    value = form_fields(page)["respond_by"]
    return datetime.strptime(value, "%Y-%m-%dT%H:%M").replace(tzinfo=utcnow().tzinfo)


def test_the_reply_by_default_follows_the_urgency(auth, make_user, matching):
    coordinator = make_user("coordinator", **CLEARED)
    client = auth.page(coordinator)
    for urgency, hours in (("immediate", 2), ("priority", 24), ("routine", 120)):
        req = matching(coordinator, urgency=urgency, title=urgency)
        before = utcnow()
        shown = respond_by_of(client.get(f"/requests/{req.id}/candidates").get_data(as_text=True))
        expected = before + timedelta(hours=hours)
        assert expected - timedelta(minutes=1) <= shown <= expected + timedelta(minutes=1)


def test_a_reply_by_past_or_after_the_end_is_refused_beside_the_field(
    auth, db_session, make_user, make_expert, matching
):
    coordinator = make_user("coordinator", **CLEARED)
    req = matching(coordinator, **ASKED)
    amal = full_match(make_expert, "Amal Full")
    client = auth.page(coordinator)
    url = f"/requests/{req.id}/candidates"
    data = form_fields(client.get(url).get_data(as_text=True))
    data["expert_ids"] = [str(amal.id)]
    after_end = datetime.combine(req.ends_on + timedelta(days=1), datetime.min.time())
    for when, message in (
        (utcnow() - timedelta(hours=1), "The reply deadline has passed."),
        (after_end + timedelta(minutes=1), "The reply deadline falls after the request ends."),
    ):
        data["respond_by"] = when.strftime("%Y-%m-%dT%H:%M")
        response = client.post(url, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        error = re.search(r'<p class="error" id="respond_by-error">(.*?)</p>', page, re.S)
        assert error and message in error.group(1)
        assert f'value="{data["respond_by"]}"' in page
        assert db_session.exec(select(Offer)).all() == []
