"""Throttling of failed sign-ins (ASVS 5.0 6.3.1, 2.4.1): per account and per address."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from roster.accounts import throttle
from tests.conftest import PASSWORD, csrf_token, login, next_otp, skip_or_fail

WRONG = "not the right password"


def token_attempt(client, email: str, password: str = WRONG, **headers: str):
    return client.post(
        "/api/v1/tokens", json={"email": email, "password": password}, headers=headers
    )


def test_eleventh_attempt_is_refused_even_with_the_right_password(client, make_user):
    user = make_user("lno")
    for _ in range(10):
        assert "Wrong email or password." in login(client, user.email, WRONG).get_data(as_text=True)
    refused = login(client, user.email)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "900"
    assert client.get("/").status_code == 302
    other = make_user("lno")
    assert login(client, other.email).status_code == 302  # another account is not affected


def test_token_endpoint_counts_failures_per_account(client, make_user):
    user = make_user("expert")
    for _ in range(10):
        assert token_attempt(client, user.email).status_code == 401
    refused = token_attempt(client, user.email, PASSWORD)
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "too_many_attempts"


def test_browser_and_api_failures_share_the_budget(client, make_user):
    user = make_user("expert")
    for _ in range(5):
        login(client, user.email, WRONG)
        token_attempt(client, user.email)
    assert token_attempt(client, user.email, PASSWORD).status_code == 429


def test_wrong_codes_count_too(client, make_user):
    user = make_user("admin")
    for _ in range(10):
        answer = client.post(
            "/api/v1/tokens", json={"email": user.email, "password": PASSWORD, "otp": "000000"}
        )
        assert answer.get_json()["error"]["code"] == "otp_required"
    good = {
        "email": user.email,
        "password": PASSWORD,
        "otp": next_otp(client.application, user.email),
    }
    assert client.post("/api/v1/tokens", json=good).status_code == 429


def test_lock_lifts_as_the_window_slides_and_success_resets_nothing(app, client, make_user):
    user = make_user("lno")
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        for _ in range(9):
            login(client, user.email, WRONG)
        assert login(app.test_client(), user.email).status_code == 302  # the owner, meanwhile
        login(client, user.email, WRONG)  # the tenth failure: that success reset nothing
        assert login(client, user.email).status_code == 429
        clock.shift(timedelta(minutes=14))
        assert login(client, user.email).status_code == 429
        clock.shift(timedelta(minutes=1, seconds=1))
        assert login(client, user.email).status_code == 302  # no permanent lock


def test_spoofed_forwarded_for_does_not_dodge_the_address_limit(make_app, make_user):
    app = make_app(ROSTER_RATELIMIT_PER_ADDRESS="5 per 15 minutes")
    client = app.test_client()
    for n in range(5):
        answer = token_attempt(
            client, f"nobody{n}@roster.example", **{"X-Forwarded-For": f"10.0.0.{n}"}
        )
        assert answer.status_code == 401
    user = make_user("expert")
    spoofed = token_attempt(client, user.email, PASSWORD, **{"X-Forwarded-For": "10.9.9.9"})
    assert spoofed.status_code == 429


def test_forwarded_for_counts_behind_a_trusted_proxy(make_app, make_user):
    app = make_app(ROSTER_RATELIMIT_PER_ADDRESS="5 per 15 minutes", ROSTER_TRUSTED_PROXIES=1)
    client = app.test_client()
    attacker = {"X-Forwarded-For": "203.0.113.7"}
    for n in range(5):
        token_attempt(client, f"nobody{n}@roster.example", **attacker)
    user = make_user("expert")
    assert token_attempt(client, user.email, PASSWORD, **attacker).status_code == 429
    colleague = {"X-Forwarded-For": "198.51.100.20"}
    assert token_attempt(client, user.email, PASSWORD, **colleague).status_code == 201


def test_guessing_invitation_links_is_throttled(make_app):
    app = make_app(ROSTER_RATELIMIT_PER_ADDRESS="5 per 15 minutes")
    client = app.test_client()
    for n in range(5):
        answer = client.post(f"/api/v1/invitations/guess{n}/accept", json={"password": PASSWORD})
        assert answer.status_code == 410
    assert client.get("/invitations/guess9").status_code == 429
    refused = client.post("/api/v1/invitations/guess9/accept", json={"password": PASSWORD})
    assert refused.status_code == 429


def test_memory_storage_is_per_process_so_each_worker_counts_alone(make_app, make_user):
    """Why several workers need a shared storage: two apps on memory:// each allow ten."""
    user = make_user("expert")
    first, second = make_app().test_client(), make_app().test_client()
    for _ in range(10):
        token_attempt(first, user.email)
    assert token_attempt(second, user.email, PASSWORD).status_code == 201


