"""A vetting or clearance change reaches the offers and seats built on it: open offers the expert
no longer qualifies for are withdrawn (audited, the expert told), and a seat they hold but no
longer qualify for is flagged to coordinators (API, request page, mail to cleared ones)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from roster.audit import AuditEvent
from roster.db import today
from roster.experts.models import Expert
from roster.notify.models import OutboxMessage
from roster.requests.models import CrisisRequest, Offer
from tests.support.factories import make_offer, make_request, seat


def mails_of(db_session, kind: str) -> list[OutboxMessage]:
    db_session.expire_all()
    return list(
        db_session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        ).all()
    )


def suspend(auth, client, coordinator, expert) -> None:
    response = client.post(
        f"/api/v1/experts/{expert.id}/vetting",
        json={"status": "suspended", "note": "Under review."},
        headers=auth.bearer(coordinator),
    )
    assert response.status_code == 200, response.get_json()


def test_lowering_own_clearance_withdraws_the_offers_it_no_longer_reaches(
    auth, client, make_user, make_expert, db_session
):
    coordinator = make_user("coordinator", clearance="NS")
    secret = make_request(db_session, coordinator, classification="NS", required="NS")
    plain = make_request(db_session, coordinator, classification="NU", required="NU")
    expert = make_expert(clearance="NS")
    lost, kept = make_offer(db_session, secret, expert), make_offer(db_session, plain, expert)
    headers = auth.bearer(expert)
    version = client.get(f"/api/v1/experts/{expert.id}", headers=headers).get_json()["version"]
    response = client.patch(
        f"/api/v1/experts/{expert.id}",
        json={
            "version": version,
            "clearance": {"level": "NR", "issued_by": "BE", "expires_on": "2030-01-01"},
        },
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()
    db_session.expire_all()
    assert db_session.get(Offer, lost.id).state == "withdrawn"
    assert db_session.get(Offer, kept.id).state == "open"
    assert [m.to_address for m in mails_of(db_session, "withdrawal")] == [expert.email]
    audited = db_session.exec(select(AuditEvent).where(AuditEvent.action == "offer.withdraw")).all()
    assert [a.subject for a in audited] == [f"request:{secret.id}"]
    refused = client.post(f"/api/v1/offers/{lost.id}/accept", headers=headers)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["fields"]["reasons"] == ["clearance_too_low"]


def test_suspended_vetting_withdraws_open_offers_and_flags_the_seat(
    auth, client, make_user, make_expert, db_session
):
    coordinator = make_user("coordinator", clearance="NS")
    low_coordinator = make_user("coordinator", clearance="NR")
    lno = make_user("lno", clearance="NS")
    staffed = make_request(db_session, lno, state="staffed", classification="NS", required="NS")
    other = make_request(db_session, coordinator, classification="NS", required="NS")
    expert = make_expert(clearance="NS")
    seat(db_session, staffed, expert)
    offer = make_offer(db_session, other, expert)
    staff = auth.bearer(coordinator)
    before = client.get(f"/api/v1/requests/{staffed.id}", headers=staff).get_json()
    assert before["seat_warnings"] == []

    suspend(auth, client, coordinator, expert)

    db_session.expire_all()
    assert db_session.get(Offer, offer.id).state == "withdrawn"
    assert db_session.get(CrisisRequest, staffed.id).state == "staffed"  # the seat stays
    body = client.get(f"/api/v1/requests/{staffed.id}", headers=staff).get_json()
    assert body["seat_warnings"] == [{"expert_id": expert.id, "reasons": ["not_vetted"]}]
    by_lno = client.get(f"/api/v1/requests/{staffed.id}", headers=auth.bearer(lno))
    assert "seat_warnings" not in by_lno.get_json()
    flagged = mails_of(db_session, "seat_flagged")
    assert [m.to_address for m in flagged] == [coordinator.email]
    assert low_coordinator.email not in {m.to_address for m in flagged}
    page = auth.page(coordinator)
    html = page.get(f"/requests/{staffed.id}").get_data(as_text=True)
    assert "No longer qualifies:" in html and "not vetted, or vetting expired" in html

    renewed = client.post(
        f"/api/v1/experts/{expert.id}/vetting", json={"status": "vetted"}, headers=staff
    )
    assert renewed.status_code == 200, renewed.get_json()
    after = client.get(f"/api/v1/requests/{staffed.id}", headers=staff).get_json()
    assert after["seat_warnings"] == []


def test_expire_vettings_withdraws_the_lapsed_experts_offers(
    app, make_user, make_expert, db_session
):
    found = make_request(db_session, make_user("coordinator", clearance="NS"))
    lapsed, current = make_expert(clearance="NS"), make_expert(clearance="NS")
    stored = db_session.get(Expert, lapsed.id)
    stored.vetting_valid_until = today() - timedelta(days=1)
    db_session.add(stored)
    db_session.commit()
    gone, kept = make_offer(db_session, found, lapsed), make_offer(db_session, found, current)
    result = app.test_cli_runner().invoke(args=["roster", "expire-vettings"])
    assert result.exit_code == 0, result.output
    db_session.expire_all()
    assert db_session.get(Offer, gone.id).state == "withdrawn"
    assert db_session.get(Offer, kept.id).state == "open"
    assert [m.to_address for m in mails_of(db_session, "withdrawal")] == [lapsed.email]
