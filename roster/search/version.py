"""Which roster a search read model was built from: a version reader, and whether it may be cached.

`search_version` reads the counter of migration 0016 (bumped by triggers in the same transaction
as any change a search can see) with the highest expert id, which also moves when a test empties
the tables with triggers off. Another number can stand in (e.g. a roster version row bumped at
commit): anything with the `VersionReader` signature, set with `use_version_reader`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import sqlalchemy as sa
from sqlmodel import Session

from roster.search.models import VERSION_TABLE

VersionReader = Callable[[Session], Hashable | None]

_VERSION = sa.text(  # one round trip: the counter and the highest expert id
    f"SELECT n, (SELECT max(id) FROM expert) FROM {VERSION_TABLE} WHERE id = 1"  # noqa: S608  # nosec B608 - a constant table name
)


def search_version(session: Session) -> Hashable | None:
    """The counter and the highest expert id; None when there is no counter (not migrated)."""
    row = session.execute(_VERSION).first()
    if row is None:
        return None
    return (int(row[0]), row[1])


_PG_VERSION_IF_CLEAN = sa.text(  # the same, and whether this transaction has written: one trip
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


def committed_version(session: Session) -> Hashable | None:
    """The roster version, or None when there is none or this transaction may hold uncommitted
    writes (`has_own_writes`); with the default reader on PostgreSQL in one round trip."""
    if _reader[0] is search_version and session.get_bind().dialect.name == "postgresql":
        row = session.execute(_PG_VERSION_IF_CLEAN).first()
        if row is None or row[2] is not None:
            return None
        return (int(row[0]), row[1])
    key = version(session)
    if key is None or has_own_writes(session):
        return None
    return key
