"""Password reset (ASVS 5.0 V6): the same answer for every address, a single-use link valid one
hour, every session and token ended, the second factor kept, throttled per account and address."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import time_machine
from sqlmodel import select

from roster.accounts.models import ApiToken, PasswordReset, User
from roster.notify.models import OutboxMessage
from tests.conftest import PASSWORD, csrf_token, login, next_otp

NEW_PASSWORD = "a brand new passphrase 2026"
LINK = re.compile(r"/password/reset/(\S+)")


def ask(client, email: str, **headers: str):
    return client.post("/api/v1/password-reset", json={"email": email}, headers=headers)


def reset_mails(db_session) -> list[OutboxMessage]:
    db_session.expire_all()
    return list(
        db_session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "password_reset")
            .order_by(OutboxMessage.id)
        )
    )


def token_from(mail: OutboxMessage) -> str:
    match = LINK.search(mail.body)
    assert match, mail.body
    return match.group(1)


def use(client, token: str, password: str = NEW_PASSWORD):
    return client.post(f"/api/v1/password-reset/{token}", json={"password": password})


def test_known_and_unknown_addresses_get_the_same_answer_and_only_one_mail(
    client, make_user, db_session
):
    user = make_user("lno")
    known = ask(client, user.email.upper())
    unknown = ask(client, "nobody.here@roster.example")
    assert (known.status_code, unknown.status_code) == (202, 202)
    assert known.get_data() == unknown.get_data()
    mails = reset_mails(db_session)
    assert [m.to_address for m in mails] == [user.email]
    assert "nobody" not in " ".join(m.to_address for m in db_session.exec(select(OutboxMessage)))


def test_a_deactivated_account_gets_no_mail(client, make_user, db_session):
    user = make_user("expert", active=False)
    answer = ask(client, user.email)
    assert answer.status_code == 202
    assert reset_mails(db_session) == []


def test_the_token_is_stored_hashed(client, make_user, db_session):
    user = make_user("expert")
    ask(client, user.email)
    token = token_from(reset_mails(db_session)[0])
    stored = db_session.exec(select(PasswordReset)).one()
    assert stored.token_hash != token and token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_reset_sets_the_password_once_and_ends_sessions_and_tokens(
    auth, client, make_user, db_session
):
    user = make_user("lno")
    browser = auth.page(user)
    headers = auth.bearer(user)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    ask(client, user.email)
    token = token_from(reset_mails(db_session)[0])
    assert use(client, token).status_code == 200
    assert use(client, token, "yet another passphrase 99").status_code == 410  # single use
    assert browser.get("/").status_code == 302  # the browser session ended
    assert client.get("/api/v1/me", headers=headers).status_code == 401  # so did the token
    db_session.expire_all()
    assert all(t.revoked_at is not None for t in db_session.exec(select(ApiToken)))
    fresh = client.application.test_client()
    assert login(fresh, user.email, PASSWORD).status_code == 200  # the old password is gone
    assert login(fresh, user.email, NEW_PASSWORD).status_code == 302


def test_the_link_expires_after_an_hour(client, make_user, db_session):
    user = make_user("expert")
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        ask(client, user.email)
        token = token_from(reset_mails(db_session)[0])
        clock.shift(timedelta(minutes=61))
        answer = use(client, token)
    assert answer.status_code == 410
    assert answer.get_json()["error"]["code"] == "gone"


def test_a_weak_password_is_422_and_the_link_stays_usable(client, make_user, db_session):
    user = make_user("expert")
    ask(client, user.email)
    token = token_from(reset_mails(db_session)[0])
    weak = use(client, token, "short")
    assert weak.status_code == 422
    assert "password" in weak.get_json()["error"]["fields"]
    assert use(client, token).status_code == 200


def test_a_newer_link_voids_the_older_one(client, make_user, db_session):
    user = make_user("expert")
    ask(client, user.email)
    ask(client, user.email)
    first, second = (token_from(m) for m in reset_mails(db_session))
    assert use(client, first).status_code == 410
    assert use(client, second).status_code == 200


def test_the_second_factor_stays_on(client, make_user, db_session):
    admin = make_user("admin")
    ask(client, admin.email)
    assert use(client, token_from(reset_mails(db_session)[0])).status_code == 200
    db_session.expire_all()
    assert db_session.get(User, admin.id).two_factor_enabled
    answer = client.post("/api/v1/tokens", json={"email": admin.email, "password": NEW_PASSWORD})
    assert answer.get_json()["error"]["code"] == "otp_required"
    code = next_otp(client.application, admin.email)
    with_code = client.post(
        "/api/v1/tokens", json={"email": admin.email, "password": NEW_PASSWORD, "otp": code}
    )
    assert with_code.status_code == 201


def test_asking_is_throttled_per_account(client, make_user, db_session):
    user = make_user("expert")
    for _ in range(5):
        assert ask(client, user.email).status_code == 202
    refused = ask(client, user.email.upper())
    assert refused.status_code == 429
    assert len(reset_mails(db_session)) == 5
    other = make_user("expert")
    assert ask(client, other.email).status_code == 202  # another account is not affected


def test_asking_is_throttled_per_address(client, make_user):
    for n in range(30):
        assert ask(client, f"someone{n}@roster.example").status_code == 202
    assert ask(client, "someone.else@roster.example").status_code == 429
    elsewhere = {"REMOTE_ADDR": "192.0.2.9"}
    answer = client.post(
        "/api/v1/password-reset", json={"email": "x@roster.example"}, environ_base=elsewhere
    )
    assert answer.status_code == 202


def _unsigned(page: bytes) -> bytes:
    return re.sub(rb'(name="csrf_token"[^>]*?value=")[^"]*"', rb'\1"', page)


def test_the_pages_ask_for_a_link_and_set_the_password(auth, make_user, db_session, app):
    user = make_user("expert")
    browser = app.test_client()
    assert "Forgot your password?" in browser.get("/login").get_data(as_text=True)
    form = csrf_token(browser, "/password/forgot")
    sent = browser.post("/password/forgot", data={"email": user.email, "csrf_token": form})
    unknown = browser.post(
        "/password/forgot", data={"email": "nobody@roster.example", "csrf_token": form}
    )
    assert sent.status_code == unknown.status_code == 200
    # the same page, but for the CSRF tokens, which carry the second they were signed in
    assert _unsigned(sent.get_data()) == _unsigned(unknown.get_data())
    token = token_from(reset_mails(db_session)[0])
    page = f"/password/reset/{token}"
    mismatch = browser.post(
        page,
        data={
            "password": NEW_PASSWORD,
            "confirm": "other",
            "csrf_token": csrf_token(browser, page),
        },
    )
    assert mismatch.status_code == 422
    done = browser.post(
        page,
        data={
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": csrf_token(browser, page),
        },
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert browser.get(page).status_code == 410
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302


def test_an_admin_sends_a_reset_link_from_the_users_page(auth, make_user, db_session):
    admin = make_user("admin")
    member = make_user("lno")
    browser = auth.page(admin)
    page = browser.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{member.id}/password-reset" in page
    sent = browser.post(
        f"/admin/users/{member.id}/password-reset",
        data={"csrf_token": csrf_token(browser, "/admin/users")},
    )
    assert sent.status_code == 302
    mails = reset_mails(db_session)
    assert [m.to_address for m in mails] == [member.email]
    assert "administrator" in mails[0].body


def test_a_coordinator_cannot_send_reset_links(auth, make_user, db_session):
    coordinator = make_user("coordinator")
    member = make_user("lno")
    browser = auth.page(coordinator)
    refused = browser.post(
        f"/admin/users/{member.id}/password-reset",
        data={"csrf_token": csrf_token(browser, "/admin/users")},
    )
    assert refused.status_code == 403
    assert reset_mails(db_session) == []


def test_an_unknown_address_stores_no_link(client, db_session):
    assert ask(client, "nobody.at.all@roster.example").status_code == 202
    assert ask(client, "not an address").status_code == 202
    db_session.expire_all()
    assert db_session.exec(select(PasswordReset)).all() == []
    assert db_session.exec(select(OutboxMessage)).all() == []


def test_the_page_is_throttled_per_account_too(app, make_user, db_session):
    user = make_user("expert")
    browser = app.test_client()
    form = csrf_token(browser, "/password/forgot")
    for _ in range(5):
        sent = browser.post("/password/forgot", data={"email": user.email, "csrf_token": form})
        assert sent.status_code == 200
    refused = browser.post("/password/forgot", data={"email": user.email, "csrf_token": form})
    assert refused.status_code == 429
    assert len(reset_mails(db_session)) == 5
