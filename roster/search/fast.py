"""The fast path of a search over the read model: the same answer as `query.run_search`.

Visibility, filters and facets are masks over `readmodel.RosterModel`; the words come from the
engine's full-text index as (expert id, relevance) pairs, kept per roster version and query; pages
come from the model's precomputed orders. `run_search` in `query.py` stays as the reference and
the fallback (no version counter, uncommitted writes in the transaction).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session

from roster.policy import CLEARANCE_RANK
from roster.reference.codes import CEFR_LEVELS
from roster.search.criteria import SearchCriteria
from roster.search.facets import FACET_NAMES
from roster.search.fulltext import BM25_WEIGHTS, fts5_query, tsquery_text
from roster.search.models import FTS_TABLE, TSVECTOR_COLUMN
from roster.search.query import SearchResult, available_over, expert
from roster.search.readmodel import STATUSES, RosterModel, day, model_for, pack, ranked
from roster.search.version import committed_version, version

_weights = ", ".join(str(w) for w in BM25_WEIGHTS)
_SQLITE_MATCHES = (
    f"SELECT rowid, -bm25({FTS_TABLE}, {_weights}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q"  # noqa: S608 - constants of ours; the words are bound  # nosec B608
)
_PG_MATCHES = f"SELECT expert_id, ts_rank({TSVECTOR_COLUMN}, query) FROM expert_search, to_tsquery('simple'::regconfig, CAST(:q AS TEXT)) AS query WHERE {TSVECTOR_COLUMN} @@ query"  # noqa: S608, E501 - constants of ours; the words are bound  # nosec B608
# Every match with its relevance, as `fulltext.text_match` computes it.
_MATCHES = {"sqlite": sa.text(_SQLITE_MATCHES), "postgresql": sa.text(_PG_MATCHES)}
_MAX_QUERIES = 64
_matches: OrderedDict[tuple[Hashable, str, str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
_lock = threading.Lock()


def _query_text(dialect: str, criteria: SearchCriteria) -> str:
    return fts5_query(criteria.terms) if dialect == "sqlite" else tsquery_text(criteria.terms)


def _score_matches(
    session: Session, model: RosterModel, dialect: str, q: str
) -> tuple[np.ndarray, np.ndarray]:
    """Every match of `q` as model rows, with the relevance of each row (0 where no match)."""
    pairs = session.execute(_MATCHES[dialect], {"q": q}).all()
    ids = np.array([p[0] for p in pairs], dtype=np.int64)
    scores = np.array([float(p[1]) for p in pairs], dtype=np.float64)
    relevance = np.zeros(model.size, dtype=np.float64)
    rows = np.zeros(0, dtype=np.int64)
    if model.size and len(ids):
        pos = np.minimum(np.searchsorted(model.ids, ids), model.size - 1)
        known = model.ids[pos] == ids
        matched = pos[known]
        relevance[matched] = scores[known]
        rows = np.sort(matched)
    return rows, relevance


def _keep(cache_key: tuple[Hashable, str, str, str], found: tuple[np.ndarray, np.ndarray]) -> None:
    with _lock:
        _matches[cache_key] = found
        _matches.move_to_end(cache_key)
        while len(_matches) > _MAX_QUERIES:
            _matches.popitem(last=False)


def text_matches(
    session: Session, model: RosterModel, key: Hashable, criteria: SearchCriteria
) -> tuple[np.ndarray, np.ndarray]:
    """The model rows matching the words (ascending) and their relevance (per version and query,
    LRU)."""
    dialect = session.get_bind().dialect.name
    q = _query_text(dialect, criteria)
    cache_key = (key, str(session.get_bind().engine.url), dialect, q)
    with _lock:
        hit = _matches.get(cache_key)
        if hit is not None:
            _matches.move_to_end(cache_key)
            return hit
    found = _score_matches(session, model, dialect, q)
    _keep(cache_key, found)
    return found


# After a change, a large roster's new model is built in the background (`readmodel.model_for`);
# the words searched most recently are then matched and scored for the new version too, before
# it is published, so the first search for a common word after a change does not pay for it.
WARM_QUERIES = 8


def warm_words(session: Session, model: RosterModel, key: Hashable) -> None:
    """Match and score, at version `key`, the last WARM_QUERIES queries of this database."""
    dialect = session.get_bind().dialect.name
    where = str(session.get_bind().engine.url)
    with _lock:
        recent = [k[3] for k in reversed(_matches) if k[1] == where and k[2] == dialect]
    queries = list(dict.fromkeys(recent))[:WARM_QUERIES]
    for q in reversed(queries):  # the most recent last: it stays the freshest in the LRU
        cache_key = (key, where, dialect, q)
        if cache_key not in _matches:
            _keep(cache_key, _score_matches(session, model, dialect, q))


def visible_mask(model: RosterModel, scope: str, today: int) -> np.ndarray:
    """`query.visible` as a mask."""
    if scope == "all":
        return model.not_erased.copy()
    if scope != "vetted":
        return np.zeros(model.size, dtype=bool)
    return (
        (model.status == STATUSES.index("vetted"))
        & (model.vetting_until >= today)
        & model.active
        & model.not_erased
        & ~model.account_inactive
    )


def vetting_mask(model: RosterModel, status: str, today: int) -> np.ndarray:
    """`query.vetting_is` as a mask."""
    vetted = model.status == STATUSES.index("vetted")
    if status == "vetted":
        return vetted & (model.vetting_until >= today)
    if status == "expired":
        return (model.status == STATUSES.index("expired")) | (
            vetted & (model.vetting_until < today)
        )
    return model.status == STATUSES.index(status)


def valid_clearance(model: RosterModel, today: int) -> np.ndarray:
    """`query.verified_clearance()`: a level, verified, not expired today."""
    return (model.clearance >= 0) & model.clearance_verified & (model.clearance_until >= today)


def cleared(model: RosterModel, today: int) -> np.ndarray:
    """`valid_clearance`, once per model and day (read-only)."""
    return model.once(("cleared", today), lambda: valid_clearance(model, today))


def filter_mask(
    session: Session, model: RosterModel, criteria: SearchCriteria, scope: str, today: date
) -> np.ndarray:
    """Every condition of `query.filters`, visibility first."""
    t = day(today)
    n = model.size
    mask = model.once(("visible", scope, t), lambda: visible_mask(model, scope, t)).copy()
    if criteria.vetting:
        either = np.zeros(n, dtype=bool)
        for status in set(criteria.vetting):
            either |= vetting_mask(model, status, t)
        mask &= either
    topics = model.links["topic"]
    if criteria.topics:
        needs = [topics.having(n, [need.code], need.min_level) for need in criteria.topics]
        if criteria.topic_mode == "any":
            mask &= np.logical_or.reduce(needs)
        else:
            mask &= np.logical_and.reduce(needs)
    for lang in criteria.languages:
        rank = CEFR_LEVELS.index(lang.min_level)
        mask &= model.links["language"].having(n, [lang.code], rank)
    for name, wanted in (
        ("region", criteria.regions),
        ("nationality", criteria.nationalities),
        ("category", criteria.categories),
    ):
        if wanted:
            mask &= model.links[name].having(n, wanted)
    if criteria.clearance is not None:
        mask &= cleared(model, t)
        mask &= model.clearance_rank >= CLEARANCE_RANK[criteria.clearance]
    if criteria.deployable is not None:
        mask &= model.deployable == criteria.deployable
    if criteria.available_from is not None and criteria.available_to is not None:
        mask &= window_mask(session, model, criteria)
    return mask


def window_mask(session: Session, model: RosterModel, criteria: SearchCriteria) -> np.ndarray:
    """Availability stays in SQL (`query.available_over`): the ids it lets through."""
    dialect = session.get_bind().dialect.name
    ids = session.execute(
        sa.select(expert.c.id).where(available_over(dialect)),
        {"window_from": criteria.available_from, "window_to": criteria.available_to},
    ).scalars()
    mask = np.zeros(model.size, dtype=bool)
    mask[model.rows_of(np.array(sorted(ids), dtype=np.int64))] = True
    return mask


# A selection holding at most 1/SPARSE of the roster is counted and sorted row by row; a larger
# one as bitsets and over the precomputed orders. Either way the answer is the same (tested).
SPARSE = 64


@dataclass
class Selection:
    """The experts a search selects: their rows (ascending), and the mask when it is needed."""

    size: int
    rows: np.ndarray
    _mask: np.ndarray | None = None

    @classmethod
    def of_mask(cls, mask: np.ndarray) -> Selection:
        return cls(len(mask), np.flatnonzero(mask), mask)

    @property
    def sparse(self) -> bool:
        return len(self.rows) * SPARSE <= self.size

    @property
    def mask(self) -> np.ndarray:
        if self._mask is None:
            self._mask = np.zeros(self.size, dtype=bool)
            self._mask[self.rows] = True
        return self._mask


def facets(model: RosterModel, chosen: Selection, today: int) -> dict[str, dict[str, int]]:
    """The five facets of `facets.facet_selects`, sorted as `query.split_rows` sorts them."""
    rows = chosen.rows
    if chosen.sparse:
        counted = {name: model.links[name].counts_of(rows) for name in FACET_NAMES[:4]}
        held = model.clearance[rows[cleared(model, today)[rows]]]
    else:
        packed = pack(chosen.mask)
        counted = {name: model.links[name].counts(packed) for name in FACET_NAMES[:4]}
        held = model.clearance[chosen.mask & cleared(model, today)]
    counted["clearance"] = ranked(
        model.clearance_codes, np.bincount(held, minlength=len(model.clearance_codes))
    )
    return counted


def page_rows(
    model: RosterModel, chosen: Selection, criteria: SearchCriteria, relevance: np.ndarray | None
) -> np.ndarray:
    """The rows of the requested page, in `query.ordering`."""
    start, stop = criteria.offset, criteria.offset + criteria.per_page
    if criteria.sort == "relevance" and relevance is not None:
        hits = chosen.rows
        scores = relevance[hits]
        if len(hits) > 4 * stop:  # keep only what can reach the page: the best `stop` scores
            cut = np.partition(-scores, stop - 1)[stop - 1]
            keep = -scores <= cut
            hits, scores = hits[keep], scores[keep]
        order = np.lexsort((model.name_rank[hits], -scores))
        return hits[order][start:stop]
    engaged = criteria.sort == "last_engaged"
    if chosen.sparse:  # ranks are a permutation: sorting the few rows by rank is exact
        rank = model.engaged_rank if engaged else model.name_rank
        return chosen.rows[np.argsort(rank[chosen.rows])][start:stop]
    order = model.engaged_order if engaged else model.name_order
    return order[chosen.mask[order]][start:stop]


def run_fast(
    session: Session, criteria: SearchCriteria, *, scope: str | None, today: date
) -> SearchResult | None:
    """The search over the read model; None where the SQL path must answer instead."""
    if scope is None:
        return SearchResult(ids=[], total=0, facets={name: {} for name in FACET_NAMES})
    key = committed_version(session)
    if key is None:
        return None
    model = model_for(session, key, version, warm=warm_words)
    if model is None:
        return None
    mask = filter_mask(session, model, criteria, scope, today)
    relevance = None
    if criteria.terms:
        rows, relevance = text_matches(session, model, key, criteria)
        chosen = Selection(model.size, rows[mask[rows]])
    else:
        chosen = Selection.of_mask(mask)
    page = page_rows(model, chosen, criteria, relevance)
    ids = [int(i) for i in model.ids[page]]
    scores = relevance[page] if relevance is not None else np.zeros(len(page))
    return SearchResult(
        ids=ids,
        total=len(chosen.rows),
        facets=facets(model, chosen, day(today)),
        scores={eid: round(float(s), 6) for eid, s in zip(ids, scores, strict=True)},
        version=key,
    )
