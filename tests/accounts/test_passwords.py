"""Passwords (ASVS 5.0 V6.2) and no default accounts (6.3.2)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from roster.accounts.models import User
from roster.accounts.passwords import MIN_LENGTH, password_problem
from tests.conftest import csrf_token, login


def invitation_token(client, make_user) -> str:
    admin = make_user("admin")
    login(client, admin.email)
    page = client.post(
        "/admin/users/invite",
        data={
            "full_name": "New Person",
            "email": "new.person@roster.example",
            "role": "expert",
            "clearance_level": "",
            "csrf_token": csrf_token(client, "/admin/users/invite"),
        },
    ).get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    return page.split("/invitations/", 1)[1].split("<", 1)[0].strip()


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("x" * (MIN_LENGTH - 1), False),  # too short
        ("lowercase ok", True),  # 12 characters, no composition rules
        ("p@ssw0rd1234", False),  # on the shipped common-password list
        ("PassW0rd1234", False),  # the list is checked without regard to case
        ("a" * 64, True),  # 64 characters are allowed
        ("une phrase de passe très longue " * 8, True),  # 256 characters, not ASCII
    ],
)
def test_password_rules(password, ok):
    assert (password_problem(password) is None) is ok


def test_long_passphrase_is_kept_whole(client, make_user):
    """A 200-character passphrase works, and one differing only at its end does not."""
    passphrase = "the quick brown fox jumps over the lazy dog " * 4 + "and then some"
    token = invitation_token(client, make_user)
    accepted = client.post(f"/api/v1/invitations/{token}/accept", json={"password": passphrase})
    assert accepted.status_code == 200
    page = login(client, "new.person@roster.example", passphrase[:-1] + "X").get_data(as_text=True)
    assert "Wrong email or password." in page
    assert login(client, "new.person@roster.example", passphrase).status_code == 302


def test_common_password_is_refused_with_422(client, make_user):
    token = invitation_token(client, make_user)
    response = client.post(f"/api/v1/invitations/{token}/accept", json={"password": "password1234"})
    assert response.status_code == 422
    assert "password" in response.get_json()["error"]["fields"]


def test_there_is_no_default_account(app, db_session):
    """Migrations and reference data create no login; the first admin comes from create-admin."""
    assert db_session.exec(select(User)).all() == []


def test_create_admin_refuses_a_weak_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["roster", "create-admin", "a@roster.example"], input="short\n")
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
