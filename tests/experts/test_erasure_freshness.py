"""Erasing a profile needs a recent sign-in: a stale page session is sent to sign in again, and
the API refuses a token older than the fresh-login window with 403 reauthentication_required."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from roster.accounts.models import ApiToken
from roster.db import utcnow
from tests.support.auth import csrf_token


def signed_in_ago(auth, who, minutes: int):
    """A client signed in as `who`, its session's sign-in moved `minutes` into the past."""
    browser = auth.page(who)
    with browser.session_transaction() as cookie:
        cookie["auth_at"] = float(cookie["auth_at"]) - minutes * 60
    return browser


def test_a_stale_session_is_sent_to_sign_in_again(auth, db_session, make_expert):
    expert = make_expert(full_name="Still Here")
    browser = auth.page(expert)
    token = csrf_token(browser, f"/experts/{expert.id}/erase")
    with browser.session_transaction() as cookie:
        cookie["auth_at"] = float(cookie["auth_at"]) - 60 * 60
    response = browser.post(f"/experts/{expert.id}/erase", data={"csrf_token": token})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert f"/experts/{expert.id}/erase" in response.headers["Location"]
    db_session.refresh(expert)
    assert expert.full_name == "Still Here"


def test_a_stale_session_cannot_open_the_erase_page(auth, make_user, make_expert):
    expert = make_expert()
    admin = make_user("admin")
    browser = signed_in_ago(auth, admin, minutes=60)
    response = browser.get(f"/experts/{expert.id}/erase")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_fresh_admin_session_erases(auth, db_session, make_user, make_expert):
    expert = make_expert(full_name="Gone Person")
    admin = make_user("admin")
    browser = signed_in_ago(auth, admin, minutes=5)
    token = csrf_token(browser, f"/experts/{expert.id}/erase")
    assert (
        browser.post(f"/experts/{expert.id}/erase", data={"csrf_token": token}).status_code == 302
    )
    db_session.refresh(expert)
    assert expert.full_name != "Gone Person"


def test_a_stale_token_is_refused_and_a_fresh_one_erases(auth, client, db_session, make_expert):
    expert = make_expert(full_name="Token Person")
    headers = auth.bearer(expert)
    stored = db_session.exec(select(ApiToken)).one()
    stored.created_at = utcnow() - timedelta(hours=1)
    db_session.add(stored)
    db_session.commit()
    stale = client.delete(f"/api/v1/experts/{expert.id}", headers=headers)
    assert stale.status_code == 403
    assert stale.get_json()["error"]["code"] == "reauthentication_required"
    db_session.refresh(expert)
    assert expert.full_name == "Token Person"
    fresh = client.delete(f"/api/v1/experts/{expert.id}", headers=auth.bearer(expert, new=True))
    assert fresh.status_code == 200
    db_session.refresh(expert)
    assert expert.full_name != "Token Person"


def test_the_openapi_description_names_the_refusal(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    erase = spec["paths"]["/api/v1/experts/{id}"]["delete"]
    assert "reauthentication_required" in erase["description"]
