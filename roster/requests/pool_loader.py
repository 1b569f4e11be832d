"""Loading the whole candidate pool from the database as columns: one SELECT per table, each
answering its rows as numbers that go straight into numpy arrays (`pool_columns`), with no Python
object per expert or per child row.

How a table comes back as columns: the database turns each row into one integer (codes become
their position in a short list of the codes present, days their ordinal) and aggregates a
column's integers into one comma-separated text (`group_concat` on SQLite, `string_agg` on
PostgreSQL), which numpy parses in C. All of one query's aggregates read the same rows in the
same order, so their n-th values belong to one row. The few availability windows and seats come
as plain tuples.

Reads exactly what `candidate_loader.candidate_facts(..., vetted_only=False)` reads (the tests
prove the pools equal), and only tables `roster_version` watches.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session, col

from roster.experts.models import (
    AFFILIATION_KINDS,
    GENDERS,
    VETTING_STATUSES,
    AvailabilityWindow,
    Expert,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
)
from roster.reference.codes import CEFR_LEVELS
from roster.requests.candidate_facts import CandidatePool, Codes, _Flat
from roster.requests.models import Assignment
from roster.requests.pool_columns import Coded, PoolColumns, pool_from_columns

SEP = "\x1f"  # between the codes of a lookup list: a character no code holds


class _Sql:
    """The few expressions whose spelling differs between SQLite and PostgreSQL."""

    def __init__(self, dialect: str) -> None:
        self.postgres = dialect == "postgresql"

    def joined(self, value: Any) -> Any:
        """A column's values, as integers, in one comma-separated text."""
        if self.postgres:
            return sa.func.string_agg(sa.cast(value, sa.Text), ",")
        return sa.func.group_concat(value)

    def ordinal(self, day: Any) -> Any:
        """A date as its `date.toordinal()`, 0 for none."""
        if self.postgres:
            days = day - sa.literal_column("DATE '0001-01-01'")
            return sa.func.coalesce(sa.cast(days, sa.Integer) + 1, 0)
        return sa.func.coalesce(sa.cast(sa.func.julianday(day) - 1721424.5, sa.Integer), 0)

    def position(self, codes: str, value: Any) -> Any:
        """Where `value` stands in the lookup list `codes` (1-based), 0 for none."""
        needle = sa.literal(SEP) + value + sa.literal(SEP)
        found = sa.func.strpos(codes, needle) if self.postgres else sa.func.instr(codes, needle)
        return sa.func.coalesce(found, 0)

    def stamp(self, value: Any) -> Any:
        """A timestamp as ISO text in UTC (NULL for none: the aggregates skip it)."""
        text: Any
        if self.postgres:
            text = sa.func.to_char(
                sa.func.timezone("UTC", value), sa.literal('YYYY-MM-DD"T"HH24:MI:SS.US')
            )
        else:
            text = sa.cast(value, sa.Text)
        return text


class _Lookup:
    """Codes as integers in SQL: each code's position in one text of them all."""

    def __init__(self, codes: Sequence[str]) -> None:
        if any(SEP in code for code in codes):
            raise ValueError("a code holds the lookup separator")
        self.names = tuple(codes)
        self.text = SEP + SEP.join(self.names) + SEP
        self.width = len(self.text) + 1  # every position is below it
        self.at = np.full(self.width, -1, dtype=np.int32)
        for i, code in enumerate(self.names):
            self.at[self.text.index(SEP + code + SEP) + 1] = i

    def coded(self, positions: np.ndarray) -> Coded:
        return Coded(self.at[positions], self.names)


