"""Fixtures: an app per test on SQLite and on PostgreSQL, clients, and (from tests/support) the
`auth` fixture and the factories; sign-in helpers stay importable from here."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from roster.app import create_app
from roster.cli import alembic_config
from roster.models_registry import metadata
from roster.seeding import load_reference
from tests import pg
from tests.support.auth import CSRF_RE, api_token, auth, csrf_token, login, next_otp
from tests.support.catalogue import compile_catalogues
from tests.support.factories import (
    PASSWORD,
    TEST_TOTP_SECRET,
    add_focal_point,
    add_member,
    make_expert,
    make_user,
    password_hash_of,
)

REQUIRE_ALL = os.environ.get("ROSTER_REQUIRE_ALL") == "1"
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


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """The French catalogue compiled before any app serves a page (see tests/support)."""
    compile_catalogues()


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
    except Exception:
        cluster.stop()
        yield None
        return
    yield url
    cluster.stop()


def new_database(engine_name: str, pg_server: str | None, tmp_path_factory) -> tuple[str, Callable]:
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
def database_url(request, pg_server, tmp_path_factory) -> Iterator[str]:
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
def app(database_url, tmp_path, monkeypatch) -> Iterator[Flask]:
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


__all__ = [
    "CSRF_RE",
    "PASSWORD",
    "TEST_TOTP_SECRET",
    "add_focal_point",
    "add_member",
    "api_token",
    "auth",
    "csrf_token",
    "login",
    "make_expert",
    "make_user",
    "next_otp",
    "password_hash_of",
]
