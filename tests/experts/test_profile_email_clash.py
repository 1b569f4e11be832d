"""Creating a profile with the e-mail of a profile that has no account yet (seeded or imported):
a conflict named on the email field, never a 500, and nothing half-created."""

from __future__ import annotations

import pytest
from sqlmodel import select

from roster.accounts.models import User
from roster.errors import Conflict
from roster.experts import profiles
from roster.experts.models import Expert
from tests.experts.test_experts_api import NEW_EXPERT
from tests.experts.test_profile_pages import form_fields


def test_api_answers_409_on_the_email_of_an_accountless_profile(
    auth, client, db_session, make_user, make_expert
):
    existing = make_expert(with_user=False)
    coordinator = make_user("coordinator")
    response = client.post(
        "/api/v1/experts",
        json={**NEW_EXPERT, "email": existing.email.upper()},
        headers=auth.bearer(coordinator),
    )
    assert response.status_code == 409, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "conflict"
    assert "email" in error["fields"]
    assert db_session.exec(select(User).where(User.role == "expert")).all() == []
    assert len(db_session.exec(select(Expert)).all()) == 1


def test_page_shows_the_clash_beside_the_email_and_keeps_the_form(auth, make_user, make_expert):
    existing = make_expert(with_user=False)
    coordinator = make_user("coordinator")
    browser = auth.page(coordinator)
    data = form_fields(browser.get("/experts/new").get_data(as_text=True))
    data.update(
        {
            "full_name": "Typed Name Kept",
            "email": existing.email,
            "bio": "Typed biography kept",
            "gender": "woman",
            "affiliation_kind": "cso",
        }
    )
    response = browser.post("/experts/new", data=data)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'id="email-error"' in page
    assert "Typed Name Kept" in page and "Typed biography kept" in page
    assert existing.email in page


def test_a_clash_found_only_by_the_database_is_still_a_conflict(
    db_session, make_user, make_expert, monkeypatch
):
    """The up-front check can lose a race; the unique index then answers, as a conflict."""
    existing = make_expert(with_user=False)
    coordinator = make_user("coordinator")
    monkeypatch.setattr(profiles, "_profile_email_taken", lambda session, address: False)
    with pytest.raises(Conflict) as raised:
        profiles.create_expert(
            session=db_session,
            actor=coordinator,
            data={**NEW_EXPERT, "email": existing.email, "affiliation": None},
            today=existing.updated_at.date(),
        )
    assert "email" in raised.value.fields
