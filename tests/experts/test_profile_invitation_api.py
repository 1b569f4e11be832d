"""POST /api/v1/experts/{id}/invitation: the person of an existing profile gets an expert account
linked to it, or a clear refusal that writes nothing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import func, select

from roster.accounts.models import Invitation, User
from roster.audit import AuditEvent
from roster.db import utcnow
from roster.experts.models import Expert
from roster.notify.models import OutboxMessage
from tests.conftest import api_token

NEW_PASSWORD = "a good long passphrase indeed"


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def invite(client, auth, who, expert_id: int):
    return client.post(f"/api/v1/experts/{expert_id}/invitation", headers=auth.bearer(who))


def count(db_session, model) -> int:
    db_session.expire_all()
    return db_session.exec(select(func.count()).select_from(model)).one()


def test_coordinator_invites_an_accountless_profile_and_the_owner_answers_offers(
    auth, client, make_user, make_expert, db_session
):
    coordinator = make_user("coordinator")
    expert = make_expert(with_user=False)
    response = invite(client, auth, coordinator, expert.id)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert set(body) >= {"invitation_url", "expires_at"}
    assert body["expert_id"] == expert.id
    db_session.refresh(expert)
    account = db_session.get(User, expert.user_id)
    assert account.email == expert.email and account.full_name == expert.full_name
    assert account.password_hash is None
    mail = db_session.exec(select(OutboxMessage).where(OutboxMessage.kind == "invitation")).one()
    assert mail.to_address == expert.email
    assert token_of(body["invitation_url"]) in mail.body
    actions = db_session.exec(select(AuditEvent.action)).all()
    assert "expert.invite" in actions and "expert.account.link" in actions

    accepted = client.post(
        f"/api/v1/invitations/{token_of(body['invitation_url'])}/accept",
        json={"password": NEW_PASSWORD},
    )
    assert accepted.status_code == 200
    bearer = {"Authorization": f"Bearer {api_token(client, expert.email, NEW_PASSWORD)}"}
    me = client.get("/api/v1/me", headers=bearer).get_json()
    assert me["expert_id"] == expert.id and me["role"] == "expert"
    assert client.get("/api/v1/offers", headers=bearer).status_code == 200


def test_an_unaccepted_invitation_is_replaced_and_the_old_link_stops(
    auth, client, make_user, make_expert
):
    coordinator = make_user("coordinator")
    expert = make_expert(with_user=False)
    first = invite(client, auth, coordinator, expert.id).get_json()
    second = invite(client, auth, coordinator, expert.id)
    assert second.status_code == 201, second.get_json()
    assert second.get_json()["user_id"] == first["user_id"]
    old = client.post(
        f"/api/v1/invitations/{token_of(first['invitation_url'])}/accept",
        json={"password": NEW_PASSWORD},
    )
    assert old.status_code == 410
    new = client.post(
        f"/api/v1/invitations/{token_of(second.get_json()['invitation_url'])}/accept",
        json={"password": NEW_PASSWORD},
    )
    assert new.status_code == 200


def test_an_unlinked_expert_account_with_the_profiles_email_is_reused(
    auth, client, make_user, make_expert, db_session
):
    expert = make_expert(with_user=False)
    # As the Users page made them before it linked expert accounts to profiles.
    orphan = make_user("expert", email=expert.email, password="")
    response = invite(client, auth, make_user("coordinator"), expert.id)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["user_id"] == orphan.id
    db_session.refresh(expert)
    assert expert.user_id == orphan.id
    assert count(db_session, User) == 2  # the orphan and the coordinator: no third account


def test_a_profile_whose_account_is_in_use_is_409_and_nothing_is_written(
    auth, client, make_user, make_expert, db_session
):
    expert = make_expert()  # an account that set its password
    coordinator = make_user("coordinator")
    auth.bearer(coordinator)
    before = (count(db_session, Invitation), count(db_session, OutboxMessage))
    response = invite(client, auth, coordinator, expert.id)
    assert response.status_code == 409
    assert "already has an active account" in response.get_json()["error"]["message"]
    assert (count(db_session, Invitation), count(db_session, OutboxMessage)) == before


def test_a_deactivated_profile_is_409(auth, client, make_user, make_expert, db_session):
    expert = make_expert(with_user=False, active=False)
    response = invite(client, auth, make_user("coordinator"), expert.id)
    assert response.status_code == 409
    assert "deactivated" in response.get_json()["error"]["message"]
    db_session.refresh(expert)
    assert expert.user_id is None


def test_an_erased_profile_is_gone(auth, client, make_user, make_expert, db_session):
    expert = make_expert(with_user=False)
    expert.pseudonym, expert.email, expert.active = "erased-0123456789", None, False
    db_session.add(expert)
    db_session.commit()
    response = invite(client, auth, make_user("coordinator"), expert.id)
    assert response.status_code == 410
    assert response.get_json()["error"]["code"] == "gone"
    assert count(db_session, Invitation) == 0


def test_a_profile_without_email_is_422_on_email(auth, client, make_user, make_expert, db_session):
    expert = make_expert(with_user=False)
    expert.email = None  # as seeded or imported before e-mail was required
    db_session.add(expert)
    db_session.commit()
    response = invite(client, auth, make_user("coordinator"), expert.id)
    assert response.status_code == 422
    assert "email" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("role", ["lno", "coordinator", "admin"])
def test_another_account_holding_the_email_is_409(
    auth, client, make_user, make_expert, db_session, role
):
    expert = make_expert(with_user=False)
    make_user(role, email=expert.email)
    response = invite(client, auth, make_user("coordinator"), expert.id)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert "Another account" in error["message"] and "email" in error["fields"]
    db_session.refresh(expert)
    assert expert.user_id is None


def test_a_deactivated_unlinked_expert_account_is_409(auth, client, make_user, make_expert):
    expert = make_expert(with_user=False)
    make_user("expert", email=expert.email, password="", active=False)
    response = invite(client, auth, make_user("coordinator"), expert.id)
    assert response.status_code == 409
    assert "deactivated" in response.get_json()["error"]["message"]


def test_experts_and_lnos_may_not_invite_and_anonymous_must_sign_in(
    auth, client, make_user, make_expert, db_session
):
    pending = make_expert(with_user=False, vetting="pending")
    listed = make_expert(with_user=False)
    own = make_expert()
    lno = make_user("lno")
    assert invite(client, auth, lno, listed.id).status_code == 403
    assert invite(client, auth, lno, pending.id).status_code == 404  # not visible to an LNO
    assert invite(client, auth, own, own.id).status_code == 403
    assert invite(client, auth, own, listed.id).status_code == 404
    assert client.post(f"/api/v1/experts/{listed.id}/invitation").status_code == 401
    assert count(db_session, Invitation) == 0


def test_an_unknown_profile_is_404(auth, client, make_user):
    assert invite(client, auth, make_user("coordinator"), 999_999).status_code == 404


def test_the_expiry_is_the_configured_lifetime(auth, client, make_user, make_expert, db_session):
    expert = make_expert(with_user=False)
    before = utcnow()
    body = invite(client, auth, make_user("coordinator"), expert.id).get_json()
    invitation = db_session.exec(select(Invitation)).one()
    assert invitation.expires_at > before
    assert body["expires_at"].startswith(invitation.expires_at.isoformat()[:16])
    assert db_session.exec(select(Expert.user_id).where(Expert.id == expert.id)).one()


def create_expert_user(client, auth, who, email: str):
    return client.post(
        "/api/v1/users",
        json={"email": email, "full_name": "Typed Name", "role": "expert", "clearance": None},
        headers=auth.bearer(who),
    )


def test_post_users_links_an_expert_to_the_profile_with_that_email(
    auth, client, make_user, make_expert, db_session
):
    expert = make_expert(with_user=False)
    response = create_expert_user(client, auth, make_user("admin"), expert.email.upper())
    assert response.status_code == 201, response.get_json()
    db_session.refresh(expert)
    assert expert.user_id == response.get_json()["id"]
    token = token_of(response.get_json()["invitation_url"])
    client.post(f"/api/v1/invitations/{token}/accept", json={"password": NEW_PASSWORD})
    bearer = {"Authorization": f"Bearer {api_token(client, expert.email, NEW_PASSWORD)}"}
    assert client.get("/api/v1/me", headers=bearer).get_json()["expert_id"] == expert.id


def test_post_users_without_a_profile_makes_a_pending_one_never_an_orphan(
    auth, client, make_user, db_session
):
    response = create_expert_user(client, auth, make_user("coordinator"), "fresh@roster.example")
    assert response.status_code == 201, response.get_json()
    profile = db_session.exec(select(Expert).where(Expert.user_id == response.get_json()["id"]))
    expert = profile.one()
    assert expert.email == "fresh@roster.example" and expert.full_name == "Typed Name"
    assert expert.vetting_status == "pending"


def test_post_users_refuses_a_profile_that_has_another_account(
    auth, client, make_user, make_expert, db_session
):
    expert = make_expert(with_user=False)
    other = make_user("expert", email="someone.else@roster.example")
    expert.user_id = other.id
    db_session.add(expert)
    db_session.commit()
    response = create_expert_user(client, auth, make_user("admin"), expert.email)
    assert response.status_code == 409
    assert "email" in response.get_json()["error"]["fields"]
    assert db_session.exec(select(User).where(User.email == expert.email)).first() is None


def test_post_users_after_an_erasure_makes_a_new_pending_profile(
    auth, client, make_user, make_expert, db_session
):
    """An erased profile holds no e-mail: the address is free for a new pending profile."""
    expert = make_expert(with_user=False)
    address = expert.email
    expert.pseudonym, expert.email, expert.active = "erased-abcdef0123", None, False
    db_session.add(expert)
    db_session.commit()
    response = create_expert_user(client, auth, make_user("admin"), address)
    assert response.status_code == 201
    db_session.refresh(expert)
    assert expert.user_id is None


def test_parallel_invitations_of_one_profile_make_one_account_and_no_error(
    app, auth, make_user, make_expert, db_session
):
    expert = make_expert(with_user=False)
    headers = [auth.bearer(make_user("coordinator")) for _ in range(4)]
    start = threading.Barrier(len(headers))

    def call(bearer: dict[str, str]) -> int:
        client = app.test_client()
        start.wait()
        return client.post(f"/api/v1/experts/{expert.id}/invitation", headers=bearer).status_code

    with ThreadPoolExecutor(len(headers)) as pool:
        statuses = list(pool.map(call, headers))
    assert 201 in statuses and set(statuses) <= {201, 409}, statuses
    db_session.expire_all()
    accounts = db_session.exec(select(User).where(User.email == expert.email)).all()
    assert len(accounts) == 1
    assert db_session.get(Expert, expert.id).user_id == accounts[0].id
