"""The `auth` fixture signs users in the way the app does: pages with the second factor, tokens
from the token service."""

from __future__ import annotations


def test_page_signs_a_two_factor_user_in_through_the_code_step(auth, make_user):
    coordinator = make_user("coordinator", clearance="NS")
    home = auth.page(coordinator).get("/")
    assert home.status_code == 200
    assert "Coordinator workspace" in home.get_data(as_text=True)


def test_bearer_opens_the_api_and_is_cached_per_user(auth, client, make_user):
    lno, other = make_user("lno", clearance="NS"), make_user("lno", clearance="NS")
    headers = auth.bearer(lno)
    assert auth.bearer(lno) == headers
    assert auth.bearer(other) != headers
    assert client.get("/api/v1/me", headers=headers).get_json()["email"] == lno.email
    assert client.get("/api/v1/me").status_code == 401


def test_an_expert_signs_in_with_its_account(auth, client, make_expert):
    expert = make_expert(clearance="NS")
    me = client.get("/api/v1/me", headers=auth.bearer(expert)).get_json()
    assert me["email"] == expert.email
    assert auth.page(expert).user.id == expert.user_id


def test_bearer_new_issues_another_working_token(auth, client, make_user):
    lno = make_user("lno", clearance="NS")
    first = auth.bearer(lno)
    second = auth.bearer(lno, new=True)
    assert second != first and auth.bearer(lno) == second
    for headers in (first, second):
        assert client.get("/api/v1/me", headers=headers).get_json()["email"] == lno.email
