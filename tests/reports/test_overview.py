"""The dashboard overview: its headline figures are the reports' own (the API's numbers), each
tile links to its report page, and no tile counts a request above the viewer's clearance."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import col, select

from roster.accounts.models import User
from roster.db import utcnow
from roster.reports.overview import OPEN_STATES, overview, periods
from roster.requests.models import CrisisRequest, RequestRegion
from roster.seeding import load_demo
from tests.support.factories import make_request

DEMO_PASSWORD = "demo-password-2026"


def _figures(html: str) -> dict[str, str]:
    return {
        k: re.sub(r"<[^>]+>", "", v).strip()
        for k, v in re.findall(r'data-figure="([^"]+)"[^>]*>(.*?)</', html, re.S)
    }


def test_the_overview_equals_the_api_on_the_demo(app, auth, db_session):
    now = utcnow()
    load_demo(db_session, now=now)
    db_session.commit()
    user = db_session.exec(select(User).where(User.email == "coordinator@roster.example")).one()
    browser = auth.page(user, password=DEMO_PASSWORD)
    headers = auth.bearer(user)
    today = now.date()
    recent, _previous = periods(today)
    with app.test_request_context():
        ov = overview(db_session, user, now=now)

    def api(path):
        response = browser.get(f"/api/v1/reports/{path}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    everything = api(f"requests?from={today - timedelta(days=1500)}&to={today}")
    by_state = everything["by_state_urgency"]
    for urgency, n in ov.open_by_urgency.items():
        assert n == sum(by_state.get(s, {}).get(urgency, 0) for s in OPEN_STATES)
    assert ov.open_total > 0
    last90 = api(f"requests?from={recent.start}&to={today}")
    assert ov.past_target == len(last90["overdue"]) > 0
    for trend in ov.staffing:
        assert trend.median_hours == last90["time_to_staff"][trend.urgency]["median_hours"]
    assert ov.offers_accepted == last90["offers"]["accepted"] > 0
    assert ov.offers_answered == last90["offers"]["accepted"] + last90["offers"]["declined"]

    # Coverage: the API's gaps among the regions of the requests this coordinator may see.
    cutoff = now - timedelta(days=730)
    asked = set(
        db_session.exec(
            select(RequestRegion.country_code)
            .join(CrisisRequest, col(CrisisRequest.id) == col(RequestRegion.request_id))
            .where(CrisisRequest.classification != "CTS", CrisisRequest.created_at >= cutoff)
        ).all()
    )
    assert set(ov.asked_regions) == asked
    gaps = [g for g in api("coverage")["gaps"] if g["column"] in asked]
    assert ov.empty_cells == sum(1 for g in gaps if g["kind"] == "empty")
    assert ov.thin_cells == sum(1 for g in gaps if g["kind"] == "thin")
    assert ov.empty_cells + ov.thin_cells > 0

    lists = api("watchlist?days=60")["lists"]
    soon = (today + timedelta(days=30)).isoformat()
    assert ov.vettings_due == sum(1 for d in lists["vettings"] if d["on"] <= soon)
    assert ov.clearances_due == sum(1 for d in lists["clearances"] if d["on"] <= soon)
    assert ov.vettings_due + ov.clearances_due > 0

    gender = api("participation")["breakdowns"]["gender"]
    woman = next(r for r in gender["rows"] if r["key"] == "woman")
    assert ov.women_share == woman["share"] and ov.engaged == gender["total"]

    html = browser.get("/dashboard").get_data(as_text=True)
    shown = _figures(html)
    assert shown["open"] == str(ov.open_total)
    assert shown["past-target"] == str(ov.past_target)
    assert shown["empty-cells"] == str(ov.empty_cells)
    assert shown["vettings-due"] == str(ov.vettings_due)
    assert shown["acceptance"] == f"{ov.offers_accepted / ov.offers_answered:.0%}"
    assert shown["women"] == f"{ov.women_share:.0%}"
    for kind in ("requests", "coverage", "watchlist", "participation"):
        assert f'href="/dashboard/{kind}"' in html
        assert browser.get(f"/dashboard/{kind}").status_code == 200


def test_no_tile_counts_a_request_above_the_viewers_clearance(app, auth, db_session, make_user):
    lno = make_user("lno", clearance="NS")
    make_request(
        db_session, lno, state="matching", urgency="immediate", classification="NS", required="NS"
    )
    make_request(db_session, lno, state="submitted", urgency="routine", classification="NR")
    db_session.commit()
    low = auth.page(make_user("coordinator", clearance="NR"))
    high = auth.page(make_user("coordinator", clearance="NS"))
    low_figures = _figures(low.get("/dashboard").get_data(as_text=True))
    high_figures = _figures(high.get("/dashboard").get_data(as_text=True))
    assert (low_figures["open"], low_figures["open-immediate"]) == ("1", "0")
    assert (high_figures["open"], high_figures["open-immediate"]) == ("2", "1")
    assert auth.page(lno).get("/dashboard").status_code == 403


def test_gaps_rank_the_cells_asked_for_first_then_the_regions_asked_for():
    from roster.reports.coverage import ranked_gaps

    gaps = [("poc", "AF", 0), ("crsv", "UA", 2), ("poc", "UA", 0), ("sea", "ML", 1)]
    ranked = ranked_gaps(gaps, {("crsv", "UA"): 3, ("sea", "ML"): 1}, {"UA", "ML"})
    assert [(t, c) for t, c, _n, _a in ranked] == [
        ("crsv", "UA"),
        ("sea", "ML"),
        ("poc", "UA"),
        ("poc", "AF"),
    ]
    assert ranked[0][3] == 3 and ranked[-1][3] == 0


def test_requests_per_month_count_only_what_the_viewer_may_see(app, db_session, make_user):
    from roster.reports.dashboard import monthly_report

    now = utcnow()
    load_demo(db_session, now=now)
    db_session.commit()
    high, low = make_user("coordinator", clearance="NS"), make_user("coordinator", clearance="NR")
    with app.app_context():
        months = monthly_report(db_session, high, today=now.date())
        fewer = monthly_report(db_session, low, today=now.date())
    assert len(months) == 24 and months[-1][0] == now.strftime("%Y-%m")
    first = months[0][0]
    every = db_session.exec(
        select(CrisisRequest).where(CrisisRequest.classification != "CTS")
    ).all()
    visible = [r for r in every if r.created_at.strftime("%Y-%m") >= first]
    assert sum(r for _m, r, _s in months) == len(visible)
    assert sum(s for _m, _r, s in months) == sum(
        1 for r in every if r.staffed_at and r.staffed_at.strftime("%Y-%m") >= first
    )
    assert sum(r for _m, r, _s in fewer) == sum(
        1 for r in visible if r.classification in ("NU", "NR")
    )
