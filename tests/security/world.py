"""A small world for access tests: a viewer of each role and objects that are theirs, someone
else's, above their clearance, or tied to an expired clearance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask.testing import FlaskClient
from sqlmodel import Session, select

from roster.accounts.models import User
from roster.experts.models import CsapMembership, FocalPoint
from roster.notify.models import Notification
from roster.reference.models import Command
from roster.requests.models import CrisisRequest, EngagementEntry, Offer, RequestEvent
from tests.conftest import csrf_token
from tests.support.auth import Auth
from tests.support.factories import make_offer, make_request, seat

ROLES = ("anonymous", "expert", "lno", "coordinator", "admin", "lapsed")
LAPSED = date(2020, 1, 1)


@dataclass
class World:
    users: dict[str, User]
    auth: Auth
    ids: dict[str, int] = field(default_factory=dict)

    def client(self, app, role: str) -> tuple[FlaskClient, dict[str, str]]:
        """A browser client signed in as `role`, and bearer headers for the API."""
        if role == "anonymous":
            return app.test_client(), {}
        return self.auth.page(self.users[role]), self.headers[role]

    headers: dict[str, dict[str, str]] = field(default_factory=dict)


def build(session: Session, make_user, make_expert, auth: Auth) -> World:
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
    for role in ("lno", "coordinator", "admin", "lapsed"):
        users[role].full_name = f"World {role} user"
    other_lno = make_user("lno", clearance="NS")
    other_lno.command_id = c2
    top_coordinator = make_user("coordinator", clearance="CTS")
    top_coordinator.full_name = "Top Secret Coordinator"
    session.add_all(
        [*(users[r] for r in ("lno", "coordinator", "admin", "lapsed")), other_lno, top_coordinator]
    )
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
    declined = make_request(session, other_lno, command_id=c2, classification="NR")
    for expert, reason in ((own_expert, "Own reason for declining"), (other_expert, SECRETS[0])):
        offer = make_offer(session, declined, expert)
        offer.state, offer.decline_reason = "declined", reason
        session.add(offer)
    accepted = make_request(session, other_lno, command_id=c2, classification="NR", state="active")
    held = seat(session, accepted, own_expert)
    seat(session, accepted, make_expert(clearance="NS", full_name="Teammate Expert"))
    _distinct(session, other_lno, own, foreign, secret, lapsed, declined, accepted)
    told = Notification(
        user_id=users["expert"].id,
        kind="offer_received",
        subject="You are offered a seat",
        link="/offers",
        request_id=foreign.id,
    )
    session.add(told)
    term = CsapMembership(expert_id=other_expert.id, cohort=2023, term_start=date(2023, 1, 1))
    focal_point = FocalPoint(expert_id=other_expert.id, command_id=c1, role="gfp")
    session.add_all([term, focal_point])
    session.commit()
    world = World(users=users, auth=auth)
    world.ids = {
        "own_expert": own_expert.id,
        "other_expert": other_expert.id,
        "pending_expert": pending_expert.id,
        "own_request": own.id,
        "foreign_request": foreign.id,
        "secret_request": secret.id,
        "lapsed_request": lapsed.id,
        "declined_request": declined.id,
        "accepted_request": accepted.id,
        "own_offer": own_offer.id,
        "other_offer": other_offer.id,
        "accepted_offer": held.offer_id,
        "other_user": other_lno.id,
        "command": c1,
        "expert_notification": told.id,
        "membership": term.id,
        "focal_point": focal_point.id,
    }
    world.headers = {role: auth.bearer(user) for role, user in users.items()}
    return world


# Free text only some viewers may read: a declined expert's reason, history notes, log entries.
SECRETS = ("Other expert's private reason", "Note for staff about", "Log entry on")


def _distinct(session: Session, other_lno: User, *requests: CrisisRequest) -> None:
    """Give each request its own title, a history note and a log entry, and the other LNO a
    name, so a test can tell whose text a page shows."""
    other_lno.full_name = "Other Command Officer"
    session.add(other_lno)
    for request in requests:
        request.title = f"Request number {request.id} in {request.state}"
        request.description = f"Description of request {request.id}"
        session.add(request)
        session.add(
            RequestEvent(
                request_id=request.id,
                actor_id=request.requested_by_id,
                action="submit",
                from_state="draft",
                to_state="submitted",
                note=f"{SECRETS[1]} request {request.id}",
            )
        )
        session.add(
            EngagementEntry(
                request_id=request.id,
                author_id=request.requested_by_id,
                kind="note",
                summary=f"{SECRETS[2]} request {request.id}",
            )
        )
    session.commit()


def page_csrf(client: FlaskClient, signed_in: bool) -> str:
    return csrf_token(client, "/" if signed_in else "/login")


__all__ = ["ROLES", "SECRETS", "World", "build", "page_csrf", "CrisisRequest", "Offer"]
