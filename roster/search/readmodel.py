"""The per-process search read model: the roster as numpy arrays, one row per expert.

Built from tuple queries (no ORM objects) and kept per roster version (`roster.search.version`).
Filters become boolean masks, facets masked counts (np.bincount), sorts precomputed permutations.
What the masks mean is exactly what `roster.search.query` says in SQL; `fast.py` combines them.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session

from roster.accounts.models import User
from roster.db import table_of
from roster.experts.models import (
    Expert,
    ExpertCategory,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
)
from roster.policy import CLEARANCE_RANK
from roster.reference.codes import CEFR_LEVELS
from roster.search.criteria import VETTING_FILTERS
from roster.search.models import ExpertSearch

_log = logging.getLogger(__name__)
NEVER = np.iinfo(np.int32).max  # a date that is never passed (no expiry)
EPOCH = date(1970, 1, 1)
STATUSES = (*VETTING_FILTERS, "other")

_expert = table_of(Expert)
_user = table_of(User)
_search = table_of(ExpertSearch)


ABSENT = np.iinfo(np.int16).min  # no row for this expert and code
_MEMO_KEYS = 16


def pack(mask: np.ndarray) -> np.ndarray:
    """A boolean mask (or rows of masks) as 64-bit words, for counting with np.bitwise_count."""
    bits = np.packbits(mask, axis=-1)
    pad = (-bits.shape[-1]) % 8
    if pad:
        bits = np.concatenate([bits, np.zeros((*bits.shape[:-1], pad), np.uint8)], axis=-1)
    return bits.view(np.uint64)


@dataclass
class Links:
    """One child table as a dense matrix: values[code, row] is the level (topics), the CEFR rank
    (languages, -1 for a level outside CEFR) or 0, and ABSENT where the expert has no such row."""

    codes: list[str]
    index: dict[str, int]
    values: np.ndarray
    present_bits: np.ndarray  # per code, the experts with a row, packed

    @classmethod
    def of(cls, expert_rows: np.ndarray, codes: np.ndarray, values: np.ndarray, size: int) -> Links:
        names, code_ids = (
            np.unique(codes, return_inverse=True)
            if len(codes)
            else (np.array([], dtype=str), np.zeros(0, dtype=np.int64))
        )
        matrix = np.full((len(names), size), ABSENT, dtype=np.int16)
        matrix[code_ids, expert_rows] = values
        return cls(
            codes=[str(c) for c in names],
            index={str(c): i for i, c in enumerate(names)},
            values=matrix,
            present_bits=pack(matrix != ABSENT),
        )

    def having(self, size: int, codes: Iterable[str], min_value: int | None = None) -> np.ndarray:
        """Experts with a row of one of `codes` (with value >= min_value, if given)."""
        mask = np.zeros(size, dtype=bool)
        for code in codes:
            c = self.index.get(code)
            if c is None:
                continue
            row = self.values[c]
            mask |= (row >= min_value) if min_value is not None else (row != ABSENT)
        return mask

    def counts(self, packed_mask: np.ndarray) -> dict[str, int]:
        """Per code, how many experts of the mask have a row (one row per expert and code), in
        facet order (`ranked`)."""
        if not len(self.codes):
            return {}
        return self._named(
            np.bitwise_count(self.present_bits & packed_mask).sum(axis=1, dtype=np.int64)
        )

    def counts_of(self, rows: np.ndarray) -> dict[str, int]:
        """`counts` for a few rows given by number: cheaper than a mask over every expert."""
        if not len(self.codes):
            return {}
        return self._named(np.count_nonzero(self.values[:, rows] != ABSENT, axis=1))

    def _named(self, counted: np.ndarray) -> dict[str, int]:
        return ranked(self.codes, counted)


def ranked(codes: Sequence[str], counted: np.ndarray) -> dict[str, int]:
    """The codes counted more than zero times, most first, then by code (`codes` are sorted, as
    `query.split_rows` sorts a facet)."""
    held = np.flatnonzero(counted)
    order = held[np.lexsort((held, -counted[held]))]
    return dict(zip([codes[i] for i in order.tolist()], counted[order].tolist(), strict=True))


@dataclass
class RosterModel:
    """Everything a search reads, per expert row (ids ascending); days count from 1970-01-01."""

    ids: np.ndarray
    not_erased: np.ndarray
    active: np.ndarray
    account_inactive: np.ndarray
    status: np.ndarray
    vetting_until: np.ndarray
    clearance: np.ndarray  # index into clearance_codes, -1 none
    clearance_codes: list[str]
    clearance_rank: np.ndarray  # CLEARANCE_RANK of the level, -1 none or unknown
    clearance_verified: np.ndarray
    clearance_until: np.ndarray
    deployable: np.ndarray
    name_order: np.ndarray  # rows by (sort name, id)
    name_rank: np.ndarray  # each row's place in name_order
    engaged_order: np.ndarray  # never engaged first, then longest ago, then name
    engaged_rank: np.ndarray  # each row's place in engaged_order
    links: dict[str, Links] = field(default_factory=dict)
    # Masks that depend only on the model and the day (visibility, valid clearances), made once.
    _memo: dict[Hashable, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def once(self, key: Hashable, make: Callable[[], np.ndarray]) -> np.ndarray:
        """`make()`, computed once per key for this model and kept read-only."""
        found = self._memo.get(key)
        if found is None:
            found = make()
            found.flags.writeable = False
            if len(self._memo) >= _MEMO_KEYS:  # the day moves on while the roster stays
                self._memo.clear()
            self._memo[key] = found
        return found

    @property
    def size(self) -> int:
        return len(self.ids)

    def rows_of(self, expert_ids: np.ndarray) -> np.ndarray:
        """The rows of these expert ids (ids not in the model are dropped)."""
        if not len(self.ids) or not len(expert_ids):
            return np.zeros(0, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.ids, expert_ids), len(self.ids) - 1)
        return pos[self.ids[pos] == expert_ids]


def day(value: date) -> int:
    return (value - EPOCH).days


def days(values: Sequence[Any], missing: int) -> np.ndarray:
    """Dates (date objects or ISO text, as the driver gives them) as day numbers."""
    parsed = np.array(list(values), dtype="datetime64[D]")
    out = parsed.astype(np.int64)
    out[np.isnat(parsed)] = missing
    return out


def _fetch(session: Session, stmt: sa.Select) -> list[tuple[Any, ...]]:
    """Plain tuples straight from the driver: no Row objects for a million child rows."""
    connection = session.connection()
    sql = str(stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[Sequence[Any]]:
    return list(zip(*rows, strict=True)) if rows else [()] * width


def build(session: Session) -> RosterModel:
    """Read the roster with tuple queries and lay it out as arrays."""
    sort_name = sa.func.coalesce(_search.c.sort_name, sa.func.lower(_expert.c.full_name))
    rows = _fetch(
        session,
        sa.select(
            _expert.c.id,
            sa.case((_expert.c.pseudonym.is_(None), 1), else_=0),
            _expert.c.active,
            sa.func.coalesce(_user.c.active, sa.true()),
            _expert.c.vetting_status,
            _expert.c.vetting_valid_until,
            _expert.c.clearance_level,
            sa.case((_expert.c.clearance_verified_at.is_(None), 0), else_=1),
            _expert.c.clearance_expires_on,
            _expert.c.deployable,
            _expert.c.last_engaged_on,
            sort_name,
        )
        .select_from(
            _expert.outerjoin(_user, _user.c.id == _expert.c.user_id).outerjoin(
                _search, _search.c.expert_id == _expert.c.id
            )
        )
        .order_by(_expert.c.id),
    )
    n = len(rows)
    cols = _columns(rows, 12)
    ids = np.array(cols[0], dtype=np.int64)
    clearance_codes = sorted({c for c in cols[6] if c is not None})
    clearance_index = {c: i for i, c in enumerate(clearance_codes)}
    names = np.array(cols[11], dtype=str) if n else np.array([], dtype=str)
    name_order = np.lexsort((ids, names)).astype(np.int64) if n else np.zeros(0, np.int64)
    name_rank = np.empty(n, dtype=np.int64)
    name_rank[name_order] = np.arange(n)
    engaged = days(cols[10], -1)
    engaged_order = np.lexsort((name_rank, engaged, engaged >= 0)).astype(np.int64)
    engaged_rank = np.empty(n, dtype=np.int64)
    engaged_rank[engaged_order] = np.arange(n)
    statuses = {status: i for i, status in enumerate(STATUSES)}
    other = len(VETTING_FILTERS)
    model = RosterModel(
        ids=ids,
        not_erased=np.array(cols[1], dtype=bool),
        active=np.array(cols[2], dtype=bool),
        account_inactive=~np.array(cols[3], dtype=bool),
        status=np.array([statuses.get(s, other) for s in cols[4]], dtype=np.int8),
        vetting_until=days(cols[5], NEVER),
        clearance=np.array([clearance_index.get(c, -1) for c in cols[6]], dtype=np.int16),
        clearance_codes=clearance_codes,
        clearance_rank=np.array([CLEARANCE_RANK.get(c, -1) for c in cols[6]], dtype=np.int16),
        clearance_verified=np.array(cols[7], dtype=bool),
        clearance_until=days(cols[8], NEVER),
        deployable=np.array(cols[9], dtype=bool),
        name_order=name_order,
        name_rank=name_rank,
        engaged_order=engaged_order,
        engaged_rank=engaged_rank,
    )
    language_level = table_of(ExpertLanguage).c.level
    cefr_rank = sa.case(
        {level: rank for rank, level in enumerate(CEFR_LEVELS)}, value=language_level, else_=-1
    )
    for name, model_cls, column, value in (
        ("topic", ExpertTopic, "topic_code", "level"),
        ("language", ExpertLanguage, "language_code", None),
        ("region", ExpertRegion, "country_code", None),
        ("nationality", ExpertNationality, "country_code", None),
        ("category", ExpertCategory, "category", None),
    ):
        table = table_of(model_cls)
        value_col: Any = (
            table.c[value] if value else cefr_rank if name == "language" else sa.literal(0)
        )
        child = _columns(
            _fetch(session, sa.select(table.c.expert_id, table.c[column], value_col)), 3
        )
        expert_ids = np.array(child[0], dtype=np.int64)
        pos = np.minimum(np.searchsorted(ids, expert_ids), max(n - 1, 0))
        known = ids[pos] == expert_ids if n else np.zeros(len(expert_ids), bool)
        model.links[name] = Links.of(
            pos[known],
            np.array(child[1], dtype=str)[known],
            np.array(child[2], dtype=np.int16)[known],
            n,
        )
    return model


@dataclass
class _Cached:
    key: Hashable
    model: RosterModel


_cache: dict[str, _Cached] = {}
_lock = threading.Lock()


# A roster this large is rebuilt in a background thread after a change, while the SQL path answers
# (seconds of building must not fall on one unlucky request); a smaller one is rebuilt at once.
BACKGROUND_FROM = 20_000
_building: set[str] = set()


def _built(session: Session) -> RosterModel:
    collecting = gc.isenabled()
    gc.disable()  # a million short tuples would set off full collections again and again
    try:
        return build(session)
    finally:
        if collecting:
            gc.enable()


Warm = Callable[[Session, RosterModel, Hashable], None]


def _rebuild(
    engine: sa.Engine,
    where: str,
    reader: Callable[[Session], Hashable | None],
    warm: Warm | None = None,
) -> None:
    try:
        with Session(engine) as session:
            key = reader(session)  # first: the data read after it can only be newer
            if key is not None:
                model = _built(session)
                if warm is not None:
                    try:  # before publishing, so no request waits for it; never instead of it
                        warm(session, model, key)
                    except Exception:
                        _log.exception("warming the search read model failed")
                        session.rollback()
                _cache[where] = _Cached(key, model)
    finally:
        with _lock:
            _building.discard(where)


def model_for(
    session: Session,
    key: Hashable,
    reader: Callable[[Session], Hashable | None],
    *,
    warm: Warm | None = None,
) -> RosterModel | None:
    """The model of this database at roster version `key`, built once per version and process;
    None while a large roster's new model is built in the background (`reader` gives its key;
    `warm(session, model, key)` runs there once the model is built, before it is published)."""
    where = str(session.get_bind().engine.url)
    cached = _cache.get(where)
    if cached is not None and cached.key == key:
        return cached.model
    if cached is not None and cached.model.size >= BACKGROUND_FROM:
        with _lock:
            if where not in _building:
                _building.add(where)
                engine = session.get_bind().engine
                threading.Thread(
                    target=_rebuild, args=(engine, where, reader, warm), daemon=True
                ).start()
        return None
    with _lock:
        cached = _cache.get(where)
        if cached is not None and cached.key == key:
            return cached.model
        model = _built(session)
        _cache[where] = _Cached(key, model)
        return model


def wait_for_rebuilds(timeout: float = 60.0) -> None:
    """Block until no background rebuild is running (tests, benchmarks)."""
    deadline = time.monotonic() + timeout
    while _building and time.monotonic() < deadline:
        time.sleep(0.01)


def forget() -> None:
    """Drop every cached model (tests, after a restore)."""
    _cache.clear()
