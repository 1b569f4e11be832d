"""The CSAP panel, the focal-point directory and the admins' command pages: access and content."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from roster.audit import AuditEvent
from roster.directory import services
from roster.experts.models import (
    Expert,
    ExpertNationality,
    ExpertTopic,
)
from roster.reference.models import Command
from tests.conftest import csrf_token
from tests.support.factories import command

TODAY = date.today()
STAFF = ["lno", "coordinator", "admin"]


@pytest.fixture
def make_expert(db_session: Session) -> Callable[..., Expert]:
    """An expert with a nationality and topics, vetted until next year unless told otherwise."""

    def make(
        name: str,
        *,
        vetting: str = "vetted",
        valid_until: date | None = TODAY + timedelta(days=365),
        active: bool = True,
        pseudonym: str | None = None,
        nationality: str = "NO",
        residence: str = "SE",
        topics: tuple[str, ...] = ("crsv",),
    ) -> Expert:
        expert = Expert(
            full_name=name,
            email=f"{name.lower().replace(' ', '.')}@example.org",
            phone="+47 555 0100",
            country_of_residence=residence,
            affiliation_name="Peace Network",
            vetting_status=vetting,
            vetting_valid_until=valid_until,
            active=active,
            pseudonym=pseudonym,
        )
        db_session.add(expert)
        db_session.flush()
        db_session.add(ExpertNationality(expert_id=expert.id, country_code=nationality))
        for code in topics:
            db_session.add(ExpertTopic(expert_id=expert.id, topic_code=code, level=3))
        db_session.commit()
        return expert

    return make


# --- access -----------------------------------------------------------------------------------

PAGES = ["/panel", "/panel?history=1", "/directory"]
ADMIN_PAGES = ["/admin/commands", "/admin/commands/new", "/admin/commands/{id}/edit"]


def _url(template: str, db_session: Session) -> str:
    return template.format(id=command(db_session, "ACO").id)


@pytest.mark.parametrize("url", PAGES + ADMIN_PAGES)
def test_anonymous_is_sent_to_login(client, db_session, url):
    response = client.get(_url(url, db_session))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("role", "status"), [("expert", 403), ("lno", 200), ("coordinator", 200), ("admin", 200)]
)
@pytest.mark.parametrize("url", PAGES)
def test_panel_and_directory_are_for_staff(auth, client, make_user, url, role, status):
    client = auth.page(make_user(role))
    assert client.get(url).status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("expert", 403), ("lno", 403), ("coordinator", 403), ("admin", 200)]
)
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_command_pages_are_for_admins(auth, client, db_session, make_user, url, role, status):
    client = auth.page(make_user(role))
    assert client.get(_url(url, db_session)).status_code == status


@pytest.mark.parametrize("role", ["lno", "coordinator"])
def test_only_admins_may_post_command_changes(auth, client, db_session, make_user, role):
    client = auth.page(make_user(role))
    token = csrf_token(client, "/")
    aco = command(db_session, "ACO")
    posts = {
        "/admin/commands/new": {"code": "NEW", "name": "New", "kind": "centre"},
        f"/admin/commands/{aco.id}/edit": {"name": "Renamed", "kind": "centre"},
        f"/admin/commands/{aco.id}/delete": {},
    }
    for url, data in posts.items():
        assert client.post(url, data={**data, "csrf_token": token}).status_code == 403
    db_session.refresh(aco)
    assert aco.name == "Allied Command Operations"


def test_nav_links_follow_the_role(auth, client, make_user):
    client = auth.page(make_user("lno"))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/panel"' in page and 'href="/directory"' in page
    assert 'href="/admin/commands"' not in page
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    client = auth.page(make_user("admin"))
    assert 'href="/admin/commands"' in client.get("/").get_data(as_text=True)


# --- the panel --------------------------------------------------------------------------------


def test_panel_lists_current_members_with_topics_and_countries(
    auth, client, make_user, make_expert, add_member
):
    member = make_expert("Ingrid Solberg", nationality="NO", residence="SE", topics=("crsv",))
    add_member(member, start=TODAY - timedelta(days=400))
    client = auth.page(make_user("lno"))
    page = client.get("/panel").get_data(as_text=True)
    assert "Ingrid Solberg" in page
    assert "Conflict-Related Sexual Violence (CRSV)" in page
    assert "Norway" in page and "Sweden" in page
    assert "2023" in page
    assert "ingrid.solberg@example.org" not in page and "555 0100" not in page


@pytest.mark.parametrize(
    "hidden",
    [
        {"vetting": "pending"},
        {"vetting": "suspended"},
        {"valid_until": TODAY - timedelta(days=1)},
        {"active": False},
        {"pseudonym": "Kestrel"},
    ],
)
def test_lno_cannot_see_a_member_who_is_not_listed(
    auth, client, make_user, make_expert, add_member, hidden
):
    add_member(make_expert("Listed Member"), start=TODAY - timedelta(days=30))
    add_member(make_expert("Hidden Member", **hidden), start=TODAY - timedelta(days=30))
    client = auth.page(make_user("lno"))
    page = client.get("/panel").get_data(as_text=True)
    assert "Listed Member" in page
    assert "Hidden Member" not in page
    assert "Vetting" not in page


def test_coordinator_sees_every_member_with_vetting_status(
    auth, client, make_user, make_expert, add_member
):
    add_member(make_expert("Pending Member", vetting="pending"), start=TODAY - timedelta(days=3))
    add_member(
        make_expert("Lapsed Member", valid_until=TODAY - timedelta(days=1)),
        start=TODAY - timedelta(days=3),
    )
    client = auth.page(make_user("coordinator"))
    page = client.get("/panel").get_data(as_text=True)
    assert "Pending Member" in page and "Lapsed Member" in page
    assert "Pending" in page and "Expired" in page
    assert "not shown to LNOs" in page


def test_past_members_are_kept_as_history(auth, client, make_user, make_expert, add_member):
    add_member(make_expert("Current Member"), start=TODAY - timedelta(days=10))
    add_member(
        make_expert("Former Member"),
        cohort=2019,
        start=date(2019, 10, 1),
        end=TODAY - timedelta(days=1),
    )
    client = auth.page(make_user("coordinator"))
    page = client.get("/panel").get_data(as_text=True)
    assert "Current Member" in page
    assert "Former Member" not in page
    assert 'href="/panel?history=1"' in page
    history = client.get("/panel?history=1").get_data(as_text=True)
    assert "Former Member" in history and "2019" in history
    assert history.index("Current Member") < history.index("Former Member")


def test_term_boundaries(db_session, make_user, make_expert, add_member):
    ends_today = make_expert("Ends Today")
    add_member(ends_today, start=TODAY - timedelta(days=10), end=TODAY)
    add_member(make_expert("Starts Tomorrow"), start=TODAY + timedelta(days=1))
    add_member(make_expert("Ended"), start=date(2019, 1, 1), end=TODAY - timedelta(days=1))
    viewer = make_user("coordinator")
    current = services.current_csap_members(db_session, TODAY, viewer=viewer)
    past = services.past_csap_members(db_session, TODAY, viewer=viewer)
    assert [m.person.full_name for m in current] == ["Ends Today"]
    assert [m.person.full_name for m in past] == ["Ended"]


# --- the directory ----------------------------------------------------------------------------


@pytest.fixture
def focal_points(make_expert, add_focal_point) -> None:
    add_focal_point(make_expert("North Gender"), "JFC-N", "gfp", ("gender-analysis",))
    add_focal_point(make_expert("North Children"), "JFC-N", "caac-fp", ("caac",))
    add_focal_point(make_expert("South Gender"), "JFC-S", "gfp", ("gender-analysis", "sea"))
    add_focal_point(make_expert("South Unvetted", vetting="pending"), "JFC-S", "wps-fp", ("sea",))


@pytest.mark.usefixtures("focal_points")
def test_directory_filters_by_command_and_topic(auth, client, make_user):
    client = auth.page(make_user("coordinator"))
    everyone = client.get("/directory").get_data(as_text=True)
    assert all(n in everyone for n in ("North Gender", "North Children", "South Gender"))
    north = client.get("/directory?command=JFC-N").get_data(as_text=True)
    assert "North Gender" in north and "North Children" in north
    assert "South Gender" not in north
    assert '<option selected value="JFC-N">' in north
    gender = client.get("/directory?topic=gender-analysis").get_data(as_text=True)
    assert "North Gender" in gender and "South Gender" in gender
    assert "North Children" not in gender
    both = client.get("/directory?command=JFC-S&topic=gender-analysis").get_data(as_text=True)
    assert "South Gender" in both
    assert "North Gender" not in both and "South Unvetted" not in both
    by_role = client.get("/directory?role=caac-fp").get_data(as_text=True)
    assert "North Children" in by_role and "North Gender" not in by_role


@pytest.mark.usefixtures("focal_points")
def test_directory_form_is_labelled_and_reports_an_unknown_choice(auth, client, make_user):
    client = auth.page(make_user("coordinator"))
    page = client.get("/directory?command=NOPE").get_data(as_text=True)
    assert '<form method="get"' in page
    assert '<label for="command">' in page and '<label for="topic">' in page
    assert 'id="command-error"' in page
    assert "North Gender" in page  # an unknown choice is reported, not applied


@pytest.mark.usefixtures("focal_points")
def test_lno_sees_only_listed_focal_points_without_contacts(auth, client, make_user):
    client = auth.page(make_user("lno"))
    page = client.get("/directory?command=JFC-S").get_data(as_text=True)
    assert "South Gender" in page
    assert "South Unvetted" not in page
    assert "@example.org" not in page and "555 0100" not in page
    coordinator = auth.page(make_user("coordinator"))
    assert "South Unvetted" in coordinator.get("/directory").get_data(as_text=True)


# --- commands ---------------------------------------------------------------------------------


def test_admin_adds_a_command_and_it_is_audited(auth, client, db_session, make_user):
    client = auth.page(make_user("admin"))
    token = csrf_token(client, "/admin/commands/new")
    response = client.post(
        "/admin/commands/new",
        data={
            "code": "nrdc",
            "name": "Rapid Deployable Corps",
            "kind": "operational",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    created = command(db_session, "NRDC")
    assert created.name == "Rapid Deployable Corps"
    event = db_session.exec(select(AuditEvent).where(AuditEvent.action == "command.create")).one()
    assert event.subject == f"command:{created.id}"
    assert "NRDC" in client.get("/admin/commands").get_data(as_text=True)


def test_create_errors_keep_the_typed_values(auth, client, make_user):
    client = auth.page(make_user("admin"))
    token = csrf_token(client, "/admin/commands/new")
    page = client.post(
        "/admin/commands/new",
        data={"code": "bad code!", "name": "", "kind": "centre", "csrf_token": token},
    ).get_data(as_text=True)
    assert 'value="bad code!"' in page
    assert 'id="code-error"' in page and 'id="name-error"' in page
    assert 'aria-describedby="code-help code-error"' in page
    assert '<option selected value="centre">' in page


def test_create_refuses_a_code_in_use_beside_the_field(auth, client, db_session, make_user):
    client = auth.page(make_user("admin"))
    token = csrf_token(client, "/admin/commands/new")
    response = client.post(
        "/admin/commands/new",
        data={"code": "aco", "name": "Another ACO", "kind": "strategic", "csrf_token": token},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'id="code-error"' in page and "The code ACO is already in use." in page
    assert 'value="Another ACO"' in page
    assert len(db_session.exec(select(Command).where(Command.code == "ACO")).all()) == 1


def test_admin_renames_a_command_and_errors_keep_typed_values(auth, client, db_session, make_user):
    client = auth.page(make_user("admin"))
    aco = command(db_session, "ACO")
    url = f"/admin/commands/{aco.id}/edit"
    token = csrf_token(client, url)
    page = client.post(url, data={"name": " ", "kind": "headquarters", "csrf_token": token})
    html = page.get_data(as_text=True)
    assert 'id="name-error"' in html and '<option selected value="headquarters">' in html
    response = client.post(
        url, data={"name": "Allied Command Ops", "kind": "headquarters", "csrf_token": token}
    )
    assert response.status_code == 302
    db_session.refresh(aco)
    assert (aco.code, aco.name, aco.kind) == ("ACO", "Allied Command Ops", "headquarters")
    assert db_session.exec(select(AuditEvent).where(AuditEvent.action == "command.update")).one()
    assert client.get("/admin/commands/999999/edit").status_code == 404


def test_command_changes_need_the_csrf_token(auth, client, db_session, make_user):
    client = auth.page(make_user("admin"))
    data = {"code": "X1", "name": "X", "kind": "centre"}
    assert client.post("/admin/commands/new", data=data).status_code == 400
    assert client.post(f"/admin/commands/{command(db_session, 'JWC').id}/delete").status_code == 400


def test_cannot_delete_a_command_with_focal_points_or_users(
    auth, client, db_session, make_user, make_expert, add_focal_point
):
    add_focal_point(make_expert("Marcom Focal"), "MARCOM")
    admin = make_user("admin")
    client = auth.page(admin)
    admin.command_id = command(db_session, "LANDCOM").id
    db_session.add(admin)
    db_session.commit()
    token = csrf_token(client, "/admin/commands")
    for code in ("MARCOM", "LANDCOM"):
        response = client.post(
            f"/admin/commands/{command(db_session, code).id}/delete",
            data={"csrf_token": token},
            follow_redirects=True,
        )
        assert f"{code} cannot be deleted" in response.get_data(as_text=True)
        assert command(db_session, code) is not None
    assert not db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "command.delete")
    ).all()


def test_admin_deletes_an_unused_command(auth, client, db_session, make_user):
    client = auth.page(make_user("admin"))
    jwc = command(db_session, "JWC")
    token = csrf_token(client, "/admin/commands")
    response = client.post(
        f"/admin/commands/{jwc.id}/delete", data={"csrf_token": token}, follow_redirects=True
    )
    assert "JWC was deleted." in response.get_data(as_text=True)
    assert db_session.exec(select(Command).where(Command.code == "JWC")).first() is None
    event = db_session.exec(select(AuditEvent).where(AuditEvent.action == "command.delete")).one()
    assert event.subject == f"command:{jwc.id}"
