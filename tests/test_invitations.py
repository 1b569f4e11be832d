"""Invitations: created by coordinators and admins, single use, expiring."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlmodel import select

from roster.accounts.models import Invitation, User
from roster.audit import AuditEvent
from roster.db import utcnow
from tests.conftest import csrf_token, login

NEW_PASSWORD = "a good long passphrase indeed"


def invite_via_api(client, auth, make_user, role="expert", email="new.person@roster.example"):
    admin = make_user("admin")
    response = client.post(
        "/api/v1/users",
        json={
            "email": email,
            "full_name": "New Person",
            "role": role,
            "clearance": None,
        },
        headers=auth.bearer(admin),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_invitation_accept_then_login(auth, client, make_user):
    created = invite_via_api(client, auth, make_user)
    assert created["role"] == "expert"
    token = token_of(created["invitation_url"])
    response = client.post(f"/api/v1/invitations/{token}/accept", json={"password": NEW_PASSWORD})
    assert response.status_code == 200
    assert login(client, "new.person@roster.example", NEW_PASSWORD).status_code == 302


def test_invitation_cannot_be_reused(auth, client, make_user):
    token = token_of(invite_via_api(client, auth, make_user)["invitation_url"])
    client.post(f"/api/v1/invitations/{token}/accept", json={"password": NEW_PASSWORD})
    again = client.post(f"/api/v1/invitations/{token}/accept", json={"password": NEW_PASSWORD})
    assert again.status_code == 410
    assert again.get_json()["error"]["code"] == "gone"
    assert client.get(f"/invitations/{token}").status_code == 410


def test_expired_invitation_is_gone(auth, client, make_user, db_session):
    token = token_of(invite_via_api(client, auth, make_user)["invitation_url"])
    for invitation in db_session.exec(select(Invitation)):
        invitation.expires_at = utcnow() - timedelta(seconds=1)
        db_session.add(invitation)
    db_session.commit()
    response = client.post(f"/api/v1/invitations/{token}/accept", json={"password": NEW_PASSWORD})
    assert response.status_code == 410
    user = db_session.exec(select(User).where(User.email == "new.person@roster.example")).one()
    db_session.refresh(user)
    assert user.password_hash is None


def test_weak_password_is_422_and_leaves_the_invitation_usable(auth, client, make_user):
    token = token_of(invite_via_api(client, auth, make_user)["invitation_url"])
    weak = client.post(f"/api/v1/invitations/{token}/accept", json={"password": "short"})
    assert weak.status_code == 422
    assert "password" in weak.get_json()["error"]["fields"]
    ok = client.post(f"/api/v1/invitations/{token}/accept", json={"password": NEW_PASSWORD})
    assert ok.status_code == 200


def test_invitation_page_sets_password(auth, client, make_user):
    token = token_of(invite_via_api(client, auth, make_user)["invitation_url"])
    form = csrf_token(client, f"/invitations/{token}")
    mismatch = client.post(
        f"/invitations/{token}",
        data={"password": NEW_PASSWORD, "confirm": "something else entirely", "csrf_token": form},
    )
    assert "The passwords differ." in mismatch.get_data(as_text=True)
    done = client.post(
        f"/invitations/{token}",
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": form},
    )
    assert done.status_code == 302
    assert client.get(f"/invitations/{token}").status_code == 410


def test_invitation_expiry_defaults_to_seven_days(auth, client, make_user, db_session):
    invite_via_api(client, auth, make_user)
    invitation = db_session.exec(select(Invitation)).one()
    days = (invitation.expires_at - invitation.created_at).total_seconds() / 86400
    assert round(days) == 7


def test_coordinator_invites_through_the_page(auth, make_user):
    coordinator = make_user("coordinator")
    client = auth.page(coordinator)
    token = csrf_token(client, "/admin/users/invite")
    page = client.post(
        "/admin/users/invite",
        data={
            "full_name": "Invited Expert",
            "email": "invited@roster.example",
            "role": "expert",
            "clearance_level": "",
            "csrf_token": token,
        },
    ).get_data(as_text=True)
    assert "/invitations/" in page
    refused = client.post(
        "/admin/users/invite",
        data={
            "full_name": "Would Be Admin",
            "email": "wba@roster.example",
            "role": "admin",
            "clearance_level": "",
            "csrf_token": token,
        },
    ).get_data(as_text=True)
    assert "Not a valid choice" in refused
    assert 'value="Would Be Admin"' in refused


def test_duplicate_email_is_refused_beside_the_field(auth, make_user):
    admin = make_user("admin")
    client = auth.page(admin)
    token = csrf_token(client, "/admin/users/invite")
    page = client.post(
        "/admin/users/invite",
        data={
            "full_name": "Same Email",
            "email": admin.email,
            "role": "lno",
            "clearance_level": "NS",
            "csrf_token": token,
        },
    ).get_data(as_text=True)
    assert "Already in use." in page


def test_admin_deactivates_a_user_on_the_users_page(auth, make_user):
    admin = make_user("admin")
    target = make_user("lno")
    client = auth.page(admin)
    token = csrf_token(client, "/admin/users")
    response = client.post(
        f"/admin/users/{target.id}/active", data={"active": "0", "csrf_token": token}
    )
    assert response.status_code == 302
    other = client.application.test_client()
    assert "Wrong email or password." in login(other, target.email).get_data(as_text=True)


def test_experts_and_lnos_cannot_open_user_admin(auth, make_user):
    for role in ("expert", "lno"):
        user = make_user(role)
        browser = auth.page(user)
        assert browser.get("/admin/users").status_code == 403
        assert browser.get("/admin/users/invite").status_code == 403


def at_once(calls: list[Callable[[], int]]) -> list[int]:
    """Run the calls in threads released together: each request has its own session and
    connection, as with parallel workers."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], int]) -> int:
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def accepted_once(app, db_session, passwords: list[str], statuses: list[int]) -> None:
    assert sorted(statuses) == [200] + [410] * (len(passwords) - 1), statuses
    winner = passwords[statuses.index(200)]
    signed_in = [
        p
        for p in passwords
        if login(app.test_client(), "new.person@roster.example", p).status_code == 302
    ]
    assert signed_in == [winner]
    accepts = db_session.exec(select(AuditEvent).where(AuditEvent.action == "invitation.accept"))
    assert len(accepts.all()) == 1


def test_parallel_api_accepts_of_one_invitation_let_exactly_one_through(
    auth, app, make_user, db_session
):
    token = token_of(invite_via_api(app.test_client(), auth, make_user)["invitation_url"])
    passwords = [f"{NEW_PASSWORD} number {n}" for n in range(6)]

    def accept(password: str) -> Callable[[], int]:
        client = app.test_client()
        url = f"/api/v1/invitations/{token}/accept"
        return lambda: client.post(url, json={"password": password}).status_code

    accepted_once(app, db_session, passwords, at_once([accept(p) for p in passwords]))


def test_parallel_page_accepts_of_one_invitation_let_exactly_one_through(
    auth, app, make_user, db_session
):
    token = token_of(invite_via_api(app.test_client(), auth, make_user)["invitation_url"])
    passwords = [f"{NEW_PASSWORD} number {n}" for n in range(6)]

    def accept(password: str) -> Callable[[], int]:
        client = app.test_client()
        form = csrf_token(client, f"/invitations/{token}")
        data = {"password": password, "confirm": password, "csrf_token": form}
        return lambda: client.post(f"/invitations/{token}", data=data).status_code

    statuses = at_once([accept(p) for p in passwords])
    accepted_once(app, db_session, passwords, [200 if s == 302 else s for s in statuses])