def _ints(text: str | None) -> np.ndarray:
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def load_pool(session: Session, *, today: date) -> CandidatePool:
    """The pool of every active, not-erased expert (vetted or not) as of `today`."""
    connection = session.connection()
    sql = _Sql(connection.dialect.name)

    def distinct(*columns: Any) -> list[str]:
        query = sa.union(*(sa.select(c).distinct() for c in columns))
        return sorted(v for (v,) in connection.execute(query) if v is not None)

    clearance = _Lookup(distinct(col(Expert.clearance_level)))
    vetting, gender = _Lookup(VETTING_STATUSES), _Lookup(GENDERS)
    affiliation = _Lookup(AFFILIATION_KINDS)
    per_expert = [
        col(Expert.id),
        sql.position(vetting.text, col(Expert.vetting_status)),
        sql.ordinal(col(Expert.vetting_valid_until)),
        sql.position(clearance.text, col(Expert.clearance_level)),
        sql.ordinal(col(Expert.clearance_expires_on)),
        sql.position(gender.text, col(Expert.gender)),
        sql.position(affiliation.text, col(Expert.affiliation_kind)),
        sa.cast(col(Expert.deployable), sa.Integer),
        col(Expert.notice_days),
        col(Expert.max_concurrent),
        sql.ordinal(col(Expert.last_engaged_on)),
        sa.case((col(Expert.clearance_verified_at).is_(None), 0), else_=1),
    ]
    pooled = sa.and_(col(Expert.active), col(Expert.pseudonym).is_(None))
    row = connection.execute(
        sa.select(
            *(sql.joined(c) for c in per_expert),
            sa.func.count(),
            sql.joined(sql.stamp(col(Expert.clearance_verified_at))),
        ).where(pooled)
    ).one()
    size = int(row[-2])
    (ids, vetted_at, valid, cleared_at, expires, gender_at, kind_at) = map(_ints, row[:7])
    deployable, notice, capacity, last, verified = map(_ints, row[7:12])
    stamps: list[str] = row[-1].split(",") if row[-1] else []
    # Expert id -> position in the pool (-1: not pooled), for the child rows.
    position = np.full(int(ids.max(initial=0)) + 2, -1, dtype=np.int64)
    position[ids] = np.arange(size)

    def owners(expert_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For child rows: which belong to a pooled expert, and that expert's position."""
        at = position[np.minimum(expert_ids, position.size - 1)]
        keep = at >= 0
        return keep, at[keep]

    def coded_child(owner: Any, code: Any, lookup: _Lookup, level: Any = None) -> _Flat:
        """A child table of (expert, code[, level 0..7]) rows as flat entries."""
        packed = (owner * lookup.width + sql.position(lookup.text, code)) * 8
        if level is not None:
            packed = packed + level
        values = _ints(connection.execute(sa.select(sql.joined(packed))).scalar_one())
        keep, rows = owners(values // 8 // lookup.width)
        values = values[keep]
        codes = lookup.at[values // 8 % lookup.width]
        # A code first written after the lookup was read (each statement reads what is then
        # committed) belongs to a newer roster version, which rebuilds the pool: left out.
        known = codes >= 0
        rows, values = rows[known], values[known]
        columns = {"code": codes[known]}
        if level is not None:
            columns["level"] = (values % 8).astype(np.int8)
        return _Flat(rows.astype(np.int32), columns)

    topic = _Lookup(distinct(col(ExpertTopic.topic_code)))
    topics = coded_child(
        col(ExpertTopic.expert_id), col(ExpertTopic.topic_code), topic, col(ExpertTopic.level)
    )
    language = _Lookup(distinct(col(ExpertLanguage.language_code)))
    cefr = sa.case(
        {level: rank for rank, level in enumerate(CEFR_LEVELS)},
        value=col(ExpertLanguage.level),
        else_=7,
    )
    languages = coded_child(
        col(ExpertLanguage.expert_id), col(ExpertLanguage.language_code), language, cefr
    )
    rank = languages.columns.pop("level")
    if np.any(rank >= len(CEFR_LEVELS)):
        raise ValueError("a language level outside CEFR")
    languages.columns["rank"] = rank
    country = _Lookup(distinct(col(ExpertRegion.country_code), col(ExpertNationality.country_code)))
    regions = coded_child(col(ExpertRegion.expert_id), col(ExpertRegion.country_code), country)
    nationalities = coded_child(
        col(ExpertNationality.expert_id), col(ExpertNationality.country_code), country
    )
    windows, kinds = _tuples(
        connection,
        sa.select(
            col(AvailabilityWindow.expert_id),
            sql.ordinal(col(AvailabilityWindow.starts_on)),
            sql.ordinal(col(AvailabilityWindow.ends_on)),
            col(AvailabilityWindow.kind),
        ),
    )
    year_ago = today - timedelta(days=365)
    seats, modes = _tuples(
        connection,
        sa.select(
            col(Assignment.expert_id),
            sql.ordinal(col(Assignment.starts_on)),
            sql.ordinal(col(Assignment.ends_on)),
            col(Assignment.request_id),
            col(Assignment.mode),
        ).where(col(Assignment.ends_on) >= year_ago),
    )
    keep, window_rows = owners(windows[:, 0])
    windows = windows[keep]
    keep, seat_rows = owners(seats[:, 0])
    seats = seats[keep]
    now = today.toordinal()
    past = seats[:, 1] <= now
    recent = np.bincount(seat_rows[past], minlength=size)
    ended = past & (seats[:, 2] <= now)
    np.maximum.at(last, seat_rows[ended], seats[ended, 2])
    held = seats[:, 2] >= now
    return pool_from_columns(
        PoolColumns(
            expert_id=ids,
            vetting_status=vetting.coded(vetted_at),
            vetting_valid_until=valid,
            clearance_level=clearance.coded(cleared_at),
            clearance_verified=verified.astype(bool),
            clearance_verified_at=stamps,
            clearance_expires_on=expires,
            gender=gender.coded(gender_at),
            affiliation_kind=affiliation.coded(kind_at),
            deployable=deployable,
            notice_days=notice,
            max_concurrent=capacity,
            recent_engagements=recent,
            last_engaged_on=last,
            topics=topics,
            topic_codes=Codes(topic.names),
            languages=languages,
            language_codes=Codes(language.names),
            regions=regions,
            nationalities=nationalities,
            country_codes=Codes(country.names),
            windows=_Flat(
                window_rows.astype(np.int32),
                {"start": windows[:, 1], "end": windows[:, 2], "kind": windows[:, 3]},
            ),
            window_kinds=kinds,
            engagements=_Flat(
                seat_rows[held].astype(np.int32),
                {
                    "start": seats[held, 1],
                    "end": seats[held, 2],
                    "request": seats[held, 3],
                    "mode": seats[held, 4],
                },
            ),
            engagement_modes=modes,
        )
    )


def _tuples(connection: sa.Connection, query: sa.Select) -> tuple[np.ndarray, tuple[str, ...]]:
    """A small table as plain rows: integers, then a code last, coded by its sorted values."""
    result = connection.execute(query)
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    names = tuple(sorted({r[-1] for r in rows}))
    index = {name: i for i, name in enumerate(names)}
    width = len(query.selected_columns)
    out = np.zeros((len(rows), width), dtype=np.int64)
    if rows:
        out[:, :-1] = np.array([r[:-1] for r in rows], dtype=np.int64)
        out[:, -1] = [index[r[-1]] for r in rows]
    return out, names
