"""Fixtures: an app per test on SQLite and on PostgreSQL, clients, users and a live browser."""

from __future__ import annotations

import functools
import os
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from roster.accounts import totp
from roster.accounts.models import TWO_FACTOR_ROLES, User
from roster.accounts.passwords import hash_password
from roster.app import create_app
from roster.cli import alembic_config
from roster.db import utcnow
from roster.experts.models import Expert, ExpertLanguage, ExpertRegion, ExpertTopic
from roster.models_registry import metadata
from roster.seeding import load_reference
from tests import pg

REQUIRE_ALL = os.environ.get("ROSTER_REQUIRE_ALL") == "1"
PASSWORD = "correct horse battery staple 42"
# The authenticator secret of every enrolled test user (make_user enrols coordinators and admins).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ENGINES = ["sqlite", "postgresql"]


def skip_or_fail(reason: str) -> None:
    """Skip a leg whose tool is missing, or fail when ROSTER_REQUIRE_ALL=1."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (ROSTER_REQUIRE_ALL=1 turns this skip into a failure)")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def fast_test_settings() -> Iterator[None]:
    """Cheaper argon2 and SQLite syncing for the suite. Production parameters are checked by
    tests/test_login.py::test_production_hasher_parameters, durability by its own tests."""
    from argon2 import PasswordHasher

    from roster.accounts import passwords

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
        )
        patch.setenv("ROSTER_SQLITE_SYNCHRONOUS", "OFF")
        yield


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str | None]:
    """A PostgreSQL server URL the tests may create databases on, or None."""
    url = os.environ.get("ROSTER_TEST_POSTGRES_URL")
    if url:
        yield url if pg.server_answers(url) else None
        return
    cluster = pg.ThrowawayCluster()
    if not cluster.available:
        yield None
        return
    try:
        url = cluster.start()
    except Exception:  # noqa: BLE001 - any failure here means no PostgreSQL leg
        cluster.stop()
        yield None
        return
    yield url
    cluster.stop()


def new_database(engine_name: str, pg_server: str | None, tmp_path_factory) -> tuple[str, Callable]:  # noqa: ANN001
    """A fresh empty database URL and a function that drops it."""
    if engine_name == "sqlite":
        path = tmp_path_factory.mktemp("db") / "roster.db"
        return f"sqlite:///{path}", lambda: None
    if pg_server is None:
        skip_or_fail(
            "PostgreSQL is not available: set ROSTER_TEST_POSTGRES_URL or install "
            "the postgresql package (initdb/pg_ctl)"
        )
    name = f"roster_test_{uuid.uuid4().hex[:12]}"
    url = pg.create_database(pg_server, name)
    return url, lambda: pg.drop_database(pg_server, name)


@pytest.fixture(scope="session", params=ENGINES)
def database_url(request, pg_server, tmp_path_factory) -> Iterator[str]:  # noqa: ANN001
    """A migrated database per engine, shared by the tests of one worker and emptied after each."""
    url, drop = new_database(request.param, pg_server, tmp_path_factory)
    command.upgrade(alembic_config(url), "head")
    yield url
    drop()


def empty_tables(engine: sa.Engine) -> None:
    """Delete every row (DELETE beats TRUNCATE on PostgreSQL for tables this small).

    audit_event refuses DELETE by trigger: PostgreSQL skips user triggers for this transaction
    (replica role), SQLite drops its guard triggers and recreates them in the same transaction."""
    with engine.begin() as conn:
        guards = []
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        else:
            guards = conn.execute(
                sa.text(
                    "SELECT name, sql FROM sqlite_master "
                    "WHERE type = 'trigger' AND tbl_name = 'audit_event'"
                )
            ).all()
            for name, _sql in guards:
                conn.execute(sa.text(f'DROP TRIGGER "{name}"'))
        for table in reversed(metadata().sorted_tables):
            conn.execute(table.delete())
        for _name, sql in guards:
            conn.execute(sa.text(sql))


@pytest.fixture
def app(database_url, tmp_path, monkeypatch) -> Iterator[Flask]:  # noqa: ANN001
    monkeypatch.setenv("ROSTER_INSTANCE_PATH", str(tmp_path / "instance"))
    application = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "ROSTER_DATABASE_URL": database_url}
    )
    engine = application.extensions["roster.engine"]
    with Session(engine) as session:
        load_reference(session)
        session.commit()
    yield application
    empty_tables(engine)
    engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db_session(app: Flask) -> Iterator[Session]:
    """A session of its own on the test's database, for arranging and checking data."""
    with Session(app.extensions["roster.engine"], expire_on_commit=False) as session:
        yield session


