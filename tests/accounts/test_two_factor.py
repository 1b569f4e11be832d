"""Two-factor (ASVS 5.0 V6.3.3, V6.5): required for coordinators and admins, codes used once."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from roster.accounts import totp
from roster.accounts.models import RecoveryCode, User
from tests.conftest import PASSWORD, TEST_TOTP_SECRET, api_token, csrf_token, login


def now_code(secret: str = TEST_TOTP_SECRET, ahead: int = 0) -> str:
    return totp.code_at_step(secret, totp.time_step() + ahead)


def password_step(client, email: str, password: str = PASSWORD):
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def code_step(client, code: str):
    token = csrf_token(client, "/login/code")
    return client.post("/login/code", data={"code": code, "csrf_token": token})


def secret_on(page: str) -> str:
    match = re.search(r'id="totp-secret">([A-Z2-7]+)<', page)
    assert match, "no secret on the enrolment page"
    return match.group(1)


# --- browser -----------------------------------------------------------------------------------


def test_unenrolled_coordinator_must_enrol_before_anything_else(client, make_user, db_session):
    user = make_user("coordinator", totp_enrolled=False)
    first = password_step(client, user.email)
    assert first.headers["Location"].endswith("/login/enrol")
    assert client.get("/").status_code == 302  # not signed in yet: nothing else opens
    page = client.get("/login/enrol").get_data(as_text=True)
    assert '<svg role="img" aria-label=' in page
    secret = secret_on(page)
    assert client.get("/login/enrol").get_data(as_text=True).count(secret) == 1  # stable on reload
    token = csrf_token(client, "/login/enrol")
    wrong = client.post("/login/enrol", data={"code": "000000", "csrf_token": token})
    assert "The code is wrong or was already used." in wrong.get_data(as_text=True)
    done = client.post("/login/enrol", data={"code": now_code(secret), "csrf_token": token})
    codes = re.findall(r"<code>([A-Z2-7-]{27})</code>", done.get_data(as_text=True))
    assert len(codes) == 10
    assert client.get("/").status_code == 200
    stored = db_session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10
    assert all(code.replace("-", "") not in row.code_hash for code in codes for row in stored)


def test_enrolled_user_is_asked_for_the_code(client, make_user):
    user = make_user("admin")
    assert password_step(client, user.email).headers["Location"].endswith("/login/code")
    assert client.get("/").status_code == 302
    wrong = code_step(client, "123456")
    assert "The code is wrong or was already used." in wrong.get_data(as_text=True)
    assert code_step(client, now_code()).status_code == 302
    assert client.get("/").status_code == 200


def test_the_same_code_is_refused_twice(app, make_user):
    user = make_user("coordinator")
    first, second = app.test_client(), app.test_client()
    code = now_code()
    password_step(first, user.email)
    assert code_step(first, code).status_code == 302
    password_step(second, user.email)
    replay = code_step(second, code)
    assert replay.status_code == 200
    assert "The code is wrong or was already used." in replay.get_data(as_text=True)
    assert second.get("/").status_code == 302


def test_recovery_code_works_once(app, make_user, db_session):
    user = make_user("coordinator")
    codes = totp.replace_recovery_codes(session=db_session, user=user)
    db_session.commit()
    first, second = app.test_client(), app.test_client()
    password_step(first, user.email)
    assert code_step(first, codes[0].lower()).status_code == 302
    password_step(second, user.email)
    assert code_step(second, codes[0]).status_code == 200
    assert second.get("/").status_code == 302


def test_code_step_expires_with_the_password_step(client, make_user):
    assert client.get("/login/code").status_code == 302
    assert client.get("/login/enrol").status_code == 302


def test_lno_may_enrol_and_is_then_asked_for_a_code(app, client, make_user):
    user = make_user("lno")
    assert login(client, user.email).headers["Location"] == "/"  # optional: no second step
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = secret_on(page)
    token = csrf_token(client, "/account/two-factor")
    done = client.post("/account/two-factor", data={"code": now_code(secret), "csrf_token": token})
    assert "Your recovery codes" in done.get_data(as_text=True)
    assert client.get("/").status_code == 200  # this session survives the change
    other = app.test_client()
    assert password_step(other, user.email).headers["Location"].endswith("/login/code")


def test_lno_may_turn_two_factor_off_but_a_coordinator_may_not(app, make_user):
    lno = make_user("lno", totp_enrolled=True)
    coordinator = make_user("coordinator")
    for user, status in ((lno, 302), (coordinator, 409)):
        browser = app.test_client()
        login(browser, user.email)
        token = csrf_token(browser, "/account/two-factor")
        response = browser.post("/account/two-factor/off", data={"csrf_token": token})
        assert response.status_code == status


# --- API ---------------------------------------------------------------------------------------


def test_api_asks_for_otp_and_accepts_a_code_once(client, make_user):
    user = make_user("admin")
    body = {"email": user.email, "password": PASSWORD}
    missing = client.post("/api/v1/tokens", json=body)
    assert missing.status_code == 401
    assert missing.get_json()["error"]["code"] == "otp_required"
    code = now_code()
    assert client.post("/api/v1/tokens", json={**body, "otp": code}).status_code == 201
    replay = client.post("/api/v1/tokens", json={**body, "otp": code})
    assert replay.status_code == 401
    assert replay.get_json()["error"]["code"] == "otp_required"


def test_api_enrolment_flow(client, make_user):
    user = make_user("coordinator", totp_enrolled=False)
    body = {"email": user.email, "password": PASSWORD}
    issued = client.post("/api/v1/tokens", json=body)
    assert issued.status_code == 201
    assert issued.get_json()["enrolment_required"] is True
    bearer = {"Authorization": f"Bearer {issued.get_json()['token']}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 401  # good only for /me/totp
    started = client.post("/api/v1/me/totp", headers=bearer)
    assert started.status_code == 200
    secret = started.get_json()["secret"]
    assert started.get_json()["otpauth_uri"].startswith("otpauth://totp/")
    wrong = client.post("/api/v1/me/totp/confirm", json={"otp": "000000"}, headers=bearer)
    assert wrong.status_code == 422
    code = now_code(secret)
    confirmed = client.post("/api/v1/me/totp/confirm", json={"otp": code}, headers=bearer)
    assert confirmed.status_code == 200
    assert len(confirmed.get_json()["recovery_codes"]) == 10
    assert client.post("/api/v1/me/totp", headers=bearer).status_code == 401  # token revoked
    assert client.post("/api/v1/tokens", json={**body, "otp": code}).status_code == 401  # replay
    full = client.post("/api/v1/tokens", json={**body, "otp": now_code(secret, ahead=1)})
    assert full.status_code == 201
    assert "enrolment_required" not in full.get_json()


def test_api_accepts_a_recovery_code_as_otp(client, make_user, db_session):
    user = make_user("admin")
    codes = totp.replace_recovery_codes(session=db_session, user=user)
    db_session.commit()
    body = {"email": user.email, "password": PASSWORD, "otp": codes[3]}
    assert client.post("/api/v1/tokens", json=body).status_code == 201
    assert client.post("/api/v1/tokens", json=body).status_code == 401


@pytest.mark.parametrize("at_step", [-2, 2])
def test_codes_outside_the_drift_window_are_refused(make_user, db_session, at_step):
    user = make_user("admin")
    assert not totp.accept_totp(session=db_session, user=user, code=now_code(ahead=at_step))
    assert totp.accept_totp(session=db_session, user=user, code=now_code(ahead=-1))


def test_secret_stays_out_of_repr_and_create_admin_explains_enrolment(app, db_session):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["roster", "create-admin", "first@roster.example"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "two-factor" in result.output
    assert "/login" in result.output
    user = db_session.exec(select(User).where(User.email == "first@roster.example")).one()
    assert user.two_factor_required and not user.two_factor_enabled
    user.totp_secret = TEST_TOTP_SECRET
    assert TEST_TOTP_SECRET not in repr(user)
    assert TEST_TOTP_SECRET not in f"{user}"


def test_secret_and_recovery_codes_stay_out_of_the_export(client, make_expert, db_session):
    expert = make_expert()
    user = db_session.get(User, expert.user_id)
    user.totp_secret = TEST_TOTP_SECRET
    user.totp_enabled_at = user.created_at
    db_session.add(user)
    db_session.commit()
    codes = totp.replace_recovery_codes(session=db_session, user=user)
    db_session.commit()
    token = api_token(client, user.email)
    export = client.get(
        f"/api/v1/experts/{expert.id}/export", headers={"Authorization": f"Bearer {token}"}
    )
    assert export.status_code == 200
    text = export.get_data(as_text=True)
    assert TEST_TOTP_SECRET not in text
    assert not any(totp.recovery_digest(code) in text for code in codes)
