"""Factories for search tests: small rosters built straight into the test database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from roster.db import today
from roster.experts.models import (
    AvailabilityWindow,
    Expert,
    ExpertCategory,
    ExpertLanguage,
    ExpertRegion,
    ExpertTopic,
)
from roster.search.index import reindex_experts

TODAY = today()
VERIFIED = datetime(2026, 1, 1, tzinfo=UTC)


def add_expert(session: Session, name: str, **kw) -> Expert:  # noqa: ANN003
    """One expert; keyword `topics={"crsv": 3}`, `languages={"fr": "B2"}`, `regions=[...]`,
    `windows=[(from, to, kind)]`, `categories=[...]`, and any Expert column."""
    topics = kw.pop("topics", {"poc": 2})
    languages = kw.pop("languages", {"en": "C1"})
    regions = kw.pop("regions", [])
    categories = kw.pop("categories", [])
    windows = kw.pop("windows", [])
    kw.setdefault("vetting_status", "vetted")
    expert = Expert(full_name=name, **kw)
    session.add(expert)
    session.flush()
    eid = expert.id
    session.add_all(
        [ExpertTopic(expert_id=eid, topic_code=c, level=lv) for c, lv in topics.items()]
        + [ExpertLanguage(expert_id=eid, language_code=c, level=lv) for c, lv in languages.items()]
        + [ExpertRegion(expert_id=eid, country_code=c) for c in regions]
        + [ExpertCategory(expert_id=eid, category=c) for c in categories]
        + [AvailabilityWindow(expert_id=eid, starts_on=a, ends_on=b, kind=k) for a, b, k in windows]
    )
    session.flush()
    reindex_experts(session, [eid])
    session.commit()
    return expert


@pytest.fixture
def make_expert(db_session: Session) -> Callable[..., Expert]:
    return lambda name, **kw: add_expert(db_session, name, **kw)


@pytest.fixture
def lno_token(client, make_user) -> str:  # noqa: ANN001
    from tests.conftest import api_token

    user = make_user("lno", clearance="NS")
    return api_token(client, user.email)


@pytest.fixture
def coordinator_token(client, make_user) -> str:  # noqa: ANN001
    from tests.conftest import api_token

    user = make_user("coordinator", clearance="NS")
    return api_token(client, user.email)


def search(client, token: str, query: str = "", status: int = 200) -> dict:  # noqa: ANN001
    response = client.get(f"/api/v1/experts?{query}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == status, response.get_json()
    return response.get_json()


def names(body: dict) -> list[str]:
    return [item["full_name"] for item in body["items"]]
