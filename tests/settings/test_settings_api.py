"""GET and PATCH /api/v1/settings (admins): the page's values, sources and checks over JSON."""

from __future__ import annotations

import pytest
from sqlmodel import select

from roster.audit import AuditEvent
from roster.settings.models import Setting


def _by_key(body) -> dict[str, dict]:
    return {item["key"]: item for item in body["items"]}


def test_admins_read_and_change_settings(app, client, auth, make_user, db_session):
    headers = auth.bearer(make_user("admin"))
    app.config["ROSTER_MATCHING_WEIGHTS"] = {"region": 0.1}
    items = _by_key(client.get("/api/v1/settings", headers=headers).get_json())
    assert items["response_target_immediate"]["value"] == 4
    assert items["response_target_immediate"]["source"] == "default"
    assert items["weight_region"]["source"] == "environment"
    assert items["weight_region"]["editable"] is False
    response = client.patch(
        "/api/v1/settings", json={"values": {"reply_by_routine": 96}}, headers=headers
    )
    assert response.status_code == 200, response.get_json()
    changed = _by_key(response.get_json())["reply_by_routine"]
    assert (changed["value"], changed["source"]) == (96, "app")
    again = _by_key(client.get("/api/v1/settings", headers=headers).get_json())
    assert again["reply_by_routine"]["value"] == 96
    db_session.expire_all()
    assert db_session.exec(select(AuditEvent).where(AuditEvent.action == "setting.change")).all()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"suppress_below": 4.5}, "suppress_below"),
        ({"weight_topic": 0.9}, "weight_topic"),
        ({"weight_region": 0.2}, "weight_region"),  # fixed by the environment
        ({"reply_by_immediate": 9}, "reply_by_immediate"),
    ],
)
def test_refused_values_answer_422_naming_the_field(
    app, client, auth, make_user, db_session, values, field
):
    app.config["ROSTER_MATCHING_WEIGHTS"] = {"region": 0.1}
    headers = auth.bearer(make_user("admin"))
    response = client.patch("/api/v1/settings", json={"values": values}, headers=headers)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed" and field in error["fields"]
    db_session.expire_all()
    assert db_session.exec(select(Setting)).all() == []


@pytest.mark.parametrize(
    "body", [{"values": {"nonsense": 1}}, {"values": {"weight_topic": "heavy"}}, {}, []]
)
def test_malformed_bodies_are_refused_without_a_500(client, auth, make_user, body):
    headers = auth.bearer(make_user("admin"))
    response = client.patch("/api/v1/settings", json=body, headers=headers)
    assert response.status_code in (400, 422)
    assert "error" in response.get_json()


def test_coordinators_may_not_read_or_change_settings(client, auth, make_user):
    headers = auth.bearer(make_user("coordinator"))
    assert client.get("/api/v1/settings", headers=headers).status_code == 403
    patch = client.patch("/api/v1/settings", json={"values": {}}, headers=headers)
    assert patch.status_code == 403
