"""A small world for access tests: a viewer of each role and objects that are theirs, someone
else's, above their clearance, or tied to an expired clearance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask.testing import FlaskClient
from sqlmodel import Session, select

from roster.accounts.models import User
from roster.reference.models import Command
from roster.requests.models import CrisisRequest, Offer
from tests.conftest import csrf_token
from tests.support.auth import Auth
from tests.support.factories import make_offer, make_request

ROLES = ("anonymous", "expert", "lno", "coordinator", "admin", "lapsed")
LAPSED = date(2020, 1, 1)


@dataclass
class World:
    users: dict[str, User]
    auth: Auth
    ids: dict[str, int] = field(default_factory=dict)

    def client(self, app, role: str) -> tuple[FlaskClient, dict[str, str]]:  # noqa: ANN001
        """A browser client signed in as `role`, and bearer headers for the API."""
        if role == "anonymous":
            return app.test_client(), {}
        return self.auth.page(self.users[role]), self.headers[role]

    headers: dict[str, dict[str, str]] = field(default_factory=dict)


def build(session: Session, make_user, make_expert, auth: Auth) -> World:  # noqa: ANN001
    commands = session.exec(select(Command).order_by(Command.id)).all()
    c1, c2 = commands[0].id, commands[1].id
    users = {
        "expert": None,
        "lno": make_user("lno", clearance="NS"),
        "coordinator": make_user("coordinator", clearance="NS"),
        "admin": make_user("admin", clearance="CTS"),
        "lapsed": make_user("lno", clearance="NS", clearance_expires_on=LAPSED),
    }
    users["lno"].command_id, users["lapsed"].command_id = c1, c2
    other_lno = make_user("lno", clearance="NS")
    other_lno.command_id = c2
    top_coordinator = make_user("coordinator", clearance="CTS")
    session.add_all([users["lno"], users["lapsed"], other_lno])
    session.commit()
    own_expert = make_expert(clearance="NS", full_name="Own Expert")
    users["expert"] = session.get(User, own_expert.user_id)
    other_expert = make_expert(clearance="NS", full_name="Other Expert")
    pending_expert = make_expert(vetting="pending", full_name="Pending Expert")
    own = make_request(session, users["lno"], command_id=c1, classification="NR")
    foreign = make_request(session, other_lno, command_id=c2, classification="NR")
    secret = make_request(session, top_coordinator, classification="CTS", required="CTS")
    lapsed = make_request(session, users["lapsed"], command_id=c2, classification="NR")
    own_offer = make_offer(session, foreign, own_expert)
    other_offer = make_offer(session, foreign, other_expert)
    world = World(users=users, auth=auth)
    world.ids = {
        "own_expert": own_expert.id,
        "other_expert": other_expert.id,
        "pending_expert": pending_expert.id,
        "own_request": own.id,
        "foreign_request": foreign.id,
        "secret_request": secret.id,
        "lapsed_request": lapsed.id,
        "own_offer": own_offer.id,
        "other_offer": other_offer.id,
        "other_user": other_lno.id,
        "command": c1,
    }
    world.headers = {role: auth.bearer(user) for role, user in users.items()}
    return world


def page_csrf(client: FlaskClient, signed_in: bool) -> str:
    return csrf_token(client, "/" if signed_in else "/login")


__all__ = ["ROLES", "World", "build", "page_csrf", "CrisisRequest", "Offer"]
