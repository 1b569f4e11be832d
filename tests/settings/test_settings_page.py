"""Settings in the app: admins change response targets, reply-by defaults, matching weights and
the small-count threshold; each change is validated and audited; the environment wins over the
app, which wins over the default; readers see a change on the next request."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from roster import db
from roster.audit import AuditEvent
from roster.errors import ValidationFailed
from roster.requests import settings as request_settings
from roster.settings import services, store
from roster.settings.models import Setting
from tests.conftest import csrf_token


@pytest.fixture
def admin(make_user):
    return make_user("admin")


@pytest.fixture
def page(auth, admin):
    client = auth.page(admin)
    client.token = csrf_token(client, "/admin/settings")  # type: ignore[attr-defined]
    return client


def _post(client, **data):
    return client.post("/admin/settings", data={**data, "csrf_token": client.token})


def _rows(db_session: Session) -> dict[str, str]:
    db_session.expire_all()
    return {s.key: s.value for s in db_session.exec(select(Setting))}


def _changes(db_session: Session) -> list[AuditEvent]:
    db_session.expire_all()
    query = select(AuditEvent).where(AuditEvent.action == "setting.change").order_by(AuditEvent.id)
    return list(db_session.exec(query))


def _error(page_html: str, field: str) -> str:
    return page_html.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]


def test_the_page_shows_each_value_and_where_it_comes_from(page):
    text = html.unescape(page.get("/admin/settings").get_data(as_text=True))
    assert "fixed by the environment of this deployment wins over one set here" in text
    assert text.count("<td>Default</td>") == 13
    for field in (
        "response_target_immediate",
        "reply_by_routine",
        "weight_topic",
        "suppress_below",
    ):
        assert f'name="{field}"' in text


def test_a_change_is_stored_audited_and_read_on_the_next_request(
    app, auth, page, admin, db_session
):
    response = _post(page, weight_topic="0.45", weight_rotation="0.05", suppress_below="7")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _rows(db_session) == {
        "suppress_below": "7",
        "weight_rotation": "0.05",
        "weight_topic": "0.45",
    }
    row = db_session.get(Setting, "suppress_below")
    assert row.updated_by_id == admin.id and row.type == "int"
    changes = {e.subject: e.detail for e in _changes(db_session)}
    assert changes["setting:weight_topic"] == {
        "old": 0.35,
        "new": 0.45,
        "old_source": "default",
        "new_source": "app",
    }
    assert changes["setting:suppress_below"]["old"] == 5
    assert all(e.actor == f"user:{admin.id}" for e in _changes(db_session))
    # The next request reads the new values.
    report = page.get("/api/v1/reports/participation", headers=auth.bearer(admin))
    assert report.get_json()["suppress_below"] == 7
    with app.test_request_context("/"):
        assert request_settings.matching_weights().topic == 0.45
    text = html.unescape(page.get("/admin/settings").get_data(as_text=True))
    assert text.count("<td>Set in the app</td>") == 3


def test_an_empty_field_goes_back_to_the_default(page, db_session):
    _post(page, reply_by_priority="12")
    assert _rows(db_session) == {"reply_by_priority": "12.0"}
    assert _post(page, reply_by_priority="").status_code == 302
    assert _rows(db_session) == {}
    last = _changes(db_session)[-1].detail
    assert (last["old"], last["new"], last["new_source"]) == (12.0, 24.0, "default")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"response_target_immediate": "0"}, "response_target_immediate", "from 1 to 2160"),
        ({"suppress_below": "1"}, "suppress_below", "whole number from 2 to 50"),
        ({"suppress_below": "4.5"}, "suppress_below", ""),
        ({"weight_topic": "abc"}, "weight_topic", ""),
        ({"weight_topic": "-0.1"}, "weight_topic", "from 0 to 1"),
        ({"weight_topic": "0.5"}, "weight_topic", "add up to 1.15; they must add up to 1"),
        ({"reply_by_immediate": "5"}, "reply_by_immediate", "longer than the response target"),
        ({"response_target_immediate": "1.5"}, "response_target_immediate", "longer than"),
        ({"response_target_priority": "300"}, "response_target_priority", "more urgent"),
    ],
)
def test_bad_values_get_field_messages_and_write_nothing(page, db_session, data, field, message):
    response = _post(page, **data)
    assert response.status_code == 422
    error = html.unescape(_error(response.get_data(as_text=True), field))
    assert error and message in error
    assert _rows(db_session) == {}
    assert _changes(db_session) == []


def test_weights_that_add_up_to_one_are_accepted(page, db_session):
    response = _post(page, weight_topic="0.5", weight_balance="0.05", weight_rotation="0.1")
    assert response.status_code == 302
    assert len(_changes(db_session)) == 3


def test_the_environment_wins_and_is_not_editable(app, page, db_session, admin):
    db_session.add(Setting(key="response_target_immediate", type="float", value="3.0"))
    db_session.add(Setting(key="response_target_priority", type="float", value="40.0"))
    db_session.commit()
    app.config["ROSTER_RESPONSE_TARGET_HOURS"] = {"immediate": 1.0}
    with app.test_request_context("/"):
        targets = request_settings.response_targets()
        assert targets["immediate"] == timedelta(hours=1)  # env over app
        assert targets["priority"] == timedelta(hours=40)  # app over default
        assert targets["routine"] == timedelta(hours=240)  # the default
        assert store.resolve("response_target_immediate").source == "environment"
        with pytest.raises(ValidationFailed) as refused:
            services.save(
                session=db.session(),
                actor=admin,
                submitted={"response_target_immediate": 2.0},
            )
        assert (
            "ROSTER_RESPONSE_TARGET_HOURS" in refused.value.fields["response_target_immediate"][0]
        )
    text = html.unescape(page.get("/admin/settings").get_data(as_text=True))
    assert "Fixed by the environment (ROSTER_RESPONSE_TARGET_HOURS)" in text
    assert 'name="response_target_immediate"' not in text
    # A posted value for it is not even read: the form has no such field.
    assert _post(page, response_target_immediate="2").status_code == 302
    assert _rows(db_session)["response_target_immediate"] == "3.0"
    assert _changes(db_session) == []


def test_reply_by_reads_env_then_app_then_default(app, db_session):
    db_session.add(Setting(key="reply_by_priority", type="float", value="10.0"))
    db_session.commit()
    app.config["ROSTER_REPLY_BY_HOURS"] = {"immediate": 1.5}
    with app.test_request_context("/"):
        assert request_settings.reply_by("immediate") == timedelta(hours=1.5)
        assert request_settings.reply_by("priority") == timedelta(hours=10)
        assert request_settings.reply_by("routine") == timedelta(hours=120)


def test_the_table_is_read_once_per_request(app, db_session):
    with app.test_request_context("/"):
        assert store.value("suppress_below") == 5
        db_session.add(Setting(key="suppress_below", type="int", value="9"))
        db_session.commit()
        assert store.value("suppress_below") == 5  # this request's copy
    with app.test_request_context("/"):
        assert store.value("suppress_below") == 9


@pytest.mark.parametrize("role", ["coordinator", "lno", "expert"])
def test_only_admins_change_settings(auth, make_user, db_session, role):
    client = auth.page(make_user(role))
    assert client.get("/admin/settings").status_code == 403
    token = csrf_token(client, "/")
    response = client.post("/admin/settings", data={"suppress_below": "9", "csrf_token": token})
    assert response.status_code == 403
    assert _rows(db_session) == {}


def test_a_malformed_environment_value_stops_the_start(monkeypatch, tmp_path):
    from roster.config import ConfigError, Settings

    monkeypatch.setenv("ROSTER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ROSTER_SUPPRESS_BELOW", "few")
    with pytest.raises(ConfigError):
        Settings.from_env()
    monkeypatch.setenv("ROSTER_SUPPRESS_BELOW", "10")
    assert Settings.from_env().flask_config()["ROSTER_SUPPRESS_BELOW"] == 10