@functools.cache
def password_hash_of(password: str) -> str:
    """Hash each test password once per run; argon2id is slow on purpose."""
    return hash_password(password)


@pytest.fixture
def make_user(db_session: Session) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(
        role: str = "expert",
        *,
        email: str | None = None,
        password: str = PASSWORD,
        active: bool = True,
        clearance: str | None = None,
        clearance_expires_on: date | None = None,
        totp_enrolled: bool | None = None,
    ) -> User:
        """`totp_enrolled` defaults to what the role requires: on for coordinators and admins."""
        enrolled = role in TWO_FACTOR_ROLES if totp_enrolled is None else totp_enrolled
        user = User(
            email=email or f"{role}{next(counter)}@roster.example",
            full_name=f"Test {role.title()}",
            role=role,
            password_hash=password_hash_of(password) if password else None,
            active=active,
            clearance_level=clearance,
            clearance_expires_on=clearance_expires_on,
            totp_secret=TEST_TOTP_SECRET if enrolled else None,
            totp_enabled_at=utcnow() if enrolled else None,
        )
        db_session.add(user)
        db_session.commit()
        return user

    return make


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


def login(client: FlaskClient, email: str, password: str = PASSWORD):  # noqa: ANN201
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
    body = {"email": email, "password": password}
    code = next_otp(client.application, email)
    if code is not None:
        body["otp"] = code
    response = client.post("/api/v1/tokens", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


@pytest.fixture
def make_expert(db_session: Session, make_user) -> Callable[..., Expert]:  # noqa: ANN001
    """Create an expert (vetted, with an account by default) and its child rows."""
    counter = iter(range(1, 10_000))

    def make(
        *,
        vetting: str = "vetted",
        valid_until: date | None = date(2030, 1, 1),
        topics: dict[str, int] | None = None,
        languages: dict[str, str] | None = None,
        regions: tuple[str, ...] = (),
        clearance: str | None = None,
        clearance_expires_on: date | None = date(2030, 1, 1),
        clearance_verified: bool = True,
        with_user: bool = True,
        active: bool = True,
        full_name: str | None = None,
        **fields: object,
    ) -> Expert:
        n = next(counter)
        user = make_user("expert", email=f"expert.{n}@roster.example") if with_user else None
        expert = Expert(
            user_id=user.id if user else None,
            full_name=full_name or f"Expert Number{n}",
            email=user.email if user else f"profile.{n}@roster.example",
            phone=f"+32 2 555 {n:04d}",
            vetting_status=vetting,
            vetting_valid_until=valid_until if vetting in {"vetted", "suspended"} else None,
            clearance_level=clearance,
            clearance_issued_by="BE" if clearance else None,
            clearance_expires_on=clearance_expires_on if clearance else None,
            clearance_verified_at=utcnow() if clearance and clearance_verified else None,
            active=active,
            **fields,
        )
        db_session.add(expert)
        db_session.flush()
        for code, level in (topics or {"crsv": 3}).items():
            db_session.add(
                ExpertTopic(
                    expert_id=expert.id, topic_code=code, level=level, years=5, verified=True
                )
            )
        for code, level in (languages or {"en": "C2"}).items():
            db_session.add(ExpertLanguage(expert_id=expert.id, language_code=code, level=level))
        for code in regions:
            db_session.add(ExpertRegion(expert_id=expert.id, country_code=code))
        db_session.commit()
        return expert

    return make
