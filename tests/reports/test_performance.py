"""Request performance on a hand-built history: medians and 90th percentiles against targets,
the offer funnel, overdue requests, and no read-up in any count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from roster.db import utcnow
from roster.reports.performance import nearest_rank, request_performance, staffing_time
from roster.reports.period import Period
from roster.requests.models import CrisisRequest, Offer
from roster.requests.services import viewer_for
from tests.support.factories import TODAY, make_request

NOW = utcnow()
PERIOD = Period.year_to(TODAY)


def staffed(session: Session, lno, urgency: str, hours: float, **kw) -> CrisisRequest:
    req = make_request(session, lno, state="staffed", urgency=urgency, **kw)
    req.submitted_at = NOW - timedelta(days=3)
    req.staffed_at = req.submitted_at + timedelta(hours=hours)
    session.add(req)
    session.commit()
    return req


def test_nearest_rank_percentile_is_an_observed_value():
    assert nearest_rank([], 0.9) is None
    assert nearest_rank([5.0], 0.9) == 5.0
    assert nearest_rank([float(h) for h in range(1, 11)], 0.9) == 9.0
    assert nearest_rank([float(h) for h in range(1, 11)], 0.5) == 5.0


def test_staffing_time_summary_is_pure():
    summary = staffing_time("immediate", [1.0, 3.0, 5.0, 30.0])
    assert summary.median_hours == 4.0
    assert summary.p90_hours == 30.0
    assert summary.target_hours == 4.0
    assert summary.within_target == 2
    assert summary.buckets == (2, 2, 0, 0)


def test_medians_and_percentiles_by_urgency(app, db_session: Session, make_user):
    lno = make_user("lno", clearance="NS")
    coordinator = make_user("coordinator", clearance="NS")
    for hours in (2, 3, 5, 6, 100):
        staffed(db_session, lno, "immediate", hours)
    for hours in (10, 20, 30):
        staffed(db_session, lno, "priority", hours)
    make_request(db_session, lno, state="matching", urgency="routine")
    viewer = viewer_for(db_session, coordinator, TODAY)
    perf = request_performance(db_session, viewer, period=PERIOD, now=NOW)
    by = {t.urgency: t for t in perf.staffing}
    assert by["immediate"].count == 5
    assert by["immediate"].median_hours == pytest.approx(5.0)
    assert by["immediate"].p90_hours == pytest.approx(100.0)
    assert by["immediate"].within_target == 2
    assert by["priority"].median_hours == pytest.approx(20.0)
    assert by["priority"].p90_hours == pytest.approx(30.0)
    assert by["routine"].count == 0 and by["routine"].median_hours is None
    assert perf.by_state[("staffed", "immediate")] == 5
    assert perf.state_total("matching") == 1
    assert perf.total == 9


def test_offer_funnel_and_decline_reasons(app, db_session: Session, make_user, make_expert):
    lno = make_user("lno", clearance="NS")
    coordinator = make_user("coordinator", clearance="NS")
    req = make_request(db_session, lno, state="matching")
    experts = [make_expert() for _ in range(4)]
    for expert, (state, reason) in zip(
        experts,
        [("accepted", ""), ("declined", "Not available"), ("declined", "not  available"),
         ("open", "")],
        strict=True,
    ):  # fmt: skip
        db_session.add(
            Offer(
                request_id=req.id,
                expert_id=expert.id,
                state=state,
                decline_reason=reason,
                respond_by=NOW + timedelta(days=1),
            )
        )
    db_session.commit()
    perf = request_performance(
        db_session, viewer_for(db_session, coordinator, TODAY), period=PERIOD, now=NOW
    )
    assert perf.offers["sent"] == 4
    assert perf.offers["accepted"] == 1 and perf.offers["declined"] == 2
    assert perf.decline_reasons == [("not available", 2)]


def test_overdue_now(app, db_session: Session, make_user):
    lno = make_user("lno", clearance="NS")
    coordinator = make_user("coordinator", clearance="NS")
    late = make_request(db_session, lno, state="submitted", urgency="immediate")
    late.submitted_at = NOW - timedelta(hours=5)
    fresh = make_request(db_session, lno, state="matching", urgency="routine")
    db_session.add_all([late, fresh])
    db_session.commit()
    perf = request_performance(
        db_session, viewer_for(db_session, coordinator, TODAY), period=PERIOD, now=NOW
    )
    assert [w.request_id for w in perf.overdue] == [late.id]


def test_counts_never_include_requests_above_the_viewers_clearance(
    auth, client, db_session: Session, make_user
):
    lno = make_user("lno", clearance="NS")
    staffed(db_session, lno, "immediate", 2, classification="NU")
    staffed(db_session, lno, "immediate", 50, classification="NS")
    restricted = make_user("coordinator", clearance="NR")
    cleared = make_user("coordinator", clearance="NS")
    admin = make_user("admin", clearance="CTS")
    seen = {}
    for name, user in (("NR", restricted), ("NS", cleared), ("admin", admin)):
        body = client.get("/api/v1/reports/requests", headers=auth.bearer(user)).get_json()
        seen[name] = body
    assert seen["NR"]["total"] == 1
    assert seen["NR"]["time_to_staff"]["immediate"]["median_hours"] == pytest.approx(2.0)
    assert seen["NS"]["total"] == 2
    assert seen["NS"]["time_to_staff"]["immediate"]["median_hours"] == pytest.approx(26.0)
    assert seen["admin"]["total"] == 0  # admins run accounts, not requests: they see none
    assert seen["admin"]["time_to_staff"]["immediate"]["count"] == 0


def test_request_report_api_refuses_lnos_and_experts(auth, client, db_session, make_user):
    for role in ("lno", "expert"):
        user = make_user(role)
        response = client.get("/api/v1/reports/requests", headers=auth.bearer(user))
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/reports/requests").status_code == 401
