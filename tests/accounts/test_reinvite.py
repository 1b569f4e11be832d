"""A new invitation for an account that never set a password (admins only; page and API)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from roster.accounts.models import Invitation, User
from roster.audit import AuditEvent
from roster.db import utcnow
from roster.notify.models import OutboxMessage
from tests.conftest import api_token, csrf_token, login

NEW_PASSWORD = "a good long passphrase indeed"


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def invited(make_user, db_session):
    """An account whose only invitation has expired, as after a missed deadline."""
    user = make_user("lno", password="")
    db_session.add(
        Invitation(user_id=user.id, token_hash="0" * 64, expires_at=utcnow() - timedelta(hours=1))
    )
    db_session.commit()
    return user


def reissue(client, user_id: int, role: str, make_user):
    actor = make_user(role)
    bearer = {"Authorization": f"Bearer {api_token(client, actor.email)}"}
    return client.post(f"/api/v1/users/{user_id}/invitation", headers=bearer)


def accept(client, url: str):
    return client.post(
        f"/api/v1/invitations/{token_of(url)}/accept", json={"password": NEW_PASSWORD}
    )


def test_admin_reissues_over_the_api_and_the_previous_link_stops(client, make_user, invited):
    first = reissue(client, invited.id, "admin", make_user)
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert set(body) == {"id", "email", "role", "invitation_url"}
    assert (body["id"], body["email"], body["role"]) == (invited.id, invited.email, "lno")
    second = reissue(client, invited.id, "admin", make_user).get_json()
    assert second["invitation_url"] != body["invitation_url"]
    assert accept(client, body["invitation_url"]).status_code == 410  # voided by the second
    assert accept(client, second["invitation_url"]).status_code == 200
    assert login(client.application.test_client(), invited.email, NEW_PASSWORD).status_code == 302


def test_reissue_is_audited_and_mailed(client, make_user, invited, db_session):
    assert reissue(client, invited.id, "admin", make_user).status_code == 201
    events = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "invitation.reissue")
    ).all()
    assert [e.subject for e in events] == [f"user:{invited.id}"]
    mails = db_session.exec(select(OutboxMessage).where(OutboxMessage.kind == "invitation")).all()
    assert len(mails) == 1


def test_an_account_with_a_password_gets_no_invitation(client, make_user, db_session):
    member = make_user("expert")
    answer = reissue(client, member.id, "admin", make_user)
    assert answer.status_code == 409
    error = answer.get_json()["error"]
    assert error["code"] == "conflict"
    assert "already has a password" in error["message"]
    assert db_session.exec(select(Invitation)).all() == []


def test_unknown_account_is_404(client, make_user):
    answer = reissue(client, 999_999, "admin", make_user)
    assert answer.status_code == 404
    assert answer.get_json()["error"]["message"] == "No such user."


@pytest.mark.parametrize("role", ["expert", "lno", "coordinator"])
def test_only_admins_reissue_over_the_api(client, make_user, invited, db_session, role):
    answer = reissue(client, invited.id, role, make_user)
    assert answer.status_code == 403
    assert answer.get_json()["error"]["code"] == "forbidden"
    live = db_session.exec(select(Invitation).where(Invitation.used_at.is_(None))).all()
    assert len(live) == 1  # the old one, untouched


def test_anonymous_reissue_is_401(client, invited):
    assert client.post(f"/api/v1/users/{invited.id}/invitation").status_code == 401


def test_admin_reissues_from_the_users_page(client, make_user, invited):
    admin = make_user("admin")
    login(client, admin.email)
    page = client.get("/admin/users").get_data(as_text=True)
    assert f'action="/admin/users/{invited.id}/invitation"' in page
    assert f'action="/admin/users/{admin.id}/invitation"' not in page  # has a password
    done = client.post(
        f"/admin/users/{invited.id}/invitation",
        data={"csrf_token": csrf_token(client, "/admin/users")},
    )
    assert done.status_code == 200
    html = done.get_data(as_text=True)
    link = html.split('<code class="link">', 1)[1].split("</code>", 1)[0]
    assert "/invitations/" in link
    assert accept(client.application.test_client(), link).status_code == 200


def test_the_page_explains_why_an_account_with_a_password_gets_none(client, make_user):
    admin, member = make_user("admin"), make_user("expert")
    login(client, admin.email)
    refused = client.post(
        f"/admin/users/{member.id}/invitation",
        data={"csrf_token": csrf_token(client, "/admin/users")},
        follow_redirects=True,
    )
    assert "already has a password" in refused.get_data(as_text=True)


@pytest.mark.parametrize("role", ["expert", "lno", "coordinator"])
def test_only_admins_reissue_from_the_page(app, make_user, invited, db_session, role):
    browser = app.test_client()
    login(browser, make_user(role).email)
    answer = browser.post(
        f"/admin/users/{invited.id}/invitation", data={"csrf_token": csrf_token(browser, "/")}
    )
    assert answer.status_code == 403
    assert db_session.exec(select(User).where(User.id == invited.id)).one().password_hash is None
    live = db_session.exec(select(Invitation).where(Invitation.used_at.is_(None))).all()
    assert len(live) == 1
