"""Crisis requests over the API: raising, visibility (no read-up), actions, offers, log,
feedback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from roster.db import utcnow
from roster.notify.models import OutboxMessage
from roster.requests.models import CrisisRequest, Offer, RequestEvent
from tests.support.factories import make_offer, make_request, seat

NEW = {
    "title": "CRSV advice to the mission",
    "description": "Two weeks, remote.",
    "kind": "crisis",
    "classification": "NR",
    "required_clearance": "NR",
    "topics": [{"code": "crsv", "min_level": 3}],
    "languages": [{"code": "fr", "min_level": "B2"}],
    "regions": ["ML"],
    "urgency": "immediate",
    "starts_on": "2027-03-01",
    "ends_on": "2027-03-14",
    "mode": "remote",
    "seats": 2,
}


def test_lno_raises_a_draft_with_history(auth, client, make_user, db_session):
    lno = make_user("lno", clearance="NS")
    response = client.post("/api/v1/requests", json=NEW, headers=auth.bearer(lno))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["state"] == "draft" and body["requested_by"] == lno.id
    assert body["topics"] == [{"code": "crsv", "min_level": 3}]
    assert body["history"][0]["to"] == "draft"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_on": "2027-02-01"}, "ends_on"),
        ({"classification": "CTS"}, "classification"),
        ({"required_clearance": "NU"}, "required_clearance"),
        ({"seats": 0}, "seats"),
        ({"topics": [{"code": "crsv", "min_level": 7}]}, "topics.0.min_level"),
        ({"languages": [{"code": "zz", "min_level": "B2"}]}, "languages"),
        ({"regions": ["QQ"]}, "regions"),
        ({"urgency": "yesterday"}, "urgency"),
    ],
)
def test_bad_requests_are_422_with_fields(auth, client, make_user, db_session, change, field):
    lno = make_user("lno", clearance="NS")
    response = client.post("/api/v1/requests", json={**NEW, **change}, headers=auth.bearer(lno))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert db_session.exec(select(CrisisRequest)).all() == []


@pytest.mark.parametrize("role", ["expert", "admin"])
def test_experts_and_admins_cannot_raise_requests(auth, client, make_user, db_session, role):
    user = make_user(role, clearance="NS" if role == "admin" else None)
    assert client.post("/api/v1/requests", json=NEW, headers=auth.bearer(user)).status_code == 403


def test_no_read_up_in_get_list_and_count(auth, client, make_user, db_session):
    coordinator_ns = make_user("coordinator", clearance="NS")
    coordinator_nr = make_user("coordinator", clearance="NR")
    secret = make_request(db_session, coordinator_ns, classification="NS", required="NS")
    make_request(db_session, coordinator_ns, classification="NR", required="NR")
    low = auth.bearer(coordinator_nr)
    assert client.get(f"/api/v1/requests/{secret.id}", headers=low).status_code == 404
    listing = client.get("/api/v1/requests", headers=low).get_json()
    assert listing["total"] == 1 and secret.id not in [r["id"] for r in listing["items"]]
    high = client.get("/api/v1/requests", headers=auth.bearer(coordinator_ns))
    assert high.get_json()["total"] == 2


def test_expired_staff_clearance_sees_only_unclassified(auth, client, make_user, db_session):
    from datetime import date

    lapsed = make_user("coordinator", clearance="NS", clearance_expires_on=date(2020, 1, 1))
    owner = make_user("coordinator", clearance="NS")
    make_request(db_session, owner, classification="NR", required="NR")
    plain = make_request(db_session, owner, classification="NU", required="NU")
    listing = client.get("/api/v1/requests", headers=auth.bearer(lapsed)).get_json()
    assert [r["id"] for r in listing["items"]] == [plain.id]


def test_lno_sees_own_and_own_command_only(auth, client, make_user, db_session):
    from roster.reference.models import Command

    commands = db_session.exec(select(Command).order_by(Command.id)).all()
    mine, other = make_user("lno", clearance="NS"), make_user("lno", clearance="NS")
    colleague = make_user("lno", clearance="NS")
    for user, command in ((mine, commands[0]), (colleague, commands[0]), (other, commands[1])):
        user.command_id = command.id
        db_session.add(user)
    db_session.commit()
    own = make_request(db_session, mine, command_id=commands[0].id)
    shared = make_request(db_session, colleague, command_id=commands[0].id)
    foreign = make_request(db_session, other, command_id=commands[1].id)
    headers = auth.bearer(mine)
    ids = {r["id"] for r in client.get("/api/v1/requests", headers=headers).get_json()["items"]}
    assert ids == {own.id, shared.id}
    assert client.get(f"/api/v1/requests/{foreign.id}", headers=headers).status_code == 404


def test_admin_sees_no_requests(auth, client, make_user, db_session):
    admin = make_user("admin", clearance="CTS")
    found = make_request(db_session, make_user("coordinator", clearance="NS"))
    headers = auth.bearer(admin)
    assert client.get(f"/api/v1/requests/{found.id}", headers=headers).status_code == 404
    assert client.get("/api/v1/requests", headers=headers).get_json()["total"] == 0


@pytest.mark.parametrize(
    ("state", "action", "role", "status", "to"),
    [
        ("draft", "submit", "requester", 200, "submitted"),
        ("submitted", "triage", "coordinator", 200, "matching"),
        ("submitted", "triage", "requester", 403, "submitted"),
        ("draft", "triage", "coordinator", 409, "draft"),
        ("matching", "staff", "coordinator", 403, "matching"),
        ("completed", "cancel", "coordinator", 409, "completed"),
        ("submitted", "reject", "coordinator", 200, "rejected"),
        ("active", "complete", "requester", 200, "completed"),
        ("draft", "fly", "coordinator", 404, "draft"),
    ],
)
def test_actions_through_the_api(
    auth, client, make_user, db_session, state, action, role, status, to
):
    requester = make_user("lno", clearance="NS")
    coordinator = make_user("coordinator", clearance="NS")
    found = make_request(db_session, requester, state=state)
    actor = requester if role == "requester" else coordinator
    before = len(db_session.exec(select(RequestEvent)).all())
    response = client.post(
        f"/api/v1/requests/{found.id}/actions/{action}",
        json={"note": "why"},
        headers=auth.bearer(actor),
    )
    assert response.status_code == status, response.get_json()
    db_session.refresh(found)
    assert found.state == to
    events = db_session.exec(select(RequestEvent)).all()
    assert len(events) == before + (1 if status == 200 else 0)
    if status == 200:
        assert response.get_json()["history"][-1]["note"] == "why"


def test_candidates_rank_and_explain(auth, client, make_user, make_expert, db_session):
    coordinator = make_user("coordinator", clearance="NS")
    found = make_request(db_session, coordinator, topics={"crsv": 3})
    specialist = make_expert(topics={"crsv": 4}, clearance="NS")
    generalist = make_expert(topics={"crsv": 2, "poc": 2, "cthb": 2}, clearance="NS")
    uncleared = make_expert(topics={"crsv": 4})
    pending = make_expert(vetting="pending", topics={"crsv": 4}, clearance="NS")
    headers = auth.bearer(coordinator)
    ranked = client.get(f"/api/v1/requests/{found.id}/candidates", headers=headers).get_json()
    order = [c["expert_id"] for c in ranked]
    assert order.index(specialist.id) < order.index(generalist.id)
    assert uncleared.id not in order and pending.id not in order
    assert set(ranked[0]["components"]) == {
        "topic",
        "language",
        "region",
        "availability",
        "balance",
        "rotation",
    }
    explained = client.get(
        f"/api/v1/requests/{found.id}/candidates?explain=excluded", headers=headers
    ).get_json()
    reasons = {e["expert_id"]: e["reasons"] for e in explained if e["excluded"]}
    assert [e["expert_id"] for e in explained if not e["excluded"]] == order
    assert "clearance_too_low" in reasons[uncleared.id]
    assert "not_vetted" in reasons[pending.id]
    outsider = make_user("lno", clearance="NS")  # not the requester's command: cannot see it
    assert (
        client.get(
            f"/api/v1/requests/{found.id}/candidates", headers=auth.bearer(outsider)
        ).status_code
        == 404
    )


def test_offer_accept_staffs_the_request_and_withdraws_the_rest(
    auth, client, make_user, make_expert, db_session
):
    coordinator = make_user("coordinator", clearance="NS")
    found = make_request(db_session, coordinator, seats=1)
    first, second = make_expert(clearance="NS"), make_expert(clearance="NS")
    headers = auth.bearer(coordinator)
    respond_by = (utcnow() + timedelta(days=2)).isoformat()
    sent = client.post(
        f"/api/v1/requests/{found.id}/offers",
        json={"expert_ids": [first.id, second.id], "respond_by": respond_by},
        headers=headers,
    )
    assert sent.status_code == 201, sent.get_json()
    offers = {o["expert_id"]: o["id"] for o in sent.get_json()}
    from roster.accounts.models import User

    first_user = db_session.get(User, first.user_id)
    second_user = db_session.get(User, second.user_id)
    mine = client.get("/api/v1/offers", headers=auth.bearer(first_user)).get_json()
    assert [o["id"] for o in mine] == [offers[first.id]]
    accepted = client.post(
        f"/api/v1/offers/{offers[first.id]}/accept", headers=auth.bearer(first_user)
    )
    assert accepted.status_code == 200
    late = client.post(
        f"/api/v1/offers/{offers[second.id]}/accept", headers=auth.bearer(second_user)
    )
    assert late.status_code == 409
    db_session.refresh(found)
    assert (found.state, found.filled) == ("staffed", 1)
    withdrawn = db_session.get(Offer, offers[second.id])
    db_session.refresh(withdrawn)
    assert withdrawn.state == "withdrawn"
    kinds = sorted(m.kind for m in db_session.exec(select(OutboxMessage)))
    # The two experts' offers and the loser's withdrawal; the coordinators hear of the accept
    # and the requester of the staffing (roster.requests.alerts).
    assert kinds == ["offer", "offer", "offer_accepted", "request_staffed", "withdrawal"]


def test_offers_refused_for_an_expert_failing_a_hard_rule(
    auth, client, make_user, make_expert, db_session
):
    coordinator = make_user("coordinator", clearance="NS")
    found = make_request(db_session, coordinator, required="NS", classification="NR")
    low = make_expert(clearance="NR")
    response = client.post(
        f"/api/v1/requests/{found.id}/offers",
        json={"expert_ids": [low.id], "respond_by": (utcnow() + timedelta(days=1)).isoformat()},
        headers=auth.bearer(coordinator),
    )
    assert response.status_code == 409
    assert "clearance_too_low" in response.get_json()["error"]["fields"]["expert_ids"][0]
    assert db_session.exec(select(Offer)).all() == []


def test_decline_then_offer_again(auth, client, make_user, make_expert, db_session):
    coordinator = make_user("coordinator", clearance="NS")
    found = make_request(db_session, coordinator)
    expert = make_expert(clearance="NS")
    offer = make_offer(db_session, found, expert)
    from roster.accounts.models import User

    user = db_session.get(User, expert.user_id)
    bad = client.post(f"/api/v1/offers/{offer.id}/decline", json={}, headers=auth.bearer(user))
    assert bad.status_code == 422
    ok = client.post(
        f"/api/v1/offers/{offer.id}/decline",
        json={"reason": "On leave"},
        headers=auth.bearer(user),
    )
    assert ok.get_json()["state"] == "declined"
    again = client.post(
        f"/api/v1/requests/{found.id}/offers",
        json={"expert_ids": [expert.id], "respond_by": (utcnow() + timedelta(days=1)).isoformat()},
        headers=auth.bearer(coordinator),
    )
    assert again.status_code == 201


def test_someone_elses_offer_is_404(auth, client, make_user, make_expert, db_session):
    found = make_request(db_session, make_user("coordinator", clearance="NS"))
    offer = make_offer(db_session, found, make_expert(clearance="NS"))

    intruder = make_expert(clearance="NS")
    response = client.post(
        f"/api/v1/offers/{offer.id}/accept",
        headers=auth.bearer(intruder),
    )
    assert response.status_code == 404


def test_expired_offer_cannot_be_accepted(auth, client, make_user, make_expert, db_session, app):
    found = make_request(db_session, make_user("coordinator", clearance="NS"))
    expert = make_expert(clearance="NS")
    offer = make_offer(db_session, found, expert, hours=-1)
    from roster.accounts.models import User

    user = db_session.get(User, expert.user_id)
    assert (
        client.post(f"/api/v1/offers/{offer.id}/accept", headers=auth.bearer(user)).status_code
        == 409
    )
    result = app.test_cli_runner().invoke(args=["roster", "expire-offers"])
    assert "1 offer(s) expired" in result.output
    db_session.refresh(offer)
    assert offer.state == "expired"


def test_engagement_log_and_two_way_feedback(auth, client, make_user, make_expert, db_session):
    lno = make_user("lno", clearance="NS")
    found = make_request(db_session, lno, state="active")
    expert = make_expert(clearance="NS")
    seat(db_session, found, expert)

    expert_headers = auth.bearer(expert)
    lno_headers = auth.bearer(lno)
    logged = client.post(
        f"/api/v1/requests/{found.id}/engagement-log",
        json={"kind": "deliverable", "summary": "Briefing note delivered"},
        headers=expert_headers,
    )
    assert logged.status_code == 201
    outsider = make_user("lno", clearance="NS")
    assert (
        client.post(
            f"/api/v1/requests/{found.id}/engagement-log",
            json={"kind": "note", "summary": "x"},
            headers=auth.bearer(outsider),
        ).status_code
        == 404
    )
    early = client.post(
        f"/api/v1/requests/{found.id}/feedback",
        json={"expert_id": expert.id, "rating": 5},
        headers=lno_headers,
    )
    assert early.status_code == 409
    client.post(f"/api/v1/requests/{found.id}/actions/complete", json={}, headers=lno_headers)
    rated = client.post(
        f"/api/v1/requests/{found.id}/feedback",
        json={"expert_id": expert.id, "rating": 5, "comment": "Excellent"},
        headers=lno_headers,
    )
    assert rated.status_code == 201
    twice = client.post(
        f"/api/v1/requests/{found.id}/feedback",
        json={"expert_id": expert.id, "rating": 4},
        headers=lno_headers,
    )
    assert twice.status_code == 409
    back = client.post(
        f"/api/v1/requests/{found.id}/feedback",
        json={"clarity": 4, "usefulness": 5},
        headers=expert_headers,
    )
    assert back.status_code == 201
    db_session.refresh(expert)
    assert expert.last_engaged_on == found.ends_on
    profile = client.get(f"/api/v1/experts/{expert.id}", headers=lno_headers).get_json()
    assert "Excellent" not in str(profile)


def test_expert_without_clearance_sees_an_unclassified_request_they_were_offered(
    auth, client, make_user, make_expert, db_session
):

    found = make_request(
        db_session, make_user("coordinator", clearance="NS"), classification="NU", required="NU"
    )
    secret = make_request(
        db_session, make_user("coordinator", clearance="NS"), classification="NR", required="NR"
    )
    expert = make_expert()
    make_offer(db_session, found, expert)
    make_offer(db_session, secret, expert)
    headers = auth.bearer(expert)
    body = client.get(f"/api/v1/requests/{found.id}", headers=headers).get_json()
    assert body["title"] == found.title and "history" not in body
    assert client.get(f"/api/v1/requests/{secret.id}", headers=headers).status_code == 404
    assert client.get("/api/v1/requests", headers=headers).get_json()["total"] == 1


def test_feedback_out_of_range_is_422(auth, client, make_user, make_expert, db_session):
    lno = make_user("lno", clearance="NS")
    found = make_request(db_session, lno, state="completed")
    expert = make_expert(clearance="NS")
    seat(db_session, found, expert)
    response = client.post(
        f"/api/v1/requests/{found.id}/feedback",
        json={"expert_id": expert.id, "rating": 9},
        headers=auth.bearer(lno),
    )
    assert response.status_code == 422


def test_weights_and_targets_come_from_one_configurable_place(
    app, make_user, make_expert, db_session
):
    from roster.requests import settings
    from roster.requests.workflow import RESPONSE_TARGETS

    with app.app_context():
        assert settings.response_targets() == RESPONSE_TARGETS
        app.config["ROSTER_RESPONSE_TARGET_HOURS"] = {"immediate": 1}
        app.config["ROSTER_MATCHING_WEIGHTS"] = {"topic": 0.0, "rotation": 1.0}
        assert settings.response_targets()["immediate"] == timedelta(hours=1)
        assert settings.matching_weights().topic == 0.0


def test_a_malformed_setting_stops_the_start(monkeypatch, tmp_path):
    from roster.config import ConfigError, Settings

    monkeypatch.setenv("ROSTER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ROSTER_MATCHING_WEIGHTS", "topic=heavy")
    with pytest.raises(ConfigError):
        Settings.from_env()
    monkeypatch.setenv("ROSTER_MATCHING_WEIGHTS", "topic=0.5,rotation=0.2")
    assert Settings.from_env().flask_config()["ROSTER_MATCHING_WEIGHTS"] == {
        "topic": 0.5,
        "rotation": 0.2,
    }


def test_lno_sees_contact_details_only_of_experts_who_accepted_their_request(
    auth, client, make_user, make_expert, db_session
):
    lno, other_lno = make_user("lno", clearance="NS"), make_user("lno", clearance="NS")
    found = make_request(db_session, lno)
    expert = make_expert(clearance="NS")
    headers = auth.bearer(lno)
    before = client.get(f"/api/v1/experts/{expert.id}", headers=headers).get_json()
    assert "email" not in before and "phone" not in before
    seat(db_session, found, expert)
    after = client.get(f"/api/v1/experts/{expert.id}", headers=headers).get_json()
    assert after["email"] == expert.email and after["phone"] == expert.phone
    other = client.get(f"/api/v1/experts/{expert.id}", headers=auth.bearer(other_lno)).get_json()
    assert "email" not in other
