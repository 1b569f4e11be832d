"""API input is cleaned and bounded as forms are: C0 control characters leave typed text, and
dates keep to one sane range (roster/inputs.py) on the API and the forms alike."""

from __future__ import annotations

from datetime import timedelta

import pytest

from roster.db import today
from roster.requests.models import CrisisRequest
from tests.experts.test_profile_pages import form_fields
from tests.requests.test_request_pages import CLEARED

REQUEST = {
    "title": "CRSV advice",
    "kind": "exercise",
    "classification": "NR",
    "required_clearance": "NR",
    "urgency": "priority",
    "mode": "remote",
    "seats": 1,
}


def dated(starts: str, ends: str) -> dict[str, object]:
    return {**REQUEST, "starts_on": starts, "ends_on": ends}


@pytest.mark.parametrize(
    ("starts", "ends", "field"),
    [("0001-01-01", "0001-01-05", "starts_on"), ("2027-01-01", "9999-12-31", "ends_on")],
)
def test_the_api_refuses_request_dates_out_of_range(auth, client, make_user, starts, ends, field):
    lno = make_user("lno", **CLEARED)
    response = client.post("/api/v1/requests", json=dated(starts, ends), headers=auth.bearer(lno))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_the_form_refuses_the_same_dates(auth, make_user):
    lno = make_user("lno", **CLEARED)
    browser = auth.page(lno)
    data = form_fields(browser.get("/requests/new").get_data(as_text=True))
    data.update({**REQUEST, "seats": "1", "starts_on": "0001-01-01", "ends_on": "0001-01-05"})
    page = browser.post("/requests/new", data=data).get_data(as_text=True)
    assert 'id="starts_on-error"' in page


def test_the_api_cleans_control_characters_as_the_forms_do(auth, client, db_session, make_user):
    lno = make_user("lno", **CLEARED)
    start = today() + timedelta(days=30)
    body = {
        **dated(str(start), str(start + timedelta(days=3))),
        "title": "Bell\x07 and \x1bescape",
        "description": "Line one\nLine\ttwo\x0b",
    }
    response = client.post("/api/v1/requests", json=body, headers=auth.bearer(lno))
    assert response.status_code == 201, response.get_json()
    stored = db_session.get(CrisisRequest, response.get_json()["id"])
    assert stored.title == "Bell and escape"
    assert stored.description == "Line one\nLine\ttwo"


def test_the_api_cleans_an_expert_name_and_bounds_vetting_dates(
    auth, client, db_session, make_user, make_expert
):
    expert = make_expert()
    headers = auth.bearer(expert)
    version = client.get(f"/api/v1/experts/{expert.id}", headers=headers).get_json()["version"]
    renamed = client.patch(
        f"/api/v1/experts/{expert.id}",
        json={"version": version, "full_name": "Ana\x08 Lima"},
        headers=headers,
    )
    assert renamed.status_code == 200, renamed.get_json()
    assert renamed.get_json()["full_name"] == "Ana Lima"
    coordinator = make_user("coordinator")
    vetted = client.post(
        f"/api/v1/experts/{expert.id}/vetting",
        json={"status": "vetted", "valid_until": "3000-01-01", "note": ""},
        headers=auth.bearer(coordinator),
    )
    assert vetted.status_code == 422, vetted.get_json()
    assert "valid_until" in vetted.get_json()["error"]["fields"]
