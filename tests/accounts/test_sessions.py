"""Sessions and cookies (ASVS 5.0 V3.3, V7.2-7.5): flags, revocation through the nonce, timeouts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.conftest import PASSWORD, csrf_token, login, next_otp


def session_cookie(client, name: str = "session") -> str:
    cookie = client.get_cookie(name)
    assert cookie is not None
    return cookie.value


def test_cookie_over_https_is_host_prefixed_secure_httponly_lax(make_app, make_user, monkeypatch):
    monkeypatch.setenv("ROSTER_SECURE_COOKIES", "1")
    app = make_app()
    client = app.test_client()
    user = make_user("lno")
    https = "https://roster.example"
    page = client.get("/login", base_url=https).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        base_url=https,
        headers={"Referer": f"{https}/login"},  # Flask-WTF checks it over HTTPS
    )
    assert response.status_code == 302
    cookies = {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}
    assert set(cookies) == {"__Host-session", "__Host-device"}
    assert all("Secure" in h and "HttpOnly" in h and "Domain" not in h for h in cookies.values())
    header = cookies["__Host-session"]
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
    assert {"secure", "httponly", "path", "samesite"} <= attributes
    assert "domain" not in attributes
    assert "SameSite=Lax" in header
    assert client.get("/", base_url=https).status_code == 200


def test_local_http_keeps_a_plain_cookie(client, make_user):
    login(client, make_user("lno").email)
    assert client.get_cookie("session") is not None
    assert not client.get_cookie("session").secure


def test_logout_ends_every_copy_of_the_cookie(app, client, make_user):
    user = make_user("coordinator")
    login(client, user.email)
    thief = app.test_client()
    thief.set_cookie("session", session_cookie(client))
    assert thief.get("/").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert '"storage"' in response.headers["Clear-Site-Data"]
    assert client.get("/").status_code == 302
    assert thief.get("/").status_code == 302


@pytest.mark.parametrize(("change", "value"), [("role", "expert"), ("active", False)])
def test_role_change_and_deactivation_end_live_sessions(
    client, make_user, db_session, change, value
):
    user = make_user("lno")
    login(client, user.email)
    assert client.get("/").status_code == 200
    setattr(user, change, value)
    db_session.add(user)
    db_session.commit()
    assert client.get("/").status_code == 302


def test_two_factor_change_ends_other_sessions(app, make_user):
    user = make_user("lno")
    first, second = app.test_client(), app.test_client()
    login(first, user.email)
    login(second, user.email)
    secret = re.search(
        r'id="totp-secret">([A-Z2-7]+)<', first.get("/account/two-factor").get_data(as_text=True)
    ).group(1)
    from roster.accounts import totp

    token = csrf_token(first, "/account/two-factor")
    code = totp.code_at_step(secret, totp.time_step())
    first.post("/account/two-factor", data={"code": code, "csrf_token": token})
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302


def test_idle_timeout_is_thirty_minutes(client, make_user):
    user = make_user("coordinator")
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        login(client, user.email)
        clock.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=29))  # activity keeps the session alive
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=30, seconds=1))
        response = client.get("/")
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_absolute_timeout_is_twelve_hours_even_when_active(client, make_user):
    user = make_user("admin")
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        login(client, user.email)
        for _ in range(28):  # 28 x 25 minutes = 11 h 40 min, never idle for long
            clock.shift(timedelta(minutes=25))
            assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=21))  # 12 h 1 min after signing in
        assert client.get("/").status_code == 302


def test_changing_the_password_needs_a_fresh_sign_in(client, make_user):
    user = make_user("coordinator")
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        login(client, user.email)
        assert client.get("/account/password").status_code == 200
        clock.shift(timedelta(minutes=11))
        response = client.get("/account/password")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
        assert "password" in response.headers["Location"]
        assert client.get("/").status_code == 302
        assert login(client, user.email).status_code == 302
        assert client.get("/account/password").status_code == 200


def test_api_enrolment_with_an_old_full_token_needs_a_new_one(client, make_user):
    user = make_user("lno")
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        body = {"email": user.email, "password": PASSWORD}
        token = client.post("/api/v1/tokens", json=body).get_json()["token"]
        clock.shift(timedelta(minutes=16))
        stale = client.post("/api/v1/me/totp", headers={"Authorization": f"Bearer {token}"})
        assert stale.status_code == 401
        assert stale.get_json()["error"]["code"] == "fresh_login_required"
    assert next_otp(client.application, user.email) is None
