"""Reply-by by urgency: the defaults, the deployment's setting capped by the response target, the
API's default when `respond_by` is left out, and the 422 for a time past or after the request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from roster.config import Settings
from roster.db import utcnow
from roster.requests import settings
from roster.requests.models import Offer
from tests.support.factories import END, make_request


def test_reply_by_defaults_per_urgency_and_never_beyond_the_response_target(app):
    with app.app_context():
        assert settings.reply_by("immediate") == timedelta(hours=2)
        assert settings.reply_by("priority") == timedelta(hours=24)
        assert settings.reply_by("routine") == timedelta(days=5)
        app.config["ROSTER_REPLY_BY_HOURS"] = {"immediate": 10, "routine": 72}
        assert settings.reply_by("immediate") == timedelta(hours=4)  # the response target
        assert settings.reply_by("routine") == timedelta(hours=72)
        app.config["ROSTER_RESPONSE_TARGET_HOURS"] = {"immediate": 1}
        assert settings.reply_by("immediate") == timedelta(hours=1)


def test_the_setting_is_read_from_the_environment():
    env = {"ROSTER_REPLY_BY_HOURS": "immediate=1.5,priority=12", "ROSTER_SECRET_KEY": "k"}
    config = Settings.from_env(env).flask_config()
    assert config["ROSTER_REPLY_BY_HOURS"] == {"immediate": 1.5, "priority": 12.0}


@pytest.mark.parametrize(("urgency", "hours"), [("immediate", 2), ("priority", 24)])
def test_an_offer_without_respond_by_answers_by_the_urgency_default(
    auth, client, db_session, make_user, make_expert, urgency, hours
):
    coordinator = make_user("coordinator", clearance="NS")
    found = make_request(db_session, coordinator, urgency=urgency)
    expert = make_expert(clearance="NS")
    before = utcnow()
    sent = client.post(
        f"/api/v1/requests/{found.id}/offers",
        json={"expert_ids": [expert.id]},
        headers=auth.bearer(coordinator),
    )
    assert sent.status_code == 201, sent.get_json()
    respond_by = datetime.fromisoformat(sent.get_json()[0]["respond_by"])
    expected = before + timedelta(hours=hours)
    assert expected - timedelta(minutes=1) <= respond_by <= expected + timedelta(minutes=1)


def test_the_default_never_falls_after_the_request_ends(
    auth, client, db_session, make_user, make_expert
):
    coordinator = make_user("coordinator", clearance="NS")
    ends = utcnow().date() + timedelta(days=1)
    found = make_request(db_session, coordinator, urgency="routine", starts_on=ends, ends_on=ends)
    expert = make_expert(clearance="NS")
    sent = client.post(
        f"/api/v1/requests/{found.id}/offers",
        json={"expert_ids": [expert.id]},
        headers=auth.bearer(coordinator),
    )
    assert sent.status_code == 201, sent.get_json()
    end = datetime.combine(ends + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    assert datetime.fromisoformat(sent.get_json()[0]["respond_by"]) == end


@pytest.mark.parametrize(
    "respond_by",
    [
        utcnow() - timedelta(minutes=5),
        datetime.combine(END + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        + timedelta(minutes=1),
    ],
    ids=["past", "after-the-end"],
)
def test_a_respond_by_past_or_after_the_end_is_422_on_the_field(
    auth, client, db_session, make_user, make_expert, respond_by
):
    coordinator = make_user("coordinator", clearance="NS")
    found = make_request(db_session, coordinator)
    expert = make_expert(clearance="NS")
    sent = client.post(
        f"/api/v1/requests/{found.id}/offers",
        json={"expert_ids": [expert.id], "respond_by": respond_by.isoformat()},
        headers=auth.bearer(coordinator),
    )
    assert sent.status_code == 422
    assert "respond_by" in sent.get_json()["error"]["fields"]
    assert db_session.exec(select(Offer)).all() == []
