"""The API skeleton: tokens, the error envelope, me, reference data, users, OpenAPI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from roster.accounts.models import ApiToken
from roster.db import utcnow
from tests.conftest import PASSWORD, api_token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_envelope(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["message"], str)
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_token_is_issued_and_stored_hashed(client, make_user, db_session):
    user = make_user("lno", clearance="NS")
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"token", "expires_at"}
    stored = db_session.exec(select(ApiToken)).one()
    assert stored.token_hash != body["token"]
    assert body["token"] not in stored.token_hash


def test_wrong_password_is_401_with_envelope(client, make_user):
    user = make_user("lno")
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": "nope nope"})
    assert_envelope(response, 401, "not_authenticated")


def test_me(auth, client, make_user):
    user = make_user("lno", clearance="NS")
    headers = auth.bearer(user)
    body = client.get("/api/v1/me", headers=headers).get_json()
    assert body == {
        "id": user.id,
        "email": user.email,
        "role": "lno",
        "clearance": "NS",
        "expert_id": None,
        "locale": "en",
        "notify_by_email": True,
    }


def test_no_token_and_bad_token_are_401(client):
    assert_envelope(client.get("/api/v1/me"), 401)
    assert_envelope(client.get("/api/v1/me", headers=bearer("made-up")), 401)


def test_browser_session_does_not_authenticate_the_api(client, make_user):
    from tests.conftest import login

    user = make_user("lno")
    login(client, user.email)
    assert_envelope(client.get("/api/v1/me"), 401)


def test_revoked_token_stops_working(client, make_user):
    user = make_user("expert")
    token = api_token(client, user.email)
    assert client.delete("/api/v1/tokens/current", headers=bearer(token)).status_code == 204
    assert_envelope(client.get("/api/v1/me", headers=bearer(token)), 401)


def test_expired_token_stops_working(client, make_user, db_session):
    user = make_user("expert")
    token = api_token(client, user.email)
    stored = db_session.exec(select(ApiToken)).one()
    stored.expires_at = utcnow() - timedelta(seconds=1)
    db_session.add(stored)
    db_session.commit()
    assert_envelope(client.get("/api/v1/me", headers=bearer(token)), 401)


def test_deactivation_through_api_stops_tokens(client, make_user):
    admin = make_user("admin")
    target = make_user("lno")
    admin_token = api_token(client, admin.email)
    target_token = api_token(client, target.email)
    response = client.patch(
        f"/api/v1/users/{target.id}", json={"active": False}, headers=bearer(admin_token)
    )
    assert response.status_code == 200
    assert response.get_json()["active"] is False
    assert_envelope(client.get("/api/v1/me", headers=bearer(target_token)), 401)
    assert_envelope(
        client.post("/api/v1/tokens", json={"email": target.email, "password": PASSWORD}), 401
    )


def test_only_admins_patch_users(auth, client, make_user):
    coordinator = make_user("coordinator")
    target = make_user("lno")
    headers = auth.bearer(coordinator)
    response = client.patch(f"/api/v1/users/{target.id}", json={"active": False}, headers=headers)
    assert_envelope(response, 403, "forbidden")


def test_patch_unknown_user_is_404(auth, client, make_user):
    headers = auth.bearer(make_user("admin"))
    assert_envelope(
        client.patch("/api/v1/users/99999", json={"active": False}, headers=headers), 404
    )


def test_malformed_json_is_400(client, make_user):
    response = client.post("/api/v1/tokens", data="{not json", content_type="application/json")
    assert_envelope(response, 400, "malformed_body")


def test_validation_failure_is_422_with_fields(auth, client, make_user):
    headers = auth.bearer(make_user("admin"))
    response = client.post(
        "/api/v1/users",
        json={"email": "not-an-email", "role": "pilot", "full_name": "X", "surprise": 1},
        headers=headers,
    )
    error = assert_envelope(response, 422, "validation_failed")
    assert {"email", "role", "surprise"} <= set(error["fields"])


def test_non_boolean_active_is_422(auth, client, make_user):
    admin = make_user("admin")
    target = make_user("lno")
    headers = auth.bearer(admin)
    response = client.patch(f"/api/v1/users/{target.id}", json={"active": 0}, headers=headers)
    assert_envelope(response, 422)


def test_unknown_route_and_wrong_method_use_the_envelope(client):
    assert_envelope(client.get("/api/v1/nothing-here"), 404)
    assert_envelope(client.put("/api/v1/tokens", json={}), 405)


@pytest.mark.parametrize(
    ("actor_role", "new_role", "status"),
    [
        ("admin", "coordinator", 201),
        ("admin", "admin", 201),
        ("coordinator", "expert", 201),
        ("coordinator", "lno", 201),
        ("coordinator", "coordinator", 403),
        ("coordinator", "admin", 403),
        ("lno", "expert", 403),
        ("expert", "expert", 403),
    ],
)
def test_who_may_create_which_users(auth, client, make_user, actor_role, new_role, status):
    headers = auth.bearer(make_user(actor_role))
    response = client.post(
        "/api/v1/users",
        json={
            "email": "fresh@roster.example",
            "full_name": "Fresh",
            "role": new_role,
            "clearance": {"level": "NS", "expires_on": "2030-01-01"}
            if new_role != "expert"
            else None,
        },
        headers=headers,
    )
    assert response.status_code == status
    if status == 201:
        assert set(response.get_json()) == {"id", "email", "role", "invitation_url"}


def test_duplicate_user_is_409(auth, client, make_user):
    admin = make_user("admin")
    headers = auth.bearer(admin)
    response = client.post(
        "/api/v1/users",
        json={
            "email": admin.email.upper(),
            "full_name": "Dup",
            "role": "lno",
            "clearance": None,
        },
        headers=headers,
    )
    assert_envelope(response, 409)


def test_failed_write_leaves_nothing(auth, client, make_user, db_session):
    from roster.accounts.models import User

    headers = auth.bearer(make_user("coordinator"))
    before = len(db_session.exec(select(User)).all())
    client.post(
        "/api/v1/users",
        json={"email": "x@roster.example", "full_name": "X", "role": "admin", "clearance": None},
        headers=headers,
    )
    assert len(db_session.exec(select(User)).all()) == before


def test_openapi_lists_the_routes(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/v1/tokens",
        "/api/v1/me",
        "/api/v1/users",
        "/api/v1/users/{user_id}",
        "/api/v1/invitations/{token}/accept",
        "/api/v1/topics",
        "/api/v1/clearance-levels",
    ):
        assert path in spec["paths"], path
    assert "UserCreate" in spec["components"]["schemas"]


DEEP = b'{"email": ' + b"[" * 1000 + b"]" * 1000 + b', "password": "x"}'
LONE_SURROGATE = b'{"email": "a\\ud800@roster.example", "password": "p\\udfffw"}'


@pytest.mark.parametrize("body", [DEEP, b"[" * 70 + b"]" * 70, LONE_SURROGATE])
def test_hostile_json_for_a_token_is_400_not_500(client, body):
    response = client.post("/api/v1/tokens", data=body, content_type="application/json")
    assert_envelope(response, 400, "malformed_body")


@pytest.mark.parametrize("body", [DEEP, b'{"title": "\\udc00 alone"}'])
def test_hostile_json_on_an_authenticated_route_is_400(client, make_user, body):
    user = make_user("lno", clearance="NS")
    token = api_token(client, user.email)
    response = client.post(
        "/api/v1/requests", data=body, content_type="application/json", headers=bearer(token)
    )
    assert_envelope(response, 400, "malformed_body")


def test_moderate_nesting_and_paired_surrogates_still_parse(client, make_user):
    user = make_user("lno", clearance="NS")
    login = b'{"email": "%s", "password": "%s", "otp": null}' % (
        user.email.encode(),
        PASSWORD.encode(),
    )
    response = client.post("/api/v1/tokens", data=login, content_type="application/json")
    assert response.status_code == 201
    paired = client.post(
        "/api/v1/requests",
        data=b'{"title": "\\ud83d\\ude00", "topics": [{"code": "crsv", "min_level": 9}]}',
        content_type="application/json",
        headers=bearer(response.get_json()["token"]),
    )
    assert paired.status_code == 422
    assert "topics.0.min_level" in paired.get_json()["error"]["fields"]
