"""Admins change an account's role and own clearance: sessions and tokens end, the change is
audited, the last active admin keeps the role, an expert profile keeps its account an expert."""

from __future__ import annotations

from sqlmodel import select

from roster.accounts.models import User
from roster.audit import AuditEvent
from tests.conftest import csrf_token


def patch(client, auth, admin, user_id: int, body: dict):
    return client.patch(f"/api/v1/users/{user_id}", json=body, headers=auth.bearer(admin))


def test_a_role_change_ends_tokens_and_sessions_and_is_audited(auth, client, make_user, db_session):
    admin = make_user("admin")
    member = make_user("lno", clearance="NS")
    browser = auth.page(member)
    headers = auth.bearer(member)
    answer = patch(client, auth, admin, member.id, {"role": "coordinator"})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["role"] == "coordinator"
    assert answer.get_json()["clearance"] == {"level": "NS", "expires_on": None}
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert browser.get("/").status_code == 302
    event = db_session.exec(select(AuditEvent).where(AuditEvent.action == "user.role")).one()
    assert event.subject == f"user:{member.id}"


def test_a_clearance_change_ends_tokens(auth, client, make_user, db_session):
    admin = make_user("admin")
    member = make_user("lno", clearance="NS")
    headers = auth.bearer(member)
    answer = patch(
        client, auth, admin, member.id, {"clearance": {"level": "NC", "expires_on": "2031-01-31"}}
    )
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["clearance"] == {"level": "NC", "expires_on": "2031-01-31"}
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    removed = patch(client, auth, admin, member.id, {"clearance": None})
    assert removed.get_json()["clearance"] is None


def test_the_old_active_body_still_works_and_an_empty_one_is_refused(auth, client, make_user):
    admin = make_user("admin")
    member = make_user("lno")
    assert patch(client, auth, admin, member.id, {"active": False}).get_json()["active"] is False
    empty = patch(client, auth, admin, member.id, {})
    assert empty.status_code == 422
    assert patch(client, auth, admin, member.id, {"role": "boss"}).status_code == 422


def test_the_last_active_admin_keeps_the_role(auth, client, make_user, db_session):
    admin = make_user("admin")
    make_user("admin", active=False)  # an inactive admin does not count
    answer = patch(client, auth, admin, admin.id, {"role": "coordinator"})
    assert answer.status_code == 409
    assert answer.get_json()["error"]["code"] == "conflict"
    db_session.expire_all()
    assert db_session.get(User, admin.id).role == "admin"
    other = make_user("admin")
    assert patch(client, auth, admin, admin.id, {"role": "coordinator"}).status_code == 200
    last = patch(client, auth, other, other.id, {"role": "lno"})
    assert last.status_code == 409


def test_an_account_with_an_expert_profile_stays_an_expert(
    auth, client, make_user, make_expert, db_session
):
    admin = make_user("admin")
    expert = make_expert()
    answer = patch(client, auth, admin, expert.user_id, {"role": "lno"})
    assert answer.status_code == 409
    assert "expert profile" in answer.get_json()["error"]["message"]
    db_session.expire_all()
    assert db_session.get(User, expert.user_id).role == "expert"


def test_an_expert_account_carries_no_clearance_of_its_own(auth, client, make_user):
    admin = make_user("admin")
    member = make_user("expert")
    answer = patch(client, auth, admin, member.id, {"clearance": {"level": "NS"}})
    assert answer.status_code == 422
    assert "clearance" in answer.get_json()["error"]["fields"]


def test_only_admins_change_roles(auth, client, make_user):
    coordinator = make_user("coordinator")
    member = make_user("lno")
    assert patch(client, auth, coordinator, member.id, {"role": "admin"}).status_code == 403


def test_the_users_page_changes_role_and_clearance(auth, make_user, db_session):
    admin = make_user("admin")
    member = make_user("lno")
    browser = auth.page(admin)
    assert f"/admin/users/{member.id}/edit" in browser.get("/admin/users").get_data(as_text=True)
    page = f"/admin/users/{member.id}/edit"
    done = browser.post(
        page,
        data={
            "role": "coordinator",
            "clearance_level": "NS",
            "clearance_expires_on": "2030-06-30",
            "csrf_token": csrf_token(browser, page),
        },
    )
    assert done.status_code == 302
    db_session.expire_all()
    changed = db_session.get(User, member.id)
    assert (changed.role, changed.clearance_level) == ("coordinator", "NS")


def test_the_page_shows_the_last_admin_refusal(auth, make_user, db_session):
    admin = make_user("admin")
    browser = auth.page(admin)
    page = f"/admin/users/{admin.id}/edit"
    refused = browser.post(
        page, data={"role": "lno", "clearance_level": "", "csrf_token": csrf_token(browser, page)}
    )
    assert refused.status_code == 409
    assert "The last active admin keeps the role." in refused.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(User, admin.id).role == "admin"
