"""'Save and submit' on a new request: one step from the form to the coordinators' queue."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from roster.db import today
from roster.requests.models import CrisisRequest
from tests.support.auth import csrf_token


def _form(client, **extra):
    starts = today() + timedelta(days=5)
    return {
        "csrf_token": csrf_token(client, "/requests/new"),
        "title": "Gender advice to the JTF",
        "description": "Advise the JTF staff.",
        "kind": "crisis",
        "urgency": "immediate",
        "classification": "NU",
        "required_clearance": "NU",
        "starts_on": starts.isoformat(),
        "ends_on": (starts + timedelta(days=4)).isoformat(),
        "mode": "remote",
        "seats": "1",
        **extra,
    }


def test_save_and_submit_creates_a_submitted_request(auth, make_user, db_session):
    client = auth.page(make_user("lno", clearance="NS"))
    form = _form(client, and_submit="1")
    answer = client.post("/requests/new", data=form)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    req = db_session.exec(select(CrisisRequest)).one()
    assert req.state == "submitted"
    assert req.submitted_at is not None


def test_save_draft_still_saves_a_draft(auth, make_user, db_session):
    client = auth.page(make_user("lno", clearance="NS"))
    answer = client.post("/requests/new", data=_form(client))
    assert answer.status_code == 302
    assert db_session.exec(select(CrisisRequest)).one().state == "draft"
