"""Participation and balance: counts and shares by gender, origin, affiliation and topic, and the
suppression of small counts (with the complementary cell) so no one can be singled out."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session

from roster.reports.participation import SUPPRESS_BELOW, participation, suppress
from roster.reports.period import Period
from roster.requests.models import Assignment, Offer
from roster.requests.services import viewer_for
from tests.support.factories import TODAY, make_request

PERIOD = Period.year_to(TODAY)


def test_small_counts_and_their_complement_are_hidden():
    b = suppress({"woman": 7, "man": 3, "non-binary": 0}, total=10)
    rows = {r.key: r for r in b.rows}
    assert rows["man"].suppressed and rows["man"].share is None
    assert rows["woman"].suppressed  # else 10 - 7 gives the hidden 3 back
    assert rows["non-binary"].count == 0  # a zero singles no one out
    assert b.total == 10


def test_a_small_total_is_hidden_too():
    b = suppress({"woman": 3, "man": 0}, total=3)
    assert b.total is None and all(r.count in (None, 0) for r in b.rows)


def test_large_counts_show_with_shares():
    b = suppress({"woman": 12, "man": 8}, total=20)
    assert [(r.key, r.count, r.share) for r in b.rows] == [
        ("woman", 12, 0.6),
        ("man", 8, 0.4),
    ]


@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 40), min_size=1))
def test_no_hidden_count_can_be_worked_out_from_what_is_shown(counts):
    total = sum(counts.values())
    b = suppress(counts, total)
    shown = {r.key: r.count for r in b.rows}
    hidden = [k for k, n in shown.items() if n is None]
    for key, n in counts.items():
        if 0 < n < SUPPRESS_BELOW:
            assert shown[key] is None
    if hidden and b.total is not None:
        # The total minus the shown counts is spread over at least two hidden cells.
        assert len(hidden) >= 2
    for r in b.rows:
        assert r.count is None or r.count == 0 or r.count >= SUPPRESS_BELOW


def _engage(session: Session, request, expert) -> None:
    offer = Offer(
        request_id=request.id, expert_id=expert.id, state="accepted", respond_by=request.created_at
    )
    session.add(offer)
    session.flush()
    session.add(
        Assignment(
            request_id=request.id,
            expert_id=expert.id,
            offer_id=offer.id,
            starts_on=TODAY - timedelta(days=10),
            ends_on=TODAY,
            mode="remote",
        )
    )
    session.commit()


def test_engagements_by_dimension(app, db_session: Session, make_user, roster):
    lno = make_user("lno", clearance="NS")
    coordinator = make_user("coordinator", clearance="NS")
    women = [
        roster(f"W{i}", gender="woman", nationalities=["UA"], affiliation_kind="cso")
        for i in range(6)
    ]
    men = [roster(f"M{i}", gender="man", nationalities=["FR"]) for i in range(5)]
    req = make_request(db_session, lno, state="active", seats=11, topics={"crsv": 2, "poc": 2})
    for expert in women + men:
        _engage(db_session, req, expert)
    secret = make_request(db_session, lno, state="active", seats=5, classification="CTS")
    for expert in women[:5]:
        _engage(db_session, secret, expert)
    parts = participation(db_session, viewer_for(db_session, coordinator, TODAY), period=PERIOD)
    gender = {r.key: r for r in parts["gender"].rows}
    assert parts["gender"].total == 11  # the CTS request's seats are not counted
    assert (gender["woman"].count, gender["man"].count) == (6, 5)
    assert round(gender["woman"].share, 3) == round(6 / 11, 3)
    origin = {r.key: r.count for r in parts["origin"].rows}
    assert origin == {"conflict-affected": 6, "other": 5, "not-recorded": 0}
    topics = {r.key: r.count for r in parts["topic"].rows}
    assert topics == {"crsv": 11, "poc": 11}
    affiliation = {r.key: r.count for r in parts["affiliation"].rows}
    assert (affiliation["cso"], affiliation["independent"]) == (6, 5)
    nationality = {r.key: r.count for r in parts["nationality"].rows}
    assert nationality == {"FR": 5, "UA": 6}


def test_participation_page_and_api_show_the_same_suppressed_figures(
    auth, db_session, make_user, roster
):
    lno = make_user("lno", clearance="NS")
    req = make_request(db_session, lno, state="active", seats=8)
    for i in range(7):
        _engage(db_session, req, roster(f"W{i}", gender="woman"))
    _engage(db_session, req, roster("Only man", gender="man"))
    browser = auth.page(make_user("coordinator", clearance="NS"))
    html = browser.get("/dashboard/participation").get_data(as_text=True)
    assert "&lt; 5" in html
    body = browser.get(
        "/api/v1/reports/participation", headers=auth.bearer(browser.user)
    ).get_json()
    rows = {r["key"]: r for r in body["breakdowns"]["gender"]["rows"]}
    assert rows["man"]["suppressed"] and rows["man"]["count"] is None
    assert rows["woman"]["suppressed"]
    assert body["breakdowns"]["gender"]["total"] == 8