REDIS_URL = os.environ.get("ROSTER_TEST_REDIS_URL", "redis://127.0.0.1:6379")


@pytest.fixture
def redis_prefix() -> str:
    probe = throttle.Throttle(REDIS_URL)
    try:
        reachable = probe.reachable()
    except Exception:
        reachable = False
    if not reachable:
        skip_or_fail(f"Redis is not reachable at {REDIS_URL} (set ROSTER_TEST_REDIS_URL)")
    return f"roster-test-{uuid.uuid4().hex[:12]}"


def test_redis_storage_shares_the_count_between_workers(make_app, make_user, redis_prefix):
    settings = {"ROSTER_RATELIMIT_STORAGE": REDIS_URL, "ROSTER_RATELIMIT_PREFIX": redis_prefix}
    first_app, second_app = make_app(**settings), make_app(**settings)
    first, second = first_app.test_client(), second_app.test_client()
    user = make_user("expert")
    try:
        for _ in range(5):
            assert token_attempt(first, user.email).status_code == 401
            assert token_attempt(second, user.email).status_code == 401
        assert token_attempt(first, user.email, PASSWORD).status_code == 429
        assert token_attempt(second, user.email, PASSWORD).status_code == 429
    finally:
        throttle.current(first_app).clear(account=throttle.user_key(user.id), address="127.0.0.1")


def test_strangers_cannot_lock_the_owner_out_of_a_browser_they_signed_in_with(app, make_user):
    user = make_user("coordinator")
    owner, stranger = app.test_client(), app.test_client()
    assert login(owner, user.email).status_code == 302
    device = owner.get_cookie("device")
    assert device is not None and device.http_only
    owner.post("/logout", data={"csrf_token": csrf_token(owner, "/")})
    for _ in range(10):
        login(stranger, user.email, WRONG)
    assert login(stranger, user.email).status_code == 429
    assert login(owner, user.email).status_code == 302  # the known browser still gets in
    stranger.set_cookie("device", "forged-value")
    assert login(stranger, user.email).status_code == 429


def spellings(email: str) -> list[str]:
    """Ways to write one address that sign-in treats alike: control characters (the form drops
    them), case and surrounding whitespace."""
    local, _, domain = email.partition("@")
    return [
        f"{local[0]}\x01{local[1:]}@{domain}",
        f"{local}\x7f@{domain}",
        f"\x02{email}",
        email.upper(),
        f"  {email}\t",
        f" {local[0]}\x1f{local[1:].upper()}@{domain} ",
    ]


def test_spellings_of_an_address_share_one_counter_on_the_page(client, make_user):
    user = make_user("lno")
    for n in range(10):
        assert login(client, spellings(user.email)[n % 6], WRONG).status_code == 200
    for variant in [user.email, *spellings(user.email)]:
        assert login(client, variant).status_code == 429, repr(variant)


def test_failures_on_the_plain_address_block_every_spelling(client, make_user):
    user = make_user("lno")
    for _ in range(10):
        login(client, user.email, WRONG)
    for variant in spellings(user.email):
        assert login(client, variant).status_code == 429, repr(variant)


def test_spellings_of_an_address_share_one_counter_on_the_api(client, make_user):
    user = make_user("expert")
    for n in range(10):
        assert token_attempt(client, spellings(user.email)[n % 6]).status_code == 401
    for variant in [user.email, *spellings(user.email)]:
        assert token_attempt(client, variant, PASSWORD).status_code == 429, repr(variant)


def test_spellings_of_an_unknown_address_share_one_counter(client):
    ghost = "ghost@roster.example"
    for n in range(10):
        login(client, spellings(ghost)[n % 6], WRONG)
        token_attempt(client, spellings(ghost)[(n + 3) % 6])
    assert login(client, ghost, WRONG).status_code == 429
    assert token_attempt(client, ghost.upper()).status_code == 429


def test_wrong_codes_count_for_the_account_whatever_spelling_began_the_sign_in(app, make_user):
    user = make_user("admin")
    for n in range(10):
        browser = app.test_client()
        form = csrf_token(browser)
        started = browser.post(
            "/login",
            data={"email": spellings(user.email)[n % 6], "password": PASSWORD, "csrf_token": form},
        )
        assert started.headers["Location"] == "/login/code"
        form = csrf_token(browser, "/login/code")
        wrong = browser.post("/login/code", data={"code": "000000", "csrf_token": form})
        assert "The code is wrong" in wrong.get_data(as_text=True)
    assert login(app.test_client(), user.email).status_code == 429
    assert token_attempt(app.test_client(), user.email, PASSWORD).status_code == 429
