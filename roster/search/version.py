"""Which roster a search read model was built from: a version reader, and whether it may be cached.

`search_version` reads the counter of migration 0016 (bumped by triggers in the same transaction
as any change a search can see) with the highest expert id, which also moves when a test empties
the tables with triggers off. Another number can stand in (e.g. a roster version row bumped at
commit): anything with the `VersionReader` signature, set with `use_version_reader`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from roster.search.models import VERSION_TABLE

VersionReader = Callable[[Session], Hashable | None]

_VERSION_SQL = f"SELECT n, (SELECT max(id) FROM expert) FROM {VERSION_TABLE} WHERE id = 1"  # noqa: S608  # nosec B608 - a constant table name
_VERSION = sa.text(_VERSION_SQL)  # one round trip: the counter and the highest expert id


def search_version(session: Session) -> Hashable | None:
    """The counter and the highest expert id; None when there is no counter (not migrated)."""
    return _key(session.execute(_VERSION).first())


_PG_VERSION_IF_CLEAN_SQL = (  # the same, and whether this transaction has written: one trip
    f"SELECT n, (SELECT max(id) FROM expert), txid_current_if_assigned() FROM {VERSION_TABLE} "  # noqa: S608  # nosec B608 - a constant table name
    "WHERE id = 1"
)


def has_own_writes(session: Session) -> bool:
    """Whether this transaction may hold uncommitted writes: a model built from them must not be
    shared (the transaction may yet roll back), so the caller takes the SQL path instead."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return connection.exec_driver_sql("SELECT txid_current_if_assigned()").scalar() is not None
    raw = connection.connection.dbapi_connection
    return bool(getattr(raw, "in_transaction", True))


_reader: list[VersionReader] = [search_version]


def use_version_reader(reader: VersionReader) -> None:
    """Key the read model on another version number from now on."""
    _reader[0] = reader


def version(session: Session) -> Hashable | None:
    """The roster version as the configured reader sees it."""
    return _reader[0](session)


def _idle_engine(session: Session) -> sa.Engine | None:
    """The session's engine when the session has not begun: nothing of its own can be pending."""
    bind = session.get_bind()
    if session.in_transaction() or not isinstance(bind, sa.Engine):
        return None
    if session.new or session.deleted or session.dirty:
        return None
    return bind


def _one_row(driver: Any, sql: str) -> Any:
    cursor = driver.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchone()
    finally:
        cursor.close()


def _key(row: Any) -> Hashable | None:
    return None if row is None else (int(row[0]), row[1])


def _read_outside_transaction(engine: sa.Engine) -> Hashable | None:
    """`search_version` on a pooled connection in autocommit: one statement, no BEGIN and no
    ROLLBACK around it (the version is one row; it needs no snapshot shared with anything)."""
    fairy = engine.raw_connection()
    try:
        driver: Any = fairy.dbapi_connection
        postgres = engine.dialect.name == "postgresql"
        if postgres:
            driver.autocommit = True
        try:
            row = _one_row(driver, _VERSION_SQL)
        finally:
            if postgres:
                driver.autocommit = False
    except BaseException:
        fairy.invalidate()  # never hand a connection left in autocommit back to the pool
        raise
    finally:
        fairy.close()
    return _key(row)


def _read_inside_transaction(session: Session) -> Hashable | None:
    """`search_version` in the session's transaction, None if it may have written (one trip)."""
    connection = session.connection()
    driver: Any = connection.connection.dbapi_connection
    if connection.dialect.name == "postgresql":
        row = _one_row(driver, _PG_VERSION_IF_CLEAN_SQL)
        return None if row is None or row[2] is not None else _key(row)
    if getattr(driver, "in_transaction", True):
        return None
    return _key(_one_row(driver, _VERSION_SQL))


def committed_version(session: Session) -> Hashable | None:
    """The roster version, or None when there is none or this transaction may hold uncommitted
    writes (`has_own_writes`). With the default reader, one statement on the driver: outside
    any transaction when the session has not begun, else inside the session's."""
    if _reader[0] is search_version:
        idle = _idle_engine(session)
        if idle is not None:
            return _read_outside_transaction(idle)
        return _read_inside_transaction(session)
    key = version(session)
    if key is None or has_own_writes(session):
        return None
    return key
