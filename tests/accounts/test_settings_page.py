"""Every user's settings page: preferences, open sessions (one or all ended) and API tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlmodel import select

from roster.accounts import user_sessions
from roster.accounts.models import ApiToken, User, UserSession
from tests.conftest import csrf_token


def test_the_header_links_the_settings_page(auth, make_user):
    browser = auth.page(make_user("expert"))
    assert 'href="/settings"' in browser.get("/").get_data(as_text=True)
    assert browser.get("/settings").status_code == 200


def test_preferences_are_saved(auth, make_user, db_session):
    user = make_user("lno")
    browser = auth.page(user)
    saved = browser.post(
        "/settings/preferences",
        data={"locale": "fr", "csrf_token": csrf_token(browser, "/settings")},
    )
    assert saved.status_code == 302
    db_session.expire_all()
    changed = db_session.get(User, user.id)
    assert (changed.locale, changed.notify_by_email) == ("fr", False)
    bad = browser.post(
        "/settings/preferences",
        data={"locale": "de", "csrf_token": csrf_token(browser, "/settings")},
    )
    assert bad.status_code == 422


def test_sessions_are_listed_and_one_can_be_ended_alone(auth, make_user, db_session):
    user = make_user("expert")
    first = auth.page(user)
    second = auth.page(user)
    page = first.get("/settings").get_data(as_text=True)
    assert page.count("this browser") == 1
    db_session.expire_all()
    records = user_sessions.live_sessions(
        db_session, db_session.get(User, user.id), idle=timedelta(hours=1), max_age=timedelta(1)
    )
    assert len(records) == 2
    other = max(records, key=lambda r: r.id)  # the second sign-in
    ended = first.post(
        f"/settings/sessions/{other.id}/end",
        data={"csrf_token": csrf_token(first, "/settings")},
    )
    assert ended.status_code == 302
    assert second.get("/settings").status_code == 302  # that browser is signed out
    assert first.get("/settings").status_code == 200  # this one is not


def test_someone_elses_session_is_not_found(auth, make_user, db_session):
    user = make_user("expert")
    stranger = make_user("expert")
    auth.page(stranger)
    theirs = db_session.exec(select(UserSession).where(UserSession.user_id == stranger.id)).one()
    browser = auth.page(user)
    refused = browser.post(
        f"/settings/sessions/{theirs.id}/end",
        data={"csrf_token": csrf_token(browser, "/settings")},
    )
    assert refused.status_code == 404


def test_sign_out_everywhere(auth, make_user):
    user = make_user("expert")
    first = auth.page(user)
    second = auth.page(user)
    done = first.post(
        "/settings/sessions/end-all", data={"csrf_token": csrf_token(first, "/settings")}
    )
    assert done.status_code == 302
    assert first.get("/settings").status_code == 302
    assert second.get("/settings").status_code == 302


def test_tokens_are_listed_and_revoked(auth, client, make_user, db_session):
    user = make_user("lno")
    headers = auth.bearer(user)
    stranger = make_user("lno")
    auth.bearer(stranger)
    browser = auth.page(user)
    assert "Revoke" in browser.get("/settings").get_data(as_text=True)
    mine = db_session.exec(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    theirs = db_session.exec(select(ApiToken).where(ApiToken.user_id == stranger.id)).one()
    form = {"csrf_token": csrf_token(browser, "/settings")}
    assert browser.post(f"/settings/tokens/{theirs.id}/revoke", data=form).status_code == 404
    assert browser.post(f"/settings/tokens/{mine.id}/revoke", data=form).status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert browser.post(f"/settings/tokens/{mine.id}/revoke", data=form).status_code == 404


def test_device_summary_keeps_no_raw_header():
    agent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    assert user_sessions.device_summary(agent) == "Firefox on Linux"
    assert user_sessions.device_summary("") == "Unknown browser"


def test_a_session_past_its_limits_is_not_listed(auth, make_user, db_session):
    user = make_user("expert")
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        auth.page(user)
        account = db_session.get(User, user.id)
        limits = {"idle": timedelta(minutes=30), "max_age": timedelta(hours=12)}
        assert len(user_sessions.live_sessions(db_session, account, **limits)) == 1
        clock.shift(timedelta(minutes=36))
        assert user_sessions.live_sessions(db_session, account, **limits) == []


def test_dead_records_go_at_the_next_sign_in(auth, make_user, db_session):
    user = make_user("expert")
    first = auth.page(user)
    first.post("/settings/sessions/end-all", data={"csrf_token": csrf_token(first, "/settings")})
    auth.page(user)
    db_session.expire_all()
    kept = db_session.exec(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert len(kept) == 1
