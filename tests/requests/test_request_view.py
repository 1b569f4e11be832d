"""The request page and the API read one view of a request: who may rate, who sees the log."""

from __future__ import annotations

import pytest

from tests.support.factories import make_request, seat

RATED = "Rated By Coordinator"


@pytest.fixture
def completed(db_session, make_user, make_expert):
    """A completed request raised by a coordinator, with one seated expert."""
    coordinator = make_user("coordinator", clearance="NS")
    req = make_request(db_session, coordinator, state="completed")
    expert = make_expert(clearance="NS", full_name=RATED)
    seat(db_session, req, expert)
    return req, coordinator, expert


def test_the_coordinator_who_raised_a_request_gets_the_rating_form(auth, completed):
    req, coordinator, expert = completed
    browser = auth.page(coordinator)
    page = browser.get(f"/requests/{req.id}").get_data(as_text=True)
    assert f'action="/requests/{req.id}/feedback/experts/{expert.id}"' in page
    assert f"Your rating of {RATED}" in page


def test_the_coordinators_rating_from_the_page_is_recorded(auth, db_session, completed):
    req, coordinator, expert = completed
    browser = auth.page(coordinator)
    page = browser.get(f"/requests/{req.id}").get_data(as_text=True)
    token = page.split(f'id="expert-{expert.id}-csrf_token"', 1)[1].split('value="', 1)[1]
    prefix = f"expert-{expert.id}"
    done = browser.post(
        f"/requests/{req.id}/feedback/experts/{expert.id}",
        data={f"{prefix}-csrf_token": token.split('"', 1)[0], f"{prefix}-rating": "4"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Thank you" in done and "rating 4 of 5" in done
    assert f'action="/requests/{req.id}/feedback/experts/{expert.id}"' not in done


def test_another_coordinator_gets_no_rating_form(auth, make_user, completed):
    req, _coordinator, expert = completed
    other = make_user("coordinator", clearance="NS")
    browser = auth.page(other)
    page = browser.get(f"/requests/{req.id}").get_data(as_text=True)
    assert f"/feedback/experts/{expert.id}" not in page


def test_page_and_api_agree_on_the_rating_right(auth, client, db_session, completed):
    req, coordinator, expert = completed
    headers = auth.bearer(coordinator)
    answer = client.post(
        f"/api/v1/requests/{req.id}/feedback",
        json={"expert_id": expert.id, "rating": 5},
        headers=headers,
    )
    assert answer.status_code == 201
