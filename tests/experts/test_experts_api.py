"""The experts API: validation, optimistic locking, visibility and fields per role."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlmodel import select

from roster.audit import AuditEvent
from roster.experts.models import Expert, ExpertTopic
from roster.notify.models import Notification
from roster.requests.models import Feedback
from tests.support.factories import make_offer, make_request, seat

NEW_EXPERT = {
    "full_name": "Amina Diallo",
    "email": "amina.diallo@example.org",
    "gender": "woman",
    "nationalities": ["SN"],
    "country_of_residence": "FR",
    "affiliation": {"name": "Sahel Peace Network", "kind": "cso"},
    "categories": ["independent"],
    "topics": [{"code": "crsv", "level": 4, "years": 12}],
    "languages": [{"code": "fr", "level": "native"}, {"code": "en", "level": "C1"}],
    "regions": ["ML", "BF"],
    "deployable": True,
    "max_concurrent": 2,
    "bio": "Researcher on CRSV in the Sahel.",
}


def test_coordinator_creates_an_expert_and_an_invitation(auth, client, make_user):
    coordinator = make_user("coordinator")
    response = client.post("/api/v1/experts", json=NEW_EXPERT, headers=auth.bearer(coordinator))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert "/invitations/" in body["invitation_url"]
    assert body["vetting"]["status"] == "pending"
    assert body["topics"][0]["code"] == "crsv"
    assert body["languages"] == [{"code": "en", "level": "C1"}, {"code": "fr", "level": "native"}]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nationalities": ["QQ"]}, "nationalities"),
        ({"regions": ["ZZ"]}, "regions"),
        ({"languages": [{"code": "xx", "level": "B2"}]}, "languages"),
        ({"languages": [{"code": "fr", "level": "D1"}]}, "languages.0.level"),
        ({"topics": [{"code": "crsv", "level": 5}]}, "topics.0.level"),
        ({"topics": [{"code": "crsv", "level": 2.5}]}, "topics.0.level"),
        ({"topics": [{"code": "astrology", "level": 2}]}, "topics"),
        ({"email": "not-an-email"}, "email"),
        (
            {"clearance": {"level": "NS", "issued_by": "FR", "expires_on": "2001-01-01"}},
            "clearance.expires_on",
        ),
        ({"deployable": 1}, "deployable"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_bad_fields_are_422_with_the_field_named(
    auth, client, make_user, db_session, change, field
):
    coordinator = make_user("coordinator")
    response = client.post(
        "/api/v1/experts", json={**NEW_EXPERT, **change}, headers=auth.bearer(coordinator)
    )
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert db_session.exec(select(Expert)).all() == []


def test_stale_version_is_409_and_changes_nothing(auth, client, make_expert, db_session):
    expert = make_expert()
    headers = auth.bearer(expert)
    current = client.get(f"/api/v1/experts/{expert.id}", headers=headers).get_json()
    first = client.patch(
        f"/api/v1/experts/{expert.id}",
        json={"bio": "First edit", "version": current["version"]},
        headers=headers,
    )
    assert first.status_code == 200
    stale = client.patch(
        f"/api/v1/experts/{expert.id}",
        json={"bio": "Second edit", "version": current["version"]},
        headers=headers,
    )
    assert stale.status_code == 409
    assert client.get(f"/api/v1/experts/{expert.id}", headers=headers).get_json()["bio"] == (
        "First edit"
    )


def test_expert_changing_clearance_makes_it_unverified(auth, client, make_expert):
    expert = make_expert(clearance="NS")
    headers = auth.bearer(expert)
    body = client.get(f"/api/v1/experts/{expert.id}", headers=headers).get_json()
    assert body["clearance"]["verified"] is True
    changed = client.patch(
        f"/api/v1/experts/{expert.id}",
        json={
            "version": body["version"],
            "clearance": {"level": "CTS", "issued_by": "BE", "expires_on": "2031-01-01"},
        },
        headers=headers,
    ).get_json()
    assert changed["clearance"] == {
        "level": "CTS",
        "issued_by": "BE",
        "expires_on": "2031-01-01",
        "verified": False,
    }


def test_expert_adding_a_high_topic_waits_for_confirmation(auth, client, make_expert, db_session):
    expert = make_expert(topics={"crsv": 2})
    headers = auth.bearer(expert)
    version = client.get(f"/api/v1/experts/{expert.id}", headers=headers).get_json()["version"]
    body = client.patch(
        f"/api/v1/experts/{expert.id}",
        json={
            "version": version,
            "topics": [{"code": "crsv", "level": 2}, {"code": "poc", "level": 4, "years": 9}],
        },
        headers=headers,
    ).get_json()
    levels = {t["code"]: t["verified"] for t in body["topics"]}
    assert levels == {"crsv": True, "poc": False}


@pytest.mark.parametrize(
    "body",
    [
        {"role": "admin"},
        {"vetting": {"status": "vetted"}},
        {
            "clearance": {
                "level": "NS",
                "issued_by": "BE",
                "expires_on": "2030-01-01",
                "verified": True,
            }
        },
    ],
)
def test_mass_assignment_is_refused(auth, client, make_expert, db_session, body):
    expert = make_expert(vetting="pending")
    headers = auth.bearer(expert)
    response = client.patch(
        f"/api/v1/experts/{expert.id}", json={**body, "version": 1}, headers=headers
    )
    assert response.status_code == 422
    db_session.refresh(expert)
    assert expert.vetting_status == "pending"
    assert expert.clearance_level is None


def test_expert_cannot_read_or_edit_another_expert(auth, client, make_expert):
    mine, other = make_expert(), make_expert()
    headers = auth.bearer(mine)
    assert client.get(f"/api/v1/experts/{other.id}", headers=headers).status_code == 404
    assert (
        client.patch(
            f"/api/v1/experts/{other.id}", json={"bio": "x", "version": 1}, headers=headers
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/experts/{other.id}/export", headers=headers).status_code == 404


@pytest.mark.parametrize(
    "state",
    [
        {"vetting": "pending"},
        {"vetting": "rejected"},
        {"vetting": "suspended"},
        {"vetting": "vetted", "valid_until": date(2020, 1, 1)},
        {"active": False},
    ],
)
def test_lno_sees_only_vetted_listed_experts(auth, client, make_user, make_expert, state):
    lno = make_user("lno", clearance="NS")
    hidden = make_expert(**state)
    assert client.get(f"/api/v1/experts/{hidden.id}", headers=auth.bearer(lno)).status_code == 404


def test_lno_gets_only_allowed_fields(auth, client, make_user, make_expert, db_session):
    lno = make_user("lno", clearance="NS")
    expert = make_expert(clearance="NS")
    body = client.get(f"/api/v1/experts/{expert.id}", headers=auth.bearer(lno)).get_json()
    assert "email" not in body and "phone" not in body and "vetting" not in body
    assert "version" not in body
    assert body["full_name"] == expert.full_name


def test_coordinator_sees_contact_details_and_the_read_is_audited(
    auth, client, make_user, make_expert, db_session
):
    coordinator = make_user("coordinator")
    expert = make_expert()
    body = client.get(f"/api/v1/experts/{expert.id}", headers=auth.bearer(coordinator)).get_json()
    assert body["email"] == expert.email and body["phone"] == expert.phone
    reads = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "expert.contact.read")
    ).all()
    assert [r.subject for r in reads] == [f"expert:{expert.id}"]
    assert expert.email not in str(reads[0].detail)


@pytest.mark.parametrize(
    ("start", "to", "status"),
    [
        ("pending", "vetted", 200),
        ("pending", "rejected", 200),
        ("pending", "suspended", 409),
        ("vetted", "suspended", 200),
        ("vetted", "rejected", 409),
        ("suspended", "vetted", 200),
        ("suspended", "rejected", 409),
        ("rejected", "vetted", 409),
        ("expired", "vetted", 200),
        ("expired", "suspended", 409),
    ],
)
def test_vetting_transitions(auth, client, make_user, make_expert, db_session, start, to, status):
    coordinator = make_user("coordinator")
    if start == "expired":
        expert = make_expert(vetting="vetted", valid_until=date.today() - timedelta(days=1))
    else:
        expert = make_expert(vetting=start)
    response = client.post(
        f"/api/v1/experts/{expert.id}/vetting",
        json={"status": to, "note": "checked references"},
        headers=auth.bearer(coordinator),
    )
    assert response.status_code == status, response.get_json()
    db_session.refresh(expert)
    if status == 200:
        assert expert.vetting_status == to
        if to == "vetted":
            assert expert.vetting_valid_until > date.today() + timedelta(days=700)
    else:
        assert expert.vetting_status == ("vetted" if start == "expired" else start)


def test_only_coordinators_vet_and_verify(auth, client, make_user, make_expert):
    expert = make_expert(vetting="pending", clearance="NS", clearance_verified=False)
    # An LNO never sees a pending expert (404); an admin sees them but does not vet (403).
    for role, status in (("lno", 404), ("admin", 403)):
        headers = auth.bearer(make_user(role, clearance="CTS"))
        vet = client.post(
            f"/api/v1/experts/{expert.id}/vetting", json={"status": "vetted"}, headers=headers
        )
        assert vet.status_code == status, role
    own = auth.bearer(expert)
    assert (
        client.post(
            f"/api/v1/experts/{expert.id}/vetting", json={"status": "vetted"}, headers=own
        ).status_code
        == 403
    )
    assert (
        client.post(f"/api/v1/experts/{expert.id}/clearance/verify", headers=own).status_code == 403
    )


def test_clearance_verification(auth, client, make_user, make_expert):
    coordinator = make_user("coordinator")
    expert = make_expert(clearance="NS", clearance_verified=False)
    response = client.post(
        f"/api/v1/experts/{expert.id}/clearance/verify", headers=auth.bearer(coordinator)
    )
    assert response.get_json()["clearance"]["verified"] is True


def test_availability_put_and_validation(auth, client, make_expert):
    expert = make_expert()
    headers = auth.bearer(expert)
    ok = client.put(
        f"/api/v1/experts/{expert.id}/availability",
        json=[{"from": "2027-01-01", "to": "2027-01-10", "kind": "unavailable"}],
        headers=headers,
    )
    assert ok.status_code == 200
    assert ok.get_json() == [{"from": "2027-01-01", "to": "2027-01-10", "kind": "unavailable"}]
    bad = client.put(
        f"/api/v1/experts/{expert.id}/availability",
        json=[{"from": "2027-01-10", "to": "2027-01-01"}],
        headers=headers,
    )
    assert bad.status_code == 422
    assert "windows" in bad.get_json()["error"]["fields"]


def test_export_contains_everything(auth, client, make_expert, db_session):
    expert = make_expert(topics={"crsv": 4, "poc": 2}, regions=("UA",), clearance="NC")
    auth.page(expert)  # a sign-in, so the export has an audit trail of theirs to show
    body = client.get(f"/api/v1/experts/{expert.id}/export", headers=auth.bearer(expert)).get_json()
    assert body["profile"]["full_name"] == expert.full_name
    assert body["profile"]["phone"] == expert.phone
    assert {t["topic_code"] for t in body["expert_topic"]} == {"crsv", "poc"}
    assert [r["country_code"] for r in body["expert_region"]] == ["UA"]
    assert body["account"]["email"] == expert.email
    assert "password_hash" not in body["account"]
    assert any(e["action"] == "login.success" for e in body["audit_trail"])


def test_export_holds_offers_seats_feedback_notifications_and_sessions(
    auth, client, make_user, make_expert, db_session
):
    expert = make_expert(clearance="NS")
    lno = make_user("lno", clearance="NS")
    declined = make_request(db_session, lno, state="matching")
    offer = make_offer(db_session, declined, expert)
    offer.state, offer.decline_reason = "declined", "on leave"
    served = make_request(db_session, lno, state="completed")
    held = seat(db_session, served, expert)
    db_session.add_all(
        [
            offer,
            Feedback(
                request_id=served.id,
                expert_id=expert.id,
                author_id=lno.id,
                direction="lno_on_expert",
                rating=5,
                comment="Clear and quick",
            ),
            Notification(
                user_id=expert.user_id,
                kind="offer_received",
                subject="You are offered a seat",
                link="/offers",
            ),
        ]
    )
    db_session.commit()
    auth.page(expert)  # a browser session of theirs
    body = client.get(f"/api/v1/experts/{expert.id}/export", headers=auth.bearer(expert)).get_json()
    assert [(o["request_id"], o["state"], o["decline_reason"]) for o in body["offer"]] == [
        (declined.id, "declined", "on leave"),
        (served.id, "accepted", ""),
    ]
    assert [a["id"] for a in body["assignment"]] == [held.id]
    assert [(f["rating"], f["comment"]) for f in body["feedback"]] == [(5, "Clear and quick")]
    assert [n["subject"] for n in body["notification"]] == ["You are offered a seat"]
    assert body["user_session"] and body["user_session"][0]["device"] is not None
    everything = json.dumps(body)
    for withheld in ("author_id", "created_by_id", "key_hash", "password_hash", "totp_secret"):
        assert f'"{withheld}"' not in everything


def test_erasure_leaves_no_personal_data_anywhere(
    auth, client, make_user, make_expert, db_session, app
):
    expert = make_expert(
        topics={"crsv": 4},
        regions=("UA",),
        clearance="NS",
        full_name="Zofia Erasable",
        bio="Bio of Zofia Erasable",
    )
    email, phone = expert.email, expert.phone
    admin = make_user("admin")
    coordinator = make_user("coordinator")
    client.get(f"/api/v1/experts/{expert.id}", headers=auth.bearer(coordinator))
    response = client.delete(f"/api/v1/experts/{expert.id}", headers=auth.bearer(admin))
    assert response.status_code == 200
    engine = app.extensions["roster.engine"]
    from roster.models_registry import metadata

    with engine.connect() as conn:
        for table in metadata().sorted_tables:
            for row in conn.execute(table.select()):
                text = " ".join(str(v) for v in row)
                for secret in ("Zofia", "Erasable", email, phone):
                    assert secret not in text, f"{secret} left in {table.name}"
    db_session.refresh(expert)
    assert expert.pseudonym and expert.full_name == expert.pseudonym
    assert (
        db_session.exec(select(ExpertTopic).where(ExpertTopic.expert_id == expert.id)).all() == []
    )
    from roster.audit import first_broken

    assert first_broken(db_session) is None


def test_deactivated_expert_account_hides_the_profile_from_lnos(
    auth, client, make_user, make_expert
):
    admin, lno = make_user("admin"), make_user("lno", clearance="NS")
    expert = make_expert()
    lno_headers = auth.bearer(lno)
    assert client.get(f"/api/v1/experts/{expert.id}", headers=lno_headers).status_code == 200
    client.patch(
        f"/api/v1/users/{expert.user_id}", json={"active": False}, headers=auth.bearer(admin)
    )
    assert client.get(f"/api/v1/experts/{expert.id}", headers=lno_headers).status_code == 404
