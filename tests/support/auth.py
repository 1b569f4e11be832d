"""Getting signed in: through the real pages (second factor included) or with a bearer token."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from roster.accounts import totp
from roster.accounts.models import User
from roster.accounts.services import issue_token
from roster.experts.models import Expert
from tests.support.factories import PASSWORD

CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def csrf_token(client: FlaskClient, url: str = "/login") -> str:
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


def next_otp(app: Flask, email: str) -> str | None:
    """A code the server has not accepted yet for an enrolled user, or None when not enrolled.

    Codes are accepted once and only for the steps around now; when a test signs the same user in
    more often than that allows, the helper forgets the last accepted step (a test-only shortcut:
    tests/accounts/test_two_factor.py checks the replay refusal without it)."""
    with Session(app.extensions["roster.engine"]) as session:
        user = session.exec(select(User).where(User.email == email.strip().lower())).first()
        if user is None or not user.two_factor_enabled:
            return None
        now = totp.time_step()
        last = -1 if user.totp_last_step is None else user.totp_last_step
        step = next((s for s in (now, now + 1) if s > last), None)
        if step is None:
            user.totp_last_step = None
            session.add(user)
            session.commit()
            step = now
        return totp.code_at_step(user.totp_secret, step)


def login(client: FlaskClient, email: str, password: str = PASSWORD):
    """Sign in through the pages, entering the second-factor code when asked; the last answer."""
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    if response.status_code == 302 and response.headers["Location"].endswith("/login/code"):
        code = next_otp(client.application, email)
        form = csrf_token(client, "/login/code")
        response = client.post("/login/code", data={"code": code, "csrf_token": form})
    return response


def api_token(client: FlaskClient, email: str, password: str = PASSWORD) -> str:
    """A token from POST /api/v1/tokens: for tests about getting one; others use auth.bearer."""
    body = {"email": email, "password": password}
    code = next_otp(client.application, email)
    if code is not None:
        body["otp"] = code
    response = client.post("/api/v1/tokens", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


class Auth:
    """`auth.page(user)`: a client signed in through /login and /login/code;
    `auth.bearer(user)`: headers with a token from the service POST /api/v1/tokens uses, one per
    user unless `new=True` asks for another (as signing in again would).
    Either takes a User or an Expert with an account (then its account signs in)."""

    def __init__(self, app: Flask, session: Session) -> None:
        self.app = app
        self.session = session
        self._headers: dict[int, dict[str, str]] = {}

    def account(self, who: User | Expert) -> User:
        if isinstance(who, Expert):
            assert who.user_id is not None, f"{who.full_name} has no account to sign in with"
            return self.session.get(User, who.user_id)
        return who

    def page(self, who: User | Expert, password: str = PASSWORD) -> FlaskClient:
        user = self.account(who)
        client = self.app.test_client()
        response = login(client, user.email, password)
        location = response.headers.get("Location", "")
        assert response.status_code == 302 and not location.endswith(("/login", "/login/code")), (
            f"{user.email} could not sign in: {response.status_code} {location}"
        )
        client.user = user
        return client

    def bearer(self, who: User | Expert, *, new: bool = False) -> dict[str, str]:
        user = self.account(who)
        if new or user.id not in self._headers:
            hours = self.app.config["ROSTER_TOKEN_HOURS"]
            raw, _token = issue_token(session=self.session, user=user, hours=hours)
            self.session.commit()
            self._headers[user.id] = {"Authorization": f"Bearer {raw}"}
        return dict(self._headers[user.id])


@pytest.fixture
def auth(app: Flask, db_session: Session) -> Iterator[Auth]:
    yield Auth(app, db_session)
