"""One error path for pages: a refused change rolls the request back, a refused form comes back
with 422 (or the refusal's status), its messages beside the fields and the typed values, and a
refusal on any other page is its status page."""

from __future__ import annotations

import pytest
from sqlmodel import select

from roster.accounts import services as account_services
from roster.accounts.models import User
from roster.directory import services as directory_services
from roster.errors import Conflict, Forbidden, NotFound, ValidationFailed
from roster.reference.models import Command
from tests.conftest import csrf_token
from tests.experts.test_profile_pages import form_fields
from tests.security.world import build


def _command_then_refuse(*, session, **_kwargs):
    session.add(Command(code="GHOST", name="Written before the refusal", kind="centre"))
    session.flush()
    raise Conflict("Taken meanwhile.", {"code": ["Taken meanwhile."]})


def _user_then_refuse(*, session, **_kwargs):
    session.add(User(email="ghost@roster.example", full_name="Ghost", role="expert"))
    session.flush()
    raise ValidationFailed("Not this name.", {"full_name": ["Not this name."]})


# (role, page, service patched to write and then refuse, the form, status, message, typed value)
WRITE_THEN_REFUSE = [
    (
        "admin",
        "/admin/commands/new",
        (directory_services, "create_command", _command_then_refuse),
        {"code": "ghost", "name": "Typed Name", "kind": "centre"},
        409,
        "Taken meanwhile.",
        'value="Typed Name"',
    ),
    (
        "admin",
        "/admin/users/invite",
        (account_services, "create_user", _user_then_refuse),
        {"full_name": "Typed Person", "email": "typed@roster.example", "role": "expert"},
        422,
        "Not this name.",
        'value="typed@roster.example"',
    ),
]


@pytest.mark.parametrize(
    ("role", "page", "patch", "data", "status", "message", "typed"), WRITE_THEN_REFUSE
)
def test_a_refused_form_rolls_back_what_was_written_before_the_refusal(
    app,
    auth,
    db_session,
    make_user,
    make_expert,
    monkeypatch,
    role,
    page,
    patch,
    data,
    status,
    message,
    typed,
):
    world = build(db_session, make_user, make_expert, auth)
    client, _headers = world.client(app, role)
    monkeypatch.setattr(*patch)
    response = client.post(page, data={**data, "csrf_token": csrf_token(client, page)})
    db_session.expire_all()
    assert db_session.exec(select(Command).where(Command.code == "GHOST")).first() is None
    assert db_session.exec(select(User).where(User.email == "ghost@roster.example")).first() is None
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert message in html and typed in html


def _reversed_request(_world, html: str) -> dict[str, str]:
    data = form_fields(html)
    data.update(
        {"title": "Typed request title", "starts_on": "2027-05-10", "ends_on": "2027-05-01"}
    )
    return data


def _expired_clearance(_world, html: str) -> dict[str, str]:
    data = form_fields(html)
    data.update(
        {
            "full_name": "Typed Full Name",
            "clearance_level": "NS",
            "clearance_issued_by": "FR",
            "clearance_expires_on": "2001-01-01",
        }
    )
    return data


# (role, page, the refused form, or how to make it from the page, status, message, typed value)
REFUSED_FORMS = [
    (
        "admin",
        "/admin/users/invite",
        lambda world, _html: {
            "full_name": "Same Email",
            "email": world.users["lno"].email,
            "role": "lno",
        },
        409,
        "Already in use.",
        'value="Same Email"',
    ),
    (
        "coordinator",
        "/admin/users/invite",
        lambda _world, _html: {
            "full_name": "Would Be Admin",
            "email": "wba@roster.example",
            "role": "x",
        },
        422,
        "Not a valid choice",
        'value="Would Be Admin"',
    ),
    (
        "admin",
        "/admin/commands/new",
        lambda _world, _html: {"code": "aco", "name": "Another ACO", "kind": "strategic"},
        409,
        "The code ACO is already in use.",
        'value="Another ACO"',
    ),
    (
        "admin",
        "/admin/commands/{command}/edit",
        lambda _world, _html: {"name": " ", "kind": "headquarters"},
        422,
        'id="name-error"',
        '<option selected value="headquarters">',
    ),
    (
        "expert",
        "/experts/{own_expert}/availability",
        lambda _world, _html: {
            "starts_on": "2027-04-10",
            "ends_on": "2027-04-01",
            "kind": "unavailable",
        },
        422,
        "The end date must not be before the start date.",
        'value="2027-04-10"',
    ),
    (
        "expert",
        "/experts/{own_expert}/edit",
        _expired_clearance,
        422,
        "The expiry date is in the past.",
        'value="Typed Full Name"',
    ),
    (
        "lno",
        "/requests/new",
        _reversed_request,
        422,
        "The end date is before the start date.",
        'value="Typed request title"',
    ),
]


@pytest.mark.parametrize(("role", "page", "form", "status", "message", "typed"), REFUSED_FORMS)
def test_a_refused_form_answers_its_status_with_the_message_and_the_typed_values(
    app, auth, db_session, make_user, make_expert, role, page, form, status, message, typed
):
    world = build(db_session, make_user, make_expert, auth)
    client, _headers = world.client(app, role)
    path = page.format(**world.ids)
    opened = client.get(path)
    assert opened.status_code == 200
    data = form(world, opened.get_data(as_text=True))
    data["csrf_token"] = csrf_token(client, path)
    response = client.post(path, data=data)
    answered = response.get_data(as_text=True)
    assert response.status_code == status
    assert message in answered
    assert typed in answered


@pytest.mark.parametrize(
    ("refusal", "status"),
    [(NotFound("No such thing."), 404), (Forbidden("Not for you."), 403)],
)
def test_a_refusal_on_a_page_is_its_status_page(
    app, auth, db_session, make_user, make_expert, monkeypatch, refusal, status
):
    world = build(db_session, make_user, make_expert, auth)
    client, _headers = world.client(app, "lno")

    def refuse(_session):
        raise refusal

    monkeypatch.setattr("roster.web.home_stats", refuse)
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert f"Error {status}." in html
    assert refusal.message not in html  # why it is not there or not allowed is not said


@pytest.mark.parametrize(
    ("role", "page", "status"),
    [
        ("coordinator", "/reports/import/999999", 404),
        ("admin", "/admin/commands/999999/edit", 404),
        ("expert", "/experts/{other_expert}/export", 404),
        ("coordinator", "/experts/{own_expert}/export", 403),
    ],
)
def test_service_refusals_on_real_pages_keep_their_status(
    app, auth, db_session, make_user, make_expert, role, page, status
):
    world = build(db_session, make_user, make_expert, auth)
    client, _headers = world.client(app, role)
    assert client.get(page.format(**world.ids)).status_code == status
