"""Who may act is decided before the body is read: a refused action or feedback is 403 even when
the body would not validate (as on every other API route)."""

from __future__ import annotations

from tests.support.factories import make_request, seat

BAD_NOTE = {"note": "x" * 5000, "surprise": True}
BAD_FEEDBACK = {"rating": 99, "surprise": True}


def test_an_expert_taking_an_action_with_a_bad_body_is_403(
    auth, client, db_session, make_user, make_expert
):
    lno = make_user("lno", clearance="NS")
    req = make_request(db_session, lno, state="staffed")
    expert = make_expert(clearance="NS")
    seat(db_session, req, expert)
    headers = auth.bearer(expert)
    response = client.post(
        f"/api/v1/requests/{req.id}/actions/start", json=BAD_NOTE, headers=headers
    )
    assert response.status_code == 403, response.get_json()


def test_an_lno_of_the_command_rating_with_a_bad_body_is_403(auth, client, db_session, make_user):
    lno = make_user("lno", clearance="NS")
    req = make_request(db_session, lno, state="completed")
    stranger = make_user("coordinator", clearance="NS")
    response = client.post(
        f"/api/v1/requests/{req.id}/feedback",
        json=BAD_FEEDBACK,
        headers=auth.bearer(stranger),
    )
    assert response.status_code == 403, response.get_json()


def test_an_allowed_actor_still_gets_422_for_a_bad_body(auth, client, db_session, make_user):
    lno = make_user("lno", clearance="NS")
    req = make_request(db_session, lno, state="draft")
    headers = auth.bearer(lno)
    response = client.post(
        f"/api/v1/requests/{req.id}/actions/submit", json=BAD_NOTE, headers=headers
    )
    assert response.status_code == 422
    done = client.post(f"/api/v1/requests/{req.id}/feedback", json=BAD_FEEDBACK, headers=headers)
    assert done.status_code in (409, 422)
