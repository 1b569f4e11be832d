"""Coordinators edit the CSAP panel and the focal-point directory: audited, bad input refused
beside the field with nothing written, ended terms and roles kept as history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, func, select

from roster.audit import AuditEvent
from roster.directory import services
from roster.experts.models import CsapMembership, FocalPoint
from tests.conftest import csrf_token
from tests.support.factories import command

TODAY = date.today()


def _count(db_session: Session, model) -> int:
    db_session.expire_all()
    return db_session.exec(select(func.count()).select_from(model)).one()


def _events(db_session: Session, action: str) -> list[AuditEvent]:
    db_session.expire_all()
    return list(db_session.exec(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def coordinator(auth, make_user):
    client = auth.page(make_user("coordinator"))
    client.token = csrf_token(client, "/")  # type: ignore[attr-defined]
    return client


def _post(client, url: str, **data):
    return client.post(url, data={**data, "csrf_token": client.token})


# --- CSAP terms --------------------------------------------------------------------------------


def test_a_coordinator_adds_a_term_and_the_panel_shows_it(coordinator, make_expert, db_session):
    expert = make_expert(full_name="Amina Diallo")
    response = _post(
        coordinator,
        "/panel/terms/new",
        expert_id=expert.id,
        cohort=2025,
        role="chair",
        term_start=(TODAY - timedelta(days=10)).isoformat(),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    term = db_session.exec(select(CsapMembership)).one()
    assert (term.expert_id, term.cohort, term.role, term.term_end) == (
        expert.id,
        2025,
        "chair",
        None,
    )
    page = coordinator.get("/panel").get_data(as_text=True)
    assert "Amina Diallo" in page and "Chair" in page
    [event] = _events(db_session, "csap.add")
    assert event.subject == f"expert:{expert.id}" and event.detail["role"] == "chair"
    assert event.detail["csap_membership_id"] == term.id
    assert "Amina" not in str(event.detail)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"term_end": (TODAY - timedelta(days=30)).isoformat()}, "term_end", "before the start"),
        ({"expert_id": "999999"}, "expert_id", "Choose a person"),
        ({"expert_id": "not-a-number"}, "expert_id", "Choose a person"),
        ({"role": "emperor"}, "role", "Choose a role"),
        ({"cohort": "1066"}, "cohort", "cohort"),
        ({"term_start": ""}, "term_start", "Enter the day the term starts"),
    ],
)
def test_a_bad_term_gets_a_field_message_and_writes_nothing(
    coordinator, make_expert, db_session, data, field, message
):
    expert = make_expert(full_name="Typed Name")
    form = {
        "expert_id": expert.id,
        "cohort": 2025,
        "role": "member",
        "term_start": (TODAY - timedelta(days=10)).isoformat(),
        **data,
    }
    response = _post(coordinator, "/panel/terms/new", **form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    error = page.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert _count(db_session, CsapMembership) == 0
    assert _events(db_session, "csap.add") == []


def test_end_term_keeps_the_term_as_history(coordinator, make_expert, add_member, db_session):
    expert = make_expert(full_name="Long Server")
    term = add_member(expert, start=TODAY - timedelta(days=400))
    response = _post(coordinator, f"/panel/terms/{term.id}/end", on=TODAY.isoformat())
    assert response.status_code == 302
    db_session.refresh(term)
    assert term.term_end == TODAY
    assert _count(db_session, CsapMembership) == 1
    [event] = _events(db_session, "csap.end")
    assert event.detail["changed"] == {"term_end": [None, TODAY.isoformat()]}
    # Serving today still; from tomorrow on the term is history.
    tomorrow = TODAY + timedelta(days=1)
    assert services.current_csap_members(db_session, tomorrow, viewer=None) == []
    assert [m.id for m in services.past_csap_members(db_session, tomorrow, viewer=_Admin())] == [
        term.id
    ]
    again = _post(coordinator, f"/panel/terms/{term.id}/end", on=TODAY.isoformat())
    assert again.status_code == 302
    assert "already ended" in coordinator.get("/panel").get_data(as_text=True)
    assert len(_events(db_session, "csap.end")) == 1


def test_end_term_before_its_start_is_refused(coordinator, make_expert, add_member, db_session):
    term = add_member(make_expert(), start=TODAY)
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    _post(coordinator, f"/panel/terms/{term.id}/end", on=yesterday)
    db_session.refresh(term)
    assert term.term_end is None
    assert _events(db_session, "csap.end") == []


def test_editing_a_term_audits_old_and_new(coordinator, make_expert, add_member, db_session):
    expert = make_expert()
    term = add_member(expert, cohort=2023, start=date(2023, 1, 1))
    response = _post(
        coordinator,
        f"/panel/terms/{term.id}/edit",
        expert_id=expert.id,
        cohort=2024,
        role="vice-chair",
        term_start="2023-01-01",
    )
    assert response.status_code == 302
    [event] = _events(db_session, "csap.update")
    assert event.detail["changed"] == {"cohort": [2023, 2024], "role": ["member", "vice-chair"]}


@pytest.mark.parametrize("role", ["lno", "admin", "expert"])
def test_only_coordinators_edit_the_panel(
    auth, make_user, make_expert, add_member, db_session, role
):
    term = add_member(make_expert(), start=TODAY - timedelta(days=5))
    client = auth.page(make_user(role))
    token = csrf_token(client, "/")
    assert client.get("/panel/terms/new").status_code == 403
    ended = client.post(
        f"/panel/terms/{term.id}/end", data={"on": TODAY.isoformat(), "csrf_token": token}
    )
    assert ended.status_code == 403
    db_session.refresh(term)
    assert term.term_end is None


def test_end_term_needs_the_csrf_token(coordinator, make_expert, add_member, db_session):
    term = add_member(make_expert(), start=TODAY - timedelta(days=5))
    response = coordinator.post(f"/panel/terms/{term.id}/end", data={"on": TODAY.isoformat()})
    assert response.status_code in (302, 400)
    db_session.refresh(term)
    assert term.term_end is None


# --- focal points ------------------------------------------------------------------------------


def _role_form(expert_id, command_id, **extra):
    return {
        "expert_id": expert_id,
        "command_id": command_id,
        "role": "genad",
        "topics": ["gender-analysis", "crsv"],
        "since": (TODAY - timedelta(days=30)).isoformat(),
        **extra,
    }


def test_a_coordinator_records_a_focal_point(coordinator, make_expert, db_session):
    expert = make_expert(full_name="Nadia Gender")
    jfcn = command(db_session, "JFC-N")
    response = coordinator.post(
        "/directory/focal-points/new",
        data={**_role_form(expert.id, jfcn.id), "csrf_token": coordinator.token},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    fp = db_session.exec(select(FocalPoint)).one()
    assert (fp.role, fp.topics, fp.command_id) == ("genad", ["gender-analysis", "crsv"], jfcn.id)
    page = coordinator.get("/directory").get_data(as_text=True)
    assert "Nadia Gender" in page and "Gender Advisor (GENAD)" in page
    [event] = _events(db_session, "focal_point.add")
    assert event.detail["command_id"] == jfcn.id


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"until": (TODAY - timedelta(days=60)).isoformat()}, "until", "before the start"),
        ({"command_id": "999999"}, "command_id", "Choose a command"),
        ({"topics": ["crsv", "astrology"]}, "topics", "Unknown topic: astrology"),
        ({"expert_id": "999999"}, "expert_id", "Choose a person"),
        ({"role": "general"}, "role", "Choose a role"),
    ],
)
def test_a_bad_focal_point_gets_a_field_message_and_writes_nothing(
    coordinator, make_expert, db_session, data, field, message
):
    expert = make_expert()
    form = {**_role_form(expert.id, command(db_session, "ACO").id), **data}
    response = coordinator.post(
        "/directory/focal-points/new", data={**form, "csrf_token": coordinator.token}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = page.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert _count(db_session, FocalPoint) == 0
    assert _events(db_session, "focal_point.add") == []


def test_a_bad_edit_leaves_the_focal_point_as_it_was(
    coordinator, make_expert, add_focal_point, db_session
):
    expert = make_expert()
    fp = add_focal_point(expert, "ACO", "gfp", ("crsv",))
    response = coordinator.post(
        f"/directory/focal-points/{fp.id}/edit",
        data={
            **_role_form(expert.id, command(db_session, "JFC-N").id, topics=["nope"]),
            "csrf_token": coordinator.token,
        },
    )
    assert response.status_code == 422
    db_session.refresh(fp)
    assert (fp.role, fp.topics, fp.command_id) == ("gfp", ["crsv"], command(db_session, "ACO").id)
    assert _events(db_session, "focal_point.update") == []


def test_end_role_keeps_it_in_the_history(coordinator, make_expert, add_focal_point, db_session):
    fp = add_focal_point(make_expert(full_name="Ending Focal"), "ACO", "hs-fp")
    yesterday = TODAY - timedelta(days=1)
    response = _post(coordinator, f"/directory/focal-points/{fp.id}/end", on=yesterday.isoformat())
    assert response.status_code == 302
    db_session.refresh(fp)
    assert fp.until == yesterday
    assert "Ending Focal" not in coordinator.get("/directory").get_data(as_text=True)
    assert "Ending Focal" in coordinator.get("/directory?history=1").get_data(as_text=True)
    assert len(_events(db_session, "focal_point.end")) == 1


# --- the request page's read model -------------------------------------------------------------


class _Admin:
    id = 0
    role = "admin"
    active = True
    clearance_level = None
    clearance_expires_on = None


def test_focal_points_for_command_lists_those_serving_today(
    make_expert, add_focal_point, db_session
):
    aco = command(db_session, "ACO")
    serving = add_focal_point(make_expert(full_name="Serving Now"), "ACO", "gfp")
    ended = add_focal_point(make_expert(full_name="Ended Before"), "ACO", "wps-fp")
    ended.until = TODAY - timedelta(days=1)
    later = add_focal_point(make_expert(full_name="Starts Later"), "ACO", "hs-fp")
    later.since = TODAY + timedelta(days=3)
    elsewhere = add_focal_point(make_expert(full_name="Other Command"), "JFC-N", "gfp")
    db_session.add_all([ended, later, elsewhere])
    db_session.commit()
    found = services.focal_points_for_command(db_session, aco.id, TODAY, viewer=_Admin())
    assert [e.id for e in found] == [serving.id]
    assert services.focal_points_for_command(db_session, aco.id, TODAY) == []


def test_the_include_shows_the_requesting_commands_focal_points(
    app, auth, make_user, make_expert, add_focal_point, db_session
):
    from flask import render_template_string

    aco = command(db_session, "ACO")
    add_focal_point(make_expert(full_name="Shown Focal"), "ACO", "caac-fp", ("caac",))
    lno, expert_user = make_user("lno"), make_user("expert")

    class Req:
        command_id = aco.id

    include = '{% include "directory/_focal_points.html" %}'
    for user, shown in ((lno, True), (expert_user, False)):
        with app.test_request_context("/"):
            from flask_login import login_user

            login_user(user)
            html = render_template_string(
                include, req=Req(), topic_names={"caac": "Children and Armed Conflict"}
            )
        assert ("Shown Focal" in html) is shown
        if shown:
            assert "CAAC Focal Point" in html and "Children and Armed Conflict" in html


def test_a_requests_page_shows_its_commands_focal_points(
    auth, make_user, make_expert, add_focal_point, db_session
):
    from tests.support.factories import make_request

    aco = command(db_session, "ACO")
    lno = make_user("lno", clearance="NS")
    lno.command_id = aco.id
    db_session.add(lno)
    db_session.commit()
    found = make_request(db_session, lno, command_id=aco.id, classification="NR")
    add_focal_point(make_expert(full_name="Request Page Focal"), "ACO", "wps-fp")
    add_focal_point(make_expert(full_name="Elsewhere Focal"), "JFC-N", "wps-fp")
    page = auth.page(lno).get(f"/requests/{found.id}").get_data(as_text=True)
    assert "Focal points of the requesting command" in page
    assert "Request Page Focal" in page and "WPS Focal Point" in page
    assert "Elsewhere Focal" not in page


@pytest.mark.parametrize("field", ["expert_id", "command_id"])
def test_an_overlong_id_is_an_unknown_choice_not_a_crash(
    coordinator, make_expert, db_session, field
):
    form = {**_role_form(make_expert().id, command(db_session, "ACO").id), field: "9" * 30}
    response = coordinator.post(
        "/directory/focal-points/new", data={**form, "csrf_token": coordinator.token}
    )
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert _count(db_session, FocalPoint) == 0
