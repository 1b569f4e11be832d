"""The panel and directory edits over /api/v1: the pages' checks, audit and history, in JSON."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from roster.experts.models import CsapMembership, FocalPoint
from tests.support.factories import command

TODAY = date.today()


def _count(db_session, model) -> int:
    db_session.expire_all()
    return db_session.exec(select(func.count()).select_from(model)).one()


def test_a_term_is_added_corrected_and_ended(client, auth, make_user, make_expert, db_session):
    headers = auth.bearer(make_user("coordinator"))
    expert = make_expert()
    start = (TODAY - timedelta(days=20)).isoformat()
    created = client.post(
        "/api/v1/csap-terms",
        json={"expert_id": expert.id, "cohort": 2025, "term_start": start},
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    term = created.get_json()
    assert (term["role"], term["term_end"]) == ("member", None)
    patched = client.patch(
        f"/api/v1/csap-terms/{term['id']}",
        json={"expert_id": expert.id, "cohort": 2025, "role": "chair", "term_start": start},
        headers=headers,
    )
    assert patched.get_json()["role"] == "chair"
    ended = client.post(
        f"/api/v1/csap-terms/{term['id']}/end", json={"on": TODAY.isoformat()}, headers=headers
    )
    assert ended.status_code == 200 and ended.get_json()["term_end"] == TODAY.isoformat()
    again = client.post(
        f"/api/v1/csap-terms/{term['id']}/end", json={"on": TODAY.isoformat()}, headers=headers
    )
    assert again.status_code == 409
    assert _count(db_session, CsapMembership) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"until": (TODAY - timedelta(days=90)).isoformat()}, "until"),
        ({"command_id": 999999}, "command_id"),
        ({"topics": ["astrology"]}, "topics"),
        ({"expert_id": 999999}, "expert_id"),
    ],
)
def test_a_bad_focal_point_is_422_and_writes_nothing(
    client, auth, make_user, make_expert, db_session, body, field
):
    headers = auth.bearer(make_user("coordinator"))
    good = {
        "expert_id": make_expert().id,
        "command_id": command(db_session, "ACO").id,
        "role": "gfp",
        "topics": ["crsv"],
        "since": (TODAY - timedelta(days=30)).isoformat(),
    }
    response = client.post("/api/v1/focal-points", json={**good, **body}, headers=headers)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert _count(db_session, FocalPoint) == 0


def test_a_commands_focal_points_as_staff_see_them(
    client, auth, make_user, make_expert, db_session
):
    coordinator = auth.bearer(make_user("coordinator"))
    aco = command(db_session, "ACO")
    created = client.post(
        "/api/v1/focal-points",
        json={"expert_id": make_expert().id, "command_id": aco.id, "role": "caac-fp"},
        headers=coordinator,
    )
    assert created.status_code == 201, created.get_json()
    listed = client.get(
        f"/api/v1/commands/{aco.id}/focal-points", headers=auth.bearer(make_user("lno"))
    )
    assert [e["role"] for e in listed.get_json()] == ["caac-fp"]
    client.post(
        f"/api/v1/focal-points/{created.get_json()['id']}/end",
        json={"on": (TODAY - timedelta(days=1)).isoformat()},
        headers=coordinator,
    )
    assert (
        client.get(f"/api/v1/commands/{aco.id}/focal-points", headers=coordinator).get_json() == []
    )
    assert _count(db_session, FocalPoint) == 1


def test_lnos_and_admins_may_not_edit(client, auth, make_user, make_expert):
    for role in ("lno", "admin"):
        response = client.post(
            "/api/v1/csap-terms",
            json={"expert_id": make_expert().id, "cohort": 2025, "term_start": "2025-01-01"},
            headers=auth.bearer(make_user(role)),
        )
        assert response.status_code == 403
