"""No page shows a viewer what the API withholds from the same viewer. Over the access world
(every role x own, someone else's, offered, declined, accepted, above clearance, expired
clearance): the API's answer to a coordinator cleared for everything is the full object; what
the viewer's own API answer leaves out of it must not appear in the viewer's page, and a 403 or
404 from the API is the same status from the page."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from roster.accounts.models import User
from roster.requests.models import CrisisRequest, EngagementEntry, Offer
from tests.security.world import ROLES, build

REQUESTS = ("own", "foreign", "secret", "lapsed", "declined", "accepted")
EXPERTS = ("own_expert", "other_expert", "pending_expert")


def strings(value: Any) -> set[str]:
    """The non-trivial strings in a JSON value: codes and short words could be page chrome."""
    if isinstance(value, dict):
        return set().union(*(strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings(v) for v in value)) if value else set()
    return {value} if isinstance(value, str) and len(value) >= 8 else set()


def names(db_session, document: dict[str, Any]) -> set[str]:
    """The API names people by id; the page by name. The full object's people, by name."""
    ids = {document.get("requested_by")} | {h.get("actor") for h in document.get("history", [])}
    rows = db_session.exec(select(User.full_name).where(User.id.in_(ids - {None}))).all()
    return set(rows)


def own_name(world, role: str) -> set[str]:
    return set() if role == "anonymous" else {world.users[role].full_name}


@pytest.fixture
def world(auth, db_session, make_user, make_expert):
    built = build(db_session, make_user, make_expert, auth)
    built.users["everything"] = make_user("coordinator", clearance="CTS")
    built.headers["everything"] = auth.bearer(built.users["everything"])
    return built


def status_of(response) -> int:
    """A page's sign-in redirect counts as the API's 401."""
    if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
        return 401
    return response.status_code


def check(page, api_status: int, withheld: set[str], where: str) -> list[str]:
    """`withheld` never holds the viewer's own name: every page's header shows it."""
    problems = []
    if api_status in (401, 403, 404) and status_of(page) != api_status:
        problems.append(f"{where}: API {api_status}, page {page.status_code}")
    html = page.get_data(as_text=True)
    problems += [f"{where}: page shows withheld {v!r}" for v in sorted(withheld) if v in html]
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_request_pages_show_nothing_the_api_withholds(app, db_session, world, role):
    client, headers = world.client(app, role)
    full_api = app.test_client()
    problems = []
    for variant in REQUESTS:
        rid = world.ids[f"{variant}_request"]
        full = full_api.get(f"/api/v1/requests/{rid}", headers=world.headers["everything"])
        full_doc = full.get_json()
        full_log = full_api.get(
            f"/api/v1/requests/{rid}/engagement-log", headers=world.headers["everything"]
        ).get_json()
        mine = client.get(f"/api/v1/requests/{rid}", headers=headers)
        log = client.get(f"/api/v1/requests/{rid}/engagement-log", headers=headers)
        seen = strings(mine.get_json()) if mine.status_code == 200 else set()
        if mine.status_code == 200:
            seen |= names(db_session, mine.get_json())
        if log.status_code == 200:
            seen |= strings(log.get_json())
        withheld = (strings(full_doc) | names(db_session, full_doc) | strings(full_log)) - seen
        withheld -= own_name(world, role)
        page = client.get(f"/requests/{rid}")
        problems += check(page, mine.status_code, withheld, f"request {variant} as {role}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_expert_pages_show_nothing_the_api_withholds(app, world, role):
    client, headers = world.client(app, role)
    full_api = app.test_client()
    problems = []
    for variant in EXPERTS:
        eid = world.ids[variant]
        full = full_api.get(f"/api/v1/experts/{eid}", headers=world.headers["everything"])
        mine = client.get(f"/api/v1/experts/{eid}", headers=headers)
        seen = strings(mine.get_json()) if mine.status_code == 200 else set()
        withheld = strings(full.get_json()) - seen
        page = client.get(f"/experts/{eid}")
        problems += check(page, mine.status_code, withheld, f"expert {variant} as {role}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_the_offers_page_shows_nothing_the_api_withholds(app, db_session, world, role):
    client, headers = world.client(app, role)
    mine = client.get("/api/v1/offers", headers=headers)
    page = client.get("/offers")
    # Every offer and every request in the world; the viewer's answers are what they may read.
    withheld = set()
    for offer in db_session.exec(select(Offer)).all():
        withheld |= strings({"reason": offer.decline_reason})
    for request in db_session.exec(select(CrisisRequest)).all():
        withheld |= strings({"title": request.title, "description": request.description})
    seen = set()
    if mine.status_code == 200:
        seen = strings(mine.get_json())
        for offer in mine.get_json():
            answer = client.get(f"/api/v1/requests/{offer['request_id']}", headers=headers)
            if answer.status_code == 200:
                seen |= strings(answer.get_json())
    problems = check(page, mine.status_code, withheld - seen, f"offers as {role}")
    assert problems == [], "\n".join(problems)


def test_the_world_holds_what_the_parity_checks_need(db_session, world):
    """Guard against a parity test that passes because nothing is withheld: every case exists."""
    expert_id = world.ids["own_expert"]
    states = {o.state for o in db_session.exec(select(Offer).where(Offer.expert_id == expert_id))}
    assert {"open", "declined", "accepted"} <= states
    logged = db_session.exec(select(EngagementEntry.request_id)).all()
    assert world.ids["accepted_request"] in logged and world.ids["secret_request"] in logged
