"""The database engine, column types shared by all models, and one session per request."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlmodel import Session, SQLModel, select

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Constraint names must be stable for Alembic; set before any table is declared.
SQLModel.metadata.naming_convention = NAMING_CONVENTION


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """The current day in UTC: what "today" means for expiries and windows."""
    return utcnow().date()


class UTCDateTime(sa.TypeDecorator):
    """A timestamp stored as UTC and always returned timezone-aware."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def one_of(column: str, values: Iterable[str], name: str | None = None) -> sa.CheckConstraint:
    """A check constraint keeping a string column inside a fixed set of values."""
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=name or f"{column}_allowed")


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table behind a table model, typed (SQLModel leaves `Model.__table__` untyped)."""
    table = sa.inspect(model).local_table
    if not isinstance(table, sa.Table):
        raise TypeError(f"{model.__name__} is not mapped to a single table")
    return table


def affected_rows(result: object) -> int:
    """How many rows an UPDATE or DELETE run through `session.execute` matched: SQLModel types
    the result as a plain `Result`, while DML gives a `CursorResult` that counts them."""
    if not isinstance(result, sa.CursorResult):
        raise TypeError("not the result of an UPDATE or DELETE")
    return result.rowcount


def _driver_connection(session: Session) -> DBAPIConnection:
    """The DB-API connection under the session's current connection (pysqlite's, here)."""
    driver = session.connection().connection.dbapi_connection
    if driver is None:
        raise RuntimeError("the session's connection has no live driver connection")
    return driver


SQLITE_SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # FULL: a committed write survives a crash of the process or the machine. Tests may lower
    # it (ROSTER_SQLITE_SYNCHRONOUS) where durability is not what they check.
    synchronous = os.environ.get("ROSTER_SQLITE_SYNCHRONOUS", "FULL").upper()
    if synchronous not in SQLITE_SYNCHRONOUS:
        synchronous = "FULL"
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA synchronous={synchronous}")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str, **kwargs: object) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout on every connection,
    PostgreSQL connections run without JIT."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgresql"):
        # JIT compiling pays off only for long analytic queries; on the search's statements it
        # adds tens of milliseconds of compile time as soon as the plan's cost estimate is high.
        connect_args = dict(kwargs.pop("connect_args", None) or {})  # type: ignore[call-overload]
        connect_args.setdefault("options", "-c jit=off")
        kwargs["connect_args"] = connect_args
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["ROSTER_DATABASE_URL"])
    app.extensions["roster.engine"] = engine

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()


def engine() -> Engine:
    return current_app.extensions["roster.engine"]


def session() -> Session:
    """The session of the current request (or app context), opened on first use."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


def lock_for_write(session: Session) -> None:
    """Start the transaction as a writer on SQLite (BEGIN IMMEDIATE), so that a check-then-write
    cannot race another writer; SQLAlchemy silently drops FOR UPDATE there. On PostgreSQL the
    caller locks rows with FOR UPDATE instead, and this does nothing."""
    if session.get_bind().dialect.name != "sqlite":
        return
    if _driver_connection(session).in_transaction:
        raise RuntimeError("lock_for_write must come before any write in the transaction")
    session.execute(sa.text("BEGIN IMMEDIATE"))


def hold_write_lock(session: Session) -> None:
    """Make sure the transaction holds SQLite's single writer lock before it reads what it is
    about to extend (the audit chain's head). Nothing to do on PostgreSQL.

    The pysqlite driver runs every statement before the first INSERT/UPDATE/DELETE outside any
    transaction and opens one only at that first write, which takes the lock. So a transaction
    already open has written and holds the lock; one not yet open starts as a writer here
    (BEGIN IMMEDIATE, waiting out the busy timeout), and nothing another process commits can
    slip in between the read and the write."""
    if session.get_bind().dialect.name != "sqlite":
        return
    if not _driver_connection(session).in_transaction:
        # On the connection, not the session: a session autoflush would write first.
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")


def commit() -> None:
    """Commit the request's work; called once, by the request's end hook or a CLI command."""
    if "db_session" in g:
        g.db_session.commit()


def rollback() -> None:
    if "db_session" in g:
        g.db_session.rollback()


def one_page(
    session: Session, query: Any, *, page: int, per_page: int
) -> tuple[list[Any], int, int, int]:
    """(rows, total, page, pages) of an ordered SELECT, `per_page` rows at a time; a page
    before the first is the first, one past the last is the last."""
    total = session.exec(select(sa.func.count()).select_from(query.order_by(None).subquery())).one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = session.exec(query.offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total, page, pages


def metadata() -> sa.MetaData:
    """The one metadata all tables live in, with stable constraint names for migrations."""
    return SQLModel.metadata
