"""The team of a request (the experts who accepted a seat), on the page and over the API: for
the requester and their command, coordinators and the team members; contact details for the
requester and coordinators only, each read recorded; no read-up."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import select

from roster.audit import AuditEvent
from roster.reference.models import Command
from tests.support.factories import make_offer, make_request, seat


@pytest.fixture
def staffed(db_session, make_user, make_expert):
    commands = db_session.exec(select(Command.id).order_by(Command.id)).all()
    lno, colleague, outsider = (make_user("lno", clearance="NS") for _ in range(3))
    lno.command_id, colleague.command_id, outsider.command_id = (
        commands[0],
        commands[0],
        commands[1],
    )
    db_session.add_all([lno, colleague, outsider])
    db_session.commit()
    req = make_request(
        db_session, lno, state="staffed", seats=2, classification="NR", command_id=commands[0]
    )
    first = make_expert(clearance="NS", full_name="Amira First")
    second = make_expert(clearance="NS", full_name="Bruno Second")
    seats = [seat(db_session, req, first), seat(db_session, req, second)]
    offered = make_expert(clearance="NS", full_name="Olga Offered")
    make_offer(db_session, req, offered)
    return SimpleNamespace(
        lno=lno,
        colleague=colleague,
        outsider=outsider,
        req=req,
        first=first,
        second=second,
        offered=offered,
        seats=seats,
    )


def contact_reads(db_session) -> list[str]:
    db_session.expire_all()
    return sorted(
        e.subject
        for e in db_session.exec(
            select(AuditEvent).where(AuditEvent.action == "expert.contact.read")
        )
    )


def team(client, auth, who, req):
    return client.get(f"/api/v1/requests/{req.id}/team", headers=auth.bearer(who))


def test_the_requester_reads_the_team_with_contact_details_and_each_read_is_recorded(
    auth, client, db_session, staffed
):
    answer = team(client, auth, staffed.lno, staffed.req)
    assert answer.status_code == 200
    rows = answer.get_json()
    assert [r["full_name"] for r in rows] == ["Amira First", "Bruno Second"]
    assert set(rows[0]) == {"expert_id", "full_name", "email", "phone", "since"}
    assert rows[0]["email"] == staffed.first.email and rows[1]["phone"] == staffed.second.phone
    assert rows[0]["since"]
    expected = sorted([f"expert:{staffed.first.id}", f"expert:{staffed.second.id}"])
    assert contact_reads(db_session) == expected
    team(client, auth, staffed.lno, staffed.req)
    assert contact_reads(db_session) == sorted(expected * 2)


def test_a_coordinator_reads_the_contact_details_too(auth, client, db_session, make_user, staffed):
    rows = team(client, auth, make_user("coordinator", clearance="NS"), staffed.req).get_json()
    assert {r["email"] for r in rows} == {staffed.first.email, staffed.second.email}
    assert len(contact_reads(db_session)) == 2


def test_the_command_and_the_team_read_names_but_no_contact_details(
    auth, client, db_session, staffed
):
    for who in (staffed.colleague, staffed.first):
        answer = team(client, auth, who, staffed.req)
        assert answer.status_code == 200, who
        rows = answer.get_json()
        assert [r["full_name"] for r in rows] == ["Amira First", "Bruno Second"]
        assert all(r["email"] is None and r["phone"] is None for r in rows)
    assert contact_reads(db_session) == []


def test_others_cannot_read_the_team(auth, client, db_session, make_user, make_expert, staffed):
    assert team(client, auth, staffed.offered, staffed.req).status_code == 403
    assert team(client, auth, staffed.outsider, staffed.req).status_code == 404
    assert team(client, auth, make_expert(clearance="NS"), staffed.req).status_code == 404
    assert team(client, auth, make_user("admin", clearance="CTS"), staffed.req).status_code == 404
    assert client.get(f"/api/v1/requests/{staffed.req.id}/team").status_code == 401
    assert contact_reads(db_session) == []


def test_no_read_up_through_the_team(auth, client, db_session, make_user, make_expert):
    top = make_user("coordinator", clearance="CTS")
    secret = make_request(db_session, top, state="staffed", classification="CTS", required="CTS")
    seat(db_session, secret, make_expert(clearance="CTS", full_name="Cosmic Cleared"))
    low = make_user("coordinator", clearance="NS")
    answer = team(client, auth, low, secret)
    assert answer.status_code == 404 and "Cosmic" not in answer.get_data(as_text=True)
    assert team(client, auth, top, secret).status_code == 200


def test_a_seated_expert_sees_the_team_on_the_request_page(auth, staffed):
    page = auth.page(staffed.first).get(f"/requests/{staffed.req.id}").get_data(as_text=True)
    assert 'id="team-h"' in page and "Bruno Second" in page
    assert staffed.second.email not in page and staffed.second.phone not in page
    offered = auth.page(staffed.offered).get(f"/requests/{staffed.req.id}").get_data(as_text=True)
    assert 'id="team-h"' not in offered and "Bruno Second" not in offered
