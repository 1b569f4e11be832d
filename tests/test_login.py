"""Signing in and out in the browser pages: passwords, deactivation, CSRF, sessions."""

from __future__ import annotations

import pytest

from roster.accounts.passwords import hash_password, password_problem, verify_password
from tests.conftest import PASSWORD, csrf_token, login


@pytest.mark.parametrize("role", ["expert", "lno", "coordinator", "admin"])
def test_each_role_lands_on_its_home_page(client, make_user, role):
    user = make_user(role)
    response = login(client, user.email)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    headings = {
        "expert": "Welcome, Test Expert",
        "lno": "Liaison officer workspace",
        "coordinator": "Coordinator workspace",
        "admin": "Administration",
    }
    assert headings[role] in page


def test_wrong_password_and_unknown_email_get_the_same_message(client, make_user):
    user = make_user("lno")
    wrong_password = login(client, user.email, "not the right password").get_data(as_text=True)
    unknown = login(client, "nobody@roster.example", "not the right password").get_data(
        as_text=True
    )
    assert "Wrong email or password." in wrong_password
    assert "Wrong email or password." in unknown
    assert client.get("/").status_code == 302  # still anonymous


def test_login_keeps_the_typed_email(client, make_user):
    user = make_user("lno")
    page = login(client, user.email, "not the right password").get_data(as_text=True)
    assert f'value="{user.email}"' in page


def test_deactivated_user_cannot_sign_in(client, make_user):
    user = make_user("lno", active=False)
    page = login(client, user.email).get_data(as_text=True)
    assert "Wrong email or password." in page
    assert client.get("/").status_code == 302


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_logout_ends_the_session(client, make_user):
    user = make_user("coordinator")
    login(client, user.email)
    assert client.get("/").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_form_post_without_csrf_token_is_refused(client, make_user):
    user = make_user("lno")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_logout_without_csrf_token_is_refused(client, make_user):
    user = make_user("lno")
    login(client, user.email)
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_session_is_replaced_at_login(client, make_user):
    user = make_user("lno")
    before = csrf_token(client)
    login(client, user.email)
    after = csrf_token(client, "/account/password")
    assert before != after


def test_session_cookie_flags(client, make_user):
    user = make_user("lno")
    login(client, user.email)
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_deactivation_ends_a_live_session(client, make_user, db_session):
    user = make_user("lno")
    login(client, user.email)
    assert client.get("/").status_code == 200
    user.active = False
    db_session.add(user)
    db_session.commit()
    assert client.get("/").status_code == 302


def test_change_password_needs_the_current_one(client, make_user):
    user = make_user("expert")
    login(client, user.email)
    token = csrf_token(client, "/account/password")
    new = "a brand new passphrase for testing"
    bad = client.post(
        "/account/password",
        data={
            "current_password": "wrong wrong wrong",
            "new_password": new,
            "confirm": new,
            "csrf_token": token,
        },
    )
    assert "The current password is wrong." in bad.get_data(as_text=True)
    good = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": new,
            "confirm": new,
            "csrf_token": token,
        },
    )
    assert good.status_code == 302
    assert client.get("/").status_code == 200  # this session survives
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert login(client, user.email, new).status_code == 302


def test_change_password_signs_out_other_sessions(app, make_user):
    user = make_user("expert")
    first, second = app.test_client(), app.test_client()
    login(first, user.email)
    login(second, user.email)
    token = csrf_token(first, "/account/password")
    new = "another brand new passphrase"
    first.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": new,
            "confirm": new,
            "csrf_token": token,
        },
    )
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302


def test_password_rules():
    assert password_problem("short") is not None
    assert password_problem("password1234") is not None  # on the common list
    assert password_problem("x" * 64 + " a long passphrase") is None
    assert password_problem("twelve chars") is None


def test_production_hasher_parameters(monkeypatch):
    from argon2 import extract_parameters

    from roster.accounts import passwords

    monkeypatch.setattr(passwords, "_hasher", passwords.DEFAULT_HASHER)
    params = extract_parameters(hash_password("a production passphrase"))
    assert params.type.name == "ID"
    assert params.memory_cost >= 19 * 1024  # OWASP: argon2id with at least 19 MiB
    assert params.time_cost >= 2


def test_hash_is_argon2id_and_not_truncated():
    first = "a" * 79 + "b"
    second = "a" * 79 + "c"
    hashed = hash_password(first)
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, first)
    assert not verify_password(hashed, second)
    assert not verify_password(None, first)
