"""Arrangements for search tests: `make_expert(name, ...)` builds indexed experts without an
account (tests/support/factories.py: add_expert), a cleared LNO and coordinator, a search call."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from roster.accounts.models import User
from roster.experts.models import Expert
from tests.support.factories import add_expert


@pytest.fixture
def make_expert(db_session: Session) -> Callable[..., Expert]:
    return lambda name, **kw: add_expert(db_session, name, **kw)


@pytest.fixture
def lno(make_user) -> User:
    """A cleared LNO to search as."""
    return make_user("lno", clearance="NS")


@pytest.fixture
def coordinator(make_user) -> User:
    """A cleared coordinator to search as."""
    return make_user("coordinator", clearance="NS")


def search(client, headers: dict[str, str], query: str = "", status: int = 200) -> dict:
    response = client.get(f"/api/v1/experts?{query}", headers=headers)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def names(body: dict) -> list[str]:
    return [item["full_name"] for item in body["items"]]
