"""The reports API: the contract's fields, the same numbers as the pages, and the description."""

from __future__ import annotations

import re

from tests.reports.test_exports import page_table
from tests.support.factories import cleared


def test_coverage_api_gives_the_pages_numbers_and_gaps(auth, db_session, roster, make_user):
    roster("Ada", topics={"crsv": 3}, regions=["UA"], **cleared("NS"))
    roster("Ben", topics={"crsv": 2}, regions=["UA", "SY"], **cleared("NS"))
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    headers = auth.bearer(coordinator.user)
    body = coordinator.get("/api/v1/reports/coverage?clearance=NS", headers=headers).get_json()
    assert body["dimension"] == "region" and body["clearance"] == "NS"
    crsv = next(t for t in body["topics"] if t["code"] == "crsv")
    assert crsv["cells"]["UA"] == 2 and crsv["cells"]["SY"] == 1 and crsv["total"] == 2
    assert {"topic": "crsv", "column": "SY", "count": 1, "kind": "thin"} in body["gaps"]
    assert {"topic": "poc", "column": "UA", "count": 0, "kind": "empty"} in body["gaps"]
    html = coordinator.get("/dashboard/coverage?clearance=NS").get_data(as_text=True)
    table = page_table(html, "coverage")
    columns = [re.fullmatch(r".+ \(([A-Z]{2})\)", h).group(1) for h in table[0][2:]]  # type: ignore[union-attr]
    assert "UA" in columns  # the header names the country, with its code
    for row in table[1:]:
        topic = next(t for t in body["topics"] if t["name"] == row[0])
        assert [int(v) for v in row[2:]] == [topic["cells"][c] for c in columns]


def test_requests_api_has_the_contract_fields(auth, db_session, make_user):
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    body = coordinator.get(
        "/api/v1/reports/requests?from=2026-01-01&to=2026-12-31",
        headers=auth.bearer(coordinator.user),
    ).get_json()
    assert body["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert set(body["time_to_staff"]) == {"routine", "priority", "immediate"}
    assert {"by_state", "total", "offers", "overdue", "decline_reasons"} <= set(body)


def test_bad_parameters_are_422_with_fields(auth, db_session, make_user):
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    headers = auth.bearer(coordinator.user)
    for url, field in (
        ("/api/v1/reports/coverage?dimension=planet", "dimension"),
        ("/api/v1/reports/coverage?surprise=1", "surprise"),
        ("/api/v1/reports/requests?from=2026-05-01&to=2026-01-01", "to"),
        ("/api/v1/reports/watchlist?days=7", "days"),
    ):
        response = coordinator.get(url, headers=headers)
        assert response.status_code == 422, url
        assert field in response.get_json()["error"]["fields"], url


def test_openapi_describes_the_reports(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for name in ("coverage", "requests", "participation", "watchlist"):
        assert "get" in paths[f"/api/v1/reports/{name}"]
