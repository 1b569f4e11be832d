"""Arrangements for report tests: a hand-built roster and signed-in clients by role."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from roster.db import today
from roster.experts.models import AvailabilityWindow, Expert, ExpertNationality
from tests.conftest import login
from tests.search.conftest import add_expert

TODAY = today()
VERIFIED = datetime(2026, 1, 1, tzinfo=UTC)


def cleared(level: str, **kw) -> dict:  # noqa: ANN003
    """Keyword arguments for a verified clearance of `level` that outlasts the tests."""
    return {
        "clearance_level": level,
        "clearance_issued_by": "BE",
        "clearance_expires_on": TODAY + timedelta(days=400),
        "clearance_verified_at": VERIFIED,
        **kw,
    }


@pytest.fixture
def roster(db_session: Session) -> Callable[..., Expert]:
    """`roster(name, nationalities=[...], windows=[...], **add_expert keywords)`."""

    def make(name: str, **kw) -> Expert:  # noqa: ANN003
        nationalities = kw.pop("nationalities", [])
        expert = add_expert(db_session, name, **kw)
        for code in nationalities:
            db_session.add(ExpertNationality(expert_id=expert.id, country_code=code))
        db_session.commit()
        return expert

    return make


@pytest.fixture
def signed_in(app, make_user) -> Callable[..., FlaskClient]:  # noqa: ANN001
    """A fresh client signed in as a new user of `role` (with `clearance`)."""

    def make(role: str, clearance: str | None = "NS") -> FlaskClient:
        user = make_user(role, clearance=clearance)
        client = app.test_client()
        response = login(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        client.user = user
        return client

    return make


def unavailable_today() -> list[tuple]:
    return [(TODAY - timedelta(days=1), TODAY + timedelta(days=1), "unavailable")]


__all__ = ["AvailabilityWindow", "TODAY", "cleared", "unavailable_today"]
