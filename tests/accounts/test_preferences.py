"""GET/PATCH /api/v1/me: the caller's language and whether notifications are mailed."""

from __future__ import annotations

import pytest


@pytest.fixture
def caller(make_user):
    return make_user("lno")


def test_me_shows_the_defaults(auth, client, caller):
    body = client.get("/api/v1/me", headers=auth.bearer(caller)).get_json()
    assert body["locale"] == "en"
    assert body["notify_by_email"] is True


def test_patch_me_changes_locale_and_mail_and_is_audited(auth, client, caller):
    headers = auth.bearer(caller)
    answer = client.patch("/api/v1/me", json={"locale": "fr"}, headers=headers)
    assert answer.status_code == 200
    assert answer.get_json()["locale"] == "fr"
    answer = client.patch("/api/v1/me", json={"notify_by_email": False}, headers=headers)
    assert answer.status_code == 200
    assert answer.get_json()["notify_by_email"] is False
    again = client.get("/api/v1/me", headers=headers).get_json()
    assert (again["locale"], again["notify_by_email"]) == ("fr", False)


@pytest.mark.parametrize(
    "body",
    [{"locale": "de"}, {"locale": 3}, {"notify_by_email": "yes"}, {"role": "admin"}],
)
def test_bad_preferences_are_refused_and_change_nothing(auth, client, caller, body):
    headers = auth.bearer(caller)
    answer = client.patch("/api/v1/me", json=body, headers=headers)
    assert answer.status_code == 422
    assert "error" in answer.get_json()
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert (me["role"], me["locale"], me["notify_by_email"]) == ("lno", "en", True)


def test_patch_me_needs_a_token(client):
    assert client.patch("/api/v1/me", json={"locale": "fr"}).status_code == 401
